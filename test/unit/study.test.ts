/**
 * The demand study's aggregation (src/model/study.ts) against figures worked
 * out by hand from a small study, and the entry and settings schemas
 * (src/protocol/study.ts) with their bad inputs.
 */
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import {
  countsInWindow,
  daysBetween,
  demandMeasures,
  demandWithStudy,
  lastSevenDays,
  summarizeStudy,
  weekOf,
  type StudyEntry,
  type StudySettings,
} from '../../src/model';
import {
  MESSAGE_STUDY,
  STUDY_LIMITS,
  encodeStudyCounts,
  encodeStudyRequest,
  entriesBatchSchema,
  entryInputSchema,
  entryPatchSchema,
  readStudyCounts,
  studySettingsSchema,
} from '../../src/protocol';

const SETTINGS: StudySettings = {
  demandTypes: [
    { id: 'r', name: 'I need a repair', class: 'value' },
    { id: 'a', name: 'I need an adaptation', class: 'value' },
    { id: 'w', name: 'When are you coming?', class: 'failure', definition: 'The tenant chases a promised visit' },
    { id: 'n', name: 'Nobody turned up', class: 'failure' },
  ],
  handlingTypes: [
    { name: 'One stop', oneStop: true },
    { name: 'Pass-on', oneStop: false },
  ],
  contactMethods: ['Phone', 'Counter'],
  defaultContactMethod: 'Phone',
  start: '2026-03-02',
  end: '2026-03-15',
  capture: { classification: true, handling: true, valueLinking: true },
};

let seq = 0;
function entry(day: string, fields: Partial<StudyEntry> = {}): StudyEntry {
  seq += 1;
  return {
    id: `entry-${String(seq).padStart(4, '0')}`,
    verbatim: `call ${seq}`,
    at: `${day}T10:${String(seq % 60).padStart(2, '0')}:00+00:00`,
    collector: 'Ann',
    createdAt: seq,
    updatedAt: seq,
    by: 'm1',
    ...fields,
  };
}

/** The small study the figures below are worked out from by hand. */
const ENTRIES: StudyEntry[] = [
  entry('2026-03-02', { type: 'r', handling: 'One stop', contactMethod: 'Phone' }),
  entry('2026-03-02', { type: 'r', handling: 'Pass-on', contactMethod: 'Phone' }),
  entry('2026-03-02', { type: 'w', valueDemandType: 'r', cause: 'No appointment given' }),
  entry('2026-03-03', { type: 'r', handling: 'One stop', contactMethod: 'Counter', collector: 'Bob' }),
  entry('2026-03-03', { type: 'n', valueDemandType: 'r', cause: '  no appointment GIVEN ', collector: 'Bob' }),
  entry('2026-03-03', { class: 'unsure', collector: 'Bob' }),
  entry('2026-03-04', { class: 'failure' }),
  entry('2026-03-09', {
    type: 'a',
    point: 'Front desk',
    whatMatters: { category: "Come when I'm in", note: 'I work shifts' },
  }),
  // The day before the study: never counted.
  entry('2026-03-01', { type: 'r', handling: 'One stop' }),
  entry('2026-03-10', { type: 'w', valueDemandType: 'a', cause: 'Contractor lost the job', collector: 'Bob' }),
];

describe('summarizeStudy, whole study', () => {
  const s = summarizeStudy(SETTINGS, ENTRIES, { today: '2026-03-15' });

  it('counts every entry in the period, by type, and classes them by their type first', () => {
    expect(s.window).toEqual({ from: '2026-03-02', to: '2026-03-15' });
    expect(s.total).toBe(9);
    expect([s.value, s.failure, s.unsure]).toEqual([4, 4, 1]);
    expect(s.byType.map((t) => [t.type, t.count])).toEqual([
      ['r', 3],
      ['a', 1],
      ['w', 2],
      ['n', 1],
    ]);
  });

  it('failure demand % leaves unclassified entries out of both sides; Perfect % counts only recorded handling', () => {
    // failure 4 of the 8 classified (the unsure one is neither)
    expect(s.failureDemandPct).toBe(50);
    // value entries with handling: one stop, pass-on, one stop → 2 of 3; the adaptation has none yet
    expect(s.perfectPct).toBeCloseTo(200 / 3, 10);
  });

  it('finds the failure flow from value to failure, and ranks causes by their words whatever the case', () => {
    expect(s.failureFlow).toEqual([
      { from: 'a', to: 'w', count: 1 },
      { from: 'r', to: 'n', count: 1 },
      { from: 'r', to: 'w', count: 1 },
    ]);
    expect(s.causes).toEqual([
      { cause: 'No appointment given', count: 2 },
      { cause: 'Contractor lost the job', count: 1 },
    ]);
  });

  it('splits by contact method and point, and keeps what matters with its verbatim notes', () => {
    expect(s.contactMethods).toEqual([
      { name: 'Phone', count: 2 },
      { name: 'Counter', count: 1 },
    ]);
    expect(s.points).toEqual([{ name: 'Front desk', count: 1 }]);
    expect(s.whatMatters.categories).toEqual([{ category: "Come when I'm in", count: 1 }]);
    expect(s.whatMatters.notes).toEqual([
      expect.objectContaining({ category: "Come when I'm in", note: 'I work shifts' }),
    ]);
    expect(s.whatMatters.notesTotal).toBe(1);
  });

  it('shows coverage per collector per day, so a facilitator sees who stopped', () => {
    expect(s.coverage).toEqual([
      { collector: 'Ann', day: '2026-03-02', count: 3 },
      { collector: 'Ann', day: '2026-03-04', count: 1 },
      { collector: 'Ann', day: '2026-03-09', count: 1 },
      { collector: 'Bob', day: '2026-03-03', count: 3 },
      { collector: 'Bob', day: '2026-03-10', count: 1 },
    ]);
  });

  it('gives demand over time daily and by week (weeks start on Monday)', () => {
    expect(s.overTime.daily).toEqual([
      { day: '2026-03-02', value: 2, failure: 1, unsure: 0 },
      { day: '2026-03-03', value: 1, failure: 1, unsure: 1 },
      { day: '2026-03-04', value: 0, failure: 1, unsure: 0 },
      { day: '2026-03-09', value: 1, failure: 0, unsure: 0 },
      { day: '2026-03-10', value: 0, failure: 1, unsure: 0 },
    ]);
    expect(s.overTime.weekly).toEqual([
      { week: '2026-03-02', value: 3, failure: 3, unsure: 1 },
      { week: '2026-03-09', value: 1, failure: 1, unsure: 0 },
    ]);
  });

  it('counts what the study screen chips say is still needed', () => {
    // no type: the unsure one and the failure one; no handling: all but three; no value link: the untyped failure
    expect(s.needs).toEqual({ classification: 2, handling: 6, valueLink: 1 });
  });
});

describe('windows', () => {
  it('a custom range counts only its days, both ends included', () => {
    const s = summarizeStudy(SETTINGS, ENTRIES, { from: '2026-03-03', to: '2026-03-04' });
    expect(s.total).toBe(4);
    expect([s.value, s.failure, s.unsure]).toEqual([1, 2, 1]);
    expect(s.failureDemandPct).toBeCloseTo(200 / 3, 10);
    expect(s.perfectPct).toBe(100);
  });

  it('a range reaching past the study is clipped to it', () => {
    const s = summarizeStudy(SETTINGS, ENTRIES, { from: '2026-02-01', to: '2026-12-31' });
    expect(s.window).toEqual({ from: '2026-03-02', to: '2026-03-15' });
    expect(s.total).toBe(9);
  });

  it('last 7 days ends today, and the per-day counts give the same figures as a fresh summary', () => {
    const window = lastSevenDays(SETTINGS, '2026-03-10');
    expect(window).toEqual({ from: '2026-03-04', to: '2026-03-10' });
    const whole = summarizeStudy(SETTINGS, ENTRIES);
    const fromDays = countsInWindow(SETTINGS, whole.days, window, '2026-03-10');
    const fresh = summarizeStudy(SETTINGS, ENTRIES, { ...window, today: '2026-03-10' });
    expect(fromDays.total).toBe(3);
    expect(fromDays).toEqual({
      window: fresh.window,
      byType: fresh.byType,
      total: fresh.total,
      value: fresh.value,
      failure: fresh.failure,
      unsure: fresh.unsure,
      failureDemandPct: fresh.failureDemandPct,
      perfectPct: fresh.perfectPct,
      predictable: fresh.predictable,
    });
  });

  it('an empty study shows "—" (null) for its percentages, never a made-up number', () => {
    const s = summarizeStudy(SETTINGS, []);
    expect(s.total).toBe(0);
    expect(s.failureDemandPct).toBeNull();
    expect(s.perfectPct).toBeNull();
  });

  it('knows its calendar: day ranges and Mondays', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(weekOf('2026-03-08')).toBe('2026-03-02'); // a Sunday
    expect(weekOf('2026-03-02')).toBe('2026-03-02');
    expect(weekOf('2026-01-01')).toBe('2025-12-29');
  });
});

describe('predictable, from the daily counts within their XmR limits', () => {
  const week: StudySettings = { ...SETTINGS, start: '2026-03-02', end: '2026-03-08' };
  const days = daysBetween('2026-03-02', '2026-03-08');
  const study = (counts: number[]) =>
    counts.flatMap((n, i) => Array.from({ length: n }, () => entry(days[i], { type: 'r' })));
  const repair = (counts: number[], today = '2026-03-08') =>
    summarizeStudy(week, study(counts), { today }).predictable.find((p) => p.type === 'r')!;

  it('a steady week is predictable, with the limits worked out by hand', () => {
    // mean 31/7; moving ranges 1,2,1,2,1,1 → 8/6; limits mean ± 2.66 × 4/3
    const p = repair([4, 5, 3, 4, 6, 5, 4]);
    expect(p.predictable).toBe(true);
    expect(p.limits!.mean).toBeCloseTo(31 / 7, 10);
    expect(p.limits!.upper).toBeCloseTo(31 / 7 + 2.66 * (4 / 3), 10);
    expect(p.limits!.lower).toBeCloseTo(31 / 7 - 2.66 * (4 / 3), 10);
    expect(p.reason).toMatch(/within its limits \(0\.9 to 8, on average 4\.4\) on all 7 days/);
  });

  it('a day above the upper limit makes it unpredictable, and the reason says how many days', () => {
    // mean 39/7 = 5.57; moving ranges sum 14 over 6 → upper 5.57 + 2.66 × 2.33 = 11.78 < 12
    const p = repair([4, 5, 3, 4, 6, 5, 12]);
    expect(p.limits!.upper).toBeCloseTo(39 / 7 + 2.66 * (14 / 6), 10);
    expect(p.predictable).toBe(false);
    expect(p.reason).toMatch(/outside its limits .* on 1 of 7 days/);
  });

  it('days without an entry count as 0, and the lower limit is never below 0', () => {
    const p = repair([2, 0, 2, 0, 2, 0, 2]);
    expect(p.limits!.lower).toBe(0);
    expect(p.predictable).toBe(true);
  });

  it('needs a week of days before it says; days after today are not days without demand', () => {
    const early = repair([4, 5, 3, 4, 0, 0, 0], '2026-03-05');
    expect(early.predictable).toBe(false);
    expect(early.reason).toMatch(/at least 7 days .*has 4/);
    const none = summarizeStudy(week, []).predictable[0];
    expect(none).toMatchObject({ predictable: false, reason: 'No entries of this type yet.' });
  });
});

describe('the board counts the study as its demand, beside the hand-made cards', () => {
  it('adds one item per study type; a card showing a study type is not counted twice', () => {
    const s = summarizeStudy(SETTINGS, ENTRIES);
    const demand = demandWithStudy(
      [
        { id: 'h', words: 'Hand-made', demandClass: 'failure', count: 10, predictable: false },
        { id: 'c', words: 'I need a repair', demandClass: 'value', count: 99, predictable: true, studyType: 'r' },
      ],
      s,
    );
    expect(demand.map((d) => [d.words, d.count])).toEqual([
      ['Hand-made', 10],
      ['I need a repair', 3],
      ['I need an adaptation', 1],
      ['When are you coming?', 2],
      ['Nobody turned up', 1],
    ]);
    // D = 10 + 3 + 1 + 2 + 1 = 17; failure = 10 + 2 + 1 = 13
    expect(demandMeasures(demand).totalDemand).toBe(17);
    expect(demandMeasures(demand).failureDemandPct).toBeCloseTo((13 / 17) * 100, 10);
    expect(demandWithStudy([], null)).toEqual([]);
  });
});

describe('the entry schema', () => {
  const ok = (value: unknown) => entryInputSchema.safeParse(value);
  const problem = (value: unknown) => {
    const parsed = entryInputSchema.safeParse(value);
    return parsed.success ? null : `${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`;
  };

  it('needs only an id and the verbatim', () => {
    expect(ok({ id: 'abcdefgh', verbatim: 'I called last week about my boiler and nobody came' }).success).toBe(true);
  });

  it('refuses an empty verbatim, blank or missing, in words the phone can show', () => {
    expect(problem({ id: 'abcdefgh', verbatim: '' })).toMatch(/verbatim cannot be empty/);
    expect(problem({ id: 'abcdefgh', verbatim: '   \n ' })).toMatch(/verbatim cannot be empty/);
    expect(problem({ id: 'abcdefgh' })).toMatch(/verbatim is missing/);
  });

  it(`takes ${STUDY_LIMITS.verbatimChars} characters, counting an emoji as one, and refuses one more`, () => {
    expect(ok({ id: 'abcdefgh', verbatim: 'x'.repeat(2000) }).success).toBe(true);
    expect(ok({ id: 'abcdefgh', verbatim: '🔧'.repeat(2000) }).success).toBe(true);
    expect(problem({ id: 'abcdefgh', verbatim: 'x'.repeat(2001) })).toMatch(/longer than 2000 characters/);
  });

  it('refuses ids that are not client-made nanoids, and times without an offset', () => {
    expect(problem({ id: 'short', verbatim: 'x' })).toMatch(/^id must be 8 to 64/);
    expect(problem({ id: 'has spaces in it', verbatim: 'x' })).toMatch(/^id /);
    expect(problem({ id: 'abcdefgh', verbatim: 'x', at: '2026-03-02 09:00' })).toMatch(/^at must be a date and time/);
    expect(problem({ id: 'abcdefgh', verbatim: 'x', at: '2026-03-02T09:00:00' })).toMatch(/^at /);
    expect(ok({ id: 'abcdefgh', verbatim: 'x', at: '2026-03-02T09:00:00+01:00' }).success).toBe(true);
    expect(problem({ id: 'abcdefgh', verbatim: 'x', class: 'maybe' })).toMatch(/^class must be/);
  });

  it('a batch is at most 500 entries and not empty; a patch changes something and never the id', () => {
    expect(entriesBatchSchema.safeParse({ entries: Array.from({ length: 500 }, () => ({})) }).success).toBe(true);
    expect(entriesBatchSchema.safeParse({ entries: Array.from({ length: 501 }, () => ({})) }).success).toBe(false);
    expect(entriesBatchSchema.safeParse({ entries: [] }).success).toBe(false);
    expect(entryPatchSchema.safeParse({}).success).toBe(false);
    expect(entryPatchSchema.safeParse({ id: 'another-id' }).success).toBe(false);
    expect(entryPatchSchema.safeParse({ type: null, handling: 'One stop' }).success).toBe(true);
  });
});

describe('the settings schema', () => {
  const base = { demandTypes: [], start: '2026-03-02', end: '2026-03-15' };
  const problem = (value: unknown) => {
    const parsed = studySettingsSchema.safeParse(value);
    return parsed.success ? null : `${parsed.error.issues[0].path.join('.')} ${parsed.error.issues[0].message}`;
  };

  it('fills in what may be left out: verbatim capture only to start with', () => {
    expect(studySettingsSchema.parse(base)).toEqual({
      ...base,
      handlingTypes: [],
      contactMethods: [],
      capture: { classification: false, handling: false, valueLinking: false },
    });
  });

  it('refuses an end before the start, a date that does not exist, twin names and a default not in the list', () => {
    expect(problem({ ...base, end: '2026-03-01' })).toMatch(/^end is before the start/);
    expect(problem({ ...base, start: '2026-02-30' })).toMatch(/^start must be a date/);
    expect(
      problem({
        ...base,
        demandTypes: [
          { name: 'Chasing', class: 'failure' },
          { name: 'chasing', class: 'failure' },
        ],
      }),
    ).toMatch(/same name/);
    expect(problem({ ...base, demandTypes: [{ name: 'Chasing', class: 'other' }] })).toMatch(/value" or "failure/);
    expect(problem({ ...base, contactMethods: ['Phone'], defaultContactMethod: 'Email' })).toMatch(
      /defaultContactMethod is not one of the contact methods/,
    );
    expect(problem({ ...base, end: '2027-06-01' })).toMatch(/longer than 366 days/);
  });
});

describe('message 106', () => {
  it('a request is the type alone; the counts read back as sent; junk reads as null', () => {
    const request = decoding.createDecoder(encodeStudyRequest());
    expect(decoding.readVarUint(request)).toBe(MESSAGE_STUDY);
    expect(decoding.hasContent(request)).toBe(false);

    const s = summarizeStudy(SETTINGS, ENTRIES);
    const study = {
      start: SETTINGS.start,
      end: SETTINGS.end,
      today: '2026-03-15',
      types: SETTINGS.demandTypes.map(({ id, name, class: c }) => ({ id, name, class: c })),
      window: s.window,
      byType: s.byType,
      total: s.total,
      failureDemandPct: s.failureDemandPct,
      perfectPct: s.perfectPct,
      predictable: s.predictable,
      days: s.days,
    };
    const decoder = decoding.createDecoder(encodeStudyCounts({ study }));
    expect(decoding.readVarUint(decoder)).toBe(106);
    expect(readStudyCounts(decoder)).toEqual({ study });
    const none = decoding.createDecoder(encodeStudyCounts({ study: null }));
    decoding.readVarUint(none);
    expect(readStudyCounts(none)).toEqual({ study: null });
    const junk = decoding.createDecoder(new Uint8Array([106, 3, 0x7b, 0x7d, 0x7d]));
    decoding.readVarUint(junk);
    expect(readStudyCounts(junk)).toBeNull();
  });
});
