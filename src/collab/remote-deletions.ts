/**
 * A node deleted by someone else while this person edits it (inline, or in
 * the inspector): the editor closes, and a notice says who deleted it, so the
 * typed text does not silently vanish or land on a step that no longer exists.
 */
import type * as Y from 'yjs';
import { nodesMap, type YNode } from '../model';
import { showToast, type BoardStore, type BoardFlowNode } from './board-store';
import type { Presence } from './presence';

/** How many deletions the inspector remembers (it only needs the last few). */
const REMEMBERED = 50;

/** The element's name in the method's words, for the notice. */
export function elementWord(type: BoardFlowNode['type'] | undefined): string {
  switch (type) {
    case 'step':
      return 'step';
    case 'demand':
      return 'demand type';
    case 'purpose':
      return 'purpose';
    case 'condition':
      return 'system condition';
    case 'note':
      return 'note';
    default:
      return 'element';
  }
}

export function deletedNotice(type: BoardFlowNode['type'] | undefined, by: string | null): string {
  return `This ${elementWord(type)} was deleted by ${by ?? 'someone else'} while you were editing it.`;
}

/** Starts watching; returns the function that stops it. */
export function watchRemoteDeletions(doc: Y.Doc, store: BoardStore, presence: Presence): () => void {
  const nodes = nodesMap(doc);
  // A shallow observer runs before the store binding's deep one: the store still holds the deleted node.
  const onChange = (event: Y.YMapEvent<YNode>) => {
    if (event.transaction.local) return;
    const gone = [...event.keysChanged].filter((id) => !nodes.has(id));
    if (gone.length === 0) return;
    const state = store.getState();
    const deletions = new Map(state.remoteDeletions);
    for (const id of gone) {
      const by = presence.whoHad(id);
      deletions.delete(id);
      deletions.set(id, by ?? 'someone else');
      const editing = state.editingId === id || state.inspectorEditingId === id;
      if (!editing) continue;
      const node = state.nodes.find((n) => n.id === id);
      showToast(store, deletedNotice(node?.type, by), 8000);
    }
    while (deletions.size > REMEMBERED) deletions.delete(deletions.keys().next().value as string);
    const patch: Partial<typeof state> = { remoteDeletions: deletions };
    if (state.editingId !== null && gone.includes(state.editingId)) patch.editingId = null;
    if (state.inspectorEditingId !== null && gone.includes(state.inspectorEditingId)) patch.inspectorEditingId = null;
    store.setState(patch);
  };
  nodes.observe(onChange);
  return () => nodes.unobserve(onChange);
}
