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
import type { EdgeKind, NodeKind, NoteColour } from '../model';
import type { SaveState } from './save-tracker';

export type StepNodeData = { label: string; lane: string | null };
export type NoteNodeData = { text: string; colour: NoteColour };
export type OtherNodeData = { label: string; kind: NodeKind };

export type StepFlowNode = Node<StepNodeData, 'step'>;
export type NoteFlowNode = Node<NoteNodeData, 'note'>;
export type OtherFlowNode = Node<OtherNodeData, 'other'>;
export type BoardFlowNode = StepFlowNode | NoteFlowNode | OtherFlowNode;
export type BoardFlowEdge = Edge<{ kind: EdgeKind }>;

export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'offline' }
  /** Closed for good by the server (44xx): the y-websocket client does not retry. */
  | { kind: 'closed'; code: number; message: string };

export interface Toast {
  id: number;
  message: string;
}

export interface BoardState {
  nodes: BoardFlowNode[];
  edges: BoardFlowEdge[];
  title: string;
  /** True once the first sync with the server finished: before that the board is not known to be empty. */
  loaded: boolean;
  connection: ConnectionState;
  save: SaveState;
  /** The node whose label or text is being edited inline, if any. */
  editingId: string | null;
  toasts: Toast[];
  /** The right-hand panel: the analysis, or the inspector of the selected element. */
  panel: 'analysis' | 'inspector';
  /** Collapsed, the projected map can use the whole width. */
  panelOpen: boolean;
  /** "Show main path": the canvas highlights the main path's steps and edges. */
  showMainPath: boolean;
}

export type BoardStore = StoreApi<BoardState>;

export function createBoardStore(): BoardStore {
  return createStore<BoardState>()(() => ({
    nodes: [],
    edges: [],
    title: '',
    loaded: false,
    connection: { kind: 'connecting' },
    save: { kind: 'saved' },
    editingId: null,
    toasts: [],
    panel: 'analysis',
    panelOpen: true,
    showMainPath: false,
  }));
}

let toastSeq = 0;

/** Shows a short message in the corner of the board; it goes away by itself. */
export function showToast(store: BoardStore, message: string, ms = 5000): void {
  const toast = { id: ++toastSeq, message };
  store.setState((s) => ({ toasts: [...s.toasts.slice(-2), toast] }));
  setTimeout(() => store.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== toast.id) })), ms);
}
