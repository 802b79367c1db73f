/** Every measure of method.md, on its reference example and on the edge cases a workshop produces. */
import { describe, expect, it } from 'vitest';
import {
  capability,
  computeMeasures,
  type FlowEdge,
  type FlowStep,
  type MeasuresInput,
} from '../../src/model/measures';
import { formatTimeExact } from '../../src/model/time';
import { housingRepairsAfter, housingRepairsBefore } from './fixtures/housing-repairs';

const D = 1440;
const empty: MeasuresInput = { steps: [], flowEdges: [], demand: [], capabilitySeries: [] };

function step(id: string, x: number, fields: Partial<FlowStep> = {}): FlowStep {
  return {
    id,
    label: id.toUpperCase(),
    x,
    lane: null,
    stepClass: null,
    wasteType: null,
    pt: null,
    lt: null,
    ca: null,
    customerContact: false,
    ...fields,
  };
}
const flow = (source: string, target: string, rework = false): FlowEdge => ({
  id: `${source}-${target}`,
  source,
  target,
  rework,
});
const ids = (refs: { id: string }[]) => refs.map((r) => r.id);

describe('the reference example: housing repairs, before', () => {
  const m = computeMeasures(housingRepairsBefore);

  it('demand: 1,000 in all, 55% failure, Pareto by count', () => {
    expect(m.totalDemand).toBe(1000);
    expect(m.failureDemandPct).toBeCloseTo(55, 10);
    expect(m.valueDemandPct).toBeCloseTo(45, 10);
    expect(m.predictablePct).toBe(100);
    expect(m.pareto.map((r) => r.count)).toEqual([420, 260, 150, 90, 50, 30]);
    expect(m.pareto[0]).toEqual({ words: 'I need a repair', class: 'value', count: 420, cumulativePct: 42 });
    expect(m.pareto.at(-1)!.cumulativePct).toBeCloseTo(100, 10);
  });

  it('the main path is 1→…→10, with lead time 24 d 10 m and process time 250 m', () => {
    expect(ids(m.mainPath)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10']);
    expect(m.endToEndLeadTime).toBe(24 * D + 10);
    expect(formatTimeExact(m.endToEndLeadTime)).toBe('24 d 10 m');
    expect(m.processTime).toBe(250);
  });

  it('activity ratio 0.72%, rolled %C&A 11.9%', () => {
    expect(m.activityRatioPct).toBeCloseTo((250 / (24 * D + 10)) * 100, 10);
    expect(m.activityRatioPct!.toFixed(2)).toBe('0.72');
    expect(m.rolledCAPct!.toFixed(1)).toBe('11.9');
  });

  it('handoffs 6 in all, 5 on the main path; 4 departments; 1 rework loop; 6 customer contacts', () => {
    expect(m.handoffs).toBe(6);
    expect(m.handoffsOnMainPath).toBe(5);
    expect(m.departmentsTraversed).toBe(4);
    expect(m.reworkLoops).toBe(1);
    expect(m.customerContacts).toBe(6);
  });

  it('steps: 10, value 3, waste 7 by type', () => {
    expect(m.steps).toBe(10);
    expect(m.valueSteps).toBe(3);
    expect(m.wasteSteps).toBe(7);
    expect(m.valueStepPct).toBe(30);
    expect(m.wasteByType).toEqual({
      check: 3,
      approval: 0,
      rework: 1,
      wait: 1,
      duplication: 0,
      chasing: 0,
      admin: 2,
      other: 0,
    });
    expect(m.unconnectedSteps).toEqual([]);
  });

  it('marking the inspection loop as rework explicitly gives the same figures', () => {
    const marked = {
      ...housingRepairsBefore,
      flowEdges: housingRepairsBefore.flowEdges.map((e) => (e.id === 'e9-5' ? { ...e, rework: true } : e)),
    };
    const again = computeMeasures(marked);
    expect(again.reworkLoops).toBe(1);
    expect(again.handoffs).toBe(6);
    expect(ids(again.mainPath)).toEqual(ids(m.mainPath));
  });
});

describe('the reference example: housing repairs, after', () => {
  const m = computeMeasures(housingRepairsAfter);

  it('main path 1→2→3→4: lead time 5 d 20 m, process time 195 m', () => {
    expect(ids(m.mainPath)).toEqual(['s1', 's2', 's3', 's4']);
    expect(formatTimeExact(m.endToEndLeadTime)).toBe('5 d 20 m');
    expect(m.processTime).toBe(195);
  });

  it('handoffs 1, departments 2, no rework, rolled %C&A 85.7%, failure demand 16.7%', () => {
    expect(m.handoffs).toBe(1);
    expect(m.handoffsOnMainPath).toBe(1);
    expect(m.departmentsTraversed).toBe(2);
    expect(m.reworkLoops).toBe(0);
    expect(m.rolledCAPct!.toFixed(1)).toBe('85.7');
    expect(m.totalDemand).toBe(540);
    expect(m.failureDemandPct!.toFixed(1)).toBe('16.7');
    expect(m.valueSteps).toBe(4);
    expect(m.customerContacts).toBe(4);
  });
});

describe('edge cases', () => {
  it('an empty board: counts are 0 and every ratio is "—" (null)', () => {
    const m = computeMeasures(empty);
    expect(m).toMatchObject({
      totalDemand: 0,
      failureDemandPct: null,
      valueDemandPct: null,
      predictablePct: null,
      pareto: [],
      endToEndLeadTime: null,
      processTime: null,
      activityRatioPct: null,
      rolledCAPct: null,
      steps: 0,
      valueStepPct: null,
      handoffs: 0,
      reworkLoops: 0,
      mainPath: [],
      unconnectedSteps: [],
      capability: null,
    });
  });

  it('demand only: demand measures, flow measures "—"', () => {
    const m = computeMeasures({ ...empty, demand: housingRepairsBefore.demand });
    expect(m.failureDemandPct).toBeCloseTo(55, 10);
    expect(m.endToEndLeadTime).toBeNull();
    expect(m.mainPath).toEqual([]);
  });

  it('Pareto ties are ordered by the customer’s words', () => {
    const m = computeMeasures({
      ...empty,
      demand: [
        { id: '1', words: 'b', demandClass: 'failure', count: 5, predictable: false },
        { id: '2', words: 'a', demandClass: 'value', count: 5, predictable: true },
      ],
    });
    expect(m.pareto.map((r) => r.words)).toEqual(['a', 'b']);
    expect(m.predictablePct).toBe(50);
  });

  it('steps with no times: the longest path by steps is the main path, and time measures are "—"', () => {
    const steps = [step('a', 0), step('b', 100), step('c', 200), step('d', 100, { lt: null })];
    const m = computeMeasures({ ...empty, steps, flowEdges: [flow('a', 'b'), flow('b', 'c'), flow('a', 'c')] });
    expect(ids(m.mainPath)).toEqual(['a', 'b', 'c']);
    expect(m.endToEndLeadTime).toBeNull();
    expect(m.processTime).toBeNull();
    expect(m.activityRatioPct).toBeNull();
    // A step with no %C&A counts as 100.
    expect(m.rolledCAPct).toBe(100);
    expect(ids(m.unconnectedSteps)).toEqual(['d']);
  });

  it('one step on the main path without LT makes lead time "—", not a smaller made-up number', () => {
    const steps = [step('a', 0, { lt: 60, pt: 5 }), step('b', 100, { pt: 5 })];
    const m = computeMeasures({ ...empty, steps, flowEdges: [flow('a', 'b')] });
    expect(ids(m.mainPath)).toEqual(['a', 'b']);
    expect(m.endToEndLeadTime).toBeNull();
    expect(m.processTime).toBe(10);
  });

  it('several start and end steps: the path with the largest total LT wins', () => {
    const steps = [
      step('s1', 0, { lt: 10 }),
      step('s2', 0, { lt: 500 }),
      step('m', 100, { lt: 10 }),
      step('e1', 200, { lt: 10 }),
      step('e2', 200, { lt: 100 }),
    ];
    const flowEdges = [flow('s1', 'm'), flow('s2', 'm'), flow('m', 'e1'), flow('m', 'e2')];
    const m = computeMeasures({ ...empty, steps, flowEdges });
    expect(ids(m.mainPath)).toEqual(['s2', 'm', 'e2']);
    expect(m.endToEndLeadTime).toBe(610);
  });

  it('branches of equal LT: more steps wins, then the smaller x at the first difference', () => {
    // a→b→d and a→c→d both total 40 with 3 steps: c has the smaller x.
    const equal = computeMeasures({
      ...empty,
      steps: [
        step('a', 0, { lt: 10 }),
        step('b', 100, { lt: 20 }),
        step('c', 50, { lt: 20 }),
        step('d', 200, { lt: 10 }),
      ],
      flowEdges: [flow('a', 'b'), flow('a', 'c'), flow('b', 'd'), flow('c', 'd')],
    });
    expect(ids(equal.mainPath)).toEqual(['a', 'c', 'd']);
    expect(equal.endToEndLeadTime).toBe(40);

    // a→b→d and a→c→x→d both total 40; the one with more steps wins even though b’s x is smaller than c’s.
    const moreSteps = computeMeasures({
      ...empty,
      steps: [
        step('a', 0, { lt: 10 }),
        step('b', 50, { lt: 20 }),
        step('c', 100, { lt: 20 }),
        step('x', 150, { lt: 0 }),
        step('d', 200, { lt: 10 }),
      ],
      flowEdges: [flow('a', 'b'), flow('b', 'd'), flow('a', 'c'), flow('c', 'x'), flow('x', 'd')],
    });
    expect(ids(moreSteps.mainPath)).toEqual(['a', 'c', 'x', 'd']);
    expect(moreSteps.endToEndLeadTime).toBe(40);
  });

  it('a loop with no start step is still found, and the flow after it has a main path', () => {
    const steps = [step('a', 0, { lt: 1 }), step('b', 100, { lt: 1 }), step('c', 200, { lt: 1 })];
    const m = computeMeasures({ ...empty, steps, flowEdges: [flow('a', 'b'), flow('b', 'a'), flow('b', 'c')] });
    expect(m.reworkLoops).toBe(1);
    expect(ids(m.mainPath)).toEqual(['a', 'b', 'c']);
    expect(m.unconnectedSteps).toEqual([]);
  });

  it('an explicitly marked rework edge counts as a loop and is left out of the main path', () => {
    const steps = [step('a', 0, { lt: 1 }), step('b', 100, { lt: 1 }), step('c', 200, { lt: 1 })];
    // A forward edge the search would never call a loop: only the team's mark makes it rework.
    const m = computeMeasures({
      ...empty,
      steps,
      flowEdges: [flow('a', 'b'), flow('b', 'c'), flow('a', 'c', true)],
    });
    expect(m.reworkLoops).toBe(1);
    expect(ids(m.mainPath)).toEqual(['a', 'b', 'c']);
  });

  it('the result does not depend on the order edges were drawn in', () => {
    const shuffled = { ...housingRepairsBefore, flowEdges: [...housingRepairsBefore.flowEdges].reverse() };
    expect(computeMeasures(shuffled)).toEqual(computeMeasures(housingRepairsBefore));
  });

  it('steps in no lane make no handoffs and traverse no department', () => {
    const steps = [step('a', 0, { lane: 'x' }), step('b', 100), step('c', 200, { lane: 'y' })];
    const m = computeMeasures({ ...empty, steps, flowEdges: [flow('a', 'b'), flow('b', 'c')] });
    expect(m.handoffs).toBe(0);
    expect(m.departmentsTraversed).toBe(2);
  });

  it('a lane with no steps changes nothing', () => {
    // Lanes enter the measures only through steps: an empty lane is simply not seen.
    const m = computeMeasures(housingRepairsAfter);
    expect(m.departmentsTraversed).toBe(2);
  });

  it('a waste step with no type yet counts as "other"', () => {
    const m = computeMeasures({ ...empty, steps: [step('a', 0, { stepClass: 'waste' })] });
    expect(m.wasteByType.other).toBe(1);
    expect(m.wasteSteps).toBe(1);
    expect(m.valueStepPct).toBe(0);
  });

  it('edges to missing steps and self-loops are ignored', () => {
    const steps = [step('a', 0), step('b', 100)];
    const m = computeMeasures({
      ...empty,
      steps,
      flowEdges: [flow('a', 'b'), flow('a', 'ghost'), flow('b', 'b')],
    });
    expect(m.reworkLoops).toBe(0);
    expect(ids(m.mainPath)).toEqual(['a', 'b']);
  });

  it('a 2,000-step chain does not overflow the stack', () => {
    const steps = Array.from({ length: 2000 }, (_, i) => step(`s${i}`, i, { lt: 1, pt: 1 }));
    const flowEdges = steps.slice(1).map((s, i) => flow(steps[i].id, s.id));
    const m = computeMeasures({ ...empty, steps, flowEdges });
    expect(m.mainPath).toHaveLength(2000);
    expect(m.activityRatioPct).toBe(100);
  });
});

describe('capability (XmR)', () => {
  it('needs two points', () => {
    expect(capability([])).toBeNull();
    expect(capability([5])).toBeNull();
  });

  it('mean ± 2.66 × mean moving range, lower limit not below 0', () => {
    // mean 20; moving ranges 10, 10, 10 → mean 10; 20 ± 26.6
    const c = capability([10, 20, 30, 20])!;
    expect(c.mean).toBe(20);
    expect(c.upper).toBeCloseTo(46.6, 10);
    expect(c.lower).toBe(0);
    const steady = capability([100, 102, 98, 100])!;
    expect(steady.lower).toBeCloseTo(100 - 2.66 * (8 / 3), 10);
  });
});
