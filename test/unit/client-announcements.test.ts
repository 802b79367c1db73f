/**
 * Announcements of other people's changes (src/collab/announcements.ts):
 * two people on plain Y.Docs whose document and awareness updates are
 * passed by hand, as the server relays them; the clock is Vitest's.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { addStep, deleteElements, moveNodes, renameNode } from '../../src/model';
import { bindBoard } from '../../src/collab/binding';
import { createBoardStore } from '../../src/collab/board-store';
import { NAME_STORAGE_KEY, Presence } from '../../src/collab/presence';
import { announcementText, watchRemoteChanges } from '../../src/collab/announcements';

const TIMING = { quietMs: 1000, minGapMs: 5000 };

function memoryStorage(initial: Record<string, string>): Storage {
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

describe('announcements of remote changes', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
    vi.useRealTimers();
  });

  function person(name: string) {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const store = createBoardStore();
    const unbind = bindBoard(doc, store);
    const presence = new Presence(awareness, store, memoryStorage({ [NAME_STORAGE_KEY]: name }));
    cleanups.push(() => {
      unbind();
      presence.destroy();
      awareness.destroy();
      doc.destroy();
    });
    return { doc, awareness, store, presence };
  }

  /** Two people on one board: document and awareness updates relayed both ways. */
  function twoPeople() {
    vi.useFakeTimers();
    const ann = person('Ann');
    const bob = person('Bob');
    for (const [from, to] of [
      [ann, bob],
      [bob, ann],
    ] as const) {
      const onDoc = (update: Uint8Array, origin: unknown) => {
        if (origin !== 'remote') Y.applyUpdate(to.doc, update, 'remote');
      };
      from.doc.on('update', onDoc);
      cleanups.push(() => from.doc.off('update', onDoc));
      applyAwarenessUpdate(to.awareness, encodeAwarenessUpdate(from.awareness, [from.awareness.clientID]), 'remote');
    }
    ann.store.setState({ loaded: true });
    cleanups.push(watchRemoteChanges(ann.doc, ann.store, ann.presence, TIMING));
    return { ann, bob };
  }

  it('says who added what, by name, once the burst is over', () => {
    const { ann, bob } = twoPeople();
    addStep(bob.doc, { position: { x: 0, y: 0 }, label: 'Visit and diagnose' });
    expect(ann.store.getState().announcement).toBe('');
    vi.advanceTimersByTime(TIMING.quietMs);
    expect(ann.store.getState().announcement).toBe('Bob added a step: Visit and diagnose');
  });

  it('sums up a burst in one announcement, and waits a few seconds before the next', () => {
    const { ann, bob } = twoPeople();
    const said: string[] = [];
    ann.store.subscribe((s, before) => {
      if (s.announcement !== before.announcement) said.push(s.announcement);
    });
    for (let i = 1; i <= 5; i += 1) addStep(bob.doc, { position: { x: i * 300, y: 0 }, label: `Step ${i}` });
    vi.advanceTimersByTime(TIMING.quietMs);
    expect(said).toEqual(['Bob made 5 changes']);

    const late = addStep(bob.doc, { position: { x: 0, y: 300 }, label: 'Order parts' });
    vi.advanceTimersByTime(TIMING.quietMs);
    expect(said).toHaveLength(1);
    vi.advanceTimersByTime(TIMING.minGapMs);
    expect(said).toEqual(['Bob made 5 changes', 'Bob added a step: Order parts']);

    renameNode(bob.doc, late, 'Order the parts');
    vi.advanceTimersByTime(TIMING.minGapMs);
    expect(said.at(-1)).toBe('Bob changed a step: Order the parts');
    deleteElements(bob.doc, { nodeIds: [late] });
    vi.advanceTimersByTime(TIMING.minGapMs);
    expect(said.at(-1)).toBe('Someone deleted a step: Order the parts');
  });

  it('never announces moves, this person’s own changes, or the board filling on open', () => {
    const { ann, bob } = twoPeople();
    ann.store.setState({ loaded: false });
    const step = addStep(bob.doc, { position: { x: 0, y: 0 }, label: 'Take call' });
    ann.store.setState({ loaded: true });
    for (let x = 10; x <= 200; x += 10) moveNodes(bob.doc, [{ id: step, position: { x, y: 0 } }]);
    addStep(ann.doc, { position: { x: 0, y: 300 }, label: 'Mine' });
    vi.advanceTimersByTime(TIMING.minGapMs * 2);
    expect(ann.store.getState().announcement).toBe('');
  });
});

describe('announcement wording', () => {
  it('names up to three people, then counts them', () => {
    const change = (who: string) => ({ who, what: 'lanes' as const });
    expect(announcementText([change('Sam')])).toBe('Sam changed the lanes');
    expect(announcementText([change('Sam'), change('Ana')])).toBe('Sam and Ana made 2 changes');
    expect(announcementText([change('Sam'), change('Ana'), change('Jo')])).toBe('Sam, Ana and Jo made 3 changes');
    expect(announcementText(['A', 'B', 'C', 'D'].map(change))).toBe('4 people made 4 changes');
    expect(announcementText([change('Someone'), change('Someone')])).toBe('Someone made 2 changes');
    expect(announcementText([])).toBe('');
  });

  it('uses "an" before a vowel', () => {
    expect(announcementText([{ who: 'Sam', what: 'deleted', type: 'purpose', name: null }])).toBe(
      'Sam deleted a purpose',
    );
    expect(announcementText([{ who: 'Sam', what: 'added', type: 'other', name: 'x' }])).toBe('Sam added an element: x');
  });
});
