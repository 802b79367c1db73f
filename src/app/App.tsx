/** The screens, chosen by the address. */
import { BoardList } from '../panels/BoardList';
import { CompareScreen } from '../compare/CompareScreen';
import { VersionScreen } from '../compare/VersionScreen';
import { BoardScreen } from './BoardScreen';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Link } from '../ui/Link';
import { parseRoute, usePathname, useSearch } from '../ui/router';

export function App() {
  const route = parseRoute(usePathname(), useSearch());
  if (route.screen === 'board') return <BoardScreen boardId={route.boardId} />;
  if (route.screen === 'list') {
    return (
      <ErrorBoundary what="board list">
        <BoardList />
      </ErrorBoundary>
    );
  }
  if (route.screen === 'version') {
    return (
      <ErrorBoundary what="version view">
        <VersionScreen
          key={`${route.boardId} ${route.versionId}`}
          boardId={route.boardId}
          versionId={route.versionId}
        />
      </ErrorBoundary>
    );
  }
  if (route.screen === 'compare') {
    return (
      <ErrorBoundary what="comparison">
        <CompareScreen before={route.before} after={route.after} choose={route.choose} />
      </ErrorBoundary>
    );
  }
  return (
    <main className="not-found" data-testid="page-not-found">
      <h1>Page not found</h1>
      <p>There is nothing at {route.path}.</p>
      <Link href="/" className="button primary">
        ◂ Go to the board list
      </Link>
    </main>
  );
}
