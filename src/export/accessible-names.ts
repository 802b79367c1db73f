/**
 * What a screen reader says for each card, edge and lane of the map, in the
 * method's words ("Step: Code job to schedule of rates. Contact centre.
 * Waste: check. PT 5 m, LT 1 d. C&A 60%."). Never an id: a card with no name
 * yet is "untitled", an edge to a card that is gone reads "a removed card".
 * Numbers use the one formatting module (format.ts). Pure, so the housing
 * example's every name is unit-tested.
 */
import { CONDITION_TYPE_NAMES, type ConditionType, type DemandClass, type EdgeKind, type WasteType } from '../model';
import { formatCount, formatTime } from './format';

/** The fields a card's name is made of: the canvas's view of a node, with its lane's name instead of its id. */
export type CardForName =
  | {
      kind: 'step';
      label: string;
      laneName: string | null;
      stepClass: 'value' | 'waste' | null;
      wasteType: WasteType | null;
      pt: number | null;
      lt: number | null;
      ca: number | null;
      customerContact: boolean;
    }
  | {
      kind: 'demand';
      words: string;
      demandClass: DemandClass;
      count: number;
      predictable: boolean;
      period: string | null;
    }
  | { kind: 'purpose'; statement: string; whatMatters: readonly string[] }
  | { kind: 'condition'; label: string; conditionType: ConditionType }
  | { kind: 'note'; text: string };

const UNTITLED = 'untitled';

/** Text as one sentence-sized piece: whitespace collapsed, "untitled" when empty. */
function clean(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed === '' ? UNTITLED : collapsed;
}

/** Ends a piece with a full stop unless it already ends a sentence ("Are you coming?"). */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** "one week" → "per week", "4 weeks" → "per 4 weeks"; nothing when no period is set. */
export function perPeriod(period: string | null): string {
  if (period === null || period.trim() === '') return '';
  const unit = period.trim().replace(/^(one|a|an|1)\s+/i, '');
  return ` per ${unit}`;
}

/** The card's own words alone, as an edge names its ends: a step's label, a demand's words… */
export function cardShortName(card: CardForName): string {
  switch (card.kind) {
    case 'step':
      return clean(card.label);
    case 'demand':
      return clean(card.words);
    case 'purpose':
      return `the purpose ${clean(card.statement)}`;
    case 'condition':
      return clean(card.label);
    case 'note':
      return `the note ${clean(card.text)}`;
  }
}

function stepName(card: Extract<CardForName, { kind: 'step' }>): string {
  const parts = [`Step: ${clean(card.label)}`];
  if (card.laneName !== null && card.laneName.trim() !== '') parts.push(clean(card.laneName));
  if (card.stepClass === 'value') parts.push('Value');
  if (card.stepClass === 'waste') parts.push(`Waste: ${card.wasteType ?? 'type not set'}`);
  const times: string[] = [];
  if (card.pt !== null) times.push(`PT ${formatTime(card.pt)}`);
  if (card.lt !== null) times.push(`LT ${formatTime(card.lt)}`);
  if (times.length > 0) parts.push(times.join(', '));
  if (card.ca !== null) parts.push(`C&A ${Math.round(card.ca)}%`);
  if (card.customerContact) parts.push('Customer contact');
  return parts.map(sentence).join(' ');
}

/** The name a screen reader reads for a card. */
export function cardName(card: CardForName): string {
  switch (card.kind) {
    case 'step':
      return stepName(card);
    case 'demand': {
      const kind = card.demandClass === 'failure' ? 'Failure demand' : 'Value demand';
      const count = `${formatCount(card.count)}${perPeriod(card.period)}`;
      return `${kind}: ${sentence(clean(card.words))} ${count}${card.predictable ? ', predictable' : ''}`;
    }
    case 'purpose': {
      const statement = sentence(`Purpose: ${clean(card.statement)}`);
      const items = card.whatMatters.map((item) => item.trim()).filter((item) => item !== '');
      return items.length === 0 ? statement : `${statement} What matters: ${items.join('; ')}.`;
    }
    case 'condition':
      return `System condition (${CONDITION_TYPE_NAMES[card.conditionType]}): ${clean(card.label)}`;
    case 'note':
      return `Note: ${clean(card.text)}`;
  }
}

/** How a screen reader announces what kind of thing a card is (aria-roledescription). */
export const CARD_ROLE_DESCRIPTION = 'card';
export const EDGE_ROLE_DESCRIPTION = 'link';

export interface EdgeForName {
  kind: EdgeKind;
  rework: boolean;
  handoff: boolean;
}

/**
 * The name of an edge between two cards, by their short names (null: the
 * card is gone, e.g. mid-sync): "Flow from Take repair call to Code job (handoff)".
 */
export function edgeName(edge: EdgeForName, source: string | null, target: string | null): string {
  const from = source ?? 'a removed card';
  const to = target ?? 'a removed card';
  switch (edge.kind) {
    case 'flow': {
      const marks = [edge.handoff ? 'handoff' : null, edge.rework ? 'rework' : null].filter((m) => m !== null);
      return `Flow from ${from} to ${to}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`;
    }
    case 'entry':
      return `Demand ${from} enters the flow at ${to}`;
    case 'causes':
      return `${from} causes ${to}`;
  }
}

/** A lane band: "Lane: Contact centre, 3 steps". */
export function laneName(name: string, steps: number): string {
  return `Lane: ${clean(name)}, ${steps === 1 ? '1 step' : `${formatCount(steps)} steps`}`;
}
