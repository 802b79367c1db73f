/**
 * Five real clients through the real server, random model operations, undo,
 * random disconnects: every copy, the measures and the stored board end up
 * identical (test/helpers/convergence.ts). A few seeds here; many more with
 * `npm run convergence -- --seeds 50 --ops 500`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createBoard, startServer, type ServerProcess } from '../helpers/server';
import { runConvergence } from '../helpers/convergence';

const SEEDS = [1, 2, 3, 4, 5, 42];

describe('randomized convergence', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  test.each(SEEDS)('seed %i: five clients converge, with the stored board', async (seed) => {
    const boardId = await createBoard(server, `Convergence ${seed}`);
    const result = await runConvergence({ wsUrl: server.wsUrl, httpUrl: server.url, boardId, seed, ops: 250 });
    // The run did real work: most operations were applied, and some clients went away and came back.
    expect(result.applied).toBeGreaterThan(result.refused);
    expect(result.nodes + result.edges).toBeGreaterThan(0);
  });
});
