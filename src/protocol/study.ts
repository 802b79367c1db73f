/**
 * The demand study on the wire (issue 14): what the HTTP API accepts (zod
 * schemas, with the limits in plain words) and message 106, the study's
 * counts pushed to the board's websocket. Pure: shared by the server
 * (server/http/study.ts, server/sync/study.ts), the capture page and the
 * board. The model's types (src/model/study.ts) are what these schemas
 * produce; the two floors do not import each other, so the shapes are kept
 * alike here by hand and checked where the server joins them.
 *
 * Type 106, "study counts", on the board's websocket:
 *
 *   client → server  [106]          "send me the study's counts now and whenever they change"
 *   server → client  [106, json]    json = StudyCountsMessage (varString)
 *
 * Like 101 and 104, only clients that ask get it, so a plain y-websocket
 * client never sees a type it does not know; a collector never reaches the
 * websocket at all (4403). The counts follow every change of the entries
 * or the settings, at most one message per STUDY_COUNTS_DEBOUNCE_MS.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { z } from 'zod';

export const MESSAGE_STUDY = 106;

export const STUDY_LIMITS = {
  verbatimChars: 2000,
  /** A CSV or XLSX import. */
  uploadBytes: 20 * 1024 * 1024,
  entriesPerBatch: 500,
  nameChars: 120,
  definitionChars: 1000,
  noteChars: 2000,
  causeChars: 500,
  collectorChars: 80,
  demandTypes: 200,
  listItems: 100,
  /** A study of at most a year: the method's are one to four weeks. */
  periodDays: 366,
  queryChars: 200,
  pageSize: 1000,
} as const;

/** The server pushes at most one counts message per board in this time: 50 phones at once make one message, not 50. */
export const STUDY_COUNTS_DEBOUNCE_MS = 100;

/** Client-made ids: nanoids, or anything of the same alphabet. */
export const ENTRY_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
/** Demand type ids the server makes (or an imported board file kept). */
export const TYPE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const text = (max: number, what = 'characters') =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .trim()
    .refine((s) => [...s].length <= max, `is longer than ${max} ${what}`);
const name = text(STUDY_LIMITS.nameChars).refine((s) => s.length > 0, 'cannot be empty');

/** A calendar day, 'YYYY-MM-DD', that exists. */
export const daySchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a date like 2026-03-02') })
  .refine(isDay, 'must be a date like 2026-03-02');

export function isDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

function uniqueNames(list: readonly string[]): boolean {
  return new Set(list.map((s) => s.toLowerCase())).size === list.length;
}

const nameList = (what: string) =>
  z
    .array(name, { error: `must be a list of ${what}` })
    .max(STUDY_LIMITS.listItems, `has more than ${STUDY_LIMITS.listItems} ${what}`)
    .refine(uniqueNames, `has the same ${what.replace(/s$/, '')} twice`);

export const demandTypeSchema = z.object({
  id: z.string().regex(TYPE_ID_PATTERN, 'is not a type id (letters, digits, "_" or "-")').optional(),
  name,
  class: z.enum(['value', 'failure'], { error: 'must be "value" or "failure"' }),
  definition: text(STUDY_LIMITS.definitionChars).optional(),
});

export const studySettingsSchema = z
  .object({
    demandTypes: z
      .array(demandTypeSchema, { error: 'must be a list of demand types' })
      .max(STUDY_LIMITS.demandTypes, `has more than ${STUDY_LIMITS.demandTypes} demand types`)
      .refine((types) => uniqueNames(types.map((t) => t.name)), 'has two demand types of the same name'),
    handlingTypes: z
      .array(z.object({ name, oneStop: z.boolean({ error: 'must be true or false' }) }), {
        error: 'must be a list of handling types',
      })
      .max(STUDY_LIMITS.listItems, `has more than ${STUDY_LIMITS.listItems} handling types`)
      .refine((types) => uniqueNames(types.map((t) => t.name)), 'has two handling types of the same name')
      .default([]),
    contactMethods: nameList('contact methods').default([]),
    defaultContactMethod: name.optional(),
    points: nameList('points of transaction').optional(),
    whatMattersCategories: nameList('what-matters categories').optional(),
    start: daySchema,
    end: daySchema,
    capture: z
      .object({
        classification: z.boolean({ error: 'must be true or false' }).default(false),
        handling: z.boolean({ error: 'must be true or false' }).default(false),
        valueLinking: z.boolean({ error: 'must be true or false' }).default(false),
      })
      .default({ classification: false, handling: false, valueLinking: false }),
  })
  .superRefine((s, ctx) => {
    if (s.end < s.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'is before the start of the study' });
    else if ((Date.parse(s.end) - Date.parse(s.start)) / 86_400_000 + 1 > STUDY_LIMITS.periodDays)
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `makes a study longer than ${STUDY_LIMITS.periodDays} days`,
      });
    if (s.defaultContactMethod !== undefined && !s.contactMethods.includes(s.defaultContactMethod))
      ctx.addIssue({ code: 'custom', path: ['defaultContactMethod'], message: 'is not one of the contact methods' });
  });
export type StudySettingsInput = z.input<typeof studySettingsSchema>;
export type StudySettingsParsed = z.output<typeof studySettingsSchema>;

/** An ISO date-time with its offset or Z ("2026-03-02T09:15:00+00:00"); its date is the entry's day. */
export const atSchema = z.iso.datetime({
  offset: true,
  local: false,
  error: 'must be a date and time like 2026-03-02T09:15:00Z',
});

const optionalText = (max: number) => text(max).optional();

/** The fields an entry may carry besides its id; all but the verbatim may be left for later. */
const entryFields = {
  verbatim: text(STUDY_LIMITS.verbatimChars).refine(
    (s) => s.length > 0,
    'cannot be empty: write what the customer said',
  ),
  at: atSchema.optional(),
  collector: optionalText(STUDY_LIMITS.collectorChars),
  class: z.enum(['value', 'failure', 'unsure'], { error: 'must be "value", "failure" or "unsure"' }).optional(),
  type: optionalText(STUDY_LIMITS.nameChars),
  handling: optionalText(STUDY_LIMITS.nameChars),
  contactMethod: optionalText(STUDY_LIMITS.nameChars),
  point: optionalText(STUDY_LIMITS.nameChars),
  whatMatters: z
    .object({
      category: optionalText(STUDY_LIMITS.nameChars),
      note: optionalText(STUDY_LIMITS.noteChars),
    })
    .optional(),
  valueDemandType: optionalText(STUDY_LIMITS.nameChars),
  cause: optionalText(STUDY_LIMITS.causeChars),
};

/** One entry as a phone sends it. `type` and `valueDemandType` may name a type or give its id. */
export const entryInputSchema = z.object({
  id: z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .regex(ENTRY_ID_PATTERN, 'must be 8 to 64 letters, digits, "_" or "-" (a nanoid made on the phone)'),
  ...entryFields,
});
export type EntryInput = z.output<typeof entryInputSchema>;

/** An offline batch: `{ entries: [...] }` (a body without `entries` is one entry). Each entry is checked on its own. */
export const entriesBatchSchema = z.object({
  entries: z
    .array(z.unknown(), { error: 'must be a list of entries' })
    .min(1, 'is empty: send at least one entry')
    .max(STUDY_LIMITS.entriesPerBatch, `has more than ${STUDY_LIMITS.entriesPerBatch} entries: send them in parts`),
});

/** A change to an entry: any field but its id; null clears an optional one. */
export const entryPatchSchema = z
  .object({
    verbatim: entryFields.verbatim.optional(),
    at: atSchema.optional(),
    collector: text(STUDY_LIMITS.collectorChars).optional(),
    class: entryFields.class.nullable(),
    type: entryFields.type.nullable(),
    handling: entryFields.handling.nullable(),
    contactMethod: entryFields.contactMethod.nullable(),
    point: entryFields.point.nullable(),
    whatMatters: entryFields.whatMatters.nullable(),
    valueDemandType: entryFields.valueDemandType.nullable(),
    cause: entryFields.cause.nullable(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'changes nothing: send at least one field');
export type EntryPatch = z.output<typeof entryPatchSchema>;

export const NEEDS = ['classification', 'handling', 'valueLink'] as const;
export type Need = (typeof NEEDS)[number];

/** GET /api/boards/:id/study/entries?needs=&q=&from=&to=&offset=&limit= */
export const entryFiltersSchema = z.object({
  needs: z.enum(NEEDS, { error: `must be one of ${NEEDS.join(', ')}` }).optional(),
  q: text(STUDY_LIMITS.queryChars).optional(),
  from: daySchema.optional(),
  to: daySchema.optional(),
  collector: text(STUDY_LIMITS.collectorChars).optional(),
  offset: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0).default(0),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1)
    .max(STUDY_LIMITS.pageSize, `must be at most ${STUDY_LIMITS.pageSize}`)
    .default(200),
});
export type EntryFilters = z.output<typeof entryFiltersSchema>;

/** GET /api/boards/:id/study/summary?from=&to= */
export const summaryFiltersSchema = z.object({ from: daySchema.optional(), to: daySchema.optional() });

export const bulkReclassifySchema = z.object({ fromType: name, toType: name });

/** The words the API and the capture page say when an entry is refused. */
export const STUDY_WORDS = {
  noStudy: 'This board has no demand study yet. A facilitator or editor can start one.',
  collectorOnly:
    'You joined this board to collect demand: you can add entries (and undo your latest) on the capture page, nothing more.',
  outside: (start: string, end: string) => `is outside the study (${start} to ${end})`,
  unknownType: (known: string[]) =>
    known.length > 0
      ? `is not one of the study's demand types (${known.join(', ')})`
      : 'names a type, but the study has none yet',
  classClash: (type: string, cls: string) =>
    `says "${cls}", but the type "${type}" is ${cls === 'value' ? 'failure' : 'value'} demand`,
  notValueType: "must be one of the study's value demand types",
  unknownChoice: (what: string, known: string[]) =>
    known.length > 0
      ? `is not one of the study's ${what} (${known.join(', ')})`
      : `names one of the study's ${what}, but it has none`,
  notLatest: 'You can undo only your own latest entry.',
} as const;

// ---------------------------------------------------------------- message 106

/** One day's counts (src/model/study.ts StudyDay). */
export interface StudyDayCounts {
  day: string;
  byType: Record<string, number>;
  value: number;
  failure: number;
  unsure: number;
  valueHandled: number;
  valueOneStop: number;
}

/** The board's study counts: the whole study's, with the per-day counts any other window is summed from. */
export interface StudyCounts {
  start: string;
  end: string;
  /** The server's today: the last day predictability reads. */
  today: string;
  types: Array<{ id: string; name: string; class: 'value' | 'failure' }>;
  window: { from: string; to: string };
  byType: Array<{ type: string; name: string; class: 'value' | 'failure'; count: number }>;
  total: number;
  failureDemandPct: number | null;
  perfectPct: number | null;
  predictable: Array<{ type: string; predictable: boolean; reason: string }>;
  days: StudyDayCounts[];
}

export interface StudyCountsMessage {
  /** null: the board has no study (or it was removed). */
  study: StudyCounts | null;
}

export function encodeStudyRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_STUDY);
  return encoding.toUint8Array(encoder);
}

export function encodeStudyCounts(message: StudyCountsMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_STUDY);
  encoding.writeVarString(encoder, JSON.stringify(message));
  return encoding.toUint8Array(encoder);
}

/** Reads the rest of a 106 message after its type; null when it is not a StudyCountsMessage. */
export function readStudyCounts(decoder: decoding.Decoder): StudyCountsMessage | null {
  try {
    const value = JSON.parse(decoding.readVarString(decoder)) as { study?: unknown };
    if (typeof value !== 'object' || value === null || !('study' in value)) return null;
    if (value.study === null) return { study: null };
    const study = value.study as Partial<StudyCounts>;
    if (
      typeof study !== 'object' ||
      !Array.isArray(study.byType) ||
      !Array.isArray(study.types) ||
      !Array.isArray(study.days) ||
      typeof study.total !== 'number'
    )
      return null;
    return { study: study as StudyCounts };
  } catch {
    return null;
  }
}
