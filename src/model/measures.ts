/**
 * Every measure of method.md, computed from plain board data by one function
 * (`computeMeasures`) that the analysis panel, the HTTP API and the exports
 * share. A measure whose inputs are missing is `null` ("—"), never a made-up
 * number. Times are minutes; percentages are 0–100.
 *
 * Where method.md leaves a choice open, the choice is written next to the code.
 */

export const WASTE_TYPES = ['check', 'approval', 'rework', 'wait', 'duplication', 'chasing', 'admin', 'other'] as const;
export type WasteType = (typeof WASTE_TYPES)[number];
export type StepClass = 'value' | 'waste';
export type DemandClass = 'value' | 'failure';

export interface FlowStep {
  id: string;
  label: string;
  x: number;
  lane: string | null;
  stepClass: StepClass | null;
  wasteType: WasteType | null;
  /** Process time: hands-on work, minutes. */
  pt: number | null;
  /** Lead time: elapsed time, PT included, minutes. */
  lt: number | null;
  /** Complete and accurate, 0–100. */
  ca: number | null;
  customerContact: boolean;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  /** Marked rework by the team: counts as a loop and is left out of the main path. */
  rework: boolean;
}

export interface DemandItem {
  id: string;
  words: string;
  demandClass: DemandClass;
  count: number;
  predictable: boolean;
  /** A card that shows a demand study's type (its id): its count is the study's (study.ts, demandWithStudy). */
  studyType?: string;
}

export interface MeasuresInput {
  steps: FlowStep[];
  flowEdges: FlowEdge[];
  demand: DemandItem[];
  /** End-to-end times in minutes, oldest first. */
  capabilitySeries: number[];
}

export interface ParetoRow {
  words: string;
  class: DemandClass;
  count: number;
  cumulativePct: number;
}

export interface StepRef {
  id: string;
  label: string;
}

export interface Capability {
  mean: number;
  upper: number;
  lower: number;
}

export interface Measures {
  totalDemand: number;
  failureDemandPct: number | null;
  valueDemandPct: number | null;
  predictablePct: number | null;
  pareto: ParetoRow[];
  endToEndLeadTime: number | null;
  processTime: number | null;
  activityRatioPct: number | null;
  rolledCAPct: number | null;
  steps: number;
  valueSteps: number;
  wasteSteps: number;
  wasteByType: Record<WasteType, number>;
  valueStepPct: number | null;
  handoffs: number;
  handoffsOnMainPath: number;
  departmentsTraversed: number;
  customerContacts: number;
  reworkLoops: number;
  mainPath: StepRef[];
  unconnectedSteps: StepRef[];
  capability: Capability | null;
}

// ---------------------------------------------------------------- demand

export function demandMeasures(demand: DemandItem[]) {
  const total = demand.reduce((sum, d) => sum + d.count, 0);
  const failure = demand.filter((d) => d.demandClass === 'failure').reduce((sum, d) => sum + d.count, 0);
  const predictable = demand.filter((d) => d.predictable).reduce((sum, d) => sum + d.count, 0);
  const failureDemandPct = total > 0 ? (failure / total) * 100 : null;
  const sorted = [...demand].sort((a, b) => b.count - a.count || compareText(a.words, b.words));
  let running = 0;
  const pareto: ParetoRow[] = sorted.map((d) => {
    running += d.count;
    return {
      words: d.words,
      class: d.demandClass,
      count: d.count,
      cumulativePct: total > 0 ? (running / total) * 100 : 0,
    };
  });
  return {
    totalDemand: total,
    failureDemandPct,
    valueDemandPct: failureDemandPct === null ? null : 100 - failureDemandPct,
    predictablePct: total > 0 ? (predictable / total) * 100 : null,
    pareto,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------- flow graph

/** Steps in the order the method visits them: by x position, then id. */
function byPosition(a: FlowStep, b: FlowStep): number {
  return a.x - b.x || compareText(a.id, b.id);
}

export interface FlowGraph {
  /** Edge ids found as back edges by the depth-first search. */
  backEdges: Set<string>;
  /** Edge ids the team marked rework. */
  markedRework: Set<string>;
  /** Successors in the acyclic graph left after removing both, in visiting order. */
  next: Map<string, string[]>;
  /** Predecessor counts in that acyclic graph. */
  incoming: Map<string, number>;
}

/**
 * Finds the rework loops and the acyclic flow that remains.
 *
 * Depth-first search from the start steps (no incoming flow edge), visited by
 * x then id, then from any step still unvisited in the same order, so a loop
 * with no start step is found too. Successors are also visited by x then id,
 * which makes the result independent of the order edges were drawn in.
 * Edges the team marked rework are loops already: they stay out of the search.
 */
export function analyseFlowGraph(steps: FlowStep[], edges: FlowEdge[]): FlowGraph {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const usable = edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target);
  const markedRework = new Set(usable.filter((e) => e.rework).map((e) => e.id));
  // Marked edges are set aside before the search (method.md, "Settled choices"), so they make no
  // step a non-start step either: the search sees the unmarked flow only.
  const hasIncoming = new Set(usable.filter((e) => !e.rework).map((e) => e.target));
  const outEdges = new Map<string, FlowEdge[]>(steps.map((s) => [s.id, []]));
  for (const edge of usable) if (!edge.rework) outEdges.get(edge.source)!.push(edge);
  for (const list of outEdges.values()) {
    list.sort((a, b) => byPosition(byId.get(a.target)!, byId.get(b.target)!) || compareText(a.id, b.id));
  }

  const ordered = [...steps].sort(byPosition);
  const roots = [...ordered.filter((s) => !hasIncoming.has(s.id)), ...ordered];
  const state = new Map<string, 'open' | 'done'>();
  const backEdges = new Set<string>();
  for (const root of roots) {
    if (state.has(root.id)) continue;
    // Iterative DFS: a 1,000-step chain must not overflow the call stack.
    const stack: { id: string; edge: number }[] = [{ id: root.id, edge: 0 }];
    state.set(root.id, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const out = outEdges.get(frame.id)!;
      if (frame.edge >= out.length) {
        state.set(frame.id, 'done');
        stack.pop();
        continue;
      }
      const edge = out[frame.edge++];
      const seen = state.get(edge.target);
      if (seen === 'open') backEdges.add(edge.id);
      else if (seen === undefined) {
        state.set(edge.target, 'open');
        stack.push({ id: edge.target, edge: 0 });
      }
    }
  }

  const next = new Map<string, string[]>(steps.map((s) => [s.id, []]));
  const incoming = new Map<string, number>(steps.map((s) => [s.id, 0]));
  for (const [source, out] of outEdges) {
    for (const edge of out) {
      if (backEdges.has(edge.id)) continue;
      next.get(source)!.push(edge.target);
      incoming.set(edge.target, incoming.get(edge.target)! + 1);
    }
  }
  return { backEdges, markedRework, next, incoming };
}

/** Two summed lead times closer than this (minutes) are a tie (method.md, "Settled choices"). */
export const TIME_TIE_MINUTES = 0.001;

interface PathChoice {
  /** Total LT, missing LT counting 0 (only to choose the path). */
  lt: number;
  ids: string[];
}

/**
 * The main path: in the acyclic flow, the path from a start step to an end
 * step with the largest total LT; ties go to more steps, then to the path
 * whose first differing step has the smaller x (then id, so the choice is
 * always the same). With no LT anywhere every total is 0 and the rule becomes
 * "the path with the most steps", as the method says.
 *
 * A path needs at least one flow edge: a step on its own is unconnected, not a
 * main path, so a board without flow edges has no main path.
 */
export function findMainPath(steps: FlowStep[], graph: FlowGraph): string[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const better = (a: PathChoice, b: PathChoice): boolean => {
    // Sums closer than TIME_TIE_MINUTES are equal: the order of a float sum must not break a tie.
    if (Math.abs(a.lt - b.lt) >= TIME_TIE_MINUTES) return a.lt > b.lt;
    if (a.ids.length !== b.ids.length) return a.ids.length > b.ids.length;
    for (let i = 0; i < a.ids.length; i++) {
      if (a.ids[i] !== b.ids[i]) return byPosition(byId.get(a.ids[i])!, byId.get(b.ids[i])!) < 0;
    }
    return false;
  };

  // Best path from each step to an end step, computed in reverse topological order.
  const best = new Map<string, PathChoice>();
  const order = topologicalOrder(steps, graph);
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    const own = byId.get(id)!.lt ?? 0;
    let choice: PathChoice | null = null;
    for (const target of graph.next.get(id)!) {
      const tail = best.get(target)!;
      const candidate = { lt: own + tail.lt, ids: [id, ...tail.ids] };
      if (!choice || better(candidate, choice)) choice = candidate;
    }
    best.set(id, choice ?? { lt: own, ids: [id] });
  }
  let main: PathChoice | null = null;
  for (const step of steps) {
    if (graph.incoming.get(step.id) !== 0 || graph.next.get(step.id)!.length === 0) continue;
    const candidate = best.get(step.id)!;
    if (!main || better(candidate, main)) main = candidate;
  }
  return main ? main.ids : [];
}

function topologicalOrder(steps: FlowStep[], graph: FlowGraph): string[] {
  const remaining = new Map(graph.incoming);
  const queue = steps.filter((s) => remaining.get(s.id) === 0).map((s) => s.id);
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const target of graph.next.get(id)!) {
      remaining.set(target, remaining.get(target)! - 1);
      if (remaining.get(target) === 0) queue.push(target);
    }
  }
  return order;
}

/** Sum of a time over the main path, or null when any step on it lacks that time. */
function sumOrNull(path: FlowStep[], pick: (s: FlowStep) => number | null): number | null {
  if (path.length === 0) return null;
  let total = 0;
  for (const step of path) {
    const value = pick(step);
    if (value === null) return null;
    total += value;
  }
  return total;
}

function isHandoff(a: FlowStep | undefined, b: FlowStep | undefined): boolean {
  // A handoff is a flow between two lanes; a step in no lane hands off to no one we can name.
  return !!a && !!b && a.lane !== null && b.lane !== null && a.lane !== b.lane;
}

export function flowMeasures(steps: FlowStep[], edges: FlowEdge[]) {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const graph = analyseFlowGraph(steps, edges);
  const mainIds = findMainPath(steps, graph);
  const main = mainIds.map((id) => byId.get(id)!);
  const usable = edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target);

  const lead = sumOrNull(main, (s) => s.lt);
  const process = sumOrNull(main, (s) => s.pt);
  const wasteByType = Object.fromEntries(WASTE_TYPES.map((t) => [t, 0])) as Record<WasteType, number>;
  for (const step of steps) {
    // A waste step whose type nobody has chosen yet counts as "other".
    if (step.stepClass === 'waste') wasteByType[step.wasteType ?? 'other'] += 1;
  }
  const valueSteps = steps.filter((s) => s.stepClass === 'value').length;
  // Keyed on the pair itself, never on a joined string: ids may contain any character.
  const onMain = new Map<string, string>();
  for (let i = 1; i < mainIds.length; i++) onMain.set(mainIds[i - 1], mainIds[i]);

  const connected = new Set<string>();
  for (const [source, targets] of graph.next) {
    if (targets.length > 0) connected.add(source);
    for (const target of targets) connected.add(target);
  }

  return {
    endToEndLeadTime: lead,
    processTime: process,
    activityRatioPct: lead !== null && process !== null && lead > 0 ? (process / lead) * 100 : null,
    rolledCAPct: main.length > 0 ? main.reduce((product, s) => product * ((s.ca ?? 100) / 100), 1) * 100 : null,
    steps: steps.length,
    valueSteps,
    wasteSteps: steps.filter((s) => s.stepClass === 'waste').length,
    wasteByType,
    valueStepPct: steps.length > 0 ? (valueSteps / steps.length) * 100 : null,
    handoffs: usable.filter((e) => isHandoff(byId.get(e.source), byId.get(e.target))).length,
    handoffsOnMainPath: usable.filter(
      (e) => !e.rework && onMain.get(e.source) === e.target && isHandoff(byId.get(e.source), byId.get(e.target)),
    ).length,
    departmentsTraversed: new Set(main.map((s) => s.lane).filter((lane) => lane !== null)).size,
    customerContacts: main.filter((s) => s.customerContact).length,
    reworkLoops: graph.backEdges.size + graph.markedRework.size,
    mainPath: main.map(({ id, label }) => ({ id, label })),
    unconnectedSteps: [...steps]
      .sort(byPosition)
      .filter((s) => !connected.has(s.id))
      .map(({ id, label }) => ({ id, label })),
  };
}

// ---------------------------------------------------------------- capability

/** XmR limits: x̄ ± 2.66 · mean moving range, the lower one not below 0. Needs two points. */
export function capability(series: number[]): Capability | null {
  const points = series.filter((x) => Number.isFinite(x));
  if (points.length < 2) return null;
  const mean = points.reduce((s, x) => s + x, 0) / points.length;
  let ranges = 0;
  for (let i = 1; i < points.length; i++) ranges += Math.abs(points[i] - points[i - 1]);
  const meanRange = ranges / (points.length - 1);
  return { mean, upper: mean + 2.66 * meanRange, lower: Math.max(0, mean - 2.66 * meanRange) };
}

// ---------------------------------------------------------------- all

export function computeMeasures(input: MeasuresInput): Measures {
  return {
    ...demandMeasures(input.demand),
    ...flowMeasures(input.steps, input.flowEdges),
    capability: capability(input.capabilitySeries),
  };
}
