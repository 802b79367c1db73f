/**
 * Which connection state holds, in words a workshop understands (issue 4):
 * "Live · N here", "Reconnecting…", "Offline — changes kept on this device".
 * Pure, so the rules are unit-tested without a socket or a browser.
 */
import type { ConnectionState } from './board-store';

/** A dropped connection says "Reconnecting…" this long before it says "Offline". */
export const OFFLINE_AFTER_MS = 8000;

export interface ConnectionFacts {
  /** The y-websocket provider's status. */
  socket: 'connected' | 'connecting' | 'disconnected';
  /** Synced with the server at least once (this visit). */
  everSynced: boolean;
  /** Something is on screen: synced, or loaded from the device copy. */
  loaded: boolean;
  /** navigator.onLine: false when the browser knows it has no network. */
  browserOnline: boolean;
  /** How long the connection has been down (0 while connected). */
  downForMs: number;
  /** The provider finished its sync with the server on the current connection. */
  synced: boolean;
}

/** The state to show; a permanent refusal ('closed') is set by the connection itself and never derived here. */
export function connectionStateOf(facts: ConnectionFacts): ConnectionState {
  if (facts.socket === 'connected' && facts.synced) return { kind: 'live' };
  if (!facts.loaded) return facts.browserOnline ? { kind: 'connecting' } : { kind: 'offline' };
  if (!facts.browserOnline || facts.downForMs >= OFFLINE_AFTER_MS) return { kind: 'offline' };
  // Loaded from the device copy but never reached the server this visit: still trying.
  return facts.everSynced ? { kind: 'reconnecting' } : { kind: 'connecting' };
}

export function describeConnection(connection: ConnectionState, deviceCopy: boolean): string {
  switch (connection.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'offline':
      return deviceCopy ? 'Offline — changes kept on this device' : 'Offline — keep this tab open to keep changes';
    case 'closed':
      return `Disconnected — ${connection.message}`;
  }
}
