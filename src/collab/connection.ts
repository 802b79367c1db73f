/**
 * One open board: the Y.Doc, its y-websocket provider, the Yjs → store
 * binding, and the connection and save state in words.
 *
 * Save state uses Purposeboard's "saved" message (protocol.ts): after local
 * changes (and after a reconnect while changes are pending) we ask the server
 * to confirm that everything sent so far is stored.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { MESSAGE_SAVED, describeCloseCode, encodeSaveRequest, readSaveAnswer } from './protocol';
import { bindBoard } from './binding';
import { createBoardStore, type BoardStore } from './board-store';
import { SaveTracker } from './save-tracker';
import { createBoardUndo, type BoardUndo } from './undo';
import { bindMeasures } from './use-measures';
import { Presence } from './presence';

/** Save requests are sent at most this often while changes stream in (a drag). */
const SAVE_REQUEST_INTERVAL_MS = 100;

export interface BoardConnection {
  boardId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  store: BoardStore;
  /** Undo and redo of this person's own changes. */
  undo: BoardUndo;
  /** This person's presence (awareness): name, colour, cursor, selection, view. */
  presence: Presence;
  destroy(): void;
}

export function boardSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** localStorage, or null where the browser refuses it (storage disabled). */
function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function connectBoard(boardId: string): BoardConnection {
  const doc = new Y.Doc();
  const store = createBoardStore();
  const unbind = bindBoard(doc, store);
  const unbindMeasures = bindMeasures(doc, store);
  const undo = createBoardUndo(doc, ({ canUndo, canRedo }) => store.setState({ canUndo, canRedo }));
  const provider = new WebsocketProvider(boardSocketUrl(window.location), boardId, doc);
  const presence = new Presence(provider.awareness, store, safeLocalStorage());
  const tracker = new SaveTracker();
  let everSynced = false;

  const publishSave = () => store.setState({ save: tracker.state(provider.wsconnected) });

  // Answers to our save requests. Nothing is written to `encoder`, so nothing is sent back.
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const { seq, ok } = readSaveAnswer(decoder);
    tracker.answer(seq, ok);
    publishSave();
  };

  let timer: ReturnType<typeof setTimeout> | null = null;
  const requestSave = () => {
    timer = null;
    if (!tracker.pending || !provider.wsconnected || !provider.ws) return;
    provider.ws.send(encodeSaveRequest(tracker.nextRequest()));
  };
  const scheduleSave = () => {
    if (timer === null) timer = setTimeout(requestSave, SAVE_REQUEST_INTERVAL_MS);
  };

  // Registered after the provider's own update handler, so the update is on the wire before we ask.
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    // Undo and redo are this person's changes too, and need saving like any other.
    if (!undo.isLocalOrigin(origin)) return;
    tracker.localChange();
    publishSave();
    scheduleSave();
  };
  doc.on('update', onUpdate);

  provider.on('status', ({ status }) => {
    if (status === 'disconnected') tracker.connectionLost();
    const connection = store.getState().connection;
    if (connection.kind === 'closed') return;
    if (status === 'connecting' || status === 'disconnected') {
      store.setState({ connection: everSynced ? { kind: 'offline' } : { kind: 'connecting' } });
    }
    publishSave();
  });
  provider.on('sync', (synced: boolean) => {
    if (!synced) return;
    everSynced = true;
    store.setState({ connection: { kind: 'live' }, loaded: true });
    // Changes made offline went to the server with the sync; ask for them to be confirmed.
    if (tracker.pending) scheduleSave();
    publishSave();
  });
  provider.on('closed', ({ code }) => {
    const message = describeCloseCode(code) ?? `The server closed the connection (code ${code}).`;
    store.setState({ connection: { kind: 'closed', code, message } });
    publishSave();
  });

  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!tracker.pending) return;
    event.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', onBeforeUnload);

  return {
    boardId,
    doc,
    provider,
    store,
    undo,
    presence,
    destroy() {
      if (timer !== null) clearTimeout(timer);
      window.removeEventListener('beforeunload', onBeforeUnload);
      doc.off('update', onUpdate);
      undo.destroy();
      presence.destroy();
      unbind();
      unbindMeasures();
      provider.destroy();
      doc.destroy();
    },
  };
}
