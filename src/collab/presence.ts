/**
 * Presence: who is on the board, where their pointer is, what they have
 * selected or are editing, and their view. All of it lives in Yjs awareness
 * (y-protocols), never in the document: it is not stored and not undoable.
 *
 * The pure parts (colour choice, name storage, throttling, view alignment,
 * the derived "who's here" and remote marks) are exported for unit tests.
 * Cursor positions deliberately stay out of the board store: only the cursor
 * layer listens to them, so a moving pointer never re-renders a node.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { BoardState, BoardStore } from './board-store';
import {
  PRESENCE_COLOURS,
  type Peer,
  type Point,
  type PresenceActions,
  type PresenceState,
  type RemoteMark,
  type View,
  type Viewport,
} from './presence-fields';

export const CURSOR_THROTTLE_MS = 50;
export const VIEWPORT_THROTTLE_MS = 100;
/** A cursor that has not moved for this long is hidden (the person stays in "who's here"). */
export const CURSOR_IDLE_MS = 5000;
export const NAME_STORAGE_KEY = 'purposeboard.displayName';
export const MAX_NAME_LENGTH = 40;

// The shapes live in presence-fields.ts (shared with the store); they are part of this module's surface too.
export * from './presence-fields';

/** A display name as typed, tidied: trimmed, inner spaces collapsed, length capped. */
export function cleanName(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

export function loadName(storage: Pick<Storage, 'getItem'> | null): string {
  try {
    return cleanName(storage?.getItem(NAME_STORAGE_KEY) ?? '');
  } catch {
    return ''; // storage disabled (private mode, blocked cookies): ask each time
  }
}

export function saveName(storage: Pick<Storage, 'setItem'> | null, name: string): void {
  try {
    storage?.setItem(NAME_STORAGE_KEY, cleanName(name));
  } catch {
    // Not remembered on this device; the name still holds for this visit.
  }
}

/** "Ana María Soto" → "AS"; "ana" → "A"; "" → "?". */
export function initials(name: string): string {
  const words = cleanName(name).split(' ').filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]][0];
  const last = words.length > 1 ? [...words[words.length - 1]][0] : '';
  return (first + last).toUpperCase();
}

export function displayName(name: string): string {
  return cleanName(name) || 'Someone';
}

type ColourHolder = { clientId: number; colour: string; joinedAt: number };

/** Who keeps a colour two people share: the one who joined first (then the lower client id). */
function comesFirst(a: ColourHolder, b: { clientId: number; joinedAt: number }): boolean {
  return a.joinedAt < b.joinedAt || (a.joinedAt === b.joinedAt && a.clientId < b.clientId);
}

/**
 * A colour for this client: keep the current one unless someone who joined
 * earlier uses it (so a newcomer never recolours the people already there, and
 * two clients that clash settle without flapping), else the first colour
 * nobody uses, else one derived from the client id.
 */
export function pickColour(
  self: { clientId: number; joinedAt: number },
  current: string | null,
  others: readonly ColourHolder[],
): string {
  const fallback = PRESENCE_COLOURS[self.clientId % PRESENCE_COLOURS.length];
  if (current !== null && !others.some((o) => o.colour === current && comesFirst(o, self))) return current;
  const used = new Set(others.map((o) => o.colour));
  return PRESENCE_COLOURS.find((c) => !used.has(c)) ?? fallback;
}

/**
 * A leading-and-trailing throttle: the first call runs at once, later calls
 * within `ms` collapse into one call with the latest arguments at the end.
 */
export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
  now: () => number = Date.now,
  schedule: (run: () => void, ms: number) => unknown = setTimeout,
): { (...args: A): void; cancel(): void } {
  let last = -Infinity;
  let pending: A | null = null;
  let scheduled = false;
  let cancelled = false;
  const flush = () => {
    scheduled = false;
    if (cancelled || pending === null) return;
    const args = pending;
    pending = null;
    last = now();
    fn(...args);
  };
  const throttled = (...args: A) => {
    cancelled = false;
    const wait = last + ms - now();
    if (wait <= 0 && !scheduled) {
      last = now();
      fn(...args);
      return;
    }
    pending = args;
    if (!scheduled) {
      scheduled = true;
      schedule(flush, Math.max(0, wait));
    }
  };
  throttled.cancel = () => {
    cancelled = true;
    pending = null;
  };
  return throttled;
}

/** The viewport that shows, on a canvas of `width`×`height`, the same centre and zoom as `view`. */
export function alignView(view: View, width: number, height: number): Viewport {
  const centreX = (view.width / 2 - view.x) / view.zoom;
  const centreY = (view.height / 2 - view.y) / view.zoom;
  return { x: width / 2 - centreX * view.zoom, y: height / 2 - centreY * view.zoom, zoom: view.zoom };
}

/** Reads a remote awareness state defensively: it crossed the network from another client. */
export function readPresence(raw: unknown): PresenceState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const state = raw as Partial<PresenceState>;
  const user = state.user;
  if (!user || typeof user.name !== 'string' || typeof user.colour !== 'string') return null;
  const point = (p: unknown): Point | null =>
    typeof p === 'object' && p !== null && Number.isFinite((p as Point).x) && Number.isFinite((p as Point).y)
      ? { x: (p as Point).x, y: (p as Point).y }
      : null;
  const view = (v: unknown): View | null => {
    if (typeof v !== 'object' || v === null) return null;
    const { x, y, zoom, width, height } = v as View;
    return [x, y, zoom, width, height].every(Number.isFinite) && zoom > 0 ? { x, y, zoom, width, height } : null;
  };
  const summon = state.summon;
  return {
    joinedAt: Number.isFinite(state.joinedAt) ? Number(state.joinedAt) : 0,
    user: {
      name: user.name.slice(0, MAX_NAME_LENGTH),
      colour: /^#[0-9a-f]{6}$/i.test(user.colour) ? user.colour : '#64748b',
    },
    cursor: point(state.cursor),
    selection: Array.isArray(state.selection) ? state.selection.filter((s) => typeof s === 'string').slice(0, 500) : [],
    editing: typeof state.editing === 'string' ? state.editing : null,
    view: view(state.view),
    summon:
      summon && typeof summon.id === 'string' && view(summon.view) ? { id: summon.id, view: view(summon.view)! } : null,
  };
}

/** The other people and the marks on nodes, from everyone's awareness states. */
export function derivePeers(
  states: ReadonlyMap<number, PresenceState>,
  selfId: number,
): { peers: Peer[]; marks: Map<string, RemoteMark> } {
  const peers: Peer[] = [];
  const marks = new Map<string, RemoteMark>();
  const ids = [...states.keys()].filter((id) => id !== selfId).sort((a, b) => a - b);
  for (const clientId of ids) {
    const state = states.get(clientId)!;
    const name = displayName(state.user.name);
    peers.push({ clientId, name, colour: state.user.colour, joinedAt: state.joinedAt });
    for (const id of state.selection)
      if (!marks.has(id)) marks.set(id, { name, colour: state.user.colour, editing: false });
  }
  // Editing wins over a mere selection of the same node.
  for (const clientId of ids) {
    const state = states.get(clientId)!;
    if (state.editing !== null)
      marks.set(state.editing, { name: displayName(state.user.name), colour: state.user.colour, editing: true });
  }
  return { peers, marks };
}

const sameMark = (a: RemoteMark | undefined, b: RemoteMark) =>
  a !== undefined && a.name === b.name && a.colour === b.colour && a.editing === b.editing;
const samePeers = (a: readonly Peer[], b: readonly Peer[]) =>
  a.length === b.length &&
  a.every(
    (p, i) =>
      p.clientId === b[i].clientId && p.name === b[i].name && p.colour === b[i].colour && p.joinedAt === b[i].joinedAt,
  );

function selectedNodeIds(nodes: BoardState['nodes']): string[] {
  const ids: string[] = [];
  for (const node of nodes) if (node.selected) ids.push(node.id);
  return ids;
}

type ViewListener = (view: View) => void;

/**
 * When the people and marks are derived again after awareness changes. With
 * 50 people moving pointers at 10 Hz, awareness changes 500 times a second;
 * deriving everyone each time cost every client a full pass over all states
 * per message (issue 18), so the browser gathers them into one pass per
 * animation frame. Without a browser (Node tests, tools) it runs at once.
 */
export type PresenceScheduler = (run: () => void) => void;
export const onNextFrame: PresenceScheduler = (run) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  else run();
};

/** This person's presence on one board, bound to the provider's awareness and the board store. */
export class Presence implements PresenceActions {
  readonly clientId: number;
  private readonly joinedAt: number;
  private readonly listeners = new Set<ViewListener>();
  private readonly seenSummons = new Set<string>();
  private readonly unsubscribeStore: () => void;
  private readonly sendCursor: ReturnType<typeof throttle<[Point | null]>>;
  private readonly sendView: ReturnType<typeof throttle<[View]>>;
  private summonSeq = 0;
  private peersScheduled = false;
  private destroyed = false;

  constructor(
    private readonly awareness: Awareness,
    private readonly store: BoardStore,
    private readonly storage: Storage | null,
    private readonly schedule: PresenceScheduler = onNextFrame,
  ) {
    this.clientId = awareness.clientID;
    const name = loadName(storage);
    const joinedAt = Date.now();
    this.joinedAt = joinedAt;
    const colour = pickColour({ clientId: this.clientId, joinedAt }, null, []);
    const initial: PresenceState = {
      user: { name, colour },
      joinedAt,
      cursor: null,
      selection: [],
      editing: null,
      view: null,
      summon: null,
    };
    awareness.setLocalState(initial);
    store.setState({ self: { clientId: this.clientId, name, colour, joinedAt }, presence: this });
    this.sendCursor = throttle((cursor: Point | null) => this.set({ cursor }), CURSOR_THROTTLE_MS);
    this.sendView = throttle((view: View) => this.set({ view }), VIEWPORT_THROTTLE_MS);
    awareness.on('change', this.onChange);

    // Selection and editing follow the board store.
    let lastNodes = store.getState().nodes;
    let lastSelection = '';
    let lastEditing: string | null = null;
    this.unsubscribeStore = store.subscribe((s) => {
      if (s.nodes !== lastNodes) {
        lastNodes = s.nodes;
        const ids = selectedNodeIds(s.nodes);
        const key = ids.join('\n');
        if (key !== lastSelection) {
          lastSelection = key;
          // After the current microtask: when a delete empties the selection, Yjs updates the store
          // before it hands the document update to the provider, and the others must get the
          // deletion first, while this person still shows as having selected what went (whoHad).
          queueMicrotask(() => {
            if (lastSelection === key && this.local()) this.set({ selection: ids });
          });
        }
      }
      const editing = s.editingId ?? s.inspectorEditingId;
      if (editing !== lastEditing) {
        lastEditing = editing;
        this.set({ editing });
      }
    });
  }

  private local(): PresenceState | null {
    return (this.awareness.getLocalState() as PresenceState | null) ?? null;
  }

  private set(patch: Partial<PresenceState>): void {
    const current = this.local();
    if (current) this.awareness.setLocalState({ ...current, ...patch });
  }

  setName(raw: string): void {
    const name = cleanName(raw);
    if (!name) return;
    saveName(this.storage, name);
    const current = this.local();
    if (current) this.set({ user: { ...current.user, name } });
    this.store.setState((s) => ({ self: { ...s.self, name } }));
  }

  /** The pointer in flow coordinates; null when it left the canvas. Throttled to ~20 a second. */
  setCursor(point: Point | null): void {
    this.sendCursor(point);
  }

  setView(view: View): void {
    this.sendView(view);
  }

  follow(peer: Peer | null): void {
    this.store.setState({ following: peer });
    if (!peer) return;
    const view = this.stateOf(peer.clientId)?.view;
    if (view) this.emitView(view);
  }

  /** Everyone's view jumps to `view` once. */
  summon(view: View): void {
    this.set({ summon: { id: `${this.clientId}-${++this.summonSeq}-${Date.now()}`, view } });
  }

  /** Views to apply to this person's canvas (following someone, or a summon). */
  onView(listener: ViewListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every other person's presence, read defensively. */
  otherStates(): Map<number, PresenceState> {
    const states = new Map<number, PresenceState>();
    this.awareness.getStates().forEach((raw, clientId) => {
      if (clientId === this.clientId) return;
      const state = readPresence(raw);
      if (state) states.set(clientId, state);
    });
    return states;
  }

  /** Subscribes to any awareness change (the cursor layer). */
  onAwarenessChange(listener: (changedClients: number[]) => void): () => void {
    const handler = ({ added, updated, removed }: AwarenessChange) => listener([...added, ...updated, ...removed]);
    this.awareness.on('change', handler);
    return () => this.awareness.off('change', handler);
  }

  /**
   * Who most likely deleted a node just now: another person who had it
   * selected (deleting goes through a selection, and the document change
   * arrives before their presence drops the deleted node), else one who was
   * editing it. Null when nobody else had it.
   */
  whoHad(nodeId: string): string | null {
    let editor: string | null = null;
    for (const state of this.otherStates().values()) {
      if (state.selection.includes(nodeId) && state.editing !== nodeId) return displayName(state.user.name);
      if (state.editing === nodeId) editor ??= displayName(state.user.name);
    }
    return editor;
  }

  /** The display name of another person by their client id (awareness ids are Y.Doc client ids), or null. */
  nameOfClient(clientId: number): string | null {
    if (clientId === this.clientId) return null;
    const state = this.stateOf(clientId);
    return state ? displayName(state.user.name) : null;
  }

  private stateOf(clientId: number): PresenceState | null {
    return readPresence(this.awareness.getStates().get(clientId));
  }

  private emitView(view: View): void {
    for (const listener of this.listeners) listener(view);
  }

  private readonly onChange = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    if (!this.peersScheduled) {
      this.peersScheduled = true;
      this.schedule(() => {
        this.peersScheduled = false;
        if (!this.destroyed) this.derivePeers();
      });
    }

    if (origin === 'local') return;
    // A followed person's view; a new summon from anyone (one seen on joining is old news).
    // Read for each message, not batched: only the people who changed, and a view must not be skipped.
    const following = this.store.getState().following;
    for (const clientId of [...added, ...updated]) {
      if (clientId === this.clientId) continue;
      const state = this.stateOf(clientId);
      if (!state) continue;
      if (state.summon && !this.seenSummons.has(state.summon.id)) {
        this.seenSummons.add(state.summon.id);
        if (!added.includes(clientId)) {
          this.store.setState({ following: null });
          this.emitView(state.summon.view);
          continue;
        }
      }
      if (following?.clientId === clientId && state.view) this.emitView(state.view);
    }
    void removed;
  };

  /** Everyone's presence into the store: the people, the marks on cards, and this person's distinct colour. */
  private derivePeers(): void {
    const states = this.otherStates();
    const { peers, marks } = derivePeers(states, this.clientId);
    const s = this.store.getState();

    // Keep this person's colour distinct from everyone else's.
    const local = this.local();
    if (local) {
      const colour = pickColour({ clientId: this.clientId, joinedAt: this.joinedAt }, local.user.colour, peers);
      if (colour !== local.user.colour) {
        this.set({ user: { ...local.user, colour } });
        this.store.setState((st) => ({ self: { ...st.self, colour } }));
      }
    }

    const patch: Partial<BoardState> = {};
    if (!samePeers(s.peers, peers)) patch.peers = peers;
    let marksChanged = marks.size !== s.remoteMarks.size;
    for (const [id, mark] of marks) {
      const previous = s.remoteMarks.get(id);
      if (sameMark(previous, mark)) marks.set(id, previous!);
      else marksChanged = true;
    }
    if (marksChanged) patch.remoteMarks = marks;
    if (s.following && !states.has(s.following.clientId)) patch.following = null;
    else if (s.following) {
      const now = peers.find((p) => p.clientId === s.following!.clientId);
      if (now && (now.name !== s.following.name || now.colour !== s.following.colour)) patch.following = now;
    }
    if (Object.keys(patch).length > 0) this.store.setState(patch);
  }

  destroy(): void {
    this.destroyed = true;
    this.sendCursor.cancel();
    this.sendView.cancel();
    this.unsubscribeStore();
    this.awareness.off('change', this.onChange);
    this.listeners.clear();
    this.awareness.setLocalState(null);
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
