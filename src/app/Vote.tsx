/**
 * Dot voting in the room (issue 15). The facilitator starts a vote from the
 * header ("Vote ▾": the question, what people vote on, dots per person);
 * while it is open a bar under the header says what to do and how many dots
 * this person has left — people click cards (or use the card's menu) to place
 * dots. The facilitator reveals it: the bar becomes the ranked list, and the
 * cards show everyone's dots. The server holds the votes (collab/connection.ts):
 * this only draws what it sends and sends the commands it checks.
 */
import { useCallback, useRef, useState, type FormEvent } from 'react';
import {
  VOTE_KIND_NAMES,
  VOTE_KINDS,
  VOTE_MAX_DOTS,
  VOTE_QUESTION_MAX_CHARS,
  type VoteCommand,
  type VoteKind,
} from '../protocol';
import { useBoard, useBoardState } from '../collab/board-context';
import { menuStyle, useDismiss } from '../ui/menus';
import './room.css';

function StartVoteForm({ send, close }: { send: (c: VoteCommand) => void; close: () => void }) {
  const self = useBoardState((s) => s.self.name);
  const [question, setQuestion] = useState('');
  const [kind, setKind] = useState<VoteKind>('condition');
  const [dots, setDots] = useState('3');
  const [problem, setProblem] = useState<string | null>(null);
  const start = (event: FormEvent) => {
    event.preventDefault();
    const count = Number(dots);
    if (question.trim() === '')
      return setProblem('Say what the vote is about, for example "Which system condition first?".');
    if (!Number.isInteger(count) || count < 1 || count > VOTE_MAX_DOTS)
      return setProblem(`Give each person from 1 to ${VOTE_MAX_DOTS} dots.`);
    send({ action: 'start', question: question.trim(), kind, dots: count, ...(self ? { by: self } : {}) });
    close();
  };
  return (
    <form className="timer-form" onSubmit={start} noValidate>
      <label>
        Question
        <input
          type="text"
          data-testid="vote-question"
          value={question}
          maxLength={VOTE_QUESTION_MAX_CHARS}
          placeholder="Which system condition first?"
          autoFocus
          onChange={(event) => setQuestion(event.target.value)}
        />
      </label>
      <label>
        People vote on
        <select data-testid="vote-kind" value={kind} onChange={(event) => setKind(event.target.value as VoteKind)}>
          {VOTE_KINDS.map((k) => (
            <option key={k} value={k}>
              {VOTE_KIND_NAMES[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Dots per person
        <input
          type="number"
          data-testid="vote-dots-per-person"
          min={1}
          max={VOTE_MAX_DOTS}
          value={dots}
          onChange={(event) => setDots(event.target.value)}
        />
      </label>
      {problem && (
        <p className="timer-problem" role="alert" data-testid="vote-problem">
          {problem}
        </p>
      )}
      <button type="submit" className="button primary" data-testid="vote-start">
        Start the vote
      </button>
    </form>
  );
}

/** The facilitator's "Vote ▾" in the header; nothing for anyone else (they see the bar). */
export function VoteButton({ folded = false }: { folded?: boolean }) {
  const { sendVote, store } = useBoard();
  const isFacilitator = useBoardState((s) => s.access?.role === 'facilitator');
  const vote = useBoardState((s) => s.vote);
  const open = useBoardState((s) => s.voteFormOpen);
  const setOpen = useCallback(
    (next: (was: boolean) => boolean) => store.setState((s) => ({ voteFormOpen: next(s.voteFormOpen) })),
    [store],
  );
  const wrapper = useRef<HTMLDivElement>(null);
  const close = useCallback(() => store.setState({ voteFormOpen: false }), [store]);
  useDismiss(open, close, wrapper);
  if (!isFacilitator || !sendVote || vote !== null) return null;
  // A crowded header: the button is in the Tools menu ("Start a dot vote…"); the form still opens here.
  if (folded && !open) return null;
  return (
    <div className="timer-area" ref={wrapper}>
      {!folded && (
        <button
          type="button"
          className="button subtle"
          data-testid="vote-button"
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-label="Vote: start a dot vote"
          onClick={() => setOpen((was) => !was)}
        >
          Vote ▾
        </button>
      )}
      {open && (
        <div
          className="timer-popover"
          role="dialog"
          aria-label="Start a dot vote"
          style={{ ...menuStyle, minWidth: '17rem', padding: '10px' }}
        >
          <StartVoteForm send={sendVote} close={close} />
        </div>
      )}
    </div>
  );
}

/** The bar under the header while a vote is on: what to do and the dots left; after the reveal, the ranked list. */
export function VoteBar() {
  const { sendVote } = useBoard();
  const vote = useBoardState((s) => s.vote);
  const isFacilitator = useBoardState((s) => s.access?.role === 'facilitator');
  if (!vote) return null;
  const revealed = vote.status === 'revealed';
  return (
    <section className="vote-bar" data-testid="vote-bar" aria-label="Dot vote" aria-live="polite">
      <div className="vote-bar-head">
        <strong data-testid="vote-bar-question">Vote: {vote.question}</strong>
        {revealed ? (
          <span>
            revealed · {vote.voters} {vote.voters === 1 ? 'person' : 'people'} voted
          </span>
        ) : (
          <span data-testid="vote-left">
            Click {VOTE_KIND_NAMES[vote.kind]} to place your dots · {vote.left} of {vote.dotsPerPerson} left ·{' '}
            {vote.voters} {vote.voters === 1 ? 'person has' : 'people have'} voted
          </span>
        )}
        {isFacilitator && sendVote && !revealed && (
          <button
            type="button"
            className="button primary"
            data-testid="vote-reveal"
            onClick={() => sendVote({ action: 'reveal' })}
          >
            Reveal
          </button>
        )}
        {isFacilitator && sendVote && (
          <button
            type="button"
            className="button subtle"
            data-testid="vote-end"
            onClick={() => sendVote({ action: 'clear' })}
          >
            {revealed ? 'Close' : 'Cancel vote'}
          </button>
        )}
      </div>
      {revealed && (
        <ol className="vote-ranking" data-testid="vote-ranking">
          {(vote.results ?? []).length === 0 && <li>No dots were placed.</li>}
          {(vote.results ?? []).map((result) => (
            <li key={result.cardId} value={result.rank} data-testid="vote-ranking-row">
              <span className="vote-ranking-label">{result.label}</span>
              <span className="vote-ranking-dots">
                {result.dots} {result.dots === 1 ? 'dot' : 'dots'}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
