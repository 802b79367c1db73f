/**
 * Polite, rare announcements of other people's changes for screen readers
 * (issue 16): "Sam added a step: Visit and diagnose", or for a burst "Sam
 * made 5 changes". At most one announcement every few seconds; moves of a
 * card are not announced (a drag is dozens of updates and changes no name),
 * and cursors never reach the document at all.
 *
 * Who made a change: a remote transaction advances the state vector of the
 * client that wrote it, and that client's awareness state carries its name.
 * A deletion writes no new items, so its author is whoever had the card
 * selected (Presence.whoHad), else "Someone".
 */
import type * as Y from 'yjs';
import { edgesMap, lanesMap, metaMap, nodesMap, type YEdge, type YNode } from '../model';
import { shorten } from '../export/format';
import type { BoardFlowNode, BoardStore } from './board-store';
import { elementWord } from './remote-deletions';

/** One change by one person, as it is announced. */
export type RemoteChange =
  | { who: string; what: 'added'; type: BoardFlowNode['type']; name: string }
  | { who: string; what: 'deleted'; type: BoardFlowNode['type'] | undefined; name: string | null }
  | { who: string; what: 'changed'; type: BoardFlowNode['type']; name: string }
  | { who: string; what: 'connected'; name: string }
  | { who: string; what: 'disconnected' | 'lanes' | 'board' };

const SOMEONE = 'Someone';
const NAME_LENGTH = 60;

/** Names in a list: "Sam", "Sam and Ana", "Sam, Ana and Jo". */
function listOf(names: string[]): string {
  if (names.length <= 1) return names[0] ?? SOMEONE;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

function oneChange(change: RemoteChange): string {
  switch (change.what) {
    case 'added':
      return `${change.who} added ${article(elementWord(change.type))}: ${change.name}`;
    case 'deleted':
      return change.name
        ? `${change.who} deleted ${article(elementWord(change.type))}: ${change.name}`
        : `${change.who} deleted ${article(elementWord(change.type))}`;
    case 'changed':
      return `${change.who} changed ${article(elementWord(change.type))}: ${change.name}`;
    case 'connected':
      return `${change.who} added a link: ${change.name}`;
    case 'disconnected':
      return `${change.who} removed a connection`;
    case 'lanes':
      return `${change.who} changed the lanes`;
    case 'board':
      return `${change.who} changed the board's settings`;
  }
}

/** The sentence for a batch of changes: one change in full, a burst summarised. */
export function announcementText(changes: readonly RemoteChange[]): string {
  if (changes.length === 0) return '';
  if (changes.length === 1) return oneChange(changes[0]);
  const people = [...new Set(changes.map((change) => change.who))];
  // "Someone" is not a person to list beside named people.
  const named = people.filter((who) => who !== SOMEONE);
  const who = named.length === 0 ? SOMEONE : named.length > 3 ? `${named.length} people` : listOf(named);
  return `${who} made ${changes.length} changes`;
}

/** The card's own words, for "added a step: …". */
function nameOfNode(node: BoardFlowNode | undefined): string | null {
  if (!node) return null;
  const text =
    node.type === 'demand'
      ? node.data.words
      : node.type === 'purpose'
        ? node.data.statement
        : node.type === 'note'
          ? node.data.text
          : node.data.label;
  const cleaned = text.replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : shorten(cleaned, NAME_LENGTH);
}

/** Who the people here are, from awareness (Presence implements it). */
export interface PeopleHere {
  /** The display name of a client (awareness id = its Y.Doc client id), or null when not known. */
  nameOfClient(clientId: number): string | null;
  /** Who else had this card selected or open, or null. */
  whoHad(nodeId: string): string | null;
}

export interface AnnouncerTiming {
  /** How long to wait for a burst to end before announcing it. */
  quietMs: number;
  /** The least time between two announcements. */
  minGapMs: number;
}

export const ANNOUNCER_TIMING: AnnouncerTiming = { quietMs: 1500, minGapMs: 5000 };

/** The authors of a remote transaction: every client whose clock it advanced. */
function authorsOf(transaction: Y.Transaction, people: PeopleHere): string[] {
  const names: string[] = [];
  transaction.afterState.forEach((clock, clientId) => {
    if (clock > (transaction.beforeState.get(clientId) ?? 0)) {
      const name = people.nameOfClient(clientId);
      if (name && !names.includes(name)) names.push(name);
    }
  });
  return names;
}

const POSITION_FIELDS = new Set(['x', 'y']);

/**
 * Watches the document for other people's changes and writes the
 * announcement into the store (`announcement`); returns the function that stops it.
 */
export function watchRemoteChanges(
  doc: Y.Doc,
  store: BoardStore,
  people: PeopleHere,
  timing: AnnouncerTiming = ANNOUNCER_TIMING,
): () => void {
  const nodes = nodesMap(doc);
  const edges = edgesMap(doc);
  const lanes = lanesMap(doc);
  const meta = metaMap(doc);
  /** Changes waiting to be announced; an element counts once per batch however many updates it got. */
  const pending = new Map<string, RemoteChange>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastAt = -Infinity;
  /** Cards added in this batch → who, named when announced (the store has them by then). */
  const addedIds = new Map<string, string>();
  /** Edges added in this batch → who, likewise. */
  const addedEdges = new Map<string, string>();

  const flush = () => {
    timer = null;
    const state = store.getState();
    for (const [id, who] of addedIds) {
      const node = state.nodes.find((n) => n.id === id);
      if (node)
        pending.set(`node:${id}`, { who, what: 'added', type: node.type, name: nameOfNode(node) ?? 'untitled' });
      else pending.delete(`node:${id}`);
    }
    addedIds.clear();
    for (const [id, who] of addedEdges) {
      const edge = state.edges.find((e) => e.id === id);
      if (edge?.ariaLabel) pending.set(`edge:${id}`, { who, what: 'connected', name: edge.ariaLabel });
      else pending.delete(`edge:${id}`);
    }
    addedEdges.clear();
    const text = announcementText([...pending.values()]);
    pending.clear();
    if (text === '') return;
    lastAt = Date.now();
    store.setState((s) => ({ announcement: text, announcementCount: s.announcementCount + 1 }));
  };

  const schedule = () => {
    if (timer !== null) return;
    const wait = Math.max(timing.quietMs, lastAt + timing.minGapMs - Date.now());
    timer = setTimeout(flush, wait);
  };

  const remote = (transaction: Y.Transaction): boolean =>
    // Before the first sync the document is filling from the device copy and the server: nobody "changed" it.
    !transaction.local && store.getState().loaded;

  // Shallow, so it runs before the store binding's deep observer: a deleted card is still in the store to name.
  const onNodes = (event: Y.YMapEvent<YNode>) => {
    if (!remote(event.transaction)) return;
    const authors = authorsOf(event.transaction, people);
    const state = store.getState();
    event.changes.keys.forEach((change, id) => {
      if (change.action === 'add') {
        addedIds.set(id, listOf(authors));
      } else if (change.action === 'delete') {
        if (addedIds.delete(id)) return;
        const node = state.nodes.find((n) => n.id === id);
        const who = authors[0] ?? people.whoHad(id) ?? SOMEONE;
        pending.set(`node:${id}`, { who, what: 'deleted', type: node?.type, name: nameOfNode(node) });
      }
    });
    schedule();
  };

  const onNodeFields = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    if (!remote(transaction)) return;
    const authors = authorsOf(transaction, people);
    let any = false;
    for (const event of events) {
      if (event.target === nodes) continue;
      const id = event.path[0];
      if (typeof id !== 'string' || addedIds.has(id) || pending.has(`node:${id}`)) continue;
      const fields = [...(event as Y.YMapEvent<unknown>).keysChanged];
      if (fields.every((field) => POSITION_FIELDS.has(field))) continue;
      const node = store.getState().nodes.find((n) => n.id === id);
      if (!node) continue;
      pending.set(`node:${id}`, {
        who: listOf(authors),
        what: 'changed',
        type: node.type,
        name: nameOfNode(node) ?? 'untitled',
      });
      any = true;
    }
    if (any) schedule();
  };

  const onEdges = (event: Y.YMapEvent<YEdge>) => {
    if (!remote(event.transaction)) return;
    const who = listOf(authorsOf(event.transaction, people));
    event.changes.keys.forEach((change, id) => {
      if (change.action === 'add') addedEdges.set(id, who);
      if (change.action === 'delete' && !addedEdges.delete(id))
        pending.set(`edge:${id}`, { who, what: 'disconnected' });
    });
    schedule();
  };

  const onOther = (key: 'lanes' | 'board') => (_events: unknown, transaction: Y.Transaction) => {
    if (!remote(transaction)) return;
    pending.set(key, { who: listOf(authorsOf(transaction, people)), what: key });
    schedule();
  };
  const onLanes = onOther('lanes');
  const onMeta = onOther('board');

  nodes.observe(onNodes);
  nodes.observeDeep(onNodeFields);
  edges.observe(onEdges);
  lanes.observeDeep(onLanes);
  meta.observe(onMeta);
  return () => {
    if (timer !== null) clearTimeout(timer);
    nodes.unobserve(onNodes);
    nodes.unobserveDeep(onNodeFields);
    edges.unobserve(onEdges);
    lanes.unobserveDeep(onLanes);
    meta.unobserve(onMeta);
  };
}
