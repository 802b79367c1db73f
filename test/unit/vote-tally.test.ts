/** Dot voting's pure rules (src/protocol/vote.ts): tallies, ranking ties, budgets and who may do what. */
import { describe, expect, it } from 'vitest';
import {
  VOTE_WORDS,
  applyVoteCommand,
  countVoters,
  parseVoteCommand,
  rankVotes,
  tallyVotes,
  voteViewFor,
  type VoteContext,
  type VoteState,
} from '../../src/protocol';

const labels: Record<string, string> = { a: 'Targets', b: 'IT system', c: 'Specialists', d: 'Budgets' };
const labelOf = (id: string) => labels[id] ?? id;

function context(overrides: Partial<VoteContext> = {}): VoteContext {
  return {
    role: 'editor',
    memberId: 'm1',
    now: 1000,
    newId: () => 'vote1',
    kindOf: (id) => (id in labels ? 'condition' : id === 'n' ? 'note' : null),
    labelOf,
    ...overrides,
  };
}

const open: VoteState = {
  id: 'vote1',
  question: 'Which first?',
  kind: 'condition',
  dotsPerPerson: 2,
  startedBy: 'Sam',
  startedAt: 0,
  status: 'open',
  ballots: {},
};

describe('tallies and ranking', () => {
  it('adds up everyone’s dots per card and counts who voted', () => {
    const ballots = { m1: { a: 2, b: 1 }, m2: { a: 1 }, m3: {} };
    expect(Object.fromEntries(tallyVotes(ballots))).toEqual({ a: 3, b: 1 });
    expect(countVoters(ballots)).toBe(2);
  });

  it('ranks ties together (1, 1, 3), reading tied cards by label', () => {
    const ranked = rankVotes({ m1: { a: 2, b: 1 }, m2: { c: 2, d: 1 } }, labelOf);
    expect(ranked.map((r) => [r.label, r.dots, r.rank])).toEqual([
      ['Specialists', 2, 1],
      ['Targets', 2, 1],
      ['Budgets', 1, 3],
      ['IT system', 1, 3],
    ]);
    expect(rankVotes({}, labelOf)).toEqual([]);
  });
});

describe('commands', () => {
  it('keeps a person to their budget and lets them take a dot back', () => {
    let vote: VoteState | null = open;
    for (const cardId of ['a', 'a']) {
      const result = applyVoteCommand(vote, { action: 'dot', cardId }, context());
      if ('error' in result) throw new Error(result.error);
      vote = result.vote;
    }
    expect(applyVoteCommand(vote, { action: 'dot', cardId: 'b' }, context())).toEqual({
      error: VOTE_WORDS.noDotsLeft(2),
    });
    const back = applyVoteCommand(vote, { action: 'undot', cardId: 'a' }, context());
    if ('error' in back) throw new Error(back.error);
    expect(back.vote!.ballots.m1).toEqual({ a: 1 });
    expect(applyVoteCommand(back.vote, { action: 'undot', cardId: 'b' }, context())).toEqual({
      error: VOTE_WORDS.noDotHere,
    });
  });

  it('refuses another kind of card, a gone card, a closed vote, and non-facilitators starting or revealing', () => {
    expect(applyVoteCommand(open, { action: 'dot', cardId: 'n' }, context())).toEqual({
      error: VOTE_WORDS.notVotable('condition'),
    });
    expect(applyVoteCommand(open, { action: 'dot', cardId: 'zz' }, context())).toEqual({ error: VOTE_WORDS.cardGone });
    const revealed: VoteState = { ...open, status: 'revealed', results: [], revealedAt: 5 };
    expect(applyVoteCommand(revealed, { action: 'dot', cardId: 'a' }, context())).toEqual({
      error: VOTE_WORDS.closed,
    });
    for (const role of ['viewer', 'editor'] as const) {
      expect(applyVoteCommand(open, { action: 'reveal' }, context({ role }))).toEqual({
        error: VOTE_WORDS.notFacilitator,
      });
      expect(
        applyVoteCommand(null, { action: 'start', question: 'Q', kind: 'note', dots: 1 }, context({ role })),
      ).toEqual({ error: VOTE_WORDS.notFacilitator });
    }
    expect(
      applyVoteCommand(
        open,
        { action: 'start', question: 'Q', kind: 'note', dots: 1 },
        context({ role: 'facilitator' }),
      ),
    ).toEqual({ error: VOTE_WORDS.alreadyOpen });
  });

  it('shows a person only their own dots until the reveal', () => {
    const vote: VoteState = { ...open, ballots: { m1: { a: 1 }, m2: { b: 2 } } };
    const view = voteViewFor(vote, 'm1');
    expect(view).toMatchObject({ mine: { a: 1 }, left: 1, voters: 2 });
    expect(JSON.stringify(view)).not.toContain('"b"');
    expect(view.results).toBeUndefined();
    const revealed = applyVoteCommand(vote, { action: 'reveal' }, context({ role: 'facilitator' }));
    if ('error' in revealed) throw new Error(revealed.error);
    expect(voteViewFor(revealed.vote!, 'm1').results!.map((r) => r.cardId)).toEqual(['b', 'a']);
  });

  it('reads commands and refuses bad ones in plain words', () => {
    expect(parseVoteCommand('nope')).toEqual({ error: VOTE_WORDS.unreadable });
    expect(parseVoteCommand(JSON.stringify({ action: 'start', question: 'Q', kind: 'lanes', dots: 2 }))).toEqual({
      error: VOTE_WORDS.kind,
    });
    expect(parseVoteCommand(JSON.stringify({ action: 'start', question: 'Q', kind: 'note', dots: 21 }))).toEqual({
      error: VOTE_WORDS.dots,
    });
    expect(parseVoteCommand(JSON.stringify({ action: 'start', question: '  Q  ', kind: 'note', dots: 2 }))).toEqual({
      action: 'start',
      question: 'Q',
      kind: 'note',
      dots: 2,
    });
  });
});
