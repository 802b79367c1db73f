/**
 * Links between elements, as a keyboard or a picker makes them: the kind of
 * edge two elements can be joined by, every element a card can be linked to,
 * and the order in which Tab visits the cards (the method's order: purpose,
 * demand, then the flow lane by lane, left to right).
 */
import type { EdgeKind } from './schema';
import type { Board, BoardNode, Lane } from './types';

/**
 * The kind of edge joining two elements, from the kinds at its ends
 * (method.md): step → step flow, demand → step entry, condition → step or
 * demand causes. A link asked for the other way round is turned around.
 */
export function edgeKindFor(sourceKind: string, targetKind: string): { kind: EdgeKind; reversed: boolean } | null {
  const kindOf = (s: string, t: string): EdgeKind | null => {
    if (s === 'step' && t === 'step') return 'flow';
    if (s === 'demand' && t === 'step') return 'entry';
    if (s === 'condition' && (t === 'step' || t === 'demand')) return 'causes';
    return null;
  };
  const forward = kindOf(sourceKind, targetKind);
  if (forward) return { kind: forward, reversed: false };
  const backward = kindOf(targetKind, sourceKind);
  return backward ? { kind: backward, reversed: true } : null;
}

/** One element a card can be linked to, and the edge the link makes. */
export interface LinkTarget {
  /** The other element. */
  id: string;
  nodeKind: BoardNode['kind'];
  /** What the other element says (a step's label, a demand's words). */
  label: string;
  /** The lane of a step, by name, to tell two steps of the same name apart. */
  laneName: string | null;
  edgeKind: EdgeKind;
  /** The edge's ends: the card asked from is the source unless the kind turns it round. */
  source: string;
  target: string;
  /** The id of the edge already making this link, if any. */
  existingEdge: string | null;
}

function labelOf(node: BoardNode): string {
  return node.kind === 'note' ? node.text : node.label;
}

/**
 * Every element the card `fromId` can be linked to, in Tab order. A link
 * that already exists is listed with its edge, so a picker can show it as
 * made (and offer to remove it) instead of offering a duplicate.
 */
export function linkTargets(board: Pick<Board, 'nodes' | 'edges' | 'lanes'>, fromId: string): LinkTarget[] {
  const from = board.nodes.find((n) => n.id === fromId);
  if (!from) return [];
  const laneNames = new Map(board.lanes.map((lane) => [lane.id, lane.name]));
  const byId = new Map(board.nodes.map((n) => [n.id, n]));
  // The edges by their kind and ends, looked up once per card: a search of
  // every edge for every card made this quadratic, and the inspector reads it
  // on every frame of a drag (issue 18's first-drag profile: 440 ms at 1,000 steps).
  const edgeAt = new Map<string, string>();
  for (const e of board.edges) {
    const key = `${e.kind} ${e.source} ${e.target}`;
    if (!edgeAt.has(key)) edgeAt.set(key, e.id);
  }
  const targets: LinkTarget[] = [];
  for (const id of flowOrder(board.nodes, board.lanes)) {
    if (id === fromId) continue;
    const other = byId.get(id)!;
    const chosen = edgeKindFor(from.kind, other.kind);
    if (!chosen) continue;
    const source = chosen.reversed ? other.id : from.id;
    const target = chosen.reversed ? from.id : other.id;
    const existing = edgeAt.get(`${chosen.kind} ${source} ${target}`);
    targets.push({
      id: other.id,
      nodeKind: other.kind,
      label: labelOf(other),
      laneName: other.kind === 'step' && other.lane !== null ? (laneNames.get(other.lane) ?? null) : null,
      edgeKind: chosen.kind,
      source,
      target,
      existingEdge: existing ?? null,
    });
  }
  return targets;
}

/** The targets whose label or lane contains every word typed, in order; case and accents are ignored. */
export function filterLinkTargets(targets: readonly LinkTarget[], typed: string): LinkTarget[] {
  const fold = (text: string) =>
    text
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
  const words = fold(typed).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...targets];
  return targets.filter((t) => {
    const text = fold(`${t.label} ${t.laneName ?? ''}`);
    return words.every((word) => text.includes(word));
  });
}

/** What `flowOrder` needs of a card: where it is and, for a step, its lane. */
export interface PlacedCard {
  id: string;
  kind: string;
  position: { x: number; y: number };
  lane?: string | null;
}

const KIND_RANK: Record<string, number> = { purpose: 0, demand: 1, step: 2, condition: 3, note: 4 };

/**
 * The order Tab visits the cards in: the purpose, the demand (top to
 * bottom), the steps lane by lane (lanes top to bottom, each left to right;
 * steps in no lane after the lanes), the system conditions, then the notes.
 * Ties are broken by position, then id, so the order is the same on every screen.
 */
export function flowOrder(cards: readonly PlacedCard[], lanes: readonly Pick<Lane, 'id' | 'order'>[]): string[] {
  const laneRank = new Map(
    [...lanes].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id)).map((lane, index) => [lane.id, index]),
  );
  const key = (card: PlacedCard): [number, number, number, number] => {
    const kind = KIND_RANK[card.kind] ?? 5;
    if (card.kind === 'step') {
      const lane = card.lane ? (laneRank.get(card.lane) ?? lanes.length) : lanes.length;
      return [kind, lane, card.position.x, card.position.y];
    }
    // Purpose and demand read down the left column; conditions and notes left to right.
    if (card.kind === 'demand' || card.kind === 'purpose') return [kind, 0, card.position.y, card.position.x];
    return [kind, 0, card.position.x, card.position.y];
  };
  return [...cards]
    .map((card) => ({ id: card.id, key: key(card) }))
    .sort((a, b) => {
      for (let i = 0; i < 4; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
      return a.id.localeCompare(b.id);
    })
    .map((c) => c.id);
}
