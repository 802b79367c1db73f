/**
 * Builds a board from a plain description (a `BoardSpec`): what a template
 * is. Everything goes in through the named operations, inside one outer
 * `doc.transact`, so a template is one update and one undo step however many
 * elements it holds, and it obeys every rule a person editing the board obeys.
 *
 * Layout, left to right as a purpose map is read: the purpose at the top,
 * demand to the left of the flow (negative x), the steps left to right in
 * their number order, each inside its lane's horizontal band, and the system
 * conditions below the lanes, under the steps they cause.
 *
 * Yjs cannot roll a transaction back, so a spec that breaks a rule would leave
 * half a board: the specs are constants, and test/unit/templates.test.ts
 * applies every one of them. The server applies a template to a fresh
 * document before storing anything, so even then no half board is stored.
 */
import type * as Y from 'yjs';
import { UNIT_MINUTES, setCapabilitySeries, type CapabilityUnit } from '../capability-series';
import { outcomeKey, readOutcomes, setOutcome, type Outcome } from '../outcomes';
import { addCondition, addPurpose, setPeriod, type ConditionType } from '../elements';
import type { StepClass, WasteType } from '../measures';
import { LOCAL_ORIGIN, addDemand, addLane, addStep, connect, updateStep } from '../operations';
import { lanesMap, nodesMap } from '../schema';
import { DEMAND_SPACING_Y, DEMAND_X, LANE_HEIGHT, STEP_OFFSET_Y, STEP_SPACING_X } from '../lane-geometry';

const PURPOSE_Y = -240;
const CONDITION_GAP_Y = 80;
const CONDITION_SPACING_X = 260;

export interface StepSpec {
  label: string;
  /** Index into `BoardSpec.lanes`. */
  lane: number;
  stepClass: StepClass;
  wasteType?: WasteType;
  /** Process time, minutes. */
  pt: number;
  /** Lead time, minutes. */
  lt: number;
  /** %C&A, 0–100. */
  ca: number;
  customerContact: boolean;
}

export interface DemandSpec {
  words: string;
  demandClass: 'value' | 'failure';
  count: number;
  predictable: boolean;
  /** The demand study type (its id) this card shows: its count is then the study's (study-cards.ts). */
  studyType?: string;
}

export interface ConditionSpec {
  label: string;
  conditionType: ConditionType;
  /** Step numbers (1-based, as method.md numbers them) this condition causes. */
  causesSteps?: number[];
  /** Demand numbers (1-based, in `BoardSpec.demand` order) this condition causes. */
  causesDemand?: number[];
}

export interface BoardSpec {
  purpose: { statement: string; whatMatters: string[] };
  /** The counting period of the demand. */
  period: string;
  /** Lane names, top to bottom. */
  lanes: string[];
  demand: DemandSpec[];
  /** Steps numbered 1…n in this order, laid out left to right. */
  steps: StepSpec[];
  /** Flow edges as [from, to] step numbers; a third element `'rework'` marks a rework loop. */
  flow: ([number, number] | [number, number, 'rework'])[];
  conditions: ConditionSpec[];
  /** The step where value demand enters the flow (default 1). */
  entryStep?: number;
  /** End-to-end times of cases, oldest first, in `unit` (the capability chart's series). */
  capability?: { unit: CapabilityUnit; values: number[] };
  /** Results (outcome measures) of the whole system. */
  outcomes?: Array<Omit<Outcome, 'id'>>;
}

/** Ids of what a spec created, by the spec's numbering (index 0 is step 1). */
export interface BuiltBoard {
  lanes: string[];
  steps: string[];
  demand: string[];
  conditions: string[];
  purpose: string;
}

export function buildBoard(doc: Y.Doc, spec: BoardSpec, origin: unknown = LOCAL_ORIGIN): BuiltBoard {
  const built: BuiltBoard = { lanes: [], steps: [], demand: [], conditions: [], purpose: '' };
  doc.transact(() => {
    setPeriod(doc, spec.period, origin);
    built.purpose = addPurpose(doc, { position: { x: 0, y: PURPOSE_Y }, ...spec.purpose }, origin);

    // A lane's band follows its real order, so a template added to a board that has lanes goes below them.
    const laneTop: number[] = [];
    for (const name of spec.lanes) {
      const id = addLane(doc, name, undefined, origin);
      built.lanes.push(id);
      laneTop.push(Number(lanesMap(doc).get(id)!.get('order')) * LANE_HEIGHT);
    }
    const bottom = Math.max(0, ...laneTop) + LANE_HEIGHT;

    const stepX = (n: number) => (n - 1) * STEP_SPACING_X;
    spec.steps.forEach((step, index) => {
      const position = { x: stepX(index + 1), y: laneTop[step.lane] + STEP_OFFSET_Y };
      const id = addStep(doc, { position, label: step.label, lane: built.lanes[step.lane] }, origin);
      updateStep(
        doc,
        id,
        {
          stepClass: step.stepClass,
          ...(step.wasteType ? { wasteType: step.wasteType } : {}),
          pt: step.pt,
          lt: step.lt,
          ca: step.ca,
          customerContact: step.customerContact,
        },
        origin,
      );
      built.steps.push(id);
    });
    const stepId = (n: number) => {
      const id = built.steps[n - 1];
      if (!id) throw new Error(`The template names step ${n}, which it does not have`);
      return id;
    };

    for (const [from, to, mark] of spec.flow) {
      connect(doc, stepId(from), stepId(to), 'flow', origin, { rework: mark === 'rework' });
    }

    spec.demand.forEach((demand, index) => {
      const position = { x: DEMAND_X, y: index * DEMAND_SPACING_Y };
      const { studyType, ...fields } = demand;
      const id = addDemand(doc, { position, ...fields }, origin);
      if (studyType) nodesMap(doc).get(id)!.set('studyType', studyType);
      built.demand.push(id);
    });
    const entry = stepId(spec.entryStep ?? 1);
    spec.demand.forEach((demand, index) => {
      if (demand.demandClass === 'value') connect(doc, built.demand[index], entry, 'entry', origin);
    });

    // Each condition under the steps it causes, never overlapping the one before.
    let lastX = -Infinity;
    for (const condition of spec.conditions) {
      const caused = (condition.causesSteps ?? []).map(stepX);
      const wanted = caused.length > 0 ? caused.reduce((a, b) => a + b, 0) / caused.length : 0;
      const x = Math.max(wanted, lastX + CONDITION_SPACING_X);
      lastX = x;
      const id = addCondition(
        doc,
        {
          position: { x, y: bottom + CONDITION_GAP_Y },
          label: condition.label,
          conditionType: condition.conditionType,
        },
        origin,
      );
      built.conditions.push(id);
      for (const n of condition.causesSteps ?? []) connect(doc, id, stepId(n), 'causes', origin);
      for (const n of condition.causesDemand ?? []) {
        const demand = built.demand[n - 1];
        if (!demand) throw new Error(`The template names demand ${n}, which it does not have`);
        connect(doc, id, demand, 'causes', origin);
      }
    }

    if (spec.capability) {
      const per = UNIT_MINUTES[spec.capability.unit];
      setCapabilitySeries(
        doc,
        spec.capability.values.map((v) => v * per),
        spec.capability.unit,
        origin,
      );
    }
    // A board that already has a result of this name keeps its own (a template inserted twice).
    const had = new Set(readOutcomes(doc).map((o) => outcomeKey(o.name)));
    for (const outcome of spec.outcomes ?? []) {
      if (!had.has(outcomeKey(outcome.name))) setOutcome(doc, outcome, origin);
    }
  }, origin);
  return built;
}
