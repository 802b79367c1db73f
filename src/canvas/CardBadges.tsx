/**
 * What a card shows of the room's activity without it being part of the card:
 * the dots of a vote (only this person's own while it is open — the server
 * sends no one else's — and everyone's after the reveal) and the count of its
 * open comment threads, which opens the thread; and a padlock on a card a
 * facilitator locked.
 */
import { useMemo } from 'react';
import { openThreadCounts } from '../protocol';
import { useBoard, useBoardState } from '../collab/board-context';
import { CommentIcon } from '../ui/CommentIcon';
import { LockIcon } from '../ui/LockIcon';

export function CardBadges({ id }: { id: string }) {
  const { store } = useBoard();
  const vote = useBoardState((s) => s.vote);
  const comments = useBoardState((s) => s.comments);
  const open = useMemo(() => openThreadCounts(comments).get(id) ?? 0, [comments, id]);
  const lockedBy = useBoardState((s) => s.lockedCards.get(id) ?? null);
  const dots =
    vote === null
      ? 0
      : vote.status === 'revealed'
        ? (vote.results?.find((r) => r.cardId === id)?.dots ?? 0)
        : (vote.mine[id] ?? 0);
  // The padlock sits above the card's top-left corner, so it covers none of the card's words at any zoom.
  const padlock = lockedBy !== null && (
    <span
      className="card-lock"
      data-testid="card-lock"
      role="img"
      aria-label={`Locked by ${lockedBy}`}
      title={`Locked by ${lockedBy}: only a facilitator can change it`}
    >
      <LockIcon />
    </span>
  );
  if (dots === 0 && open === 0) return padlock || null;
  return (
    <>
      {padlock}
      <div className="card-badges">
        {dots > 0 && (
          <span
            className={`vote-dots${vote?.status === 'revealed' ? ' is-revealed' : ''}`}
            data-testid="vote-dots"
            aria-label={vote?.status === 'revealed' ? `${dots} dots in the vote` : `Your dots here: ${dots}`}
            title={vote?.status === 'revealed' ? `${dots} dots` : `Your dots: ${dots}`}
          >
            {dots <= 5 ? '●'.repeat(dots) : `● ${dots}`}
          </span>
        )}
        {open > 0 && (
          <button
            type="button"
            className="comment-count nodrag"
            data-testid="comment-count"
            aria-label={`${open} open comment ${open === 1 ? 'thread' : 'threads'}: show`}
            onClick={(event) => {
              event.stopPropagation();
              store.setState({ commentsCardId: id });
            }}
          >
            <CommentIcon /> {open}
          </button>
        )}
      </div>
    </>
  );
}
