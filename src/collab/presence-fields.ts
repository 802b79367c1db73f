/**
 * The shapes of presence that the board store holds (who is here, what they
 * have selected, the follow target) and the store's initial presence fields.
 * Both the store (board-store.ts) and presence (presence.ts) import this
 * file, so neither needs the other's module to describe them.
 */
/** Colours readable as a fill behind white text (WCAG AA) and as an outline on light and dark boards. */
export const PRESENCE_COLOURS = [
  '#1d4ed8', // blue
  '#c2410c', // orange
  '#7e22ce', // purple
  '#047857', // green
  '#be185d', // pink
  '#0e7490', // cyan
  '#a16207', // ochre
  '#4338ca', // indigo
  '#b91c1c', // red
  '#4d7c0f', // olive
] as const;

export interface Point {
  x: number;
  y: number;
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}
/** A view: the React Flow viewport and the size of the canvas it was taken on. */
export interface View extends Viewport {
  width: number;
  height: number;
}
export interface Summon {
  id: string;
  view: View;
}

/** What each client publishes in awareness. */
export interface PresenceState {
  user: { name: string; colour: string };
  /** When this client joined (its own clock): in a colour clash the earlier person keeps theirs. */
  joinedAt: number;
  /** The pointer in flow (board) coordinates, or null when it is off the canvas. */
  cursor: Point | null;
  /** Ids of the selected nodes. */
  selection: string[];
  /** The node being renamed inline or edited in the inspector. */
  editing: string | null;
  view: View | null;
  /** "Bring everyone to me": each client applies a summon id once. */
  summon: Summon | null;
}

/** Another person on the board, without the cursor (which changes too often for the store). */
export interface Peer {
  clientId: number;
  name: string;
  colour: string;
  joinedAt: number;
}
/** How a node is marked for another person's selection or editing. */
export interface RemoteMark {
  name: string;
  colour: string;
  editing: boolean;
}

/**
 * What the screens may ask of a board's presence (implemented by Presence in
 * presence.ts). Declared here so the store can hold it without the store and
 * presence importing each other.
 */
export interface PresenceActions {
  setName(raw: string): void;
  setCursor(point: Point | null): void;
  setView(view: View): void;
  follow(peer: Peer | null): void;
  summon(view: View): void;
  onView(listener: (view: View) => void): () => void;
  otherStates(): Map<number, PresenceState>;
  onAwarenessChange(listener: (changedClients: number[]) => void): () => void;
  /** The name of the other person who had `nodeId` selected or open, if anyone. */
  whoHad(nodeId: string): string | null;
  destroy(): void;
}

export interface PresenceFields {
  /** This person, as others see them; name '' until they have given one. */
  self: Peer;
  /** Everyone else connected, in a stable order. */
  peers: Peer[];
  /** Node id → the other person who selected or is editing it. */
  remoteMarks: ReadonlyMap<string, RemoteMark>;
  /** The person whose view this person follows. */
  following: Peer | null;
  /** The node whose field is focused in the inspector (published as "editing"). */
  inspectorEditingId: string | null;
  /** The presence of this board (set once by the connection). */
  presence: PresenceActions | null;
}

export function initialPresenceFields(): PresenceFields {
  return {
    self: { clientId: 0, name: '', colour: PRESENCE_COLOURS[0], joinedAt: 0 },
    peers: [],
    remoteMarks: new Map(),
    following: null,
    inspectorEditingId: null,
    presence: null,
  };
}
