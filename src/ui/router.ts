/**
 * Routing without a router library: a few screens, history.pushState, and a
 * hook that re-renders on navigation.
 *   /                                  the board list
 *   /b/<id>                            a board
 *   /b/<id>/v/<versionId>              a saved version of a board, read-only
 *   /compare?before=<ref>&after=<ref>  the before/after comparison (without both refs: the chooser)
 *   /join/<token>                      a share link: joins the board, then replaces itself with /b/<id>
 *   /collect/<token>                   a collect link's capture page (a /join/ link of a collector lands here;
 *                                      the address stays, so a phone reloads it offline)
 *   /b/<id>/collect                    the capture page of a board this browser already collects for
 *   /b/<id>/study                      the demand study's entries (facilitator, editors)
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { screen: 'list' }
  | { screen: 'board'; boardId: string }
  | { screen: 'version'; boardId: string; versionId: string }
  /** `choose`: show the chooser with these two preselected ("Change…" on the comparison). */
  | { screen: 'compare'; before: string | null; after: string | null; choose: boolean }
  | { screen: 'join'; token: string }
  /** The capture page: from a collect link's token, or for a board this browser already joined. */
  | { screen: 'collect'; token: string | null; boardId: string | null }
  | { screen: 'study'; boardId: string }
  | { screen: 'unknown'; path: string };

function decode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/** The screen for an address; `search` is the query string ("?before=…"), used by the comparison only. */
export function parseRoute(pathname: string, search = ''): Route {
  if (pathname === '/' || pathname === '') return { screen: 'list' };
  const board = /^\/b\/([^/]+)\/?$/.exec(pathname);
  if (board) {
    const boardId = decode(board[1]);
    return boardId === null ? { screen: 'unknown', path: pathname } : { screen: 'board', boardId };
  }
  const version = /^\/b\/([^/]+)\/v\/([^/]+)\/?$/.exec(pathname);
  if (version) {
    const boardId = decode(version[1]);
    const versionId = decode(version[2]);
    if (boardId === null || versionId === null) return { screen: 'unknown', path: pathname };
    return { screen: 'version', boardId, versionId };
  }
  const study = /^\/b\/([^/]+)\/study\/?$/.exec(pathname);
  if (study) {
    const boardId = decode(study[1]);
    return boardId === null ? { screen: 'unknown', path: pathname } : { screen: 'study', boardId };
  }
  const collect = /^\/collect\/([^/]+)\/?$/.exec(pathname);
  if (collect) {
    const token = decode(collect[1]);
    return token === null ? { screen: 'unknown', path: pathname } : { screen: 'collect', token, boardId: null };
  }
  const capture = /^\/b\/([^/]+)\/collect\/?$/.exec(pathname);
  if (capture) {
    const boardId = decode(capture[1]);
    return boardId === null ? { screen: 'unknown', path: pathname } : { screen: 'collect', token: null, boardId };
  }
  const join = /^\/join\/([^/]+)\/?$/.exec(pathname);
  if (join) {
    const token = decode(join[1]);
    return token === null ? { screen: 'unknown', path: pathname } : { screen: 'join', token };
  }
  if (/^\/compare\/?$/.test(pathname)) {
    const params = new URLSearchParams(search);
    const ref = (name: string) => {
      const value = params.get(name)?.trim();
      return value ? value : null;
    };
    return { screen: 'compare', before: ref('before'), after: ref('after'), choose: params.has('choose') };
  }
  return { screen: 'unknown', path: pathname };
}

export function boardPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}`;
}

/** Where a member with `role` opens the board: a collector gets the capture page, never the board. */
export function openPath(boardId: string, role: string): string {
  return role === 'collector' ? capturePath(boardId) : boardPath(boardId);
}

export function capturePath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}/collect`;
}

export function collectPath(token: string): string {
  return `/collect/${encodeURIComponent(token)}`;
}

export function studyPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}/study`;
}

export function versionPath(boardId: string, versionId: string): string {
  return `/b/${encodeURIComponent(boardId)}/v/${encodeURIComponent(versionId)}`;
}

/** The comparison of two refs ("<boardId>" or "<boardId>@<versionId>"); either may be left for the chooser. */
export function comparePath(before?: string | null, after?: string | null, choose = false): string {
  const params = new URLSearchParams();
  if (before) params.set('before', before);
  if (after) params.set('after', after);
  if (choose) params.set('choose', '1');
  const query = params.toString();
  return query ? `/compare?${query}` : '/compare';
}

const NAVIGATE_EVENT = 'purposeboard:navigate';

/** Goes to `path`; `replace` leaves no history entry for the current address (a used share link). */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The query string ("?before=…"), re-rendering when it changes without the path changing. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}
