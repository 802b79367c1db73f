/**
 * The board file: a whole board as one versioned JSON document, so that a
 * board can be carried to another Purposeboard and opened there with nothing
 * lost. Documented in docs/board-format.md; docs/board-format.schema.json is
 * generated from `boardFileSchema` (a unit test keeps the two equal).
 *
 * Three rules make the file useful:
 * - The same board always gives the same bytes (`serialiseBoardFile`): every
 *   collection sorted by id, a fixed key order, no timestamps. A file can be
 *   diffed, hashed and committed.
 * - An incoming file is checked whole before anything is written, and the
 *   first thing wrong is reported with its path ("nodes[3].count: expected a
 *   whole number"). Older format versions are migrated, newer ones refused.
 * - Import goes through the named operations (the same rules as a person
 *   editing the board): it builds the board in a scratch document first, so
 *   a value the operations refuse stops the import before the real board is
 *   touched, then copies the result into the real board in ONE transaction
 *   under the file's own ids.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import {
  BOARD_SCHEMA_VERSION,
  EDGE_KINDS,
  NODE_KINDS,
  NOTE_COLOURS,
  edgesMap,
  lanesMap,
  metaMap,
  nodesMap,
  type FieldValue,
  type YNode,
} from './schema';
import {
  BoardOperationError,
  LANE_COLOURS,
  LOCAL_ORIGIN,
  MAX_LABEL_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_TITLE_LENGTH,
  addDemand,
  addLane,
  addNote,
  addStep,
  connect,
  initBoard,
  updateStep,
  type StepFields,
} from './operations';
import {
  CONDITION_TYPES,
  MAX_PERIOD_LENGTH,
  addCondition,
  addPurpose,
  readPeriod,
  setPeriod,
  whatMattersOf,
} from './elements';
import { WASTE_TYPES, type WasteType } from './measures';
import {
  CAPABILITY_UNITS,
  MAX_CAPABILITY_POINTS,
  capabilityArray,
  readCapabilitySeries,
  setCapabilitySeries,
  setCapabilityLimitsFrom,
} from './capability-series';
import { readMeta } from './read';
import {
  MAX_OUTCOMES,
  MAX_OUTCOME_NAME_LENGTH,
  MAX_OUTCOME_POINTS,
  OUTCOME_DIRECTIONS,
  OUTCOME_UNITS,
  isOutcomeDate,
  readOutcomes,
  setOutcome,
} from './outcomes';

/** The format this Purposeboard writes, and the newest it reads. */
export const BOARD_FILE_FORMAT_VERSION = 4;
/** The value of every board file's `format` key: tells a board file from any other JSON. */
export const BOARD_FILE_FORMAT = 'purposeboard';
/** The largest board file an import accepts (the HTTP API and the board list enforce it). */
export const BOARD_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** More elements than any real board; keeps one file from exhausting the server. */
export const BOARD_FILE_MAX_ELEMENTS = 20_000;
const MAX_ID_LENGTH = 100;
/** More saved versions than any board keeps; each is a whole board. */
export const BOARD_FILE_MAX_VERSIONS = 500;
export const MAX_VERSION_NAME_LENGTH = 120;
export const MAX_SAVED_BY_LENGTH = 60;

/**
 * A saved version as the server keeps it and the API answers it: the board
 * frozen under a name, with who saved it and when (its state is stored apart).
 */
export interface VersionSummary {
  id: string;
  boardId: string;
  name: string;
  savedBy: string;
  /** ms since 1970 */
  savedAt: number;
  steps: number;
}

/**
 * What is wrong with a board file, and where. `message` is a plain sentence
 * for people ("Demand 2 (“When are you coming?”): the count must be a whole
 * number (you wrote 2.5)."); `path` (`nodes[3].count`, '' for the whole file)
 * and `problem` stay technical, for the API's JSON and for machines.
 */
export class BoardFileError extends Error {
  readonly path: string;
  readonly problem: string;
  constructor(path: string, problem: string, sentence?: string) {
    super(sentence ?? plainSentence(path, problem, undefined));
    this.name = 'BoardFileError';
    this.path = path;
    this.problem = problem;
  }
}

const KIND_WORDS: Record<string, string> = {
  step: 'Step',
  note: 'Note',
  demand: 'Demand',
  purpose: 'Purpose',
  condition: 'System condition',
};
const LIST_WORDS: Record<string, string> = {
  nodes: 'Element',
  lanes: 'Lane',
  edges: 'Arrow',
  outcomes: 'Result',
  versions: 'Saved version',
  whatMatters: 'what matters, line',
  points: 'value',
  minutes: 'Capability time',
  entries: 'Study entry',
  demandTypes: 'Study demand type',
  handlingTypes: 'Handling type',
  contactMethods: 'Contact method',
  whatMattersCategories: 'What-matters category',
};
const FIELD_WORDS: Record<string, string> = {
  count: 'count',
  pt: 'process time (PT)',
  lt: 'lead time (LT)',
  ca: '%C&A',
  label: 'name',
  name: 'name',
  words: 'words',
  demandClass: 'class',
  stepClass: 'class',
  wasteType: 'waste type',
  position: 'position',
  x: 'position',
  y: 'position',
  lane: 'lane',
  id: 'id',
  colour: 'colour',
  text: 'text',
  source: 'start of the arrow',
  target: 'end of the arrow',
  predictable: '“predictable” mark',
  customerContact: '“customer contact” mark',
  title: 'title',
  formatVersion: 'format version',
  format: 'format',
  kind: 'kind of element',
  unit: 'unit',
  direction: 'direction',
  date: 'date',
  value: 'value',
  limitsFrom: 'case the limits are recomputed from',
  savedAt: 'time it was saved',
  savedBy: 'name of who saved it',
  versions: 'list of saved versions',
  lanes: 'list of lanes',
  nodes: 'list of elements',
  edges: 'list of arrows',
  outcomes: 'list of results',
  points: 'list of values',
  capability: 'capability series',
  study: 'demand study',
  settings: 'study settings',
  verbatim: 'verbatim (the customer’s words)',
  at: 'time it arrived',
  collector: 'collector’s name',
  class: 'class',
  type: 'demand type',
  handling: 'handling',
  contactMethod: 'contact method',
  point: 'point of transaction',
  valueDemandType: 'value demand it stems from',
  cause: 'cause',
  category: 'what-matters category',
  note: 'note',
  start: 'start date',
  end: 'end date',
  oneStop: '“one stop” mark',
  definition: 'definition',
};

function child(value: unknown, key: PropertyKey): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
}

/** "you wrote 2.5" for a short plain value the person typed; nothing for objects, lists or long text. */
function youWrote(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return ` (you wrote ${String(value)})`;
  if (typeof value === 'string' && value.length <= 40) return ` (you wrote “${value}”)`;
  return '';
}

/**
 * The one mapper from a problem at a path (a zod issue or our own check) to
 * a sentence in the user's words: the element by kind, number and name, the
 * field by its name in the method, what is wrong, and what was written.
 */
export function plainSentence(path: string | readonly PropertyKey[], problem: string, root: unknown): string {
  const parts = typeof path === 'string' ? parsePath(path) : [...path];
  const where: string[] = [];
  let value: unknown = root;
  let field: string | null = null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const next = parts[i + 1];
    if (typeof part === 'string' && typeof next === 'number') {
      const item = child(child(value, part), next);
      const kind = child(item, 'kind');
      const word = (part === 'nodes' && typeof kind === 'string' && KIND_WORDS[kind]) || LIST_WORDS[part] || part;
      const name = child(item, 'label') ?? child(item, 'name') ?? child(item, 'words') ?? child(item, 'verbatim');
      const named = typeof name === 'string' && name.trim() !== '' ? ` (“${shortName(name)}”)` : '';
      where.push(`${where.length ? word.toLowerCase() : word} ${next + 1}${named}`);
      value = item;
      i++;
      field = null;
    } else if (part === 'board') {
      value = child(value, part);
    } else {
      field = FIELD_WORDS[String(part)] ?? String(part);
      value = child(value, part);
    }
  }
  if (field === null && where.length && (typeof value !== 'object' || value === null)) field = 'value';
  const subject = where.join(', ');
  const wrote = root === undefined ? '' : youWrote(value);
  const what = plainProblem(problem, field, wrote);
  const sentence = subject ? `${subject}: ${lowerFirst(what)}` : what.charAt(0).toUpperCase() + what.slice(1);
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

function shortName(name: string): string {
  const flat = name.replace(/\s+/g, ' ').trim();
  return flat.length <= 40 ? flat : `${flat.slice(0, 39).trimEnd()}…`;
}

/** "Only a flow …" → "only a flow …" after a colon; "LT …" keeps its capitals. */
function lowerFirst(text: string): string {
  return /^[A-Z](?![A-Z])/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

/**
 * Our check's wording ("expected a whole number", "is missing") as part of a
 * sentence about the field; a problem already said as a sentence (a model
 * operation's refusal, "This file was saved by a newer Purposeboard") stays as it is.
 */
function plainProblem(problem: string, field: string | null, wrote: string): string {
  if (/^[A-Z]/.test(problem)) return problem;
  const the = field ? `the ${field}` : 'it';
  if (problem === 'is missing') return `${the} is missing`;
  if (problem.startsWith('expected ')) return `${the} must be ${problem.slice('expected '.length)}${wrote}`;
  if (problem.startsWith('is not ')) return `${the} ${problem}${problem.includes('you wrote') ? '' : wrote}`;
  if (/^(is |cannot |has |needs |must |names |points )/.test(problem)) return `${the} ${problem}`;
  return field ? `${the}: ${problem}` : problem;
}

function parsePath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    parts.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  }
  return parts;
}

// ---------------------------------------------------------------- the schema (format 2)

/** zod's error callback: "is missing" for an absent field, "expected …" for one of the wrong type. */
function missingOr(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is missing' : `expected ${expected}`);
}
const text = (max: number) =>
  z.string({ error: missingOr('text') }).max(max, { error: `is longer than ${max} characters` });
const requiredText = (max: number) => text(max).refine((s) => s.trim() !== '', { error: 'cannot be empty' });
const finite = () => z.number({ error: missingOr('a number') });
const minutes = () => finite().min(0, { error: 'expected a number of minutes, 0 or more' });
const whole = () =>
  z
    .number({ error: missingOr('a whole number') })
    .int({ error: 'expected a whole number' })
    .min(0, { error: 'expected a whole number of 0 or more' });
const bool = () => z.boolean({ error: missingOr('true or false') });
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => (issue.input === undefined ? 'is missing' : `expected one of ${values.join(', ')}`),
  });
}
const id = () =>
  z
    .string({ error: missingOr('an id (text)') })
    .min(1, { error: 'cannot be empty' })
    .max(MAX_ID_LENGTH, { error: `is longer than ${MAX_ID_LENGTH} characters` });
const position = () =>
  z
    .object({ x: finite(), y: finite() }, { error: missingOr('a position { "x": …, "y": … }') })
    .describe('Where the element sits on the canvas, in canvas units.');

const stepSchema = z.object({
  id: id(),
  kind: z.literal('step'),
  position: position(),
  label: text(MAX_LABEL_LENGTH),
  lane: id().nullable().describe('The id of the lane the step is in, or null for none.'),
  stepClass: oneOf(['value', 'waste']).nullable(),
  wasteType: oneOf(WASTE_TYPES).nullable().describe('Only a waste step has one.'),
  pt: minutes().nullable().describe('Process time in minutes (hands-on work).'),
  lt: minutes().nullable().describe('Lead time in minutes (elapsed), never less than pt.'),
  ca: finite()
    .min(0, { error: 'expected a number from 0 to 100' })
    .max(100, { error: 'expected a number from 0 to 100' })
    .nullable()
    .describe('%C&A, 0–100.'),
  customerContact: bool(),
});
const noteSchema = z.object({
  id: id(),
  kind: z.literal('note'),
  position: position(),
  text: z.string({ error: missingOr('text') }).max(MAX_NOTE_LENGTH, {
    error: `is longer than ${MAX_NOTE_LENGTH} characters`,
  }),
  colour: oneOf(NOTE_COLOURS),
});
const demandSchema = z.object({
  id: id(),
  kind: z.literal('demand'),
  position: position(),
  words: requiredText(MAX_LABEL_LENGTH).describe("The customer's words."),
  demandClass: oneOf(['value', 'failure']),
  count: whole().describe('How many arrived over the board period.'),
  predictable: bool(),
});
const purposeSchema = z.object({
  id: id(),
  kind: z.literal('purpose'),
  position: position(),
  statement: requiredText(MAX_LABEL_LENGTH),
  whatMatters: z.array(text(MAX_LABEL_LENGTH), { error: missingOr('a list of text') }),
});
const conditionSchema = z.object({
  id: id(),
  kind: z.literal('condition'),
  position: position(),
  label: requiredText(MAX_LABEL_LENGTH),
  conditionType: oneOf(CONDITION_TYPES),
});

function unknownKind(issue: { input?: unknown }): string {
  const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
  if (kind === undefined) return 'is missing';
  return `is not one we know: it must be one of ${NODE_KINDS.join(', ')} (you wrote ${JSON.stringify(kind)})`;
}

const nodeSchema = z.discriminatedUnion(
  'kind',
  [stepSchema, noteSchema, demandSchema, purposeSchema, conditionSchema],
  {
    error: (issue) =>
      typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input)
        ? unknownKind(issue)
        : missingOr('an element (an object)')(issue),
  },
);

const laneSchema = z.object(
  {
    id: id(),
    name: requiredText(MAX_LABEL_LENGTH),
    order: finite().describe('Lanes are shown top to bottom by order, then id.'),
    colour: z
      .string({ error: missingOr('a colour like "#e0f2fe"') })
      .regex(/^#[0-9a-fA-F]{6}$/, { error: 'expected a colour like "#e0f2fe"' }),
  },
  { error: missingOr('a lane (an object)') },
);

const edgeSchema = z.object(
  {
    id: id(),
    kind: oneOf(EDGE_KINDS),
    source: id(),
    target: id(),
    rework: bool().describe('A flow edge marked as a rework loop; always false for other kinds.'),
  },
  { error: missingOr('an edge (an object)') },
);

const list = <T extends z.ZodType>(item: T) =>
  z.array(item, { error: missingOr('a list') }).max(BOARD_FILE_MAX_ELEMENTS, {
    error: `has more than ${BOARD_FILE_MAX_ELEMENTS} items`,
  });

/** Ids used twice, and edges or steps that point at nothing: what a per-field check cannot see. */
function checkReferences(
  file: Omit<BoardContentShape, 'outcomes'> & { outcomes?: BoardContentShape['outcomes'] },
  ctx: z.RefinementCtx,
): void {
  const seen = (items: { id: string }[], where: string) => {
    const ids = new Set<string>();
    items.forEach((item, index) => {
      if (ids.has(item.id))
        ctx.addIssue({
          code: 'custom',
          path: [where, index, 'id'],
          message: `is used twice (“${item.id}”); each needs its own`,
        });
      ids.add(item.id);
    });
    return ids;
  };
  const laneIds = seen(file.lanes, 'lanes');
  const nodeIds = seen(file.nodes, 'nodes');
  seen(file.edges, 'edges');
  if (file.outcomes) seen(file.outcomes, 'outcomes');
  file.nodes.forEach((node, index) => {
    if (node.kind === 'step' && node.lane !== null && !laneIds.has(node.lane)) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes', index, 'lane'],
        message: `names a lane that is not in the file (id “${node.lane}”)`,
      });
    }
  });
  file.edges.forEach((edge, index) => {
    for (const end of ['source', 'target'] as const) {
      if (!nodeIds.has(edge[end])) {
        ctx.addIssue({
          code: 'custom',
          path: ['edges', index, end],
          message: `points to no element in the file (id “${edge[end]}”)`,
        });
      }
    }
  });
}

const outcomeSchema = z
  .object(
    {
      id: id(),
      name: requiredText(MAX_OUTCOME_NAME_LENGTH).describe(
        "The result's name; a before and an after board compare results of the same name.",
      ),
      unit: oneOf(OUTCOME_UNITS),
      direction: oneOf(OUTCOME_DIRECTIONS),
      points: z
        .array(
          z.object(
            {
              date: z
                .string({ error: missingOr('a date (YYYY-MM-DD) or null') })
                .refine(isOutcomeDate, { error: 'expected a date written YYYY-MM-DD' })
                .nullable(),
              value: finite(),
            },
            { error: missingOr('a value { "date": …, "value": … }') },
          ),
          { error: missingOr('a list of values') },
        )
        .min(1, { error: 'needs at least one value' })
        .max(MAX_OUTCOME_POINTS, { error: `has more than ${MAX_OUTCOME_POINTS} values` })
        .describe('The values, oldest first; a date may be null.'),
    },
    { error: missingOr('a result (an object)') },
  )
  .describe('An outcome measure ("Results"): what the whole system achieves, with its unit and direction.');

/** What a board holds: the live board at the top of the file, and each saved version. */
const contentFields = {
  title: requiredText(MAX_TITLE_LENGTH),
  period: text(MAX_PERIOD_LENGTH).nullable().describe('The period the demand counts cover ("one week"), or null.'),
  lanes: list(laneSchema),
  nodes: list(nodeSchema),
  edges: list(edgeSchema),
  capability: z.object(
    {
      unit: oneOf(CAPABILITY_UNITS).describe('The unit the series is shown in; values are minutes.'),
      minutes: z
        .array(minutes(), { error: missingOr('a list of minutes') })
        .max(MAX_CAPABILITY_POINTS, { error: `has more than ${MAX_CAPABILITY_POINTS} points` })
        .describe('End-to-end times in minutes, oldest first.'),
      limitsFrom: z
        .number({ error: 'must be a case number' })
        .int({ error: 'must be a whole case number' })
        .min(1, { error: 'must be 1 or more (limits are recomputed from the second case on)' })
        .max(MAX_CAPABILITY_POINTS - 1, { error: `must be under ${MAX_CAPABILITY_POINTS}` })
        .optional()
        .describe('Optional: the chart recomputes its limits from this case on (0-based), e.g. from the redesign.'),
    },
    { error: missingOr('an object { "unit": …, "minutes": […] }') },
  ),
  outcomes: z
    .array(outcomeSchema, { error: missingOr('a list') })
    .max(MAX_OUTCOMES, { error: `has more than ${MAX_OUTCOMES} results` })
    .describe('The results (outcome measures), by name.'),
};
const boardContentShape = z.object(contentFields, { error: missingOr('a board (an object)') });
/** A board's content in formats 1 and 2: no results. */
const contentFieldsV2 = Object.fromEntries(Object.entries(contentFields).filter(([key]) => key !== 'outcomes')) as Omit<
  typeof contentFields,
  'outcomes'
>;
const boardContentShapeV2 = z.object(contentFieldsV2, { error: missingOr('a board (an object)') });
type BoardContentShape = z.infer<typeof boardContentShape>;

const versionShape = z.object(
  {
    name: requiredText(MAX_VERSION_NAME_LENGTH).describe('The name it was saved under ("Before – workshop 1").'),
    savedBy: requiredText(MAX_SAVED_BY_LENGTH).describe('Who saved it.'),
    savedAt: whole().describe('When it was saved: milliseconds since 1970-01-01 UTC.'),
    board: boardContentShape
      .superRefine(checkReferences)
      .describe('The board as it was when saved, in the same form as the file itself.'),
  },
  { error: missingOr('a version (an object)') },
);

/** Format 1: format 2 without `versions`. */
const boardFileV1Shape = z.object(
  {
    format: z.literal(BOARD_FILE_FORMAT, { error: `expected "${BOARD_FILE_FORMAT}"` }),
    formatVersion: z.literal(1),
    ...contentFieldsV2,
  },
  { error: missingOr('a board file (a JSON object)') },
);

/** Format 2: format 3 without results, on the board or in its versions. */
const boardFileV2Shape = z.object(
  {
    format: z.literal(BOARD_FILE_FORMAT, { error: `expected "${BOARD_FILE_FORMAT}"` }),
    formatVersion: z.literal(2),
    ...contentFieldsV2,
    versions: z
      .array(
        z.object(
          {
            name: requiredText(MAX_VERSION_NAME_LENGTH),
            savedBy: requiredText(MAX_SAVED_BY_LENGTH),
            savedAt: whole(),
            board: boardContentShapeV2.superRefine(checkReferences),
          },
          { error: missingOr('a version (an object)') },
        ),
        { error: missingOr('a list') },
      )
      .max(BOARD_FILE_MAX_VERSIONS, { error: `has more than ${BOARD_FILE_MAX_VERSIONS} versions` }),
  },
  { error: missingOr('a board file (a JSON object)') },
);

/**
 * Issue 15: the board's revealed votes and its comments, optional top-level
 * keys (no format bump here: the lead joins them into the next format). They
 * are rows beside the document, not part of it, so they are read loosely and
 * re-checked by the server that stores them.
 */
const voteRecordShape = z.object({
  id: z.string().max(64),
  question: z.string().max(200),
  kind: z.enum(['waste', 'condition', 'failure', 'note']),
  dotsPerPerson: z.number().int().min(1).max(20),
  startedBy: z.string().max(100),
  startedAt: z.number(),
  revealedAt: z.number(),
  voters: z.number().int().min(0),
  results: z
    .array(
      z.object({
        cardId: z.string().max(64),
        label: z.string().max(2000),
        dots: z.number().int().min(0),
        rank: z.number().int().min(1),
      }),
    )
    .max(1000),
});
const commentShape = z.object({
  id: z.string().max(64),
  cardId: z.string().max(64),
  threadId: z.string().max(64).nullable(),
  author: z.string().max(100),
  text: z.string().min(1).max(2000),
  createdAt: z.number(),
  resolvedAt: z.number().nullable(),
  resolvedBy: z.string().max(100).nullable(),
  orphaned: z.boolean(),
});
export type BoardFileVoteRecord = z.infer<typeof voteRecordShape>;
export type BoardFileComment = z.infer<typeof commentShape>;

// ---------------------------------------------------------------- the demand study (format 4)

/** More entries than a four-week study of a busy contact centre; keeps one file from exhausting the server. */
export const BOARD_FILE_MAX_STUDY_ENTRIES = 100_000;
// The study's limits, the same numbers as the capture API's (STUDY_LIMITS in src/protocol/study.ts, a
// floor this one does not import): a study the API stored always fits in a file.
/** The longest verbatim (the customer's words) an entry holds. */
export const STUDY_VERBATIM_MAX_LENGTH = 2000;
const STUDY_NAME_MAX_LENGTH = 120;
const STUDY_DEFINITION_MAX_LENGTH = 1000;
const STUDY_NOTE_MAX_LENGTH = 2000;
const STUDY_CAUSE_MAX_LENGTH = 500;
const STUDY_COLLECTOR_MAX_LENGTH = 80;
const STUDY_LIST_MAX = 100;
const STUDY_TYPES_MAX = 200;
const studyDay = () =>
  z
    .string({ error: missingOr('a date (YYYY-MM-DD)') })
    .refine(isOutcomeDate, { error: 'expected a date written YYYY-MM-DD' });
const studyName = () => requiredText(STUDY_NAME_MAX_LENGTH);
const studyNames = () =>
  z
    .array(studyName(), { error: missingOr('a list of names') })
    .max(STUDY_LIST_MAX, { error: `has more than ${STUDY_LIST_MAX} names` });
const typeId = () =>
  z
    .string({ error: missingOr('a type id (text)') })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'expected a type id of 1 to 64 letters, digits, "_" or "-"' });
/** An ISO 8601 time with its offset or Z, as the phone wrote it ("2026-03-02T09:15:00+00:00"). */
const STUDY_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const studySettingsShape = z
  .object(
    {
      demandTypes: z
        .array(
          z.object(
            {
              id: typeId().describe('The type’s id: entries name their type by it.'),
              name: studyName(),
              class: oneOf(['value', 'failure']),
              definition: text(STUDY_DEFINITION_MAX_LENGTH)
                .optional()
                .describe(
                  'The operational definition ("Chasing: the customer asks where something is that we promised").',
                ),
            },
            { error: missingOr('a demand type (an object)') },
          ),
          { error: missingOr('a list') },
        )
        .max(STUDY_TYPES_MAX, { error: `has more than ${STUDY_TYPES_MAX} types` }),
      handlingTypes: z
        .array(
          z.object(
            { name: studyName(), oneStop: bool().describe('Handled there and then, in one contact.') },
            { error: missingOr('a handling type (an object)') },
          ),
          { error: missingOr('a list') },
        )
        .max(STUDY_LIST_MAX, { error: `has more than ${STUDY_LIST_MAX} types` }),
      contactMethods: studyNames(),
      defaultContactMethod: studyName().optional(),
      points: studyNames().optional().describe('The points of transaction (optional).'),
      whatMattersCategories: studyNames().optional(),
      start: studyDay().describe('The first day of the study.'),
      end: studyDay().describe('The last day of the study (inclusive).'),
      capture: z.object(
        { classification: bool(), handling: bool(), valueLinking: bool() },
        { error: missingOr('an object { "classification": …, "handling": …, "valueLinking": … }') },
      ),
    },
    { error: missingOr('the study settings (an object)') },
  )
  .describe('The study settings: its types, lists and period.');

const studyEntryShape = z.object(
  {
    id: z
      .string({ error: missingOr('an id (text)') })
      .regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'expected an id of 8 to 64 letters, digits, "_" or "-"' }),
    at: z
      .string({ error: missingOr('a time (ISO 8601, e.g. "2026-03-02T09:15:00Z")') })
      .refine((s) => STUDY_TIME.test(s) && Number.isFinite(Date.parse(s)), {
        error: 'expected a time written like 2026-03-02T09:15:00Z',
      })
      .describe('When the demand arrived (ISO 8601 with its offset); its date is the day it counts on.'),
    collector: requiredText(STUDY_COLLECTOR_MAX_LENGTH).describe('Who wrote it down.'),
    verbatim: requiredText(STUDY_VERBATIM_MAX_LENGTH).describe(
      "What the customer asked for, in the customer's own words.",
    ),
    class: oneOf(['value', 'failure', 'unsure']).optional(),
    type: typeId().optional().describe('The id of one of the settings’ demand types.'),
    handling: studyName().optional().describe('The name of one of the settings’ handling types.'),
    contactMethod: studyName().optional(),
    point: studyName().optional(),
    whatMatters: z
      .object(
        { category: studyName().optional(), note: text(STUDY_NOTE_MAX_LENGTH).optional() },
        { error: missingOr('an object { "category": …, "note": … }') },
      )
      .optional(),
    valueDemandType: typeId().optional().describe('For failure demand: the id of the value demand type it stems from.'),
    cause: text(STUDY_CAUSE_MAX_LENGTH).optional().describe('For failure demand: why it happened.'),
  },
  { error: missingOr('a study entry (an object)') },
);

/** The day an entry counts on: the date it was written on ("2026-03-02T23:30:00+01:00" → "2026-03-02"), as the study model counts it. */
export function studyDayOf(at: string): string {
  return at.slice(0, 10);
}

/** Names the settings do not define, entries outside the period, ids twice: what a per-field check cannot see. */
function checkStudy(study: z.infer<typeof studyShapeFields>, ctx: z.RefinementCtx): void {
  const { settings } = study;
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['study', ...path], message });
  if (settings.end < settings.start) issue(['settings', 'end'], 'is before the start date');
  const types = new Map(settings.demandTypes.map((t) => [t.id, t]));
  const handling = new Set(settings.handlingTypes.map((t) => t.name));
  const contacts = new Set(settings.contactMethods);
  const points = new Set(settings.points ?? []);
  const categories = new Set(settings.whatMattersCategories ?? []);
  const twice = (names: string[], list: string) => {
    const seen = new Set<string>();
    names.forEach((name, index) => {
      // Names are told apart as people tell them: "Chasing" and "chasing" are one type.
      const key = name.trim().toLowerCase();
      if (seen.has(key))
        issue(['settings', list, index], `is named twice (“${shortName(name)}”); each needs its own name`);
      seen.add(key);
    });
  };
  twice(
    settings.demandTypes.map((t) => t.name),
    'demandTypes',
  );
  const typeIds = new Set<string>();
  settings.demandTypes.forEach((t, index) => {
    if (typeIds.has(t.id))
      issue(['settings', 'demandTypes', index, 'id'], `is used twice (“${t.id}”); each needs its own`);
    typeIds.add(t.id);
  });
  twice(
    settings.handlingTypes.map((t) => t.name),
    'handlingTypes',
  );
  if (settings.defaultContactMethod !== undefined && !contacts.has(settings.defaultContactMethod))
    issue(['settings', 'defaultContactMethod'], 'is not one of the contact methods');
  const ids = new Set<string>();
  study.entries.forEach((entry, index) => {
    const unknown = (field: string, value: string, list: string) =>
      issue(['entries', index, field], `names a ${list} the study does not have (“${shortName(value)}”)`);
    if (ids.has(entry.id)) issue(['entries', index, 'id'], `is used twice (“${entry.id}”); each needs its own`);
    ids.add(entry.id);
    // A time that is not one is already refused by its own check (refinements run on past it).
    const day = Number.isFinite(Date.parse(entry.at)) ? studyDayOf(entry.at) : null;
    if (day !== null && (day < settings.start || day > settings.end))
      issue(
        ['entries', index, 'at'],
        `is outside the study (${day}; the study runs ${settings.start} to ${settings.end})`,
      );
    if (entry.type !== undefined) {
      const type = types.get(entry.type);
      if (type === undefined) unknown('type', entry.type, 'demand type');
      else if (entry.class !== undefined && entry.class !== 'unsure' && entry.class !== type.class)
        issue(
          ['entries', index, 'class'],
          `is ${entry.class}, but its type “${shortName(type.name)}” is ${type.class}`,
        );
    }
    if (entry.handling !== undefined && !handling.has(entry.handling))
      unknown('handling', entry.handling, 'handling type');
    if (entry.contactMethod !== undefined && !contacts.has(entry.contactMethod))
      unknown('contactMethod', entry.contactMethod, 'contact method');
    if (entry.point !== undefined && !points.has(entry.point)) unknown('point', entry.point, 'point of transaction');
    const category = entry.whatMatters?.category;
    if (category !== undefined && !categories.has(category)) unknown('whatMatters', category, 'what-matters category');
    if (entry.valueDemandType !== undefined && types.get(entry.valueDemandType)?.class !== 'value')
      unknown('valueDemandType', entry.valueDemandType, 'value demand type');
  });
}

const studyShapeFields = z.object(
  {
    settings: studySettingsShape,
    entries: z
      .array(studyEntryShape, { error: missingOr('a list') })
      .max(BOARD_FILE_MAX_STUDY_ENTRIES, { error: `has more than ${BOARD_FILE_MAX_STUDY_ENTRIES} entries` })
      .describe('The entries, oldest first (by "at", then "id").'),
  },
  { error: missingOr('a demand study (an object { "settings": …, "entries": […] })') },
);
const studyShape = studyShapeFields.describe(
  'The board’s demand study (optional): its settings and every entry the collectors wrote down. Rows beside the board, stored by the server, never in the board document.',
);
export type BoardFileStudy = z.infer<typeof studyShapeFields>;
export type BoardFileStudySettings = BoardFileStudy['settings'];
export type BoardFileStudyEntry = BoardFileStudy['entries'][number];

const boardFileV3Fields = {
  format: z.literal(BOARD_FILE_FORMAT, { error: `expected "${BOARD_FILE_FORMAT}"` }),
  ...contentFields,
  versions: z
    .array(versionShape, { error: missingOr('a list') })
    .max(BOARD_FILE_MAX_VERSIONS, { error: `has more than ${BOARD_FILE_MAX_VERSIONS} versions` })
    .describe('The saved versions, oldest first.'),
  votes: z.array(voteRecordShape).max(1000).optional().describe('The revealed dot votes, newest first.'),
  comments: z.array(commentShape).max(10_000).optional().describe('Comments on cards, oldest first.'),
};

/** Format 3: format 4 without the demand study. */
const boardFileV3Shape = z.object(
  { ...boardFileV3Fields, formatVersion: z.literal(3) },
  { error: missingOr('a board file (a JSON object)') },
);

const boardFileShape = z.object(
  {
    format: boardFileV3Fields.format,
    formatVersion: z.literal(BOARD_FILE_FORMAT_VERSION),
    ...contentFields,
    versions: boardFileV3Fields.versions,
    votes: boardFileV3Fields.votes,
    comments: boardFileV3Fields.comments,
    study: studyShape.optional(),
  },
  { error: missingOr('a board file (a JSON object)') },
);

/** A board file of the current format, checked field by field and for ids that point at nothing. */
export const boardFileSchema = boardFileShape.superRefine((file, ctx) => {
  checkReferences(file, ctx);
  if (file.study) checkStudy(file.study, ctx);
});

export type BoardFile = z.infer<typeof boardFileSchema>;
export type BoardFileNode = BoardFile['nodes'][number];
export type BoardFileLane = BoardFile['lanes'][number];
export type BoardFileEdge = BoardFile['edges'][number];
export type BoardFileVersion = BoardFile['versions'][number];
/** A board's content as the file holds it (the file without format, formatVersion and versions). */
export type BoardFileContent = BoardFileVersion['board'];

/** The JSON Schema of the current format (committed as docs/board-format.schema.json). */
export function boardFileJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(boardFileShape, { target: 'draft-2020-12' });
  return {
    $schema: schema.$schema,
    $id: 'https://purposeboard.invalid/board-format.schema.json',
    title: 'Purposeboard board file',
    description: `A whole Purposeboard board with its saved versions, format version ${BOARD_FILE_FORMAT_VERSION}. See docs/board-format.md. Checks this schema cannot say: ids are unique within lanes, nodes and edges (of the board and of each version); a step lane and an edge source and target name an id in the same board; lt >= pt; a value step has no waste type.`,
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
}

// ---------------------------------------------------------------- format 0 and its migration

/**
 * Format 0: the first board files (before lanes had colours and before the
 * capability series). Lanes have no colour, a demand's words are in `label`,
 * there is no `format` marker, no capability and an edge's `rework` may be
 * left out.
 */
const boardFileV0Schema = z.object(
  {
    formatVersion: z.literal(0),
    title: requiredText(MAX_TITLE_LENGTH),
    period: text(MAX_PERIOD_LENGTH).nullable().optional(),
    lanes: list(z.object({ id: id(), name: requiredText(MAX_LABEL_LENGTH), order: finite() })),
    nodes: list(
      z.discriminatedUnion(
        'kind',
        [
          stepSchema,
          noteSchema,
          demandSchema.omit({ words: true }).extend({ label: requiredText(MAX_LABEL_LENGTH) }),
          purposeSchema,
          conditionSchema,
        ],
        { error: unknownKind },
      ),
    ),
    edges: list(edgeSchema.extend({ rework: bool().optional() })),
  },
  { error: missingOr('a board file (a JSON object)') },
);

function migrateV0(file: z.infer<typeof boardFileV0Schema>): unknown {
  const lanesInOrder = [...file.lanes].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  return {
    format: BOARD_FILE_FORMAT,
    formatVersion: 1,
    title: file.title,
    period: file.period ?? null,
    // Format 0 showed every lane in one grey; give them the palette a new board would.
    lanes: file.lanes.map((lane) => ({
      ...lane,
      colour: LANE_COLOURS[lanesInOrder.indexOf(lane) % LANE_COLOURS.length],
    })),
    nodes: file.nodes.map((node) => {
      if (node.kind !== 'demand') return node;
      const { label, ...rest } = node;
      return { ...rest, words: label };
    }),
    edges: file.edges.map((edge) => ({ ...edge, rework: edge.rework ?? false })),
    capability: { unit: 'days', minutes: [] },
  };
}

/** Format 1 → 2: the same board, with no saved versions. */
function migrateV1(file: z.infer<typeof boardFileV1Shape>): unknown {
  return { ...file, formatVersion: 2, versions: [] };
}

/** Format 2 → 3: the same board and versions, each with no results. */
function migrateV2(file: z.infer<typeof boardFileV2Shape>): unknown {
  return {
    ...file,
    formatVersion: 3,
    outcomes: [],
    versions: file.versions.map((v) => ({ ...v, board: { ...v.board, outcomes: [] } })),
  };
}

/** Format 3 → 4: the same board, with no demand study (the key is optional, so nothing to add). */
function migrateV3(file: z.infer<typeof boardFileV3Shape>): unknown {
  return { ...file, formatVersion: 4 };
}

// ---------------------------------------------------------------- reading a file

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function check<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [first] = parsed.error.issues;
  const more = parsed.error.issues.length - 1;
  const sentence = plainSentence(first.path, first.message, input);
  const also = more > 0 ? ` There ${more === 1 ? 'is 1 more problem' : `are ${more} more problems`}.` : '';
  throw new BoardFileError(pathOf(first.path), first.message, sentence + also);
}

/**
 * Checks a parsed JSON value as a board file of any known format and gives
 * it in the current format. Throws a `BoardFileError` naming the first
 * problem and its path.
 */
export function parseBoardFile(input: unknown): BoardFile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BoardFileError('', 'This file is not a Purposeboard board file (it holds no board).');
  }
  const { format, formatVersion } = input as { format?: unknown; formatVersion?: unknown };
  if (format !== undefined && format !== BOARD_FILE_FORMAT) {
    throw new BoardFileError(
      'format',
      `This file is not a Purposeboard board file (it says it is ${JSON.stringify(format)}).`,
    );
  }
  if (formatVersion === undefined) throw new BoardFileError('formatVersion', 'is missing');
  if (typeof formatVersion !== 'number' || !Number.isInteger(formatVersion) || formatVersion < 0) {
    throw new BoardFileError('formatVersion', 'expected a whole number');
  }
  if (formatVersion > BOARD_FILE_FORMAT_VERSION) {
    throw new BoardFileError(
      'formatVersion',
      `This file was saved by a newer Purposeboard (format ${formatVersion}; this one reads up to ${BOARD_FILE_FORMAT_VERSION}). Update Purposeboard, or export the board again from where it was made.`,
    );
  }
  // Each older format is checked as what it was, then moved up one format at a time.
  const fromV3 = (v3: unknown) =>
    check(boardFileSchema, migrateV3(check(boardFileV3Shape.superRefine(checkReferences), v3)));
  const fromV2 = (v2: unknown) => fromV3(migrateV2(check(boardFileV2Shape.superRefine(checkReferences), v2)));
  const fromV1 = (v1: unknown) => fromV2(migrateV1(check(boardFileV1Shape.superRefine(checkReferences), v1)));
  if (formatVersion === 0) return fromV1(migrateV0(check(boardFileV0Schema, input)));
  if (formatVersion === 1) return fromV1(input);
  if (formatVersion === 2) return fromV2(input);
  if (formatVersion === 3) return fromV3(input);
  return check(boardFileSchema, input);
}

/** Parses the text of a board file (as uploaded): size, JSON, then `parseBoardFile`. */
export function parseBoardFileText(text: string): BoardFile {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > BOARD_FILE_MAX_BYTES) {
    throw new BoardFileError(
      '',
      `The file is ${bytes} bytes; a board file can be at most ${BOARD_FILE_MAX_BYTES} bytes.`,
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    // The parser's own words ("Expected double-quoted property name … at position 47") stay in `problem`.
    throw new BoardFileError(
      '',
      `not valid JSON (${(error as Error).message})`,
      'This file is not a Purposeboard board file (it is not valid JSON).',
    );
  }
  return parseBoardFile(input);
}

/**
 * Parses the bytes of a board file (as uploaded). The text must be valid
 * UTF-8: a decoder would otherwise store every broken sequence as U+FFFD, a
 * silent change to the team's words. The refusal names the field that holds
 * the first broken sequence (or its byte offset, outside any string).
 */
export function parseBoardFileBytes(bytes: Uint8Array): BoardFile {
  if (bytes.length > BOARD_FILE_MAX_BYTES) {
    throw new BoardFileError(
      '',
      `The file is ${bytes.length} bytes; a board file can be at most ${BOARD_FILE_MAX_BYTES} bytes.`,
    );
  }
  const valid = validUtf8Prefix(bytes);
  if (valid === null) return parseBoardFileText(new TextDecoder().decode(bytes));
  // The valid prefix may end in the lead bytes of the broken character: its complete characters,
  // encoded again, give the offset where the broken one starts.
  const before = new TextDecoder().decode(bytes.subarray(0, valid), { stream: true });
  const offset = new TextEncoder().encode(before).length;
  const field = fieldAtFirstReplacement(new TextDecoder().decode(bytes), before);
  const where = field === null ? `at byte ${offset}` : `in ${field || 'the file'}`;
  throw new BoardFileError(
    field ?? '',
    `This file is not valid UTF-8 text (a broken character ${where}). Save it as UTF-8 and try again.`,
  );
}

/** Length of the longest prefix that is valid UTF-8 so far, or null when all the bytes are valid. */
function validUtf8Prefix(bytes: Uint8Array): number | null {
  const fatal = new TextDecoder('utf-8', { fatal: true });
  try {
    fatal.decode(bytes);
    return null;
  } catch {
    // The longest valid prefix (an incomplete last character allowed, as `stream` does): validity
    // of a prefix only gets lost as it grows, so a binary search finds where it breaks.
    let good = 0;
    let bad = bytes.length;
    while (bad - good > 1) {
      const middle = (good + bad) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
        good = middle;
      } catch {
        bad = middle;
      }
    }
    return good;
  }
}

/**
 * The path of the JSON string (key or value) holding the first U+FFFD that
 * the decoder made, or null when the text is not JSON. `before` is the text
 * before the broken bytes: the U+FFFD it already holds were in the file.
 */
function fieldAtFirstReplacement(lossy: string, before: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(lossy);
  } catch {
    return null;
  }
  let skip = [...before].filter((c) => c === '\uFFFD').length;
  const visit = (value: unknown, path: (string | number)[]): (string | number)[] | null => {
    const holds = (text: string) => {
      const count = [...text].filter((c) => c === '\uFFFD').length;
      if (count > skip) return true;
      skip -= count;
      return false;
    };
    if (typeof value === 'string') return holds(value) ? path : null;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = visit(value[i], [...path, i]);
        if (found) return found;
      }
      return null;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (holds(key)) return [...path, key];
        const found = visit(item, [...path, key]);
        if (found) return found;
      }
    }
    return null;
  };
  const found = visit(parsed, []);
  return found === null ? null : pathOf(found);
}

// ---------------------------------------------------------------- export

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function oneOfOr<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return values.includes(value as T) ? (value as T) : fallback;
}

/**
 * One node as the file holds it, keys in a fixed order. A field of the wrong
 * type in the document (an older client) is written as missing (null) or the
 * field's default, as the readers in read.ts do.
 */
function exportNode(nodeId: string, node: YNode): BoardFileNode | null {
  const base = { id: nodeId, position: { x: numberOrNull(node.get('x')) ?? 0, y: numberOrNull(node.get('y')) ?? 0 } };
  switch (node.get('kind')) {
    case 'step': {
      const stepClass = oneOfOr(['value', 'waste', ''] as const, node.get('stepClass'), '');
      const pt = numberOrNull(node.get('pt'));
      const lt = numberOrNull(node.get('lt'));
      const ca = numberOrNull(node.get('ca'));
      const lane = node.get('lane');
      return {
        id: base.id,
        kind: 'step',
        position: base.position,
        label: str(node.get('label')),
        lane: typeof lane === 'string' ? lane : null,
        stepClass: stepClass || null,
        wasteType:
          stepClass === 'waste'
            ? oneOfOr<WasteType | ''>([...WASTE_TYPES, ''], node.get('wasteType'), '') || null
            : null,
        pt: pt !== null && pt >= 0 ? pt : null,
        lt: lt !== null && lt >= 0 ? lt : null,
        ca: ca !== null && ca >= 0 && ca <= 100 ? ca : null,
        customerContact: node.get('customerContact') === true,
      };
    }
    case 'note':
      return {
        id: base.id,
        kind: 'note',
        position: base.position,
        text: str(node.get('text')),
        colour: oneOfOr(NOTE_COLOURS, node.get('colour'), 'yellow'),
      };
    case 'demand': {
      const count = node.get('count');
      return {
        id: base.id,
        kind: 'demand',
        position: base.position,
        words: str(node.get('words')),
        demandClass: oneOfOr(['value', 'failure'] as const, node.get('demandClass'), 'value'),
        count: typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : 0,
        predictable: node.get('predictable') === true,
      };
    }
    case 'purpose':
      return {
        id: base.id,
        kind: 'purpose',
        position: base.position,
        statement: str(node.get('label')),
        whatMatters: whatMattersOf(node),
      };
    case 'condition':
      return {
        id: base.id,
        kind: 'condition',
        position: base.position,
        label: str(node.get('label')),
        conditionType: oneOfOr(CONDITION_TYPES, node.get('conditionType'), 'other'),
      };
    default:
      return null;
  }
}

/** A saved version to write into the file: its document (the frozen state) and who saved it when. */
export interface VersionToExport {
  name: string;
  savedBy: string;
  savedAt: number;
  doc: Y.Doc;
}

/**
 * The whole board as a board file of the current format, with its saved
 * versions (oldest first). Edges whose ends are gone are left out.
 */
export function exportBoardFile(
  doc: Y.Doc,
  versions: VersionToExport[] = [],
  room: { votes?: BoardFileVoteRecord[]; comments?: BoardFileComment[]; study?: BoardFileStudy | null } = {},
): BoardFile {
  return {
    format: BOARD_FILE_FORMAT,
    formatVersion: BOARD_FILE_FORMAT_VERSION,
    ...boardContentOf(doc),
    versions: versions.map((v) => ({
      name: v.name,
      savedBy: v.savedBy,
      savedAt: v.savedAt,
      board: boardContentOf(v.doc),
    })),
    // Only when there are some, so a board without votes or comments exports the same bytes as before.
    ...(room.votes && room.votes.length > 0 ? { votes: room.votes } : {}),
    ...(room.comments && room.comments.length > 0 ? { comments: room.comments } : {}),
    // Only a board with a study carries one; its entries in the file's order (`orderedStudy`).
    ...(room.study ? { study: orderedStudy(room.study) } : {}),
  };
}

/** One board's content in the file's own element form. */
export function boardContentOf(doc: Y.Doc): BoardFileContent {
  const lanes: BoardFileLane[] = [];
  lanesMap(doc).forEach((lane, laneId) => {
    lanes.push({
      id: laneId,
      name: str(lane.get('name')),
      order: numberOrNull(lane.get('order')) ?? 0,
      colour: /^#[0-9a-fA-F]{6}$/.test(str(lane.get('colour'))) ? str(lane.get('colour')) : '#e2e8f0',
    });
  });
  const nodes: BoardFileNode[] = [];
  nodesMap(doc).forEach((node, nodeId) => {
    const read = exportNode(nodeId, node);
    if (read) nodes.push(read);
  });
  const present = new Set(nodes.map((n) => n.id));
  const edges: BoardFileEdge[] = [];
  edgesMap(doc).forEach((edge, edgeId) => {
    const kind = edge.get('kind');
    const source = edge.get('source');
    const target = edge.get('target');
    if (!EDGE_KINDS.includes(kind as never) || typeof source !== 'string' || typeof target !== 'string') return;
    if (!present.has(source) || !present.has(target)) return;
    edges.push({
      id: edgeId,
      kind: kind as BoardFileEdge['kind'],
      source,
      target,
      rework: kind === 'flow' && edge.get('rework') === true,
    });
  });
  const capability = readCapabilitySeries(doc);
  return {
    title: readMeta(doc).title,
    period: readPeriod(doc),
    lanes: lanes.sort(byId),
    nodes: nodes.sort(byId),
    edges: edges.sort(byId),
    capability: {
      unit: capability.unit,
      minutes: capability.minutes,
      ...(capability.limitsFrom !== null ? { limitsFrom: capability.limitsFrom } : {}),
    },
    outcomes: readOutcomes(doc).sort(byId),
  };
}

function byVersionOrder(a: BoardFileVersion, b: BoardFileVersion): number {
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return a.savedAt - b.savedAt || text(a.name, b.name) || text(a.savedBy, b.savedBy);
}

/** Every key in the order the format documents, whatever order the object was built in. */
function ordered(file: BoardFile): BoardFile {
  return {
    format: file.format,
    formatVersion: file.formatVersion,
    ...orderedContent(file),
    versions: [...file.versions]
      .sort(byVersionOrder)
      .map((v) => ({ name: v.name, savedBy: v.savedBy, savedAt: v.savedAt, board: orderedContent(v.board) })),
    ...(file.votes ? { votes: file.votes } : {}),
    ...(file.comments ? { comments: file.comments } : {}),
    ...(file.study ? { study: orderedStudy(file.study) } : {}),
  };
}

/** Keeps only the fields that are there: an optional field left out is absent, never `undefined` or null. */
function present<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The study in its fixed key order, entries by the time they arrived (then
 * id): the same study gives the same bytes whatever order storage listed it.
 * Extra fields storage keeps (who stored an entry, when it was changed) are
 * left out: they belong to that server.
 */
export function orderedStudy(study: BoardFileStudy): BoardFileStudy {
  const s = study.settings;
  const settings = {
    demandTypes: s.demandTypes.map((t) =>
      present({ id: t.id, name: t.name, class: t.class, definition: t.definition }),
    ) as BoardFileStudySettings['demandTypes'],
    handlingTypes: s.handlingTypes.map((t) => ({ name: t.name, oneStop: t.oneStop })),
    contactMethods: [...s.contactMethods],
    ...present({
      defaultContactMethod: s.defaultContactMethod,
      points: s.points ? [...s.points] : undefined,
      whatMattersCategories: s.whatMattersCategories ? [...s.whatMattersCategories] : undefined,
    }),
    start: s.start,
    end: s.end,
    capture: {
      classification: s.capture.classification,
      handling: s.capture.handling,
      valueLinking: s.capture.valueLinking,
    },
  };
  const entries = [...study.entries]
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(
      (e) =>
        present({
          id: e.id,
          at: e.at,
          collector: e.collector,
          verbatim: e.verbatim,
          class: e.class,
          type: e.type,
          handling: e.handling,
          contactMethod: e.contactMethod,
          point: e.point,
          whatMatters: e.whatMatters
            ? present({ category: e.whatMatters.category, note: e.whatMatters.note })
            : undefined,
          valueDemandType: e.valueDemandType,
          cause: e.cause,
        }) as BoardFileStudyEntry,
    );
  return { settings, entries };
}

function orderedContent(file: BoardFileContent): BoardFileContent {
  const node = (n: BoardFileNode): BoardFileNode => {
    const position = { x: n.position.x, y: n.position.y };
    switch (n.kind) {
      case 'step':
        return {
          id: n.id,
          kind: n.kind,
          position,
          label: n.label,
          lane: n.lane,
          stepClass: n.stepClass,
          wasteType: n.wasteType,
          pt: n.pt,
          lt: n.lt,
          ca: n.ca,
          customerContact: n.customerContact,
        };
      case 'note':
        return { id: n.id, kind: n.kind, position, text: n.text, colour: n.colour };
      case 'demand':
        return {
          id: n.id,
          kind: n.kind,
          position,
          words: n.words,
          demandClass: n.demandClass,
          count: n.count,
          predictable: n.predictable,
        };
      case 'purpose':
        return { id: n.id, kind: n.kind, position, statement: n.statement, whatMatters: [...n.whatMatters] };
      case 'condition':
        return { id: n.id, kind: n.kind, position, label: n.label, conditionType: n.conditionType };
    }
  };
  return {
    title: file.title,
    period: file.period,
    lanes: [...file.lanes].sort(byId).map((l) => ({ id: l.id, name: l.name, order: l.order, colour: l.colour })),
    nodes: [...file.nodes].sort(byId).map(node),
    edges: [...file.edges]
      .sort(byId)
      .map((e) => ({ id: e.id, kind: e.kind, source: e.source, target: e.target, rework: e.rework })),
    capability: {
      unit: file.capability.unit,
      minutes: [...file.capability.minutes],
      ...(file.capability.limitsFrom !== undefined ? { limitsFrom: file.capability.limitsFrom } : {}),
    },
    outcomes: [...file.outcomes].sort(byId).map((o) => ({
      id: o.id,
      name: o.name,
      unit: o.unit,
      direction: o.direction,
      points: o.points.map((p) => ({ date: p.date, value: p.value })),
    })),
  };
}

/** The file's bytes: the same board gives the same text (sorted by id, fixed key order, 2-space indent, final newline). */
export function serialiseBoardFile(file: BoardFile): string {
  return `${JSON.stringify(ordered(file), null, 2)}\n`;
}

// ---------------------------------------------------------------- import

/** Runs one model operation for the element at `path`; its refusal becomes a BoardFileError at that path. */
function at<T>(path: string, operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof BoardOperationError) {
      throw new BoardFileError(error.field ? `${path}.${error.field}` : path, error.message);
    }
    throw error;
  }
}

interface Built {
  /** file id → scratch id, and back */
  lanes: Map<string, string>;
  nodes: Map<string, string>;
  edges: Map<string, string>;
}

/** Builds the file's board in `doc` through the model operations; throws a BoardFileError at the first refusal. */
function buildThroughOperations(doc: Y.Doc, file: BoardFileContent): Built {
  const built: Built = { lanes: new Map(), nodes: new Map(), edges: new Map() };
  at('title', () => initBoard(doc, file.title));
  if (file.period !== null) at('period', () => setPeriod(doc, file.period ?? ''));
  file.lanes.forEach((lane, i) =>
    built.lanes.set(
      lane.id,
      at(`lanes[${i}]`, () => addLane(doc, lane.name, lane.colour)),
    ),
  );
  file.nodes.forEach((node, i) => {
    const path = `nodes[${i}]`;
    let made: string;
    switch (node.kind) {
      case 'step': {
        const lane = node.lane === null ? null : (built.lanes.get(node.lane) ?? null);
        made = at(path, () => addStep(doc, { position: node.position, label: node.label, lane }));
        const fields: StepFields = { customerContact: node.customerContact };
        if (node.stepClass !== null) fields.stepClass = node.stepClass;
        if (node.wasteType !== null) fields.wasteType = node.wasteType;
        if (node.pt !== null) fields.pt = node.pt;
        if (node.lt !== null) fields.lt = node.lt;
        if (node.ca !== null) fields.ca = node.ca;
        at(path, () => updateStep(doc, made, fields));
        break;
      }
      case 'note':
        made = at(path, () => addNote(doc, { position: node.position, text: node.text, colour: node.colour }));
        break;
      case 'demand':
        made = at(path, () => addDemand(doc, { ...node, position: node.position }));
        break;
      case 'purpose':
        made = at(path, () =>
          addPurpose(doc, { position: node.position, statement: node.statement, whatMatters: node.whatMatters }),
        );
        break;
      case 'condition':
        made = at(path, () =>
          addCondition(doc, { position: node.position, label: node.label, conditionType: node.conditionType }),
        );
        break;
    }
    built.nodes.set(node.id, made);
  });
  file.edges.forEach((edge, i) => {
    const path = `edges[${i}]`;
    const source = built.nodes.get(edge.source)!;
    const target = built.nodes.get(edge.target)!;
    // A rework mark on an edge that cannot carry one is the mark's fault: the path says so.
    const where = edge.rework && edge.kind !== 'flow' ? `${path}.rework` : path;
    const made = at(where, () => connect(doc, source, target, edge.kind, LOCAL_ORIGIN, { rework: edge.rework }));
    built.edges.set(edge.id, made);
  });
  if (file.capability.minutes.length > 0 || file.capability.unit !== 'days') {
    at('capability', () => setCapabilitySeries(doc, file.capability.minutes, file.capability.unit));
  }
  if (file.capability.limitsFrom !== undefined) {
    at('capability.limitsFrom', () => setCapabilityLimitsFrom(doc, file.capability.limitsFrom ?? null));
  }
  // Under the file's own ids, so a board exported again gives the same file.
  file.outcomes.forEach((outcome, i) => at(`outcomes[${i}]`, () => setOutcome(doc, outcome)));
  return built;
}

function copyOf(from: Y.Map<FieldValue>, changes: Record<string, FieldValue>): Y.Map<FieldValue> {
  const map = new Y.Map<FieldValue>();
  for (const [key, value] of Object.entries({ ...from.toJSON(), ...changes })) map.set(key, value as FieldValue);
  return map;
}

/**
 * Builds the file's board into `doc`, which must be empty (an import always
 * makes a new board: it never merges into or overwrites one). Every value is
 * checked by the model operations before `doc` is touched; then the whole
 * board is written in ONE transaction with `origin`, under the file's ids.
 * Two edges joining the same pair the same way (rework mark included) become one, as `connect` makes them.
 */
/** A model operation's refusal, said again with the element's kind and name from the file. */
function named<T>(file: BoardFileContent, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof BoardFileError && error.path) {
      throw new BoardFileError(error.path, error.problem, plainSentence(error.path, error.problem, file));
    }
    throw error;
  }
}

export function importBoardFile(doc: Y.Doc, file: BoardFileContent, origin: unknown = LOCAL_ORIGIN): void {
  if (nodesMap(doc).size > 0 || edgesMap(doc).size > 0 || lanesMap(doc).size > 0) {
    throw new BoardFileError('', 'A board file can only be imported into a new, empty board.');
  }
  const scratch = new Y.Doc();
  try {
    const built = named(file, () => buildThroughOperations(scratch, file));
    const laneIdOf = new Map([...built.lanes].map(([fileId, made]) => [made, fileId]));
    const nodeIdOf = new Map([...built.nodes].map(([fileId, made]) => [made, fileId]));
    const copiedEdges = new Set<string>();
    doc.transact(() => {
      const meta = metaMap(doc);
      const made = metaMap(scratch);
      meta.set('title', made.get('title') ?? file.title);
      meta.set('schemaVersion', BOARD_SCHEMA_VERSION);
      for (const key of ['period', 'capabilityUnit', 'capabilityLimitsFrom']) {
        const value = made.get(key);
        if (value !== undefined) meta.set(key, value);
      }
      for (const lane of file.lanes) {
        const copy = copyOf(lanesMap(scratch).get(built.lanes.get(lane.id)!)!, { id: lane.id, order: lane.order });
        lanesMap(doc).set(lane.id, copy);
      }
      for (const node of file.nodes) {
        const from = nodesMap(scratch).get(built.nodes.get(node.id)!)!;
        const lane = from.get('lane');
        const changes: Record<string, FieldValue> = { id: node.id };
        if (typeof lane === 'string') changes.lane = laneIdOf.get(lane) ?? null;
        nodesMap(doc).set(node.id, copyOf(from, changes));
      }
      for (const edge of file.edges) {
        const madeId = built.edges.get(edge.id)!;
        if (copiedEdges.has(madeId)) continue;
        copiedEdges.add(madeId);
        const from = edgesMap(scratch).get(madeId)!;
        edgesMap(doc).set(
          edge.id,
          copyOf(from, {
            id: edge.id,
            source: nodeIdOf.get(String(from.get('source')))!,
            target: nodeIdOf.get(String(from.get('target')))!,
          }),
        );
      }
      const minutes = capabilityArray(scratch).toArray();
      if (minutes.length > 0) capabilityArray(doc).push(minutes);
      // Checked in the scratch board above; written under the file's ids.
      for (const outcome of file.outcomes) setOutcome(doc, outcome, origin);
    }, origin);
  } finally {
    scratch.destroy();
  }
}

/** A saved version read from a file: built into its own document, ready to be stored with the new board. */
export interface ImportedVersion {
  name: string;
  savedBy: string;
  savedAt: number;
  doc: Y.Doc;
}

/**
 * Every saved version of the file, each built into a new document through
 * the same checks as the board itself. Throws a BoardFileError at
 * `versions[i].board…` for the first refusal (and builds nothing then).
 * The caller destroys the documents.
 */
export function importVersions(file: BoardFile, origin: unknown = LOCAL_ORIGIN): ImportedVersion[] {
  const made: ImportedVersion[] = [];
  try {
    file.versions.forEach((version, index) => {
      const doc = new Y.Doc();
      made.push({ name: version.name, savedBy: version.savedBy, savedAt: version.savedAt, doc });
      try {
        importBoardFile(doc, version.board, origin);
      } catch (error) {
        if (error instanceof BoardFileError) {
          const path = `versions[${index}].board${error.path ? `.${error.path}` : ''}`;
          const name = version.name.trim() ? ` (“${shortName(version.name)}”)` : '';
          throw new BoardFileError(
            path,
            error.problem,
            `Saved version ${index + 1}${name}, ${lowerFirst(error.message)}`,
          );
        }
        throw error;
      }
    });
  } catch (error) {
    for (const version of made) version.doc.destroy();
    throw error;
  }
  return made;
}
