/**
 * Presence (src/collab/presence.ts): the pure parts, and two Presence objects
 * on plain Y.Docs whose awareness updates are passed by hand, standing for
 * two people on one board.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { createBoardStore } from '../../src/collab/board-store';
import {
  NAME_STORAGE_KEY,
  PRESENCE_COLOURS,
  Presence,
  alignView,
  cleanName,
  derivePeers,
  initials,
  loadName,
  pickColour,
  readPresence,
  saveName,
  throttle,
  type PresenceState,
  type View,
} from '../../src/collab/presence';

function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial));
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: (key, value) => void data.set(key, String(value)),
  };
}

function state(name: string, patch: Partial<PresenceState> = {}): PresenceState {
  return {
    user: { name, colour: PRESENCE_COLOURS[0] },
    joinedAt: 0,
    cursor: null,
    selection: [],
    editing: null,
    view: null,
    summon: null,
    ...patch,
  };
}

describe('presence, pure parts', () => {
  it('tidies names and makes initials', () => {
    expect(cleanName('  Sam   Taylor ')).toBe('Sam Taylor');
    expect(cleanName('x'.repeat(100))).toHaveLength(40);
    expect(initials('Ana María Soto')).toBe('AS');
    expect(initials('ana')).toBe('A');
    expect(initials('  ')).toBe('?');
  });

  it('remembers the name on the device, and survives a storage that refuses', () => {
    const storage = memoryStorage();
    expect(loadName(storage)).toBe('');
    saveName(storage, '  Sam ');
    expect(storage.getItem(NAME_STORAGE_KEY)).toBe('Sam');
    expect(loadName(storage)).toBe('Sam');
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadName(refusing)).toBe('');
    expect(() => saveName(refusing, 'x')).not.toThrow();
    expect(loadName(null)).toBe('');
  });

  it('picks a colour nobody else uses; in a clash the earlier person keeps theirs', () => {
    const [c0, c1, c2] = PRESENCE_COLOURS;
    const me = (clientId: number, joinedAt = 100) => ({ clientId, joinedAt });
    expect(pickColour(me(5), null, [])).toBe(c0);
    expect(pickColour(me(5), null, [{ clientId: 1, colour: c0, joinedAt: 50 }])).toBe(c1);
    // A newcomer with the same colour does not recolour the person already there...
    expect(pickColour(me(5), c0, [{ clientId: 1, colour: c0, joinedAt: 200 }])).toBe(c0);
    // ...the newcomer moves on, to a colour nobody uses.
    expect(pickColour(me(1, 200), c0, [{ clientId: 5, colour: c0, joinedAt: 100 }])).toBe(c1);
    // Joined at the same moment: the lower client id keeps it.
    expect(pickColour(me(9), c0, [{ clientId: 5, colour: c0, joinedAt: 100 }])).toBe(c1);
    expect(pickColour(me(5), c0, [{ clientId: 9, colour: c0, joinedAt: 100 }])).toBe(c0);
    expect(
      pickColour(me(9, 300), c0, [
        { clientId: 5, colour: c0, joinedAt: 100 },
        { clientId: 6, colour: c1, joinedAt: 100 },
      ]),
    ).toBe(c2);
    // Every colour taken: one derived from the client id.
    const everyone = PRESENCE_COLOURS.map((colour, i) => ({ clientId: i, colour, joinedAt: 0 }));
    expect(pickColour(me(103), PRESENCE_COLOURS[0], everyone)).toBe(PRESENCE_COLOURS[103 % PRESENCE_COLOURS.length]);
  });

  it('every colour is readable behind white text (contrast at least 4.5:1)', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    for (const colour of PRESENCE_COLOURS) expect(1.05 / (luminance(colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
    expect(new Set(PRESENCE_COLOURS).size).toBe(PRESENCE_COLOURS.length);
  });

  it('throttles: the first call at once, then at most one per window with the latest value', () => {
    let now = 0;
    const scheduled: { run: () => void; at: number }[] = [];
    const calls: number[] = [];
    const send = throttle(
      (n: number) => calls.push(n),
      50,
      () => now,
      (run, ms) => scheduled.push({ run, at: now + ms }),
    );
    send(1);
    expect(calls).toEqual([1]);
    now = 10;
    send(2);
    now = 20;
    send(3);
    expect(calls).toEqual([1]);
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0].at).toBe(50);
    now = 50;
    scheduled.shift()!.run();
    expect(calls).toEqual([1, 3]);
    now = 200;
    send(4);
    expect(calls).toEqual([1, 3, 4]);
    now = 210;
    send(5);
    send.cancel();
    scheduled.shift()!.run();
    expect(calls).toEqual([1, 3, 4]);
  });

  it('aligns a view by its centre and zoom on a canvas of another size', () => {
    const view: View = { x: 100, y: 50, zoom: 2, width: 1000, height: 600 };
    // Their centre in board coordinates: ((500 - 100) / 2, (300 - 50) / 2) = (200, 125).
    const aligned = alignView(view, 800, 400);
    expect(aligned.zoom).toBe(2);
    expect((400 - aligned.x) / 2).toBe(200);
    expect((200 - aligned.y) / 2).toBe(125);
    expect(alignView(view, 1000, 600)).toEqual({ x: 100, y: 50, zoom: 2 });
  });

  it('reads a remote state defensively', () => {
    expect(readPresence(null)).toBeNull();
    expect(readPresence({ user: { name: 3 } })).toBeNull();
    const read = readPresence({
      user: { name: 'Sam', colour: 'red; background: url(x)' },
      cursor: { x: 'a', y: 2 },
      selection: ['n1', 7],
      view: { x: 0, y: 0, zoom: 0, width: 1, height: 1 },
      summon: { id: 's1', view: { x: 1, y: 2, zoom: 1, width: 10, height: 10 } },
    });
    expect(read).toEqual({
      joinedAt: 0,
      user: { name: 'Sam', colour: '#64748b' },
      cursor: null,
      selection: ['n1'],
      editing: null,
      view: null,
      summon: { id: 's1', view: { x: 1, y: 2, zoom: 1, width: 10, height: 10 } },
    });
  });

  it('derives the other people and the marks on nodes; editing wins over selecting', () => {
    const states = new Map<number, PresenceState>([
      [1, state('Me', { selection: ['a'] })],
      [3, state('', { selection: ['a', 'b'] })],
      [2, state('Bo', { selection: ['b'], editing: 'c' })],
      [4, state('Di', { editing: 'a' })],
    ]);
    const { peers, marks } = derivePeers(states, 1);
    expect(peers.map((p) => [p.clientId, p.name])).toEqual([
      [2, 'Bo'],
      [3, 'Someone'],
      [4, 'Di'],
    ]);
    expect(marks.get('a')).toMatchObject({ name: 'Di', editing: true });
    expect(marks.get('b')).toMatchObject({ name: 'Bo', editing: false });
    expect(marks.get('c')).toMatchObject({ name: 'Bo', editing: true });
  });
});

describe('presence between two people', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
    vi.useRealTimers();
  });

  function person(name: string) {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const store = createBoardStore();
    const presence = new Presence(awareness, store, memoryStorage(name ? { [NAME_STORAGE_KEY]: name } : {}));
    cleanups.push(() => {
      presence.destroy();
      awareness.destroy();
      doc.destroy();
    });
    return { doc, awareness, store, presence };
  }

  /** Passes every awareness update both ways, as the server would relay them. */
  function link(a: Awareness, b: Awareness) {
    const relay = (from: Awareness, to: Awareness) => {
      const handler = (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        if (origin === 'remote') return;
        applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'remote');
      };
      from.on('update', handler);
      cleanups.push(() => from.off('update', handler));
    };
    relay(a, b);
    relay(b, a);
    applyAwarenessUpdate(b, encodeAwarenessUpdate(a, [a.clientID]), 'remote');
    applyAwarenessUpdate(a, encodeAwarenessUpdate(b, [b.clientID]), 'remote');
  }

  it('shows who is here with distinct colours, and forgets someone who leaves', () => {
    const a = person('Ann');
    const b = person('Bob');
    expect(a.store.getState().self.name).toBe('Ann');
    link(a.awareness, b.awareness);
    expect(a.store.getState().peers.map((p) => p.name)).toEqual(['Bob']);
    expect(b.store.getState().peers.map((p) => p.name)).toEqual(['Ann']);
    expect(a.store.getState().self.colour).not.toBe(b.store.getState().self.colour);
    expect(a.store.getState().peers[0].colour).toBe(b.store.getState().self.colour);

    // A third person arriving does not recolour the two already there.
    const before = [a.store.getState().self.colour, b.store.getState().self.colour];
    const c = person('Cy');
    link(a.awareness, c.awareness);
    link(b.awareness, c.awareness);
    expect([a.store.getState().self.colour, b.store.getState().self.colour]).toEqual(before);
    expect(before).not.toContain(c.store.getState().self.colour);
    removeAwarenessStates(a.awareness, [c.awareness.clientID], 'remote');

    removeAwarenessStates(a.awareness, [b.awareness.clientID], 'remote');
    expect(a.store.getState().peers).toEqual([]);
  });

  it('asks for a name when none is remembered, and a new name reaches the others', () => {
    const a = person('');
    const b = person('Bob');
    link(a.awareness, b.awareness);
    expect(a.store.getState().self.name).toBe('');
    expect(b.store.getState().peers[0].name).toBe('Someone');
    a.presence.setName('  Ann  Lee ');
    expect(a.store.getState().self.name).toBe('Ann Lee');
    expect(b.store.getState().peers[0].name).toBe('Ann Lee');
  });

  it('publishes the selection and the node being edited; others see them as marks', async () => {
    const a = person('Ann');
    const b = person('Bob');
    link(a.awareness, b.awareness);
    a.store.setState({
      nodes: [
        { id: 'n1', type: 'note', position: { x: 0, y: 0 }, data: { text: '', colour: 'yellow' }, selected: true },
        { id: 'n2', type: 'note', position: { x: 0, y: 0 }, data: { text: '', colour: 'yellow' } },
      ],
    });
    // The selection goes out after the current task's document updates (see whoHad).
    await Promise.resolve();
    expect(b.store.getState().remoteMarks.get('n1')).toMatchObject({ name: 'Ann', editing: false });
    expect(b.presence.whoHad('n1')).toBe('Ann');
    expect(b.presence.whoHad('n2')).toBeNull();
    const before = b.store.getState().remoteMarks;
    // An unrelated change keeps the same marks (nodes do not re-render).
    a.presence.setCursor({ x: 1, y: 2 });
    expect(b.store.getState().remoteMarks).toBe(before);
    a.store.setState({ inspectorEditingId: 'n1' });
    expect(b.store.getState().remoteMarks.get('n1')).toMatchObject({ editing: true });
    a.store.setState({ inspectorEditingId: null, editingId: 'n2' });
    expect(b.store.getState().remoteMarks.get('n2')).toMatchObject({ editing: true });
    expect(b.store.getState().remoteMarks.get('n1')).toMatchObject({ editing: false });
  });

  it('sends the cursor at most every 50 ms, with the latest position', () => {
    vi.useFakeTimers();
    const a = person('Ann');
    const b = person('Bob');
    link(a.awareness, b.awareness);
    const cursorOfA = () => b.presence.otherStates().get(a.awareness.clientID)?.cursor;
    a.presence.setCursor({ x: 1, y: 1 });
    expect(cursorOfA()).toEqual({ x: 1, y: 1 });
    a.presence.setCursor({ x: 2, y: 2 });
    a.presence.setCursor({ x: 3, y: 3 });
    expect(cursorOfA()).toEqual({ x: 1, y: 1 });
    vi.advanceTimersByTime(50);
    expect(cursorOfA()).toEqual({ x: 3, y: 3 });
  });

  it('follows a view until told to stop, and stops when the followed person leaves', () => {
    vi.useFakeTimers();
    const a = person('Ann');
    const b = person('Bob');
    link(a.awareness, b.awareness);
    const seen: View[] = [];
    a.presence.onView((view) => seen.push(view));
    const view = (x: number): View => ({ x, y: 0, zoom: 1, width: 800, height: 600 });

    b.presence.setView(view(10));
    expect(seen).toEqual([]); // not following yet
    a.presence.follow(a.store.getState().peers[0]);
    expect(seen).toEqual([view(10)]); // jumps to their current view
    vi.advanceTimersByTime(200);
    b.presence.setView(view(20));
    expect(seen.at(-1)).toEqual(view(20));
    a.presence.follow(null);
    vi.advanceTimersByTime(200);
    b.presence.setView(view(30));
    expect(seen.at(-1)).toEqual(view(20));

    a.presence.follow(a.store.getState().peers[0]);
    expect(a.store.getState().following?.name).toBe('Bob');
    removeAwarenessStates(a.awareness, [b.awareness.clientID], 'remote');
    expect(a.store.getState().following).toBeNull();
  });

  it('applies a summon once; one that was there before joining is old news', () => {
    const a = person('Ann');
    const b = person('Bob');
    const seen: View[] = [];
    b.presence.onView((view) => seen.push(view));
    const there: View = { x: 5, y: 6, zoom: 0.5, width: 800, height: 600 };
    a.presence.summon(there);
    link(a.awareness, b.awareness); // Bob joins after the summon
    expect(seen).toEqual([]);

    a.presence.summon(there);
    expect(seen).toEqual([there]);
    a.presence.setCursor({ x: 1, y: 1 }); // another update, same summon
    expect(seen).toHaveLength(1);
  });

  it('gathers many awareness changes into one pass per frame: 50 people moving pointers, one pass', () => {
    const frames: Array<() => void> = [];
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const store = createBoardStore();
    const presence = new Presence(awareness, store, memoryStorage({ [NAME_STORAGE_KEY]: 'Ann' }), (run) => {
      frames.push(run);
    });
    cleanups.push(() => {
      presence.destroy();
      awareness.destroy();
      doc.destroy();
    });
    frames.splice(0).forEach((run) => run()); // this person's own first state
    const others = Array.from({ length: 50 }, (_, i) => {
      const other = new Awareness(new Y.Doc());
      other.setLocalState({
        user: { name: `P${i}`, colour: PRESENCE_COLOURS[i % PRESENCE_COLOURS.length] },
        joinedAt: i,
      });
      cleanups.push(() => other.destroy());
      return other;
    });
    let storeUpdates = 0;
    const unsubscribe = store.subscribe(() => (storeUpdates += 1));
    cleanups.push(unsubscribe);
    for (let move = 0; move < 10; move++) {
      for (const other of others) {
        other.setLocalStateField('cursor', { x: move, y: move });
        applyAwarenessUpdate(awareness, encodeAwarenessUpdate(other, [other.clientID]), 'remote');
      }
    }
    // 500 changes, one pass waiting for the frame; nothing derived before it.
    expect(frames).toHaveLength(1);
    expect(store.getState().peers).toEqual([]);
    frames.splice(0).forEach((run) => run());
    expect(store.getState().peers).toHaveLength(50);
    // One pass: the people and marks in one update (plus this person's colour, when 50 others took it).
    expect(storeUpdates).toBeLessThanOrEqual(2);
    // After destroy a pending frame does nothing.
    others[0].setLocalStateField('user', { name: 'Late', colour: PRESENCE_COLOURS[0] });
    applyAwarenessUpdate(awareness, encodeAwarenessUpdate(others[0], [others[0].clientID]), 'remote');
    presence.destroy();
    frames.splice(0).forEach((run) => run());
    expect(store.getState().peers.map((p) => p.name)).not.toContain('Late');
  });
});
