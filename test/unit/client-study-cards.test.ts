/**
 * The demand study on the board (issue 14): placing its types as cards
 * (src/model/study-cards.ts) and the window a person counts them in
 * (src/collab/study.ts), against hand-computed figures.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  addDemand,
  addStep,
  initBoard,
  measuresOfDoc,
  nodesMap,
  placeStudyCards,
  studyTypesWithoutCards,
} from '../../src/model';
import { studyCountsIn } from '../../src/collab/study';
import type { StudyCounts } from '../../src/protocol/study';

const TYPES = [
  { id: 'chasing', name: 'Chasing', class: 'failure' as const },
  { id: 'repair', name: 'Report a repair', class: 'value' as const },
];

function board(): Y.Doc {
  const doc = new Y.Doc();
  initBoard(doc, 'Study board');
  return doc;
}

describe('the study types as cards', () => {
  test('one card per type, value first, left of everything, in one transaction; never a second card', () => {
    const doc = board();
    addStep(doc, { position: { x: 100, y: 40 }, label: 'Take call' });
    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    const ids = placeStudyCards(doc, TYPES);
    expect(transactions).toBe(1);
    expect(ids).toHaveLength(2);
    const cards = ids.map((id) => nodesMap(doc).get(id)!);
    expect(cards.map((c) => [c.get('words'), c.get('demandClass'), c.get('studyType')])).toEqual([
      ['Report a repair', 'value', 'repair'],
      ['Chasing', 'failure', 'chasing'],
    ]);
    expect(cards.every((c) => (c.get('x') as number) + 260 < 100)).toBe(true);
    expect(placeStudyCards(doc, TYPES)).toEqual([]);
    expect(studyTypesWithoutCards(doc, [...TYPES, { id: 'new', name: 'New', class: 'value' }])).toEqual([
      { id: 'new', name: 'New', class: 'value' },
    ]);
  });

  test('a study card counts the study, not its own count; hand-made cards still count theirs', () => {
    const doc = board();
    placeStudyCards(doc, TYPES);
    addDemand(doc, {
      words: 'Hand-made',
      demandClass: 'failure',
      count: 10,
      predictable: false,
      position: { x: 0, y: 0 },
    });
    const study = {
      byType: [
        { type: 'chasing', name: 'Chasing', class: 'failure' as const, count: 3 },
        { type: 'repair', name: 'Report a repair', class: 'value' as const, count: 7 },
      ],
      predictable: [],
    };
    // failure = 10 hand-made + 3 study; value = 7 → 13 / 20.
    expect(measuresOfDoc(doc, study).failureDemandPct).toBe(65);
  });
});

const STUDY: StudyCounts = {
  start: '2026-03-01',
  end: '2026-03-14',
  today: '2026-03-10',
  types: TYPES,
  window: { from: '2026-03-01', to: '2026-03-14' },
  byType: [],
  total: 0,
  failureDemandPct: null,
  perfectPct: null,
  predictable: [],
  days: [
    {
      day: '2026-03-02',
      byType: { chasing: 4, repair: 1 },
      value: 1,
      failure: 4,
      unsure: 0,
      valueHandled: 1,
      valueOneStop: 1,
    },
    { day: '2026-03-05', byType: { chasing: 1 }, value: 0, failure: 1, unsure: 2, valueHandled: 0, valueOneStop: 0 },
    { day: '2026-03-09', byType: { repair: 3 }, value: 3, failure: 0, unsure: 0, valueHandled: 2, valueOneStop: 1 },
  ],
};

describe('the window the board counts the study in', () => {
  const count = (counts: ReturnType<typeof studyCountsIn>, type: string) =>
    counts?.byType.find((t) => t.type === type)?.count ?? 0;

  test('the whole study, the last 7 days up to the server’s today, and a custom range', () => {
    const whole = studyCountsIn(STUDY, { kind: 'whole' });
    expect([count(whole, 'chasing'), count(whole, 'repair'), whole?.total]).toEqual([5, 4, 11]);
    expect(whole?.failureDemandPct).toBeCloseTo((5 / 9) * 100);
    expect(whole?.perfectPct).toBeCloseTo((2 / 3) * 100);

    // 2026-03-04 to 2026-03-10.
    const last7 = studyCountsIn(STUDY, { kind: 'last7' });
    expect(last7?.window).toEqual({ from: '2026-03-04', to: '2026-03-10' });
    expect([count(last7, 'chasing'), count(last7, 'repair'), last7?.total]).toEqual([1, 3, 6]);

    const custom = studyCountsIn(STUDY, { kind: 'custom', from: '2026-03-02', to: '2026-03-02' });
    expect([count(custom, 'chasing'), count(custom, 'repair')]).toEqual([4, 1]);
    expect(custom?.failureDemandPct).toBe(80);
  });

  test('no study: no counts', () => {
    expect(studyCountsIn(null, { kind: 'whole' })).toBeNull();
  });
});
