/**
 * The long randomized convergence run (test/helpers/convergence.ts): starts
 * the real server, then runs each seed on a board of its own and prints one
 * line per seed. Exits non-zero at the first seed that does not converge.
 *
 *   npm run convergence -- --seeds 50 --ops 500 [--clients 5] [--first 1]
 */
import { parseArgs } from 'node:util';
import { createBoard, startServer } from '../test/helpers/server';
import { runConvergence } from '../test/helpers/convergence';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    ops: { type: 'string', default: '500' },
    clients: { type: 'string', default: '5' },
    first: { type: 'string', default: '1' },
  },
});
const count = (name: string, value: string | undefined, min: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min} (got "${value}")`);
    process.exit(2);
  }
  return n;
};
const seeds = count('seeds', values.seeds, 1);
const ops = count('ops', values.ops, 1);
const clients = count('clients', values.clients, 2);
const first = count('first', values.first, 0);

const server = await startServer();
let failed = false;
try {
  console.log(`${clients} clients, ${ops} operations per seed, seeds ${first}..${first + seeds - 1}`);
  for (let seed = first; seed < first + seeds; seed++) {
    const boardId = await createBoard(server, `Convergence ${seed}`);
    try {
      const r = await runConvergence({ wsUrl: server.wsUrl, httpUrl: server.url, boardId, seed, ops, clients });
      console.log(
        `seed ${seed}: converged in ${r.ms} ms — ${r.applied} applied, ${r.refused} refused by the model, ` +
          `${r.disconnects} disconnects; ${r.nodes} elements, ${r.edges} edges, ${r.lanes} lanes`,
      );
    } catch (error) {
      console.error(`seed ${seed}: FAILED — ${error instanceof Error ? error.message : String(error)}`);
      failed = true;
      break;
    }
  }
} finally {
  await server.stop();
}
process.exit(failed ? 1 : 0);
