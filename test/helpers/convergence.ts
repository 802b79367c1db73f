/**
 * Randomized convergence, in the spirit of Yjs's own test helper: several
 * real y-websocket clients on one board through the real server, each doing
 * random operations FROM THE MODEL (and undo/redo of its own changes), with
 * random disconnects and reconnects; then every copy must be identical —
 * same state vector, same board as the readers see it, same measures, no
 * half-deleted edge — and so must the board the server stored.
 *
 * Used by test/integration/convergence.test.ts (a few seeds) and by
 * scripts/convergence.ts (`npm run convergence -- --seeds 50 --ops 500`).
 * The seed fixes the sequence of operations; the timing of the network does
 * not repeat exactly (real sockets), nor do element ids (nanoid).
 */
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import {
  BoardOperationError,
  CONDITION_TYPES,
  LANE_COLOURS,
  WASTE_TYPES,
  addCondition,
  capabilityArray,
  outcomesMap,
  metaMap,
  addDemand,
  addLane,
  addNote,
  addStep,
  connect,
  deleteElements,
  edgesMap,
  lanesMap,
  measuresOfDoc,
  moveNodes,
  nodesMap,
  readBoard,
  recolourLane,
  removeLane,
  renameLane,
  renameNode,
  reorderLanes,
  setBoardTitle,
  setPeriod,
  setRework,
  updateCondition,
  updateDemand,
  updateStep,
} from '../../src/model';
import { createBoardUndo, keepEdgesWhole, type BoardUndo } from '../../src/collab/undo';
import { connectClient, synced, type TestClient } from './clients';
import { api, waitFor } from './server';

export interface ConvergenceOptions {
  wsUrl: string;
  httpUrl: string;
  /**
   * Several instances of the server on one storage: client i connects to
   * wsUrls[i % n]. The stored board is still read back through `wsUrl` once
   * `httpUrl` (that instance) has unloaded the board.
   */
  wsUrls?: string[];
  boardId: string;
  seed: number;
  clients?: number;
  ops?: number;
}

export interface ConvergenceResult {
  seed: number;
  applied: number;
  /** Operations the model refused (a step already deleted by someone else, a lane in use…): expected, harmless. */
  refused: number;
  disconnects: number;
  nodes: number;
  edges: number;
  lanes: number;
  ms: number;
}

interface Person {
  client: TestClient;
  undo: BoardUndo;
  stop: () => void;
}

/** JSON with object keys sorted, so two copies compare equal whatever order their maps were filled in. */
export function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

/** Everything two converged copies must agree on. */
export function fingerprint(doc: Y.Doc): { stateVector: string; board: string; raw: string; measures: string } {
  // toJSON lists only the top-level types a copy has touched (undo touches all of them): define every one.
  for (const define of [metaMap, nodesMap, edgesMap, lanesMap, capabilityArray, outcomesMap]) define(doc);
  const board = readBoard(doc);
  board.nodes.sort((a, b) => a.id.localeCompare(b.id));
  board.edges.sort((a, b) => a.id.localeCompare(b.id));
  return {
    stateVector: Buffer.from(Y.encodeStateVector(doc)).toString('base64'),
    board: canonical(board),
    raw: canonical(doc.toJSON()),
    measures: canonical(measuresOfDoc(doc)),
  };
}

export function danglingEdges(doc: Y.Doc): number {
  const nodes = nodesMap(doc);
  let count = 0;
  edgesMap(doc).forEach((edge) => {
    if (!nodes.has(String(edge.get('source'))) || !nodes.has(String(edge.get('target')))) count += 1;
  });
  return count;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function sortedKeys(map: { keys(): IterableIterator<string> }): string[] {
  return [...map.keys()].sort();
}

function nodeIdsOfKind(doc: Y.Doc, kind?: string): string[] {
  const nodes = nodesMap(doc);
  return sortedKeys(nodes).filter((id) => kind === undefined || nodes.get(id)?.get('kind') === kind);
}

/** One random operation of the model on `doc`; throws BoardOperationError when the model refuses it. */
function randomOperation(gen: prng.PRNG, person: Person): void {
  const doc = person.client.doc;
  const pick = <T>(items: readonly T[]): T | null => (items.length === 0 ? null : prng.oneOf(gen, [...items]));
  const position = () => ({ x: prng.int32(gen, -400, 2400), y: prng.int32(gen, -200, 1600) });
  const words = () => `${prng.word(gen, 1, 8)} ${prng.word(gen, 1, 8)}`;
  const lanes = sortedKeys(lanesMap(doc));
  const roll = prng.int32(gen, 0, 99);

  if (roll < 14) {
    addStep(doc, { position: position(), label: words(), lane: pick([null, ...lanes]) });
  } else if (roll < 18) {
    addNote(doc, { position: position(), text: words() });
  } else if (roll < 22) {
    addDemand(doc, {
      position: position(),
      words: words(),
      demandClass: prng.bool(gen) ? 'value' : 'failure',
      count: prng.int32(gen, 0, 500),
      predictable: prng.bool(gen),
    });
  } else if (roll < 24) {
    addCondition(doc, { position: position(), label: words(), conditionType: pick(CONDITION_TYPES) ?? 'other' });
  } else if (roll < 34) {
    const ids = nodeIdsOfKind(doc);
    const moves = ids.filter(() => prng.int32(gen, 0, 3) === 0).map((id) => ({ id, position: position() }));
    if (moves.length > 0) moveNodes(doc, moves);
  } else if (roll < 42) {
    const id = pick(nodeIdsOfKind(doc));
    if (id) renameNode(doc, id, words());
  } else if (roll < 56) {
    const steps = nodeIdsOfKind(doc, 'step');
    const choice = prng.int32(gen, 0, 5);
    if (choice < 4) {
      const [a, b] = [pick(steps), pick(steps)];
      if (a && b && a !== b) connect(doc, a, b, 'flow');
    } else if (choice === 4) {
      const [d, s] = [pick(nodeIdsOfKind(doc, 'demand')), pick(steps)];
      if (d && s) connect(doc, d, s, 'entry');
    } else {
      const [c, s] = [pick(nodeIdsOfKind(doc, 'condition')), pick(steps)];
      if (c && s) connect(doc, c, s, 'causes');
    }
  } else if (roll < 64) {
    if (prng.int32(gen, 0, 3) === 0) {
      const edge = pick(sortedKeys(edgesMap(doc)));
      if (edge) deleteElements(doc, { edgeIds: [edge] });
    } else {
      const node = pick(nodeIdsOfKind(doc));
      if (node) deleteElements(doc, { nodeIds: [node] });
    }
  } else if (roll < 74) {
    const id = pick(nodeIdsOfKind(doc, 'step'));
    if (!id) return;
    const pt = prng.int32(gen, 0, 600);
    const field = prng.int32(gen, 0, 4);
    if (field === 0) updateStep(doc, id, { pt, lt: pt + prng.int32(gen, 0, 10_000) });
    else if (field === 1) updateStep(doc, id, { ca: prng.int32(gen, 0, 100) });
    else if (field === 2) updateStep(doc, id, { stepClass: 'waste', wasteType: pick(WASTE_TYPES) });
    else if (field === 3) updateStep(doc, id, { stepClass: prng.bool(gen) ? 'value' : null });
    else updateStep(doc, id, { lane: pick([null, ...lanes]) });
  } else if (roll < 77) {
    const flows = sortedKeys(edgesMap(doc)).filter((id) => edgesMap(doc).get(id)?.get('kind') === 'flow');
    const edge = pick(flows);
    if (edge) setRework(doc, edge, prng.bool(gen));
  } else if (roll < 80) {
    const id = pick(nodeIdsOfKind(doc, 'demand'));
    if (id)
      updateDemand(doc, id, { count: prng.int32(gen, 0, 900), demandClass: prng.bool(gen) ? 'value' : 'failure' });
  } else if (roll < 81) {
    const id = pick(nodeIdsOfKind(doc, 'condition'));
    if (id) updateCondition(doc, id, { conditionType: pick(CONDITION_TYPES) ?? 'other' });
  } else if (roll < 85) {
    if (lanes.length < 6) addLane(doc, words());
  } else if (roll < 88) {
    const lane = pick(lanes);
    if (!lane) return;
    if (prng.bool(gen)) renameLane(doc, lane, words());
    else recolourLane(doc, lane, pick(LANE_COLOURS) ?? LANE_COLOURS[0]);
  } else if (roll < 90) {
    if (lanes.length > 1) {
      const order = [...lanes];
      for (let i = order.length - 1; i > 0; i--) {
        const j = prng.int32(gen, 0, i);
        [order[i], order[j]] = [order[j], order[i]];
      }
      reorderLanes(doc, order);
    }
  } else if (roll < 92) {
    const lane = pick(lanes);
    if (lane) removeLane(doc, lane);
  } else if (roll < 93) {
    setBoardTitle(doc, words());
  } else if (roll < 94) {
    setPeriod(doc, prng.bool(gen) ? 'March 2026' : 'one week');
  } else if (roll < 97) {
    person.undo.undo();
  } else if (roll < 98) {
    person.undo.redo();
  } else {
    badInput(gen, doc, pick);
  }
}

/**
 * A bad input in the middle of everything: the model must refuse it
 * (BoardOperationError, rethrown so it counts as refused) and change nothing.
 */
function badInput(gen: prng.PRNG, doc: Y.Doc, pick: <T>(items: readonly T[]) => T | null): void {
  const step = pick(nodeIdsOfKind(doc, 'step'));
  const attempts: (() => void)[] = [
    () => addStep(doc, { position: { x: Number.NaN, y: 0 } }),
    () => connect(doc, 'no-such-step', step ?? 'no-such-either', 'flow'),
    () => addLane(doc, ''),
    () => setBoardTitle(doc, '   '),
  ];
  if (step) {
    attempts.push(
      () => updateStep(doc, step, { pt: -5 }),
      () => updateStep(doc, step, { lane: 'no-such-lane' }),
      () => connect(doc, step, step, 'flow'),
      () => renameNode(doc, step, '   '),
    );
  }
  const before = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
  try {
    prng.oneOf(gen, attempts)();
  } catch (error) {
    if (Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64') !== before) {
      throw new Error('a refused operation changed the board');
    }
    throw error;
  }
  throw new Error('the model accepted a bad input');
}

/** Runs one seed on one board; throws with a description when the copies do not converge. */
export async function runConvergence(options: ConvergenceOptions): Promise<ConvergenceResult> {
  const started = Date.now();
  const gen = prng.create(options.seed);
  const count = options.clients ?? 5;
  const ops = options.ops ?? 150;
  const people: Person[] = [];
  let applied = 0;
  let refused = 0;
  let disconnects = 0;
  try {
    for (let i = 0; i < count; i++) {
      const urls = options.wsUrls ?? [options.wsUrl];
      const client = connectClient(urls[i % urls.length], options.boardId);
      const undo = createBoardUndo(client.doc);
      const stop = keepEdgesWhole(client.doc, undo.isLocalOrigin);
      people.push({ client, undo, stop });
    }
    for (const person of people) await synced(person.client);

    for (let op = 0; op < ops; op++) {
      const person = prng.oneOf(gen, people);
      const provider = person.client.provider;
      const roll = prng.int32(gen, 0, 99);
      if (roll < 4 && provider.shouldConnect) {
        provider.disconnect();
        disconnects += 1;
      } else if (roll < 10 && !provider.shouldConnect) {
        provider.connect();
      } else {
        try {
          randomOperation(gen, person);
          applied += 1;
        } catch (error) {
          if (!(error instanceof BoardOperationError)) throw error;
          refused += 1;
        }
      }
      // Let the network deliver now and then, so operations interleave with remote ones.
      if (prng.int32(gen, 0, 3) === 0) await sleep(prng.int32(gen, 0, 4));
    }

    // Everyone back online, then wait until every copy agrees and stays agreed.
    for (const person of people) if (!person.client.provider.shouldConnect) person.client.provider.connect();
    for (const person of people) await synced(person.client, 10_000);
    let last = '';
    await waitFor(
      async () => {
        const prints = people.map((p) => fingerprint(p.client.doc));
        const agreed = prints.every(
          (f) => f.stateVector === prints[0].stateVector && f.raw === prints[0].raw && f.board === prints[0].board,
        );
        const whole = people.every((p) => danglingEdges(p.client.doc) === 0);
        const summary = prints.map((f) => f.stateVector).join('|') + (whole ? '' : ' dangling');
        if (!agreed || !whole) {
          last = summary;
          return false;
        }
        // Agreed twice in a row, 100 ms apart: nothing is still on its way.
        if (summary === last) return true;
        last = summary;
        await sleep(100);
        return false;
      },
      20_000,
      `seed ${options.seed}: the ${count} copies to converge`,
    );

    const prints = people.map((p) => fingerprint(p.client.doc));
    for (const f of prints) {
      if (f.measures !== prints[0].measures)
        throw new Error(`seed ${options.seed}: the measures differ between copies`);
    }
    // Every change confirmed stored, then the board as the server stored it: a fresh client after the room unloaded.
    for (const person of people) {
      if (!(await person.client.saved())) throw new Error(`seed ${options.seed}: the server could not store changes`);
    }
    for (const person of people) {
      person.stop();
      person.undo.destroy();
      person.client.destroy();
    }
    people.length = 0;
    await waitFor(
      async () =>
        ((await (await api(`${options.httpUrl}/healthz`)).json()) as { boardsLoaded: number }).boardsLoaded === 0,
      10_000,
      'the board to be unloaded from the server’s memory',
    );
    const fresh = connectClient(options.wsUrl, options.boardId);
    try {
      await synced(fresh, 10_000);
      const stored = fingerprint(fresh.doc);
      if (stored.raw !== prints[0].raw || stored.board !== prints[0].board || stored.measures !== prints[0].measures) {
        throw new Error(`seed ${options.seed}: the board the server stored differs from the clients' copies`);
      }
      if (stored.stateVector !== prints[0].stateVector) {
        throw new Error(`seed ${options.seed}: the stored state vector differs from the clients'`);
      }
      const board = readBoard(fresh.doc);
      return {
        seed: options.seed,
        applied,
        refused,
        disconnects,
        nodes: board.nodes.length,
        edges: board.edges.length,
        lanes: board.lanes.length,
        ms: Date.now() - started,
      };
    } finally {
      fresh.destroy();
    }
  } finally {
    for (const person of people) {
      person.stop();
      person.undo.destroy();
      person.client.destroy();
    }
  }
}
