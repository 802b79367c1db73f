/** A board that does not exist (or no longer does): never an empty board that looks real. */
import { CLOSE_BOARD_DELETED } from '../protocol';
import { Link } from '../ui/Link';

export function BoardNotFound({ code, message, title }: { code?: number; message: string; title?: string }) {
  const deleted = code === CLOSE_BOARD_DELETED;
  return (
    <main className="not-found" data-testid="board-not-found">
      <h1>{title ?? (deleted ? 'Board deleted' : 'Board not found')}</h1>
      <p>
        {deleted
          ? 'Someone deleted this board while you were on it.'
          : message === 'Board not found.'
            ? 'There is no board at this address. It may have been deleted, or the link may be mistyped.'
            : message}
      </p>
      <Link href="/" className="button primary" data-testid="back-to-list">
        ◂ Go to the board list
      </Link>
    </main>
  );
}
