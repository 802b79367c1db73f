/**
 * The demand study with several server instances on one storage and Redis
 * (fanout.ts): a phone's entry sent through one instance reaches a board
 * client on another as message 106, and each instance's figures and edits
 * see the entries stored through the others. Skipped without redis-server
 * (a failure under CI=true, as the other Redis tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { MESSAGE_STUDY, encodeStudyRequest, readStudyCounts, type StudyCountsMessage } from '../../src/protocol';
import { connectClient, synced } from '../helpers/clients';
import { api, makeDataDir, newKey, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { redisAvailable, startRedis, type ServiceProcess } from '../helpers/services';

const haveRedis = redisAvailable();

async function call(server: ServerProcess, key: string, method: string, path: string, body?: unknown) {
  const response = await api(`${server.url}${path}`, {
    key,
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : null }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON read field by field
}

describe.skipIf(!haveRedis)('the study across instances', () => {
  let redis: ServiceProcess;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    redis = await startRedis();
    const dataDir = makeDataDir();
    const env = { REDIS_URL: redis.url, REDIS_HEAL_INTERVAL_MS: '1000' };
    a = await startServer({ dataDir, env });
    b = await startServer({ dataDir, env });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('an entry through one instance reaches the board on the other, and both count and edit it', async () => {
    const made = (await call(a, a.key, 'POST', '/api/boards', { title: 'Two instances' })).body!;
    const settings = {
      demandTypes: [{ name: 'I need a repair', class: 'value' }],
      start: '2026-03-02',
      end: '2026-03-29',
    };
    expect((await call(a, a.key, 'PUT', `/api/boards/${made.id}/study`, settings)).status).toBe(200);
    const phone = await newKey(a);
    expect((await call(a, phone, 'POST', '/api/join', { link: made.links.collect })).status).toBe(200);

    // The board is open on B; the phone sends through A.
    const board = connectClient(b.wsUrl, made.id, { key: b.key });
    const seen: StudyCountsMessage[] = [];
    board.provider.messageHandlers[MESSAGE_STUDY] = (_e: encoding.Encoder, decoder: decoding.Decoder) => {
      const message = readStudyCounts(decoder);
      if (message) seen.push(message);
    };
    try {
      await synced(board, 10_000);
      board.provider.ws!.send(encodeStudyRequest());
      await waitFor(() => seen.length > 0, 10_000, 'the first counts on B');
      expect(seen.at(-1)!.study!.total).toBe(0);
      const entry = { id: 'across-1-xyz', verbatim: 'Boiler', type: 'I need a repair', at: '2026-03-05T09:00:00Z' };
      expect((await call(a, phone, 'POST', `/api/boards/${made.id}/study/entries`, entry)).status).toBe(201);
      await waitFor(() => seen.at(-1)!.study!.total === 1, 10_000, 'the count on B');
      // The same id through B is a retry there too: stored once.
      expect((await call(b, phone, 'POST', `/api/boards/${made.id}/study/entries`, entry)).status).toBe(200);
      // A second entry through B: A's figures catch up, and the collector may undo it through A.
      const second = { id: 'across-2-xyz', verbatim: 'Leak', at: '2026-03-05T09:05:00Z' };
      expect((await call(b, phone, 'POST', `/api/boards/${made.id}/study/entries`, second)).status).toBe(201);
      await waitFor(
        async () => (await call(a, a.key, 'GET', `/api/boards/${made.id}/study/summary`)).body!.total === 2,
        10_000,
        'A to count the entry sent through B',
      );
      expect((await call(a, phone, 'DELETE', `/api/boards/${made.id}/study/entries/${second.id}`)).status).toBe(204);
      await waitFor(() => seen.at(-1)!.study!.total === 1, 10_000, 'the undo to reach B');
    } finally {
      board.destroy();
    }
  });
});
