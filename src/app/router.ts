/**
 * Routing without a router library: two screens, history.pushState, and a
 * hook that re-renders on navigation.
 *   /          the board list
 *   /b/<id>    a board
 */
import { useSyncExternalStore } from 'react';

export type Route = { screen: 'list' } | { screen: 'board'; boardId: string } | { screen: 'unknown'; path: string };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { screen: 'list' };
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname);
  if (match) {
    try {
      return { screen: 'board', boardId: decodeURIComponent(match[1]) };
    } catch {
      return { screen: 'unknown', path: pathname };
    }
  }
  return { screen: 'unknown', path: pathname };
}

export function boardPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}`;
}

const NAVIGATE_EVENT = 'purposeboard:navigate';

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
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
