/**
 * What a card shows of the room's activity without it being part of the card:
 * the dots of a vote (only this person's own while it is open — the server
 * sends no one else's — and everyone's after the reveal) and the count of its
 * open comment threads, which opens the thread.
 */
import { useMemo } from 'react';
import { openThreadCounts } from '../protocol';
import { useBoard, useBoardState } from '../collab/board-context';
import { CommentIcon } from '../ui/CommentIcon';

export function CardBadges({ id }: { id: string }) {
  const { store } = useBoard();
  const vote = useBoardState((s) => s.vote);
  const comments = useBoardState((s) => s.comments);
  const open = useMemo(() => openThreadCounts(comments).get(id) ?? 0, [comments, id]);
  const dots =
    vote === null
      ? 0
      : vote.status === 'revealed'
        ? (vote.results?.find((r) => r.cardId === id)?.dots ?? 0)
        : (vote.mine[id] ?? 0);
  if (dots === 0 && open === 0) return null;
  return (
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
  );
}
