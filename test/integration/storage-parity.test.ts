/**
 * The two storages answer alike: the same calls on SQLite (a file in a temp
 * directory) and on PostgreSQL (a database of the run's server) give the same
 * results, orders and refusals. The rest of the suite runs the server on
 * each; this catches a difference a server test might not reach (ordering
 * ties, absent-versus-null fields, a batch with a duplicate id).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyEntry } from '../../src/model';
import type { VoteState } from '../../src/protocol';
import { openPostgresStorage } from '../../server/storage/postgres';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { BoardStorage, LinkRecord, MemberRecord } from '../../server/storage/storage';
import { makeDataDir } from '../helpers/server';
import { STORAGE, createTestDatabase } from '../helpers/storage';

describe.runIf(STORAGE === 'postgres')('SQLite and PostgreSQL storage answer alike', () => {
  let both: Array<[string, BoardStorage]>;

  beforeAll(async () => {
    both = [
      ['sqlite', openSqliteStorage(makeDataDir())],
      ['postgres', await openPostgresStorage(await createTestDatabase())],
    ];
  });
  afterAll(async () => {
    for (const [, storage] of both ?? []) await storage.close();
  });

  /** Runs `call` on both storages; returns the two results (or errors, as "refused"). */
  async function each<T>(call: (s: BoardStorage) => Promise<T>): Promise<Array<T | 'refused'>> {
    const results: Array<T | 'refused'> = [];
    for (const [, storage] of both) results.push(await call(storage).catch(() => 'refused' as const));
    return results;
  }

  /** The same result from both; neither may refuse. */
  async function same<T>(call: (s: BoardStorage) => Promise<T>): Promise<T> {
    const [sqlite, postgres] = await each(call);
    expect(postgres).toEqual(sqlite);
    expect(sqlite, 'refused').not.toBe('refused');
    return sqlite as T;
  }

  /** Both refuse. */
  async function refused(call: (s: BoardStorage) => Promise<unknown>): Promise<void> {
    expect(await each(call)).toEqual(['refused', 'refused']);
  }

  const at = 1_700_000_000_000;
  const board = (id: string, updatedAt = at) => ({ id, title: `Board ${id}`, createdAt: at, updatedAt, steps: 0 });
  const member = (id: string, boardId: string, keyHash: string, extra: Partial<MemberRecord> = {}): MemberRecord => ({
    id,
    boardId,
    keyHash,
    role: 'editor',
    joinedWith: 'edit',
    linkId: null,
    joinedAt: at,
    lastSeen: at,
    ended: null,
    ...extra,
  });
  const link = (id: string, boardId: string, kind: LinkRecord['kind'] = 'edit'): LinkRecord => ({
    id,
    boardId,
    kind,
    tokenHash: `hash-${id}`,
    createdAt: at,
    turnedOffAt: null,
  });

  it('boards, logs, snapshots and versions', async () => {
    // Ids that sort differently by collation than bytewise, and a tie on updatedAt.
    for (const id of ['b', 'B', 'a', '_x']) await same((s) => s.createBoard(board(id), new Uint8Array([0, 0])));
    await refused((s) => s.createBoard(board('a'), new Uint8Array([0, 0])));
    await same((s) => s.updateBoardSummary('b', { title: 'Renamed', steps: 3, updatedAt: at + 5 }));
    expect((await same((s) => s.listBoards())).map((b) => b.id)).toEqual(['b', 'B', '_x', 'a']);
    await same((s) => s.getBoard('b'));
    await same((s) => s.getBoard('nope'));

    const update = new Uint8Array([0, 0]);
    await same((s) =>
      s.commit({
        updates: [
          { boardId: 'a', update },
          { boardId: 'gone', update },
          { boardId: 'a', update },
          { boardId: 'B', update },
        ],
        snapshots: [],
      }),
    );
    await same((s) => s.commit({ updates: [], snapshots: [{ boardId: 'B', state: update }] }));
    await same((s) => s.loadBoardData('a'));
    await same((s) => s.loadBoardData('B'));
    await same((s) => s.loadBoardData('nope'));

    for (const [id, savedAt] of [
      ['v1', at],
      ['v2', at],
      ['v3', at - 1],
    ] as const) {
      await same((s) =>
        s.createVersion({ id, boardId: 'a', name: id, savedBy: 'Ann', savedAt, steps: 1 }, new Uint8Array([1, 2])),
      );
    }
    await same((s) => s.listVersions('a'));
    await same((s) => s.getVersion('a', 'v2'));
    await same((s) => s.getVersionState('a', 'v2'));
    await same((s) => s.getVersionState('a', 'nope'));
    expect(await same((s) => s.deleteBoard('_x'))).toBe(true);
    expect(await same((s) => s.deleteBoard('_x'))).toBe(false);
  });

  it('participants, members and links', async () => {
    await same((s) => s.createParticipant({ keyHash: 'k1', name: '', createdAt: at }));
    await refused((s) => s.createParticipant({ keyHash: 'k1', name: '', createdAt: at }));
    await same((s) => s.setParticipantName('k1', 'Kay'));
    await same((s) => s.getParticipant('k1'));
    await same((s) => s.createLink(link('l1', 'a')));
    await same((s) => s.createLink(link('l2', 'a', 'view')));
    await same((s) => s.createLink(link('l3', 'a', 'collect')));
    await same((s) => s.putMember(member('m1', 'a', 'k1', { role: 'facilitator', joinedWith: 'created' })));
    await same((s) => s.putMember(member('m2', 'a', 'k2', { linkId: 'l1' })));
    await same((s) => s.putMember(member('m3', 'a', 'k3', { linkId: 'l1', role: 'viewer' })));
    await same((s) => s.putMember(member('m3b', 'a', 'k3', { linkId: 'l2', role: 'viewer' })));
    await same((s) => s.putMember(member('m4', 'b', 'k1', { role: 'viewer' })));
    await same((s) => s.updateMember('a', 'm2', { lastSeen: at + 9, role: 'viewer' }));
    await same((s) => s.updateMember('a', 'm2', { ended: null }));
    await same((s) => s.listMembers('a'));
    await same((s) => s.getMember('a', 'k3'));
    await same((s) => s.getMemberById('a', 'm2'));
    await same((s) => s.boardsOf('k1'));
    await same((s) => s.getLinkByTokenHash('hash-l1'));
    await same((s) => s.activeLinks('a'));
    expect(await same((s) => s.turnOffLink('l1', at + 10, link('l4', 'a')))).toEqual(['m2']);
    await same((s) => s.activeLinks('a'));
    await same((s) => s.listMembers('a'));
    await same((s) => s.setLock('a', 'm1'));
    await same((s) => s.getBoard('a'));
  });

  it('votes and comments', async () => {
    const vote = (id: string, startedAt: number, status: VoteState['status']) =>
      ({ id, startedAt, status }) as unknown as VoteState;
    await same((s) => s.putVote('a', vote('v1', at, 'open')));
    await same((s) => s.putVote('a', vote('v2', at, 'revealed')));
    await same((s) => s.putVote('a', vote('v1', at, 'revealed')));
    await same((s) => s.listVotes('a'));
    await same((s) => s.deleteVote('a', 'v2'));
    await same((s) => s.listVotes('a'));
    const comment = (id: string, createdAt: number) => ({
      id,
      boardId: 'a',
      cardId: 'c1',
      threadId: null,
      author: 'Ann',
      authorId: 'm1',
      text: `text ${id}`,
      createdAt,
      resolvedAt: null,
      resolvedBy: null,
      orphaned: false,
    });
    await same((s) => s.putComment(comment('c2', at)));
    await same((s) => s.putComment(comment('c1', at)));
    await same((s) => s.putComment({ ...comment('c2', at), resolvedAt: at + 1, resolvedBy: 'm1', orphaned: true }));
    await same((s) => s.listComments('a'));
    expect(await same((s) => s.viewersMayComment('a'))).toBe(false);
    await same((s) => s.setViewersMayComment('a', true));
    expect(await same((s) => s.viewersMayComment('a'))).toBe(true);
  });

  it('the demand study', async () => {
    const entry = (id: string, extra: Partial<StudyEntry> = {}): StudyEntry => ({
      id,
      verbatim: `said ${id}`,
      at: '2026-03-04T09:30:00+01:00',
      collector: 'Col',
      createdAt: at,
      updatedAt: at,
      by: 'm1',
      ...extra,
    });
    expect(await same((s) => s.getStudy('a'))).toBeNull();
    await same((s) => s.putStudy('a', { name: 'Study' } as never, at));
    await same((s) => s.putStudy('a', { name: 'Study 2' } as never, at + 1));
    await same((s) => s.getStudy('a'));
    expect(
      await same((s) =>
        s.addStudyEntries('a', [
          entry('e2', { class: 'value', whatMatters: { note: 'quick' }, contactMethod: 'phone' }),
          entry('e1'),
          entry('e2'),
        ]),
      ),
    ).toEqual({ added: ['e2', 'e1'], existing: ['e2'] });
    expect(await same((s) => s.addStudyEntries('a', [entry('e1'), entry('e3', { cause: 'x' })]))).toEqual({
      added: ['e3'],
      existing: ['e1'],
    });
    expect(await same((s) => s.addStudyEntries('a', []))).toEqual({ added: [], existing: [] });
    expect(
      await same((s) =>
        s.updateStudyEntries('a', [entry('e1', { type: 't1', updatedAt: at + 3, by: 'someone else' }), entry('nope')]),
      ),
    ).toBe(1);
    await same((s) => s.listStudyEntries('a'));
    expect(await same((s) => s.deleteStudyEntries('a', ['e3', 'nope', 'e3']))).toBe(1);
    await same((s) => s.listStudyEntries('a'));
    expect(await same((s) => s.deleteBoard('a'))).toBe(true);
    await same((s) => s.listStudyEntries('a'));
    await same((s) => s.getStudy('a'));
  });
});
