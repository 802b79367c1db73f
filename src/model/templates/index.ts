/**
 * Board templates: what a new board can start from. The server applies one
 * to a new board's document before storing its first state (POST /api/boards
 * with "template"), so a template is part of the board from its first byte
 * and can never be inserted twice.
 */
import type * as Y from 'yjs';
import { LOCAL_ORIGIN } from '../operations';
import { buildBoard, type BoardSpec } from './build';
import { benefitsClaimAfter, benefitsClaimBefore } from './benefits-claim';
import { housingRepairsAfter, housingRepairsBefore } from './housing-repairs';
import type { BoardFileStudy } from '../board-file';

export { buildBoard } from './build';
export { housingRepairsAfterStudy, housingRepairsBeforeStudy } from './housing-repairs-study';
export type { BoardSpec, BuiltBoard, ConditionSpec, DemandSpec, StepSpec } from './build';

/** Every template id, in the order the UI lists them. */
export const TEMPLATE_IDS = [
  'blank',
  'housing-repairs-before',
  'housing-repairs-after',
  'benefits-claim-before',
  'benefits-claim-after',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface TemplateInfo {
  id: TemplateId;
  title: string;
  /** One line for the new-board dialog. */
  description: string;
}

export interface Template extends TemplateInfo {
  /** Inserts the whole template in one transaction (one update, one undo step). */
  apply(doc: Y.Doc, origin?: unknown): void;
  /**
   * The demand study the board starts with (its settings and entries), stored
   * by the server beside the board when it is made; none for most templates.
   */
  study?(): BoardFileStudy;
}

function fromSpec(info: TemplateInfo, spec: BoardSpec, study?: () => BoardFileStudy): Template {
  return {
    ...info,
    apply: (doc, origin = LOCAL_ORIGIN) => void buildBoard(doc, spec, origin),
    ...(study ? { study } : {}),
  };
}

export const TEMPLATES: Record<TemplateId, Template> = {
  blank: { id: 'blank', title: 'Blank board', description: 'An empty board.', apply: () => {} },
  'housing-repairs-before': fromSpec(
    {
      id: 'housing-repairs-before',
      title: 'Housing repairs — before',
      description: 'The reference example: a council repairs service taking 24 days, with 55% failure demand.',
    },
    housingRepairsBefore,
  ),
  'housing-repairs-after': fromSpec(
    {
      id: 'housing-repairs-after',
      title: 'Housing repairs — after',
      description: "The same service redesigned against purpose: repairs done at the tenant's chosen time in 5 days.",
    },
    housingRepairsAfter,
  ),
  'benefits-claim-before': fromSpec(
    {
      id: 'benefits-claim-before',
      title: 'Benefits claim — before',
      description: 'A new claim for help with rent and council tax on a paper form: 42 days, evidence asked for twice.',
    },
    benefitsClaimBefore,
  ),
  'benefits-claim-after': fromSpec(
    {
      id: 'benefits-claim-after',
      title: 'Benefits claim — after',
      description: 'The claim taken in one conversation with the evidence seen there and then: about a week.',
    },
    benefitsClaimAfter,
  ),
};

/** An example told as a pair: its before board and the after board of its redesign. */
export interface ExamplePair {
  before: TemplateId;
  after: TemplateId;
  /** The example's name on the board list. */
  title: string;
  description: string;
}

/**
 * The examples as the board list offers them: each one makes both boards,
 * linked as before and after, so the comparison is one click away.
 */
export const EXAMPLE_PAIRS: readonly ExamplePair[] = [
  {
    before: 'housing-repairs-before',
    after: 'housing-repairs-after',
    title: 'Housing repairs',
    description: 'The reference example: 24 days and 55% failure demand, redesigned to 5 days.',
  },
  {
    before: 'benefits-claim-before',
    after: 'benefits-claim-after',
    title: 'Benefits claim',
    description: 'A paper claim taking 42 days, redesigned into one conversation and about a week.',
  },
];

/** The example pair whose before board `template` makes, if any. */
export function examplePairOf(template: string): ExamplePair | undefined {
  return EXAMPLE_PAIRS.find((pair) => pair.before === template);
}

/** The template, or undefined for an id that is not one ("toString" included). */
export function getTemplate(id: string): Template | undefined {
  return (TEMPLATE_IDS as readonly string[]).includes(id) ? TEMPLATES[id as TemplateId] : undefined;
}

/** What the new-board dialog lists: id, title and description, in order. */
export function listTemplates(): TemplateInfo[] {
  return TEMPLATE_IDS.map((id) => {
    const { title, description } = TEMPLATES[id];
    return { id, title, description };
  });
}
