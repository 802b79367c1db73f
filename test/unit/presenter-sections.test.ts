/** Presenter mode's sections (src/model/presenter-sections.ts): built from the board in the method's order. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addLane,
  addNote,
  addStep,
  buildBoard,
  buildPresenterSections,
  deleteElements,
  nearestVisibleSection,
  orderSections,
  readBoard,
  stepSection,
  visibleSections,
  type SectionInput,
} from '../../src/model';
import { housingRepairsBefore } from '../../src/model/templates/housing-repairs';

function housingRepairs(comparison = false) {
  const doc = new Y.Doc();
  const built = buildBoard(doc, housingRepairsBefore);
  const board = readBoard(doc);
  const input: SectionInput = { nodes: board.nodes, lanes: board.lanes, comparison };
  return { doc, built, input };
}

describe('presenter sections', () => {
  it('follow the method: purpose, demand with its Pareto, the flow then lane by lane, conditions, measures', () => {
    const { built, input } = housingRepairs();
    const sections = buildPresenterSections(input);
    expect(sections.map((s) => s.title)).toEqual([
      'Purpose and what matters',
      'Demand',
      'The flow',
      // The lanes in their board order, not the order their steps come in.
      ...housingRepairsBefore.lanes.map((name) => `Flow: ${name}`),
      'System conditions',
      'Measures',
    ]);
    const byId = new Map(sections.map((s) => [s.id, s]));
    expect(byId.get('purpose')!.cardIds).toEqual([built.purpose]);
    expect(byId.get('demand')!.panel).toBe('pareto');
    expect(new Set(byId.get('demand')!.cardIds)).toEqual(new Set(built.demand));
    expect(new Set(byId.get('flow')!.cardIds)).toEqual(new Set(built.steps));
    expect(byId.get('measures')).toMatchObject({ cardIds: [], panel: 'measures' });
    expect(new Set(byId.get('conditions')!.cardIds)).toEqual(new Set(built.conditions));
    // Each lane frames its own steps, left to right: the contractor's three steps are 6, 7 and 8.
    const contractor = built.lanes[housingRepairsBefore.lanes.indexOf('Contractor')];
    expect(byId.get(`lane:${contractor}`)!.cardIds).toEqual([built.steps[5], built.steps[6], built.steps[7]]);
    // Every step is in exactly one lane's section.
    const laneCards = sections.filter((s) => s.kind === 'lane').flatMap((s) => s.cardIds);
    expect(laneCards.sort()).toEqual([...built.steps].sort());
  });

  it('adds the comparison last when there is an after board, and leaves out what the board lacks', () => {
    expect(buildPresenterSections(housingRepairs(true).input).at(-1)).toMatchObject({
      id: 'compare',
      panel: 'compare',
    });
    const doc = new Y.Doc();
    expect(buildPresenterSections({ nodes: [], lanes: [], comparison: false })).toEqual([]);
    // A note alone is no section (it counts in no measure); a step with no lane is "The flow" only.
    addNote(doc, { position: { x: 0, y: 0 }, text: 'Why?' });
    const step = addStep(doc, { position: { x: 0, y: 0 }, label: 'Take call' });
    const board = readBoard(doc);
    expect(buildPresenterSections({ nodes: board.nodes, lanes: board.lanes, comparison: false })).toEqual([
      { id: 'flow', kind: 'flow', title: 'The flow', cardIds: [step], panel: null },
      { id: 'measures', kind: 'measures', title: 'Measures', cardIds: [], panel: 'measures' },
    ]);
  });

  it('gives steps in no lane a section of their own once other steps are in lanes, and skips empty lanes', () => {
    const doc = new Y.Doc();
    const lane = addLane(doc, 'Intake');
    addLane(doc, 'Nobody here');
    const inLane = addStep(doc, { position: { x: 0, y: 40 }, label: 'A', lane });
    const loose = addStep(doc, { position: { x: 0, y: 900 }, label: 'B' });
    const board = readBoard(doc);
    const sections = buildPresenterSections({ nodes: board.nodes, lanes: board.lanes, comparison: false });
    expect(sections.map((s) => [s.id, s.title, s.cardIds])).toEqual([
      ['flow', 'The flow', [inLane, loose]],
      [`lane:${lane}`, 'Flow: Intake', [inLane]],
      ['lane:none', 'Flow: steps in no lane', [loose]],
      ['measures', 'Measures', []],
    ]);
  });

  it('keeps section ids while the board changes, and drops a section whose cards are all gone', () => {
    const { doc, built, input } = housingRepairs();
    const before = buildPresenterSections(input).map((s) => s.id);
    addNote(doc, { position: { x: 5, y: 5 }, text: 'later' });
    let board = readBoard(doc);
    expect(
      buildPresenterSections({ nodes: board.nodes, lanes: board.lanes, comparison: false }).map((s) => s.id),
    ).toEqual(before);
    deleteElements(doc, { nodeIds: built.conditions });
    board = readBoard(doc);
    expect(
      buildPresenterSections({ nodes: board.nodes, lanes: board.lanes, comparison: false }).map((s) => s.id),
    ).toEqual(before.filter((id) => id !== 'conditions'));
  });
});

describe('the facilitator arranging the sections', () => {
  const sections = buildPresenterSections(housingRepairs(true).input);
  const ids = sections.map((s) => s.id);

  it('reorders, hides, and places a section the order does not know after its method-order neighbour', () => {
    // Measures first, then the rest as they were; an id no longer on the board is skipped.
    const order = ['measures', 'gone', ...ids.filter((id) => id !== 'measures')];
    expect(orderSections(sections, order).map((s) => s.id)).toEqual([
      'measures',
      ...ids.filter((id) => id !== 'measures'),
    ]);
    // An order set before the conditions existed: they come back right after the last lane.
    const withoutConditions = ids.filter((id) => id !== 'conditions').reverse();
    const placed = orderSections(sections, withoutConditions).map((s) => s.id);
    expect(placed.indexOf('conditions')).toBe(placed.indexOf(ids[ids.indexOf('conditions') - 1]) + 1);
    expect(placed).toHaveLength(ids.length);
    expect(visibleSections(sections, { order: [], hidden: ['demand', 'flow'] }).map((s) => s.id)).toEqual(
      ids.filter((id) => id !== 'demand' && id !== 'flow'),
    );
  });

  it('steps forward and back among the visible sections, stopping at the ends', () => {
    const arrangement = { order: [], hidden: ['demand'] };
    expect(stepSection(sections, arrangement, 'purpose', 1)).toBe('flow');
    expect(stepSection(sections, arrangement, 'flow', -1)).toBe('purpose');
    expect(stepSection(sections, arrangement, 'purpose', -1)).toBe('purpose');
    expect(stepSection(sections, arrangement, 'compare', 1)).toBe('compare');
    // From a hidden section: forward goes past where it was.
    expect(stepSection(sections, arrangement, 'demand', 1)).toBe(ids[ids.indexOf('flow') + 1]);
    expect(stepSection([], arrangement, null, 1)).toBeNull();
  });

  it('lands on the nearest visible section when the current one is hidden or gone', () => {
    expect(nearestVisibleSection(sections, { order: [], hidden: ['demand'] }, 'demand')).toBe('flow');
    // The last one hidden: back to the one before it.
    expect(nearestVisibleSection(sections, { order: [], hidden: ['compare'] }, 'compare')).toBe('measures');
    expect(nearestVisibleSection(sections, { order: [], hidden: [] }, 'lane:deleted')).toBe('purpose');
    expect(nearestVisibleSection(sections, { order: [], hidden: ids }, 'purpose')).toBeNull();
  });
});
