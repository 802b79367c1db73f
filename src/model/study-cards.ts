/**
 * The demand study's types as demand cards on the board (issue 14). A card
 * that shows a study type carries `studyType` (the type's id) in its Yjs
 * node; its count is the study's, live (message 106), and the measures count
 * the study's figure instead of the card's own (`demandWithStudy`). Placing
 * the cards is one transaction (one undo step), and a type that already has
 * a card gets no second one.
 */
import type * as Y from 'yjs';
import { LOCAL_ORIGIN, addDemand } from './operations';
import { nodesMap } from './schema';

export interface StudyCardType {
  id: string;
  name: string;
  class: 'value' | 'failure';
}

/** The study types no card on the board shows yet. */
export function studyTypesWithoutCards(doc: Y.Doc, types: readonly StudyCardType[]): StudyCardType[] {
  const shown = new Set<string>();
  nodesMap(doc).forEach((node) => {
    const studyType = node.get('studyType');
    if (node.get('kind') === 'demand' && typeof studyType === 'string') shown.add(studyType);
  });
  return types.filter((t) => !shown.has(t.id));
}

const CARD_WIDTH = 260;
const CARD_HEIGHT = 84;
const GAP = 24;

/**
 * Adds a demand card for each study type without one, in a column to the
 * left of everything on the board (the method's demand sits left of the
 * flow), value demand first. Returns the new cards' ids.
 */
export function placeStudyCards(doc: Y.Doc, types: readonly StudyCardType[], origin: unknown = LOCAL_ORIGIN): string[] {
  const missing = studyTypesWithoutCards(doc, types);
  if (missing.length === 0) return [];
  let minX = Infinity;
  let minY = Infinity;
  nodesMap(doc).forEach((node) => {
    const x = node.get('x');
    const y = node.get('y');
    if (typeof x === 'number' && Number.isFinite(x)) minX = Math.min(minX, x);
    if (typeof y === 'number' && Number.isFinite(y)) minY = Math.min(minY, y);
  });
  const left = Number.isFinite(minX) ? minX - CARD_WIDTH - 80 : 0;
  const top = Number.isFinite(minY) ? minY : 0;
  const ordered = [...missing].sort((a, b) => (a.class === b.class ? 0 : a.class === 'value' ? -1 : 1));
  const ids: string[] = [];
  doc.transact(() => {
    ordered.forEach((type, index) => {
      const id = addDemand(
        doc,
        {
          words: type.name,
          demandClass: type.class,
          count: 0,
          predictable: false,
          position: { x: left, y: top + index * (CARD_HEIGHT + GAP) },
        },
        origin,
      );
      nodesMap(doc).get(id)?.set('studyType', type.id);
      ids.push(id);
    });
  }, origin);
  return ids;
}
