/**
 * The board screen's local state: the React Flow nodes and edges (a view of
 * the Yjs document plus local-only UI fields such as `selected`, `measured`
 * and `dragging`), the title, the connection and save state, and small UI
 * state (which element is being edited, toasts).
 *
 * Only the Yjs binding (binding.ts) writes document-derived fields here; user
 * intent goes to src/model operations and comes back through the binding.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Edge, Node } from '@xyflow/react';
import {
  computeMeasures,
  type ConditionType,
  type DemandClass,
  type EdgeKind,
  type Lane,
  type Measures,
  type NodeKind,
  type NoteColour,
  type StepClass,
  type WasteType,
} from '../model';
import type { AccessState } from '../protocol';
import type { SaveState } from './save-tracker';
import type { LocalTimer } from './timer';
import type { PresentingHere } from './presenter';
import type { PresenterState } from '../protocol';
import type { CardComment, VoteRecord, VoteView } from '../protocol';
import type { StudyCounts } from '../protocol/study';
import type { WindowCounts } from '../model/study';
import type { StudyWindowChoice } from './study';
import { initialPresenceFields, type PresenceFields } from './presence-fields';

export type StepNodeData = {
  label: string;
  lane: string | null;
  stepClass: StepClass | null;
  wasteType: WasteType | null;
  /** Process and lead time in minutes; null when not measured yet. */
  pt: number | null;
  lt: number | null;
  /** %C&A, 0–100, or null. */
  ca: number | null;
  customerContact: boolean;
};
export type NoteNodeData = { text: string; colour: NoteColour };
export type DemandNodeData = {
  words: string;
  demandClass: DemandClass;
  count: number;
  predictable: boolean;
  /** The demand study type this card shows (issue 14): its count is the study's, live, not `count`. */
  studyType?: string;
};
/** `statement` is stored in the node's `label` field (elements.ts); what matters is split into items. */
export type PurposeNodeData = { statement: string; whatMatters: string[] };
export type ConditionNodeData = { label: string; conditionType: ConditionType };
export type OtherNodeData = { label: string; kind: NodeKind };

export type StepFlowNode = Node<StepNodeData, 'step'>;
export type NoteFlowNode = Node<NoteNodeData, 'note'>;
export type DemandFlowNode = Node<DemandNodeData, 'demand'>;
export type PurposeFlowNode = Node<PurposeNodeData, 'purpose'>;
export type ConditionFlowNode = Node<ConditionNodeData, 'condition'>;
export type OtherFlowNode = Node<OtherNodeData, 'other'>;
export type BoardFlowNode =
  StepFlowNode | NoteFlowNode | DemandFlowNode | PurposeFlowNode | ConditionFlowNode | OtherFlowNode;

export type BoardEdgeData = {
  kind: EdgeKind;
  /** A flow edge marked as a rework loop. */
  rework: boolean;
  /** A flow edge between steps in two different lanes (method.md: a handoff). */
  handoff: boolean;
};
export type BoardFlowEdge = Edge<BoardEdgeData, 'board'>;

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** The connection dropped a moment ago; y-websocket is retrying with back-off. */
  | { kind: 'reconnecting' }
  /** No network (the browser says so), or the server has been unreachable for a while. */
  | { kind: 'offline' }
  /** Closed for good by the server (44xx): the y-websocket client does not retry. */
  | { kind: 'closed'; code: number; message: string; reason?: string };

export interface Toast {
  id: number;
  message: string;
}

/** Presence fields (presence.ts): who is here and what they have selected; cursors stay out of the store. */
export interface BoardState extends PresenceFields {
  nodes: BoardFlowNode[];
  edges: BoardFlowEdge[];
  title: string;
  /** True once the first sync with the server finished: before that the board is not known to be empty. */
  loaded: boolean;
  connection: ConnectionState;
  save: SaveState;
  /** The board is also kept on this device (IndexedDB); false where the browser refuses it. */
  deviceCopy: boolean;
  /** The node whose label or text is being edited inline, if any. */
  editingId: string | null;
  /** Nodes someone else deleted during this visit → who ("someone else" when unknown), for the inspector. */
  remoteDeletions: ReadonlyMap<string, string>;
  toasts: Toast[];
  /** The last announcement of other people's changes, for the polite live region (announcements.ts). */
  announcement: string;
  /** Counts announcements, so the same words said twice are read twice. */
  announcementCount: number;
  /** The right-hand panel: the analysis, or the inspector of the selected element. */
  panel: 'analysis' | 'inspector';
  /** Collapsed, the projected map can use the whole width. */
  panelOpen: boolean;
  /** "Show main path": the canvas highlights the main path's steps and edges. */
  showMainPath: boolean;
  /** The lanes, top to bottom; an unchanged lane keeps its object. */
  lanes: Lane[];
  /** The lane whose name is being edited inline, if any. */
  editingLaneId: string | null;
  /** Every measure of the board, live (collab/use-measures.ts). */
  measures: Measures;
  /** Ids of the main path's steps (from the live measures), for the canvas. */
  mainPathSteps: ReadonlySet<string>;
  /** "source>target" of each flow between consecutive main-path steps. */
  mainPathEdges: ReadonlySet<string>;
  /** Steps on no path from a start to an end: marked on the canvas as a warning. */
  unconnectedSteps: ReadonlySet<string>;
  /** This person has a change to undo / an undone change to redo (collab/undo.ts). */
  canUndo: boolean;
  canRedo: boolean;
  /** Cards a facilitator locked → who locked them (the node field LOCKED_BY_FIELD). */
  lockedCards: ReadonlyMap<string, string>;
  /**
   * The server refused a change to a locked card (4409) and the device copy is
   * dropped: the board is opened afresh (which undoes the change on this
   * screen) and shows these words. Null otherwise.
   */
  restart: string | null;
  /** What this person may do here (GET /api/boards/:id, then live from the server); null until known. */
  access: AccessState | null;
  /**
   * Access ended (removed, or the link turned off) while this device held
   * changes the server had not confirmed: those changes as a board file, to download.
   */
  unsentBoardFile: string | null;
  /** The facilitator's workshop timer (collab/timer.ts), on this device's clock; null when none is set. */
  timer: LocalTimer | null;
  /** Presenter mode as the server holds it (message 103); null until someone presents or arranges. */
  presenter: PresenterState | null;
  /** This screen shows the presenter view (collab/presenter.ts); null on every other screen. */
  presentingHere: PresentingHere | null;
  /** This person broke away from the presenter; "Back to presenter" clears it. */
  presenterAway: boolean;
  /** The board's dot vote as this person may see it (only their own dots until the reveal); null when none. */
  vote: VoteView | null;
  /** The board's revealed votes, newest first. */
  voteRecords: VoteRecord[];
  /** The board's comments (stored rows, not the document), oldest first. */
  comments: CardComment[];
  viewersMayComment: boolean;
  /** The card whose comment thread is open, or null. */
  commentsCardId: string | null;
  /** The facilitator's "start a vote" form, and the list of open comments (opened from the header or its Tools menu). */
  voteFormOpen: boolean;
  commentsListOpen: boolean;
  /** The board's demand study counts as the server last sent them (message 106); null: no study. */
  study: StudyCounts | null;
  /** The period window this person looks at the study through, and its counts (collab/study.ts). */
  studyWindow: StudyWindowChoice;
  studyCounts: WindowCounts | null;
}

export type BoardStore = StoreApi<BoardState>;

const EMPTY_SET: ReadonlySet<string> = new Set();

export function createBoardStore(): BoardStore {
  return createStore<BoardState>()(() => ({
    nodes: [],
    edges: [],
    title: '',
    loaded: false,
    connection: { kind: 'connecting' },
    save: { kind: 'saved' },
    deviceCopy: false,
    editingId: null,
    remoteDeletions: new Map(),
    toasts: [],
    announcement: '',
    announcementCount: 0,
    panel: 'analysis',
    panelOpen: true,
    showMainPath: false,
    lanes: [],
    editingLaneId: null,
    measures: computeMeasures({ steps: [], flowEdges: [], demand: [], capabilitySeries: [] }),
    mainPathSteps: EMPTY_SET,
    mainPathEdges: EMPTY_SET,
    unconnectedSteps: EMPTY_SET,
    canUndo: false,
    canRedo: false,
    lockedCards: new Map(),
    restart: null,
    access: null,
    unsentBoardFile: null,
    timer: null,
    presenter: null,
    presentingHere: null,
    presenterAway: false,
    vote: null,
    voteRecords: [],
    comments: [],
    viewersMayComment: false,
    commentsCardId: null,
    voteFormOpen: false,
    commentsListOpen: false,
    study: null,
    studyWindow: { kind: 'whole' },
    studyCounts: null,
    ...initialPresenceFields(),
  }));
}

/** Whether the locks stop this person: everyone's but a facilitator's (an unknown role is stopped too). */
export function locksStopMe(state: Pick<BoardState, 'access'>): boolean {
  return state.access?.role !== 'facilitator';
}

/** Until the server says otherwise this person may edit (an editor working offline keeps working). */
export function canEditNow(state: Pick<BoardState, 'access'>): boolean {
  return state.access?.canEdit ?? true;
}

let toastSeq = 0;

/** Shows a short message in the corner of the board; it goes away by itself. */
export function showToast(store: BoardStore, message: string, ms = 5000): void {
  const toast = { id: ++toastSeq, message };
  store.setState((s) => ({ toasts: [...s.toasts.slice(-2), toast] }));
  setTimeout(() => store.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== toast.id) })), ms);
}
