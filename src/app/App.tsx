/**
 * The screens, chosen by the address. The board list comes with the app;
 * each other screen is a chunk of its own, fetched when it is first opened
 * (the service worker keeps every chunk for offline use): the board (React
 * Flow, Yjs and the sync client), the version view, the comparison, and the
 * demand study's capture page and study screen.
 */
import { Suspense } from 'react';
import { BoardList } from '../panels/BoardList';
import { JoinScreen } from '../panels/JoinScreen';
import { Loading, lazyComponent } from '../ui/Loading';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Link } from '../ui/Link';
import { parseRoute, usePathname, useSearch } from '../ui/router';
import { onNewParticipantKey, sendDisplayName } from '../api/http';
import { loadName } from '../collab/presence';

const BoardScreen = lazyComponent(() => import('./BoardScreen').then((m) => m.BoardScreen));
const VersionScreen = lazyComponent(() => import('../compare/VersionScreen').then((m) => m.VersionScreen));
const CompareScreen = lazyComponent(() => import('../compare/CompareScreen').then((m) => m.CompareScreen));
// A collector's phone opens only this page (issue 14): the board's code is never fetched there.
const CapturePage = lazyComponent(() => import('../panels/study/CapturePage').then((m) => m.CapturePage));
const StudyScreen = lazyComponent(() => import('../panels/study/StudyScreen').then((m) => m.StudyScreen));

/** The display name this person already chose (null before the first-visit dialog). */
function rememberedName(): string | null {
  try {
    return loadName(window.localStorage);
  } catch {
    return null;
  }
}

// The server learns the name once per page load (a key made before names were sent
// has none), and again for every new key, so the facilitator sees who joined.
const name = rememberedName();
if (name) void sendDisplayName(name).catch(() => {});
onNewParticipantKey(() => {
  const current = rememberedName();
  if (current) void sendDisplayName(current).catch(() => {});
});

export function App() {
  const route = parseRoute(usePathname(), useSearch());
  if (route.screen === 'board') {
    return (
      <Suspense fallback={<Loading what="the board" className="screen-loading" />}>
        <BoardScreen boardId={route.boardId} />
      </Suspense>
    );
  }
  if (route.screen === 'list') {
    return (
      <ErrorBoundary what="board list">
        <BoardList />
      </ErrorBoundary>
    );
  }
  if (route.screen === 'join') {
    return (
      <ErrorBoundary what="share link">
        <JoinScreen key={route.token} token={route.token} />
      </ErrorBoundary>
    );
  }
  if (route.screen === 'collect') {
    return (
      <ErrorBoundary what="capture page">
        <Suspense fallback={<Loading what="the capture page" />}>
          <CapturePage key={route.token ?? route.boardId} token={route.token} boardId={route.boardId} />
        </Suspense>
      </ErrorBoundary>
    );
  }
  if (route.screen === 'study') {
    return (
      <ErrorBoundary what="demand study">
        <Suspense fallback={<Loading what="the demand study" />}>
          <StudyScreen key={route.boardId} boardId={route.boardId} />
        </Suspense>
      </ErrorBoundary>
    );
  }
  if (route.screen === 'version') {
    return (
      <ErrorBoundary what="version view">
        <Suspense fallback={<Loading what="the version" />}>
          <VersionScreen
            key={`${route.boardId} ${route.versionId}`}
            boardId={route.boardId}
            versionId={route.versionId}
          />
        </Suspense>
      </ErrorBoundary>
    );
  }
  if (route.screen === 'compare') {
    return (
      <ErrorBoundary what="comparison">
        <Suspense fallback={<Loading what="the comparison" />}>
          <CompareScreen before={route.before} after={route.after} choose={route.choose} />
        </Suspense>
      </ErrorBoundary>
    );
  }
  const path = route.screen === 'unknown' ? route.path : window.location.pathname;
  return (
    <main className="not-found" data-testid="page-not-found">
      <h1>Page not found</h1>
      <p>There is nothing at {path}.</p>
      <Link href="/" className="button primary">
        ◂ Go to the board list
      </Link>
    </main>
  );
}
