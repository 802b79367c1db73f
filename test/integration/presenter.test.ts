/**
 * Presenter mode (issue 15, message 103) on the real server: the facilitator
 * starts it and moves between sections computed from the board; everyone who
 * asks — a late joiner too — gets the section at once; nobody else can run
 * it, and a bad command changes nothing. Raw sockets, so the test sees
 * exactly which presenter messages each person receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { buildPresenterSections, readBoard, type PresenterSection } from '../../src/model';
import {
  CLOSE_MALFORMED_MESSAGE,
  MESSAGE_PRESENTER,
  PRESENTER_WORDS,
  encodePresenterCommand,
  encodePresenterRequest,
  readPresenterMessage,
  type PresenterCommand,
  type PresenterMessage,
} from '../../src/protocol';
import { connectClient, rawSocket, synced } from '../helpers/clients';
import { api, newKey, startServer, waitFor, type ServerProcess } from '../helpers/server';

let s: ServerProcess;
let boardId: string;
let sections: PresenterSection[];
const keys = { facilitator: '', editor: '', viewer: '' };

interface Person {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  /** Every presenter message received, oldest first. */
  heard: PresenterMessage[];
  send(command: PresenterCommand): void;
  /** Waits for the next presenter message after the ones heard so far. */
  next(): Promise<PresenterMessage>;
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

const everyone: Person[] = [];
/** Someone on the board whose client asks for the presenter state, as the app does on connecting. */
async function arrive(key: string, subscribe = true): Promise<Person> {
  const { ws, closed } = await rawSocket(s.wsUrl, boardId, key);
  const heard: PresenterMessage[] = [];
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== MESSAGE_PRESENTER) return;
    const message = readPresenterMessage(decoder);
    if (message) heard.push(message);
  });
  if (subscribe) ws.send(encodePresenterRequest());
  const person: Person = {
    ws,
    closed,
    heard,
    send: (command) => ws.send(encodePresenterCommand(command)),
    async next() {
      const count = heard.length;
      await waitFor(() => heard.length > count, 10_000, 'a presenter message');
      return heard[count];
    },
  };
  everyone.push(person);
  if (subscribe) await waitFor(() => heard.length > 0, 10_000, 'the presenter state on connecting');
  return person;
}

function sendRaw(person: Person, json: string): void {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_PRESENTER);
  encoding.writeVarString(encoder, json);
  person.ws.send(encoding.toUint8Array(encoder));
}

beforeAll(async () => {
  s = await startServer();
  const response = await api(`${s.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Presenter board', template: 'housing-repairs-before' }),
  });
  const created = (await response.json()) as { id: string; links: { edit: string; view: string } };
  boardId = created.id;
  keys.facilitator = s.key;
  keys.editor = await newKey(s);
  await join(keys.editor, created.links.edit);
  keys.viewer = await newKey(s);
  await join(keys.viewer, created.links.view);
  // The sections as a client computes them from its synced copy of the board.
  const client = connectClient(s.wsUrl, boardId);
  await synced(client, 10_000);
  const board = readBoard(client.doc);
  sections = buildPresenterSections({ nodes: board.nodes, lanes: board.lanes, comparison: false });
  client.destroy();
});
afterAll(async () => {
  for (const person of everyone) person.ws.close();
  await s?.stop();
});

describe('presenter mode on the server', () => {
  it('the facilitator starts and moves on; everyone follows, and a late joiner lands on the section at once', async () => {
    expect(sections.map((x) => x.id).slice(0, 3)).toEqual(['purpose', 'demand', 'flow']);
    const [facilitator, editor] = await Promise.all([arrive(keys.facilitator), arrive(keys.editor)]);
    expect(facilitator.heard[0].presenter).toBeNull();

    const editorHears = editor.next();
    facilitator.send({ action: 'start', by: 'Sam' });
    const started = await editorHears;
    expect(started.error).toBeUndefined();
    // Starting with no section chosen opens the first one in the method's order.
    expect(started.presenter).toEqual({ active: true, section: 'purpose', order: [], hidden: [], by: 'Sam' });

    const lane = sections.find((x) => x.kind === 'lane')!;
    const moved = editor.next();
    facilitator.send({ action: 'go', section: lane.id });
    expect((await moved).presenter?.section).toBe(lane.id);

    const late = await arrive(keys.viewer);
    expect(late.heard[0].presenter).toMatchObject({ active: true, section: lane.id, by: 'Sam' });

    // Hiding the section on screen moves everyone to the next one shown.
    const arranged = late.next();
    // Measures first, then the rest in the method's order (the client sends the whole order).
    const order = ['measures', ...sections.map((x) => x.id).filter((id) => id !== 'measures')];
    facilitator.send({ action: 'arrange', order, hidden: [lane.id] });
    const after = order[order.indexOf(lane.id) + 1];
    expect((await arranged).presenter).toMatchObject({ section: after, order, hidden: [lane.id] });

    // Stop: nobody presents; the arrangement stays for the next start, which honours it.
    const stopped = late.next();
    facilitator.send({ action: 'stop' });
    expect((await stopped).presenter).toMatchObject({ active: false, section: null, hidden: [lane.id] });
    const restarted = late.next();
    facilitator.send({ action: 'start' });
    expect((await restarted).presenter).toMatchObject({ active: true, section: 'measures' });
    facilitator.send({ action: 'stop' });
    await waitFor(() => late.heard.at(-1)?.presenter?.active === false, 10_000, 'the stop');
  });

  it("refuses an editor's and a viewer's start, go and stop in plain words, and nobody else hears of it", async () => {
    const [facilitator, editor, viewer] = await Promise.all([
      arrive(keys.facilitator),
      arrive(keys.editor),
      arrive(keys.viewer),
    ]);
    const stateBefore = facilitator.heard[0].presenter;
    for (const refused of [editor, viewer]) {
      for (const command of [
        { action: 'start' },
        { action: 'go', section: 'demand' },
        { action: 'arrange', order: [], hidden: ['demand'] },
        { action: 'stop' },
      ] as PresenterCommand[]) {
        const answer = refused.next();
        refused.send(command);
        expect(await answer).toEqual({ presenter: stateBefore, error: PRESENTER_WORDS.notFacilitator });
      }
    }
    // The facilitator's start is the next thing anyone hears: the refusals reached nobody and changed nothing.
    const heardBefore = [facilitator.heard.length, editor.heard.length, viewer.heard.length];
    const viewerHears = viewer.next();
    facilitator.send({ action: 'start', section: 'demand' });
    expect((await viewerHears).presenter).toMatchObject({ active: true, section: 'demand' });
    await waitFor(() => facilitator.heard.length > heardBefore[0], 10_000, 'the facilitator to hear it');
    expect(facilitator.heard.slice(1).map((m) => [m.presenter?.section, m.error])).toEqual([['demand', undefined]]);
    await waitFor(() => editor.heard.length > heardBefore[1], 10_000, 'the editor to hear it');
    expect(editor.heard.slice(heardBefore[1]).map((m) => [m.presenter?.section, m.error])).toEqual([
      ['demand', undefined],
    ]);
    facilitator.send({ action: 'stop' });
    await waitFor(() => viewer.heard.at(-1)?.presenter?.active === false, 10_000, 'the stop');
  });

  it('bad commands change nothing and are answered; a truncated one closes only its sender', async () => {
    const [facilitator, editor] = await Promise.all([arrive(keys.facilitator), arrive(keys.editor)]);
    // Arranged but not presenting: the state every refusal below must leave as it is.
    const arranged = editor.next();
    facilitator.send({ action: 'arrange', order: [], hidden: ['conditions'] });
    const stateBefore = (await arranged).presenter;
    expect(stateBefore).toMatchObject({ active: false, hidden: ['conditions'] });
    await waitFor(() => facilitator.heard.length === 2, 10_000, 'the facilitator to hear it');
    const cases: [unknown, string][] = [
      [{ action: 'go', section: 'demand' }, PRESENTER_WORDS.notPresenting],
      [{ action: 'stop' }, PRESENTER_WORDS.notPresenting],
      [{ action: 'start', section: 'lane:no-such-lane' }, PRESENTER_WORDS.unknownSection],
      [{ action: 'start', section: '<script>' }, PRESENTER_WORDS.unreadable],
      [{ action: 'arrange', order: 'measures', hidden: [] }, PRESENTER_WORDS.unreadable],
      [{ action: 'arrange', order: [], hidden: sections.map((x) => x.id) }, PRESENTER_WORDS.allHidden],
      [{ action: 'arrange', order: ['nope'], hidden: [] }, PRESENTER_WORDS.unknownSection],
      [{ action: 'explode' }, PRESENTER_WORDS.unreadable],
      [null, PRESENTER_WORDS.unreadable],
    ];
    for (const [command, words] of cases) {
      const answer = facilitator.next();
      sendRaw(facilitator, JSON.stringify(command));
      expect(await answer, JSON.stringify(command)).toEqual({ presenter: stateBefore, error: words });
    }
    const answer = facilitator.next();
    sendRaw(facilitator, '{not json');
    expect((await answer).error).toBe(PRESENTER_WORDS.unreadable);
    // While presenting: a hidden or unknown section to go to.
    facilitator.send({ action: 'start' });
    await waitFor(() => facilitator.heard.at(-1)?.presenter?.active === true, 10_000, 'the start');
    for (const [command, words] of [
      [{ action: 'go', section: 'lane:gone' }, PRESENTER_WORDS.unknownSection],
      [{ action: 'go', section: 'conditions' }, PRESENTER_WORDS.hiddenSection],
    ] as const) {
      const refused = facilitator.next();
      facilitator.send(command as PresenterCommand);
      expect((await refused).error).toBe(words);
    }
    // The editor heard the arrangement and the start only.
    expect(editor.heard.slice(2).map((m) => [m.presenter?.active, m.error])).toEqual([[true, undefined]]);

    // A truncated message closes only the connection that sent it; the others carry on.
    const broken = await arrive(keys.facilitator);
    broken.ws.send(new Uint8Array([MESSAGE_PRESENTER, 0x05, 0x7b]));
    expect((await broken.closed).code).toBe(CLOSE_MALFORMED_MESSAGE);
    const editorHears = editor.next();
    facilitator.send({ action: 'go', section: 'flow' });
    expect((await editorHears).presenter?.section).toBe('flow');
    facilitator.send({ action: 'stop' });
    await waitFor(() => editor.heard.at(-1)?.presenter?.active === false, 10_000, 'the stop');
  });

  it('a client that never asks (plain y-websocket) is never sent a presenter message', async () => {
    const facilitator = await arrive(keys.facilitator);
    const plain = await arrive(keys.editor, false);
    facilitator.send({ action: 'start' });
    await waitFor(() => facilitator.heard.at(-1)?.presenter?.active === true, 10_000, 'the start');
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
