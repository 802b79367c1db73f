/** The two screens, chosen by the address. */
import { BoardList } from '../panels/BoardList';
import { BoardScreen } from './BoardScreen';
import { ErrorBoundary } from './ErrorBoundary';
import { Link } from './Link';
import { parseRoute, usePathname } from './router';

export function App() {
  const route = parseRoute(usePathname());
  if (route.screen === 'board') return <BoardScreen boardId={route.boardId} />;
  if (route.screen === 'list') {
    return (
      <ErrorBoundary what="board list">
        <BoardList />
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
