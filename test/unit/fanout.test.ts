/**
 * The fan-out interface between instances (server/sync/fanout.ts), in one
 * process: LocalFanouts on one hub are "instances". What every module relies
 * on: a message reaches the other instances that have the board open, never
 * its sender, never an instance without the board; short-lived state is kept
 * and forgotten; `exclusive` runs one piece of work at a time; and the
 * configuration refuses what it cannot use, in plain words.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config';
import { LocalFanout, LocalHub, decodeFanoutMessage, encodeFanoutMessage } from '../../server/sync/fanout';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LocalFanout', () => {
  it('alone it is not shared and tells nobody', async () => {
    const only = new LocalFanout();
    const heard: string[] = [];
    only.on('doc', (_board, payload) => heard.push(text(payload)));
    await only.join('b1');
    only.publish('b1', 'doc', bytes('hello'));
    await settle();
    expect(only.shared).toBe(false);
    expect(heard).toEqual([]);
    expect(only.status).toMatchObject({ mode: 'local', connected: true, boards: 1 });
  });

  it('delivers to the other instances with the board open, by topic, never back to the sender', async () => {
    const hub = new LocalHub();
    const [a, b, c] = [new LocalFanout(hub), new LocalFanout(hub), new LocalFanout(hub)];
    const heard: Record<string, string[]> = { a: [], b: [], c: [] };
    for (const [name, fanout] of [
      ['a', a],
      ['b', b],
      ['c', c],
    ] as const) {
      fanout.on('doc', (board, payload) => heard[name].push(`${board}:${text(payload)}`));
      fanout.on('timer', (board, payload) => heard[name].push(`timer ${board}:${text(payload)}`));
    }
    await a.join('b1');
    await b.join('b1');
    await c.join('b2');
    expect(a.shared).toBe(true);
    a.publish('b1', 'doc', bytes('one'));
    a.publish('b1', 'timer', bytes('ten minutes'));
    c.publish('b1', 'doc', bytes('from c, who has not got b1 open'));
    await settle();
    expect(heard.a).toEqual(['b1:from c, who has not got b1 open']);
    expect(heard.b).toEqual(['b1:one', 'timer b1:ten minutes', 'b1:from c, who has not got b1 open']);
    expect(heard.c).toEqual([]);
    // Joined twice (two modules), left once: still listening. Left again: no more.
    await b.join('b1');
    b.leave('b1');
    a.publish('b1', 'doc', bytes('two'));
    await settle();
    expect(heard.b.at(-1)).toBe('b1:two');
    b.leave('b1');
    a.publish('b1', 'doc', bytes('three'));
    await settle();
    expect(heard.b.at(-1)).toBe('b1:two');
  });

  it('a handler that throws costs only itself: the others still hear the message', async () => {
    const hub = new LocalHub();
    const logged: string[] = [];
    const [a, b] = [new LocalFanout(hub), new LocalFanout(hub, (m) => logged.push(m))];
    const heard: string[] = [];
    b.on('doc', () => {
      throw new Error('garbled');
    });
    b.on('doc', (_board, payload) => heard.push(text(payload)));
    await a.join('b1');
    await b.join('b1');
    a.publish('b1', 'doc', bytes('x'));
    await settle();
    expect(heard).toEqual(['x']);
    expect(logged[0]).toMatch(/board b1: a "doc" message from another instance failed: Error: garbled/);
  });

  it('remembers short-lived state for the other instances until it expires or is forgotten', async () => {
    const hub = new LocalHub();
    const [a, b] = [new LocalFanout(hub), new LocalFanout(hub)];
    await a.remember('b1', 'timer', bytes('running'), 60_000);
    expect(text((await b.recall('b1', 'timer'))!)).toBe('running');
    expect(await b.recall('b2', 'timer')).toBeNull();
    await b.remember('b1', 'timer', null, 0);
    expect(await a.recall('b1', 'timer')).toBeNull();
    await a.remember('b1', 'timer', bytes('short'), 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await b.recall('b1', 'timer')).toBeNull();
  });

  it('runs exclusive work one at a time per board and topic, across the instances of a hub, even when one fails', async () => {
    const hub = new LocalHub();
    const [a, b] = [new LocalFanout(hub), new LocalFanout(hub)];
    const log: string[] = [];
    const work =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name} out`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([
      a.exclusive('b1', 'vote', work('first')),
      b.exclusive('b1', 'vote', work('second', true)),
      a.exclusive('b1', 'vote', work('third')),
    ]);
    expect(log).toEqual(['first in', 'first out', 'second in', 'second out', 'third in', 'third out']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('the fan-out message', () => {
  it('carries sender, topic and bytes, and refuses a truncated one', () => {
    const message = encodeFanoutMessage('instance-1', 'awareness', new Uint8Array([1, 2, 3]));
    expect(decodeFanoutMessage(message)).toEqual({
      from: 'instance-1',
      topic: 'awareness',
      payload: new Uint8Array([1, 2, 3]),
    });
    expect(() => decodeFanoutMessage(message.slice(0, message.length - 2))).toThrow();
  });
});

describe('REDIS_URL and REDIS_HEAL_INTERVAL_MS', () => {
  it('are off by default: one instance', () => {
    const config = readConfig({});
    expect(config.redisUrl).toBeNull();
    expect(config.redisHealIntervalMs).toBe(10_000);
  });

  it('take a redis:// or rediss:// address and an interval', () => {
    const config = readConfig({ REDIS_URL: 'redis://cache:6379/2', REDIS_HEAL_INTERVAL_MS: '2500' });
    expect(config).toMatchObject({ redisUrl: 'redis://cache:6379/2', redisHealIntervalMs: 2500 });
    expect(readConfig({ REDIS_URL: 'rediss://:secret@cache:6380' }).redisUrl).toBe('rediss://:secret@cache:6380');
  });

  it('refuse anything else in plain words', () => {
    expect(() => readConfig({ REDIS_URL: 'http://cache:6379' })).toThrow(
      'Invalid configuration: REDIS_URL: must be like redis://localhost:6379',
    );
    expect(() => readConfig({ REDIS_HEAL_INTERVAL_MS: '5' })).toThrow(
      'REDIS_HEAL_INTERVAL_MS: must be a whole number from 100 to 3600000, got "5"',
    );
    expect(() => readConfig({ REDIS_HEAL_INTERVAL_MS: 'soon' })).toThrow('REDIS_HEAL_INTERVAL_MS');
  });
});
