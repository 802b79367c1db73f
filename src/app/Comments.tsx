/**
 * Comments on cards (issue 15): the thread of one card (author and time,
 * replies, resolve and reopen) and the list of the board's open threads,
 * with the ones whose card was deleted kept under their own heading. The
 * comments are the server's stored rows (collab/connection.ts); the card
 * itself never changes.
 */
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { COMMENT_MAX_CHARS, mayComment, threadsOf, type CardComment, type CommentThread } from '../protocol';
import { useBoard, useBoardState } from '../collab/board-context';
import { menuStyle, useDismiss } from '../ui/menus';
import { CommentIcon } from '../ui/CommentIcon';
import { usePresent } from './present';
import './room.css';

function when(at: number): string {
  return new Date(at).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function CommentLine({ comment }: { comment: CardComment }) {
  return (
    <li className="comment" data-testid="comment">
      <div className="comment-meta">
        <strong>{comment.author}</strong> ·{' '}
        <time dateTime={new Date(comment.createdAt).toISOString()}>{when(comment.createdAt)}</time>
      </div>
      <p className="comment-text">{comment.text}</p>
    </li>
  );
}

function Compose({ onSend, label, testId }: { onSend: (text: string) => void; label: string; testId: string }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (trimmed === '') return setProblem('Write something first: an empty comment is not saved.');
    if (trimmed.length > COMMENT_MAX_CHARS)
      return setProblem(`A comment is at most ${COMMENT_MAX_CHARS} characters; this one has ${trimmed.length}.`);
    onSend(trimmed);
    setText('');
    setProblem(null);
  };
  return (
    <form className="comment-form" onSubmit={submit} noValidate>
      <label className="visually-hidden" htmlFor={testId}>
        {label}
      </label>
      <textarea
        id={testId}
        data-testid={testId}
        value={text}
        rows={2}
        placeholder={label}
        onChange={(event) => setText(event.target.value)}
      />
      {problem && (
        <p className="timer-problem" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="button primary" data-testid={`${testId}-send`}>
        {label.startsWith('Reply') ? 'Reply' : 'Comment'}
      </button>
    </form>
  );
}

function Thread({ thread, canWrite }: { thread: CommentThread; canWrite: boolean }) {
  const { sendComment } = useBoard();
  const resolved = thread.first.resolvedAt !== null;
  return (
    <div className={`comment-thread${resolved ? ' is-resolved' : ''}`} data-testid="comment-thread">
      <ul>
        <CommentLine comment={thread.first} />
        {thread.replies.map((reply) => (
          <CommentLine key={reply.id} comment={reply} />
        ))}
      </ul>
      {resolved && (
        <p className="comment-resolved" data-testid="comment-resolved">
          Resolved by {thread.first.resolvedBy} · {when(thread.first.resolvedAt ?? 0)}
        </p>
      )}
      {canWrite && sendComment && !resolved && (
        <Compose
          label="Reply…"
          testId="comment-reply"
          onSend={(text) =>
            sendComment({ action: 'add', cardId: thread.first.cardId, text, threadId: thread.first.id })
          }
        />
      )}
      {canWrite && sendComment && (
        <button
          type="button"
          className="button subtle"
          data-testid={resolved ? 'comment-reopen' : 'comment-resolve'}
          onClick={() => sendComment({ action: resolved ? 'reopen' : 'resolve', threadId: thread.first.id })}
        >
          {resolved ? 'Reopen' : 'Resolve'}
        </button>
      )}
    </div>
  );
}

/** The open card's threads, in a dialog beside the board. */
export function CommentsDialog() {
  const { store, sendComment } = useBoard();
  const cardId = useBoardState((s) => s.commentsCardId);
  const comments = useBoardState((s) => s.comments);
  const role = useBoardState((s) => s.access?.role ?? null);
  const viewersMayComment = useBoardState((s) => s.viewersMayComment);
  const card = useBoardState((s) => s.nodes.find((n) => n.id === s.commentsCardId) ?? null);
  const threads = useMemo(() => threadsOf(comments).filter((t) => t.first.cardId === cardId), [comments, cardId]);
  const dialog = useRef<HTMLDivElement>(null);
  useDismiss(cardId !== null, () => store.setState({ commentsCardId: null }), dialog);
  if (cardId === null) return null;
  const canWrite = mayComment(role ?? 'editor', viewersMayComment);
  const data = card?.data as { label?: string; text?: string; words?: string; statement?: string } | undefined;
  const name = data?.label ?? data?.text ?? data?.words ?? data?.statement ?? 'A deleted card';
  return (
    <div
      className="comments-dialog"
      role="dialog"
      aria-label="Comments on this card"
      data-testid="comments-dialog"
      ref={dialog}
    >
      <div className="comments-dialog-head">
        <h2>Comments: {name || 'this card'}</h2>
        <button
          type="button"
          className="button subtle"
          aria-label="Close the comments"
          onClick={() => store.setState({ commentsCardId: null })}
        >
          ✕
        </button>
      </div>
      {!card && <p className="comment-orphan-note">This card has been deleted; its comments are kept.</p>}
      {threads.length === 0 && <p>No comments on this card yet.</p>}
      {threads.map((thread) => (
        <Thread key={thread.first.id} thread={thread} canWrite={canWrite} />
      ))}
      {canWrite && sendComment ? (
        <Compose
          label="Write a comment…"
          testId="comment-new"
          onSend={(text) => sendComment({ action: 'add', cardId, text })}
        />
      ) : (
        <p>The facilitator has not allowed viewers to comment on this board.</p>
      )}
    </div>
  );
}

/**
 * The room's one header button (a speech bubble and the open count, narrow so
 * the title keeps its room): the board's open threads, the deleted cards' ones
 * apart, the facilitator's viewer setting and "Start a dot vote…".
 */
export function CommentsMenu({ folded = false }: { folded?: boolean }) {
  const { store, sendComment } = useBoard();
  const comments = useBoardState((s) => s.comments);
  const nodes = useBoardState((s) => s.nodes);
  const isFacilitator = useBoardState((s) => s.access?.role === 'facilitator');
  const viewersMayComment = useBoardState((s) => s.viewersMayComment);
  const hasVote = useBoardState((s) => s.vote !== null);
  const present = usePresent();
  const open = useBoardState((s) => s.commentsListOpen);
  const setOpen = (next: boolean | ((was: boolean) => boolean)) =>
    store.setState((s) => ({ commentsListOpen: typeof next === 'function' ? next(s.commentsListOpen) : next }));
  const wrapper = useRef<HTMLDivElement>(null);
  useDismiss(open, () => store.setState({ commentsListOpen: false }), wrapper);
  const threads = useMemo(() => threadsOf(comments), [comments]);
  const onBoard = useMemo(() => new Set(nodes.map((n) => n.id)), [nodes]);
  const openThreads = threads.filter((t) => t.first.resolvedAt === null && onBoard.has(t.first.cardId));
  const orphans = threads.filter((t) => t.first.orphaned || !onBoard.has(t.first.cardId));
  if (!sendComment) return null;
  // A crowded header: the button is in the Tools menu ("Comments…"); the list still opens here.
  if (folded && !open) return null;
  const labelOf = (cardId: string) => {
    const node = nodes.find((n) => n.id === cardId);
    const data = node?.data as { label?: string; text?: string; words?: string; statement?: string } | undefined;
    return data?.label ?? data?.text ?? data?.words ?? data?.statement ?? 'A deleted card';
  };
  const row = (thread: CommentThread) => (
    <li key={thread.first.id}>
      <button
        type="button"
        className="comments-list-item"
        data-testid="comments-list-item"
        onClick={() => {
          setOpen(false);
          store.setState({ commentsCardId: thread.first.cardId });
        }}
      >
        <strong>{labelOf(thread.first.cardId)}</strong>: {thread.first.text}
        {thread.replies.length > 0 &&
          ` (${thread.replies.length} ${thread.replies.length === 1 ? 'reply' : 'replies'})`}
      </button>
    </li>
  );
  return (
    <div className="timer-area" ref={wrapper}>
      {!folded && (
        <button
          type="button"
          className="button subtle"
          data-testid="comments-button"
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-label={`${present.shown ? 'Present, vote and comments' : 'Comments'}: ${openThreads.length} open`}
          title={present.shown ? 'Present, vote and comments' : 'Comments'}
          onClick={() => setOpen((was) => !was)}
        >
          {/* Short, so the board's title keeps its room in the header. */}
          <CommentIcon size={16} />
          {openThreads.length > 0 ? ` ${openThreads.length}` : ''} ▾
        </button>
      )}
      {open && (
        <div
          className="timer-popover comments-list"
          role="dialog"
          aria-label="Open comments"
          data-testid="comments-list"
          style={{ ...menuStyle, minWidth: '20rem', padding: '10px' }}
        >
          {present.shown && (
            <button
              type="button"
              className="button primary comments-present"
              data-testid="present-button"
              title="Show the board section by section on this screen; everyone else follows"
              onClick={() => {
                setOpen(false);
                present.start();
              }}
            >
              {present.label} ▶
            </button>
          )}
          {isFacilitator && !hasVote && (
            <button
              type="button"
              className="button primary"
              data-testid="start-vote"
              onClick={() => store.setState({ commentsListOpen: false, voteFormOpen: true })}
            >
              Start a dot vote…
            </button>
          )}
          <h3>Open comments</h3>
          {openThreads.length === 0 ? <p>No open comments.</p> : <ul>{openThreads.map(row)}</ul>}
          {orphans.length > 0 && (
            <>
              <h3>Comments on deleted cards</h3>
              <ul data-testid="comments-orphans">{orphans.map(row)}</ul>
            </>
          )}
          {isFacilitator && (
            <label className="comments-viewers">
              <input
                type="checkbox"
                data-testid="comments-viewers"
                checked={viewersMayComment}
                onChange={(event) => sendComment({ action: 'viewers', allow: event.target.checked })}
              />{' '}
              Viewers may comment
            </label>
          )}
        </div>
      )}
    </div>
  );
}
