/**
 * The capture page's outbox (src/panels/study/capture-queue.ts): entries
 * stay on the phone until the server acknowledges them, survive a reload,
 * go in the order they were written, never twice, and a refusal keeps them.
 * The "server" here is a function standing in for the network (the real
 * server's side is the integration and e2e tests' job); Storage is an
 * in-memory one with the browser's interface.
 */
import { describe, expect, test } from 'vitest';
import { ApiError, UNREACHABLE, type NewStudyEntry } from '../../src/api';
import { CaptureQueue, describeQueue, queueKey, refusedEntries } from '../../src/panels/study/capture-queue';
import { localTimestamp, verbatimProblem } from '../../src/panels/study/CapturePage';
import { atSchema } from '../../src/protocol/study';

class MemoryStorage {
  private readonly values = new Map<string, string>();
  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.values.set(key, value);
  }
}

/** A network that can be cut, and a server that stores each id once. */
function fakeServer() {
  const stored = new Map<string, NewStudyEntry>();
  const state = { online: true, refuse: null as ApiError | null, calls: 0, loseAnswer: false };
  const send = async (entries: NewStudyEntry[]) => {
    state.calls += 1;
    if (!state.online) throw new ApiError(UNREACHABLE, 0);
    if (state.refuse) throw state.refuse;
    for (const entry of entries) if (!stored.has(entry.id)) stored.set(entry.id, entry);
    if (state.loseAnswer) {
      state.loseAnswer = false;
      throw new ApiError(UNREACHABLE, 0); // stored, but the phone never heard back
    }
    return {};
  };
  return { stored, state, send };
}

const entry = (id: string, verbatim = `said ${id}`): NewStudyEntry => ({ id: `entry-${id}-0000`, verbatim });

describe('the capture queue', () => {
  test('entries wait offline, survive a reload and go in order once the network is back', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer();
    server.state.online = false;
    const queue = new CaptureQueue(storage, queueKey('b1'), server.send);
    queue.add(entry('a'));
    queue.add(entry('b'));
    await queue.flush();
    expect(queue.state().waiting).toBe(2);
    expect(queue.state().problem).toEqual({ kind: 'offline' });
    expect(describeQueue(queue.state())).toBe('2 entries waiting to send — they go when the network is back');

    // The page is reloaded: a new queue reads the same storage.
    const reloaded = new CaptureQueue(storage, queueKey('b1'), server.send);
    expect(reloaded.state().waiting).toBe(2);
    reloaded.add(entry('c'));
    server.state.online = true;
    await reloaded.flush();
    expect([...server.stored.keys()]).toEqual(['entry-a-0000', 'entry-b-0000', 'entry-c-0000']);
    expect(reloaded.state().waiting).toBe(0);
    expect(describeQueue(reloaded.state())).toBe('All entries sent');
  });

  test('an answer lost after the server stored the batch: the retry sends the same ids, nothing twice', async () => {
    const server = fakeServer();
    const queue = new CaptureQueue(new MemoryStorage(), queueKey('b1'), server.send);
    server.state.loseAnswer = true;
    queue.add(entry('a'));
    await queue.flush();
    expect(queue.state().waiting).toBe(1);
    await queue.flush();
    expect(server.stored.size).toBe(1);
    expect(queue.state().waiting).toBe(0);
    expect(server.state.calls).toBe(2);
  });

  test('the same entry added twice is queued once', () => {
    const queue = new CaptureQueue(new MemoryStorage(), queueKey('b1'), fakeServer().send);
    queue.add(entry('a'));
    queue.add(entry('a'));
    expect(queue.state().waiting).toBe(1);
  });

  test('a turned-off link keeps every entry and says why', async () => {
    const server = fakeServer();
    server.state.refuse = new ApiError('The facilitator turned off the link you joined with.', 403);
    const queue = new CaptureQueue(new MemoryStorage(), queueKey('b1'), server.send);
    queue.add(entry('a'));
    queue.add(entry('b'));
    queue.add(entry('c'));
    await queue.flush();
    expect(queue.state().waiting).toBe(3);
    expect(queue.state().problem).toEqual({
      kind: 'refused',
      message: 'The facilitator turned off the link you joined with.',
    });
    expect(describeQueue(queue.state())).toBe('3 entries kept on this phone, not sent');
  });

  test('one refused entry in a batch is marked with the server’s words; the others go', async () => {
    // All or nothing, as the server does: a batch with a refused entry stores nothing and lists it.
    const stored: string[] = [];
    const send = async (entries: NewStudyEntry[]) => {
      const bad = entries.filter((e) => e.verbatim.includes('Chasing'));
      if (bad.length > 0)
        throw new ApiError('Some entries were refused', 400, {
          refused: bad.map((e) => ({ id: e.id, error: 'Unknown type "Chasing".' })),
        });
      stored.push(...entries.map((e) => e.id));
    };
    const queue = new CaptureQueue(new MemoryStorage(), queueKey('b1'), send);
    queue.add(entry('a'));
    queue.add(entry('b', 'Chasing my repair'));
    queue.add(entry('c'));
    await queue.flush();
    expect(stored).toEqual(['entry-a-0000', 'entry-c-0000']);
    expect(queue.state().waiting).toBe(0);
    expect(queue.state().refused.map((r) => [r.entry.id, r.refused])).toEqual([
      ['entry-b-0000', 'Unknown type "Chasing".'],
    ]);
    expect(describeQueue(queue.state())).toBe('All other entries sent');
    queue.discard('entry-b-0000');
    expect(queue.state().refused).toEqual([]);
  });

  test('Undo takes an unsent entry back; a sent one is no longer in the queue', async () => {
    const server = fakeServer();
    server.state.online = false;
    const queue = new CaptureQueue(new MemoryStorage(), queueKey('b1'), server.send);
    queue.add(entry('a'));
    expect(await queue.takeBack('entry-a-0000')).toBe(true);
    expect(queue.state().waiting).toBe(0);
    server.state.online = true;
    queue.add(entry('b'));
    await queue.flush();
    expect(await queue.takeBack('entry-b-0000')).toBe(false);
  });

  test('refusal bodies name entries by id or place, the field in the collector’s words', () => {
    const batch = [entry('a'), entry('b'), entry('c')];
    const refused = refusedEntries(
      {
        refused: [
          { id: 'entry-a-0000', error: 'Empty verbatim.' },
          { index: 1, message: 'Too long.' },
          { entry: 3, id: null, field: 'at', error: 'is outside the study (2026-12-01 to 2026-12-14)' },
          { nothing: true },
        ],
      },
      batch,
    );
    expect([...refused]).toEqual([
      ['entry-a-0000', 'Empty verbatim.'],
      ['entry-b-0000', 'Too long.'],
      ['entry-c-0000', 'The date is outside the study (2026-12-01 to 2026-12-14)'],
    ]);
  });
});

describe('the verbatim check on the phone', () => {
  test('empty and too long get plain words; 2,000 characters fit', () => {
    expect(verbatimProblem('   ')).toBe('Write what the customer asked for, in their own words.');
    expect(verbatimProblem('x'.repeat(2001))).toBe('That is 2,001 characters; at most 2,000 fit. Shorten it.');
    expect(verbatimProblem('x'.repeat(2000))).toBeNull();
  });
});

describe('the time an entry carries', () => {
  test('the phone’s local date and offset, which the server accepts', () => {
    const date = new Date(2026, 2, 2, 0, 30, 5);
    const stamp = localTimestamp(date);
    expect(stamp.slice(0, 19)).toBe('2026-03-02T00:30:05');
    expect(new Date(stamp).getTime()).toBe(date.getTime());
    expect(atSchema.safeParse(stamp).success).toBe(true);
  });
});
