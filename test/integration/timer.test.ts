/**
 * The workshop timer (issue 15, message 102): the facilitator sets it on the
 * real server, everyone on the board sees the same one — a late joiner too —
 * and nobody else can change it. Raw sockets, so the test sees exactly which
 * timer messages each person receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
  CLOSE_MALFORMED_MESSAGE,
  MESSAGE_TIMER,
  TIMER_WORDS,
  encodeTimerCommand,
  encodeTimerRequest,
  readTimerMessage,
  type TimerCommand,
  type TimerMessage,
} from '../../src/protocol';
import { rawSocket } from '../helpers/clients';
import { api, newKey, startServer, waitFor, type ServerProcess } from '../helpers/server';

let s: ServerProcess;
let boardId: string;
const keys = { facilitator: '', editor: '', viewer: '' };

interface Person {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  /** Every timer message received, oldest first. */
  heard: TimerMessage[];
  send(command: TimerCommand): void;
  /** Waits for the next timer message after the ones heard so far. */
  next(): Promise<TimerMessage>;
}

async function join(key: string, link: string): Promise<void> {
  const response = await api(`${s.url}/api/join`, {
    key,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ link }),
  });
  expect(response.status).toBe(200);
}

/** Someone on the board whose client asks for the timer, as the app does on connecting. */
async function arrive(key: string, subscribe = true): Promise<Person> {
  const { ws, closed } = await rawSocket(s.wsUrl, boardId, key);
  const heard: TimerMessage[] = [];
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== MESSAGE_TIMER) return;
    const message = readTimerMessage(decoder);
    if (message) heard.push(message);
  });
  if (subscribe) ws.send(encodeTimerRequest());
  const person: Person = {
    ws,
    closed,
    heard,
    send: (command) => ws.send(encodeTimerCommand(command)),
    async next() {
      const count = heard.length;
      await waitFor(() => heard.length > count, 10_000, 'a timer message');
      return heard[count];
    },
  };
  if (subscribe) await waitFor(() => heard.length > 0, 10_000, 'the timer on connecting');
  return person;
}

const everyone: Person[] = [];
async function arriveAll(...list: string[]) {
  const people = await Promise.all(list.map((key) => arrive(key)));
  everyone.push(...people);
  return people;
}

beforeAll(async () => {
  s = await startServer();
  const response = await api(`${s.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Timer board' }),
  });
  const created = (await response.json()) as { id: string; links: { edit: string; view: string } };
  boardId = created.id;
  keys.facilitator = s.key;
  keys.editor = await newKey(s);
  await join(keys.editor, created.links.edit);
  keys.viewer = await newKey(s);
  await join(keys.viewer, created.links.view);
});
afterAll(async () => {
  for (const person of everyone) person.ws.close();
  await s?.stop();
});

describe('the workshop timer', () => {
  it('the facilitator starts it and everyone on the board, late joiners too, gets the same end', async () => {
    const [facilitator, editor] = await arriveAll(keys.facilitator, keys.editor);
    expect(facilitator.heard[0].timer).toBeNull();

    const before = Date.now();
    const editorHears = editor.next();
    facilitator.send({ action: 'start', label: 'Listening to demand', minutes: 10, by: 'Sam' });
    const started = await editorHears;
    expect(started.error).toBeUndefined();
    expect(started.timer).toMatchObject({ label: 'Listening to demand', pausedRemainingMs: null, setBy: 'Sam' });
    // Ten minutes from the server's now, whatever this machine's load.
    expect(started.timer!.endsAt - started.now).toBeGreaterThan(9 * 60_000);
    expect(started.timer!.endsAt - started.now).toBeLessThanOrEqual(10 * 60_000);
    expect(started.now).toBeGreaterThanOrEqual(before - 5000);
    await waitFor(() => facilitator.heard.length === 2, 10_000, 'the facilitator to hear it too');
    expect(facilitator.heard[1].timer).toEqual(started.timer);

    // Someone who joins now gets the end time, not a ticking counter.
    const [late] = await arriveAll(keys.viewer);
    expect(late.heard[0].timer).toEqual(started.timer);

    // +1 min moves the end for everyone.
    const lateHears = late.next();
    facilitator.send({ action: 'addMinute' });
    const added = await lateHears;
    expect(added.timer!.endsAt).toBeGreaterThanOrEqual(started.timer!.endsAt + 59_000);

    // Pause keeps what is left; resume counts it down again.
    const paused = editor.next();
    facilitator.send({ action: 'pause' });
    const pausedTimer = (await paused).timer!;
    expect(pausedTimer.pausedRemainingMs).toBeGreaterThan(10 * 60_000 - 5000);
    const resumed = editor.next();
    facilitator.send({ action: 'resume' });
    const resumedMessage = await resumed;
    expect(resumedMessage.timer!.pausedRemainingMs).toBeNull();
    expect(resumedMessage.timer!.endsAt - resumedMessage.now).toBe(pausedTimer.pausedRemainingMs);

    // Stop clears it for everyone.
    const stopped = [editor.next(), late.next()];
    facilitator.send({ action: 'stop' });
    for (const message of await Promise.all(stopped)) expect(message.timer).toBeNull();
  });

  it("refuses an editor's and a viewer's timer in plain words, and nobody else hears of it", async () => {
    const [facilitator, editor, viewer] = await arriveAll(keys.facilitator, keys.editor, keys.viewer);
    for (const refused of [editor, viewer]) {
      const answer = refused.next();
      refused.send({ action: 'start', label: 'Coffee', minutes: 5 });
      expect(await answer).toMatchObject({ timer: null, error: TIMER_WORDS.notFacilitator });
    }
    const editorStops = editor.next();
    editor.send({ action: 'stop' });
    expect((await editorStops).error).toBe(TIMER_WORDS.notFacilitator);

    // A facilitator's change after them is the next thing the others hear: the refusals reached nobody.
    const heardBefore = [facilitator.heard.length, editor.heard.length, viewer.heard.length];
    facilitator.send({ action: 'start', label: 'Flow', minutes: 1 });
    const next = await viewer.next();
    expect(next.timer?.label).toBe('Flow');
    await waitFor(() => facilitator.heard.length > heardBefore[0], 10_000, 'the facilitator to hear it');
    expect(facilitator.heard.slice(1).every((m) => m.error === undefined)).toBe(true);
    expect(facilitator.heard.slice(1).map((m) => m.timer?.label)).toEqual(['Flow']);
    expect(viewer.heard.slice(heardBefore[2]).map((m) => m.timer?.label)).toEqual(['Flow']);
    facilitator.send({ action: 'stop' });
    await waitFor(() => viewer.heard.at(-1)?.timer === null, 10_000, 'the timer to stop');
  });

  it('a timer of 0, over 8 hours or without a label changes nothing, with a clear answer', async () => {
    const [facilitator, editor] = await arriveAll(keys.facilitator, keys.editor);
    const cases: [unknown, string][] = [
      [{ action: 'start', label: 'Flow', minutes: 0 }, TIMER_WORDS.duration],
      [{ action: 'start', label: 'Flow', minutes: 481 }, TIMER_WORDS.duration],
      [{ action: 'start', label: 'Flow', minutes: 'ten' }, TIMER_WORDS.duration],
      [{ action: 'start', label: '   ', minutes: 10 }, TIMER_WORDS.noLabel],
      [{ action: 'explode' }, TIMER_WORDS.unreadable],
      [{ action: 'pause' }, TIMER_WORDS.noTimer],
    ];
    for (const [command, words] of cases) {
      const answer = facilitator.next();
      facilitator.send(command as TimerCommand);
      expect(await answer).toMatchObject({ timer: null, error: words });
    }
    // Not JSON at all: answered the same way.
    const answer = facilitator.next();
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TIMER);
    encoding.writeVarString(encoder, '{not json');
    facilitator.ws.send(encoding.toUint8Array(encoder));
    expect((await answer).error).toBe(TIMER_WORDS.unreadable);
    expect(editor.heard).toHaveLength(1);

    // A truncated message closes only the connection that sent it; the others carry on.
    const [broken] = await arriveAll(keys.facilitator);
    broken.ws.send(new Uint8Array([MESSAGE_TIMER, 0x05, 0x7b]));
    expect((await broken.closed).code).toBe(CLOSE_MALFORMED_MESSAGE);
    const editorHears = editor.next();
    facilitator.send({ action: 'start', label: 'Still here', minutes: 2 });
    expect((await editorHears).timer?.label).toBe('Still here');
    facilitator.send({ action: 'stop' });
    await waitFor(() => editor.heard.at(-1)?.timer === null, 10_000, 'the timer to stop');
  });

  it('a client that never asks (plain y-websocket) is never sent a timer message', async () => {
    const [facilitator] = await arriveAll(keys.facilitator);
    const plain = await arrive(keys.editor, false);
    everyone.push(plain);
    facilitator.send({ action: 'start', label: 'Quiet', minutes: 1 });
    await waitFor(() => facilitator.heard.at(-1)?.timer?.label === 'Quiet', 10_000, 'the start');
    // A save answer after it proves the plain client's socket has had time to hear anything sent to it.
    const answered = new Promise<void>((resolve) =>
      plain.ws.on('message', (data: Buffer) => {
        if (new Uint8Array(data)[0] === 100) resolve();
      }),
    );
    plain.ws.send(new Uint8Array([100, 1]));
    await answered;
    expect(plain.heard).toHaveLength(0);
    facilitator.send({ action: 'stop' });
  });
});
