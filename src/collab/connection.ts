/**
 * One open board: the Y.Doc, its y-websocket provider, the Yjs → store
 * binding, and the connection and save state in words.
 *
 * Save state uses Purposeboard's "saved" message (protocol.ts): after local
 * changes (and after a reconnect while changes are pending) we ask the server
 * to confirm that everything sent so far is stored.
 *
 * The board is also kept on the device (device-copy.ts): it is merged before
 * the first connection, edits go on while the connection is down, and a
 * reload while offline shows them. y-websocket reconnects with back-off by
 * itself and stops on a 44xx refusal; the browser's offline/online events
 * cut the wait short both ways.
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { removeAwarenessStates } from 'y-protocols/awareness';
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { guardLockedElements, lockedMessage, nodesMap } from '../model';
import {
  CLOSE_BOARD_DELETED,
  CLOSE_LOCKED_ELEMENT,
  readLockRefusal,
  CLOSE_BOARD_NOT_FOUND,
  CLOSE_FORBIDDEN,
  CLOSE_UNAUTHORIZED,
  MESSAGE_ACCESS,
  MESSAGE_SAVED,
  MESSAGE_TIMER,
  describeCloseCode,
  describeRetryCode,
  encodeAccessRequest,
  encodeTimerCommand,
  encodeTimerRequest,
  MESSAGE_VOTE,
  MESSAGE_COMMENTS,
  encodeVoteCommand,
  encodeVoteRequest,
  readVoteMessage,
  encodeCommentCommand,
  encodeCommentsRequest,
  readCommentsMessage,
  type VoteCommand,
  type CommentCommand,
  readTimerMessage,
  type TimerCommand,
  MESSAGE_PRESENTER,
  encodePresenterCommand,
  encodePresenterRequest,
  readPresenterMessage,
  type PresenterCommand,
  encodeSaveRequest,
  readAccessState,
  readSaveAnswer,
  type AccessState,
} from '../protocol';
import { guardLocalEdits, loadKnownAccess, rememberAccess, viewOnlyReason } from './access';
import { bindBoard } from './binding';
import { createBoardStore, locksStopMe, showToast, type BoardStore } from './board-store';
import { SaveTracker } from './save-tracker';
import { createBoardUndo, keepEdgesWhole, type BoardUndo } from './undo';
import { dropDeviceCopy, openDeviceCopy, unconfirmedKey } from './device-copy';
import { OFFLINE_AFTER_MS, connectionStateOf } from './status';
import { watchRemoteDeletions } from './remote-deletions';
import { watchRemoteChanges } from './announcements';
import { registerOfflineShell } from './offline-shell';
import { bindMeasures } from './use-measures';
import { studyCountsIn } from './study';
import { MESSAGE_STUDY, encodeStudyRequest, readStudyCounts } from '../protocol/study';
import { Presence } from './presence';
import { toLocalTimer } from './timer';
import { onPresenterMessage, type PresenterControls } from './presenter';

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
  /** The access an HTTP answer gave: taken only until the socket's own access message arrives. */
  accessFromServer(access: AccessState): void;
  /** This connection's presence id (the awareness client id). */
  presenceId: number;
  /** Sends a facilitator's timer change; the server answers everyone, or this person with why not. */
  sendTimer: (command: TimerCommand) => void;
  /** Presenter mode: the facilitator's commands, and this screen's presenter view (collab/presenter.ts). */
  presenter: PresenterControls;
  /** Sends a vote command (a dot, or the facilitator's start / reveal / end); the server answers. */
  sendVote: (command: VoteCommand) => void;
  /** Sends a comment command; the server answers everyone, or this person with why not. */
  sendComment: (command: CommentCommand) => void;
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

export interface ConnectOptions {
  /** This browser's participant key (src/api/http.ts): the server's answer to who this is. */
  key: string;
  /**
   * The presence (awareness client id) of this page's previous connection to
   * the board, opened afresh after a refused change: the others' copies of it
   * are taken down, so the person is not shown twice.
   */
  forgetPresence?: number;
}

export function connectBoard(boardId: string, { key, forgetPresence }: ConnectOptions): BoardConnection {
  const doc = new Y.Doc();
  const store = createBoardStore();
  const storage = safeLocalStorage();
  // On a phone (someone who joined from the QR code) the map gets the screen; the panel opens with its button.
  store.setState({ access: loadKnownAccess(storage, boardId), panelOpen: window.innerWidth > 720 });
  const unbind = bindBoard(doc, store);
  const unbindMeasures = bindMeasures(doc, store);
  const managed = createBoardUndo(doc, ({ canUndo, canRedo }) => store.setState({ canUndo, canRedo }));
  // View only: undo and redo would change the board too (the UndoManager does not go through doc.transact).
  const editable = () => store.getState().access?.canEdit ?? true;
  const undo: BoardUndo = {
    ...managed,
    undo: () => editable() && managed.undo(),
    redo: () => editable() && managed.redo(),
    canUndo: () => editable() && managed.canUndo(),
    canRedo: () => editable() && managed.canRedo(),
  };
  const unguard = guardLocalEdits(doc, undo.isLocalOrigin, () => {
    const access = store.getState().access;
    return access && !access.canEdit ? viewOnlyReason(access) : null;
  });
  // A card a facilitator locked: the model's operations refuse this person's changes to it, with its words.
  guardLockedElements(doc, () => locksStopMe(store.getState()));
  // No inline editor stays open while this person may not edit (a lock arriving mid-rename closes it),
  // nor on a card locked for them.
  const unwatchEditing = store.subscribe((state) => {
    const lockedCard = state.editingId !== null && state.lockedCards.has(state.editingId) && locksStopMe(state);
    if (lockedCard) {
      const node = nodesMap(doc).get(state.editingId!);
      store.setState({ editingId: null });
      if (node) showToast(store, lockedMessage(node));
      return;
    }
    if (editable() || (state.editingId === null && state.editingLaneId === null)) return;
    store.setState({ editingId: null, editingLaneId: null });
  });
  const unkeepEdgesWhole = keepEdgesWhole(doc, undo.isLocalOrigin);
  // Connects once the device copy is merged, so the first sync sends the server only what it lacks.
  const provider = new WebsocketProvider(boardSocketUrl(window.location), boardId, doc, {
    connect: false,
    params: { key },
  });
  const presence = new Presence(provider.awareness, store, storage);
  if (forgetPresence !== undefined) {
    // y-websocket relays every awareness change it sees, so removing the old state here removes it everywhere.
    const forget = () => {
      if (!provider.awareness.getStates().has(forgetPresence)) return;
      provider.awareness.off('change', forget);
      removeAwarenessStates(provider.awareness, [forgetPresence], 'forget');
    };
    provider.awareness.on('change', forget);
  }
  let liveAccess = false;
  const setAccess = (access: AccessState) => {
    store.setState({ access });
    rememberAccess(storage, boardId, access);
  };
  const unwatchDeletions = watchRemoteDeletions(doc, store, presence);
  const unwatchChanges = watchRemoteChanges(doc, store, presence);
  const tracker = new SaveTracker();
  let destroyed = false;
  let everSynced = false;
  let downSince: number | null = Date.now();
  let offlineTimer: ReturnType<typeof setTimeout> | null = null;
  let persistence: IndexeddbPersistence | null = null;
  /** Until the device copy is open, the "unconfirmed" mark of an earlier visit must not be cleared. */
  let deviceCopyDecided = false;
  registerOfflineShell();

  const rememberUnconfirmed = () => {
    if (!deviceCopyDecided || !storage) return;
    try {
      if (tracker.pending) storage.setItem(unconfirmedKey(boardId), '1');
      else storage.removeItem(unconfirmedKey(boardId));
    } catch {
      // Storage refused: the warning on leaving still guards the changes of this visit.
    }
  };
  const publishSave = () => {
    store.setState({ save: tracker.state(provider.wsconnected) });
    rememberUnconfirmed();
  };

  /** Works out which state holds now; a permanent refusal ('closed') stays. */
  const publishConnection = () => {
    if (destroyed || store.getState().connection.kind === 'closed') return;
    const socket = provider.wsconnected ? 'connected' : provider.wsconnecting ? 'connecting' : 'disconnected';
    const downForMs = downSince === null ? 0 : Date.now() - downSince;
    const next = connectionStateOf({
      socket,
      synced: provider.synced,
      everSynced,
      loaded: store.getState().loaded,
      browserOnline: navigator.onLine !== false,
      downForMs,
    });
    if (next.kind !== store.getState().connection.kind) store.setState({ connection: next });
    // "Reconnecting…" turns into "Offline" by itself if the connection stays down.
    if (offlineTimer !== null) clearTimeout(offlineTimer);
    offlineTimer = null;
    if (downSince !== null && downForMs < OFFLINE_AFTER_MS) {
      offlineTimer = setTimeout(publishConnection, OFFLINE_AFTER_MS - downForMs + 50);
    }
  };

  // Answers to our save requests. Nothing is written to `encoder`, so nothing is sent back.
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const { seq, ok } = readSaveAnswer(decoder);
    tracker.answer(seq, ok);
    publishSave();
  };

  // This person's access, now and whenever it changes (a lock, a new role).
  provider.messageHandlers[MESSAGE_ACCESS] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const access = readAccessState(decoder);
    if (!access) return;
    liveAccess = true;
    setAccess(access);
  };

  // The workshop timer, now and whenever the facilitator changes it; a refusal is for this person only.
  provider.messageHandlers[MESSAGE_TIMER] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const message = readTimerMessage(decoder);
    if (!message) return;
    store.setState({ timer: toLocalTimer(message, Date.now()) });
    if (message.error) showToast(store, message.error);
  };

  // Presenter mode: the room's section now and on every change; this screen's presenter view follows it.
  let presenterFirst = true;
  /** A stop pressed while offline: sent once connected, unless someone presents here again meanwhile. */
  let stopUnsent = false;
  const sendPresenterCommand = (command: PresenterCommand) => {
    const by = store.getState().self.name;
    const withName = command.action === 'start' && by ? { ...command, by } : command;
    provider.ws?.send(encodePresenterCommand(withName));
  };
  provider.messageHandlers[MESSAGE_PRESENTER] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const message = readPresenterMessage(decoder);
    if (!message) return;
    const first = presenterFirst;
    presenterFirst = false;
    const state = store.getState();
    const next = onPresenterMessage(
      { ...state, isFacilitator: state.access?.role === 'facilitator' },
      message.presenter,
      first,
    );
    store.setState({
      presenter: message.presenter,
      presentingHere: next.presentingHere,
      presenterAway: next.presenterAway,
    });
    if (next.send) sendPresenterCommand(next.send);
    else if (first && stopUnsent && message.presenter?.active && next.presentingHere === null)
      sendPresenterCommand({ action: 'stop' });
    if (first) stopUnsent = false;
    if (message.error) showToast(store, message.error);
  };

  // The vote as this person may see it: their own dots until the reveal, the ranked result after.
  provider.messageHandlers[MESSAGE_VOTE] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const message = readVoteMessage(decoder);
    if (!message) return;
    store.setState({ vote: message.vote, voteRecords: message.records });
    if (message.error) showToast(store, message.error);
  };
  // The demand study's counts (issue 14), now and after every change of its entries or settings.
  provider.messageHandlers[MESSAGE_STUDY] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const message = readStudyCounts(decoder);
    if (!message) return;
    const { studyWindow } = store.getState();
    store.setState({ study: message.study, studyCounts: studyCountsIn(message.study, studyWindow) });
  };
  provider.messageHandlers[MESSAGE_COMMENTS] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const message = readCommentsMessage(decoder);
    if (!message) return;
    store.setState({ comments: message.comments, viewersMayComment: message.viewersMayComment });
    if (message.error) showToast(store, message.error);
    if (message.notice) showToast(store, message.notice);
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
    // Each connection subscribes anew: the server then says the access now, and each change.
    if (status === 'connected') provider.ws?.send(encodeAccessRequest());
    if (status === 'connected') provider.ws?.send(encodeTimerRequest());
    if (status === 'connected') {
      presenterFirst = true;
      provider.ws?.send(encodePresenterRequest());
    }
    if (status === 'connected') provider.ws?.send(encodeVoteRequest());
    if (status === 'connected') provider.ws?.send(encodeCommentsRequest());
    if (status === 'connected') provider.ws?.send(encodeStudyRequest());
    if (status === 'connected') downSince = null;
    else downSince ??= Date.now();
    if (status === 'disconnected') tracker.connectionLost();
    publishConnection();
    publishSave();
  });
  provider.on('sync', (synced: boolean) => {
    if (!synced) return;
    everSynced = true;
    store.setState({ loaded: true });
    publishConnection();
    // Changes made offline went to the server with the sync; ask for them to be confirmed.
    if (tracker.pending) scheduleSave();
    publishSave();
  });
  // A close the provider retries by itself (45xx): say why beside "Reconnecting…", once while it lasts.
  provider.on('connection-close', (event) => {
    const words = event ? describeRetryCode(event.code) : null;
    if (destroyed || !words || store.getState().toasts.some((toast) => toast.message === words)) return;
    showToast(store, words, 8000);
  });
  provider.on('closed', ({ code, reason }) => {
    const message = describeCloseCode(code, reason) ?? `The server closed the connection (code ${code}).`;
    if (offlineTimer !== null) clearTimeout(offlineTimer);
    if (code === CLOSE_LOCKED_ELEMENT) {
      // This document holds a change the server will never take (a lock arrived mid-drag, an edit made
      // offline): the board is opened afresh from the server, without the device copy that holds it too.
      const refusal = readLockRefusal(reason);
      const node = refusal?.kind === 'locked' ? nodesMap(doc).get(refusal.nodeId) : undefined;
      const notice = node ? `${lockedMessage(node)} Your change was undone.` : message;
      tracker.discard();
      const copy = persistence;
      persistence = null;
      deviceCopyDecided = false;
      void dropDeviceCopy(boardId, copy).then(() => {
        try {
          storage?.removeItem(unconfirmedKey(boardId));
        } catch {
          // nothing to forget
        }
        if (!destroyed) store.setState({ restart: notice });
      });
      return;
    }
    const accessEnded = code === CLOSE_FORBIDDEN || code === CLOSE_UNAUTHORIZED;
    if (accessEnded && tracker.pending) {
      // The server will never take these changes: they leave the device as a board file instead.
      // The board-file writer and its validation library load only now (issue 18: they were a
      // good part of the board screen's download); the service worker keeps the chunk offline.
      import('../model/board-file')
        .then(({ exportBoardFile, serialiseBoardFile }) =>
          store.setState({ unsentBoardFile: serialiseBoardFile(exportBoardFile(doc)) }),
        )
        .catch((error: unknown) => console.error(error));
    }
    store.setState({ connection: { kind: 'closed', code, message, reason } });
    if (accessEnded) {
      tracker.discard();
      rememberAccess(storage, boardId, null);
    }
    if (code === CLOSE_BOARD_DELETED || code === CLOSE_BOARD_NOT_FOUND || accessEnded) {
      // The board is gone: its device copy must not bring it back (or linger on this device).
      const copy = persistence;
      persistence = null;
      store.setState({ deviceCopy: false });
      void dropDeviceCopy(boardId, copy);
      try {
        storage?.removeItem(unconfirmedKey(boardId));
      } catch {
        // nothing to forget
      }
      deviceCopyDecided = false;
    }
    publishSave();
  });

  // The browser knows before the socket does: stop waiting on a dead socket, and retry at once when back.
  const onOffline = () => {
    provider.disconnect();
    downSince ??= Date.now();
    publishConnection();
  };
  const onOnline = () => {
    if (store.getState().connection.kind !== 'closed') provider.connect();
    publishConnection();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  void openDeviceCopy(boardId, doc).then((result) => {
    if (destroyed) {
      if (result.kind === 'open') void result.persistence.destroy();
      return;
    }
    if (result.kind === 'open') {
      persistence = result.persistence;
      store.setState({ deviceCopy: true });
      if (result.dropped) {
        showToast(
          store,
          'The copy of this board kept on this device was damaged and has been discarded; the board is loaded from the server.',
          10_000,
        );
      }
      if (result.hadContent) {
        store.setState({ loaded: true });
        // Changes an earlier visit made but the server never confirmed: they are in the copy just merged.
        let unconfirmed = false;
        try {
          unconfirmed = storage?.getItem(unconfirmedKey(boardId)) === '1';
        } catch {
          unconfirmed = false;
        }
        if (unconfirmed) tracker.localChange();
      }
    }
    deviceCopyDecided = true;
    publishSave();
    if (store.getState().connection.kind !== 'closed') provider.connect();
    publishConnection();
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
    presenceId: provider.awareness.clientID,
    accessFromServer(access) {
      if (destroyed || liveAccess) return;
      const { role, locked, lockedBy, canEdit } = access;
      setAccess({ role, locked, lockedBy, canEdit });
    },
    sendTimer(command) {
      if (!provider.wsconnected || !provider.ws) {
        showToast(store, 'Not connected to the server: the timer was not changed. Try again once connected.');
        return;
      }
      provider.ws.send(encodeTimerCommand(command));
    },
    presenter: {
      start(section) {
        stopUnsent = false;
        const connected = provider.wsconnected && provider.ws !== null;
        store.setState({ presentingHere: { section: section ?? null, unsent: !connected } });
        if (connected) sendPresenterCommand({ action: 'start', ...(section ? { section } : {}) });
      },
      go(section) {
        const here = store.getState().presentingHere;
        if (provider.wsconnected && provider.ws && !here?.unsent) sendPresenterCommand({ action: 'go', section });
        // Offline the view moves on by itself; the room hears of it on reconnecting.
        else if (here) store.setState({ presentingHere: { section, unsent: true } });
      },
      arrange(order, hidden) {
        if (!provider.wsconnected || !provider.ws) {
          showToast(store, 'Not connected to the server: the sections were not changed. Try again once connected.');
          return;
        }
        sendPresenterCommand({ action: 'arrange', order, hidden });
      },
      stop() {
        const connected = provider.wsconnected && provider.ws !== null;
        store.setState({ presentingHere: null });
        if (connected) sendPresenterCommand({ action: 'stop' });
        else stopUnsent = true;
      },
    },
    sendVote(command) {
      if (!provider.wsconnected || !provider.ws) {
        showToast(store, 'Not connected to the server: the vote was not changed. Try again once connected.');
        return;
      }
      provider.ws.send(encodeVoteCommand(command));
    },
    sendComment(command) {
      if (!provider.wsconnected || !provider.ws) {
        showToast(store, 'Not connected to the server: the comment was not sent. Try again once connected.');
        return;
      }
      provider.ws.send(encodeCommentCommand(command));
    },
    destroy() {
      destroyed = true;
      if (timer !== null) clearTimeout(timer);
      if (offlineTimer !== null) clearTimeout(offlineTimer);
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      doc.off('update', onUpdate);
      unwatchDeletions();
      unwatchChanges();
      unkeepEdgesWhole();
      unguard();
      guardLockedElements(doc, null);
      unwatchEditing();
      undo.destroy();
      presence.destroy();
      unbind();
      unbindMeasures();
      provider.destroy();
      void persistence?.destroy();
      doc.destroy();
    },
  };
}
