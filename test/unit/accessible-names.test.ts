/**
 * Accessible names (issue 16): every card and edge a screen reader reaches
 * reads in the method's words, never an id, and follows renames live.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  TEMPLATES,
  TEMPLATE_IDS,
  addStep,
  connect,
  nodesMap,
  renameLane,
  renameNode,
  setPeriod,
} from '../../src/model';
import { bindBoard } from '../../src/collab/binding';
import { createBoardStore } from '../../src/collab/board-store';
import { cardName, edgeName, laneName, perPeriod } from '../../src/export/accessible-names';

function boardOf(templateId: (typeof TEMPLATE_IDS)[number]) {
  const doc = new Y.Doc();
  TEMPLATES[templateId].apply(doc);
  const store = createBoardStore();
  bindBoard(doc, store);
  return { doc, store };
}

/** Every id in the document: nodes, edges and lanes. */
function idsOf(doc: Y.Doc): string[] {
  return [...nodesMap(doc).keys(), ...doc.getMap('edges').keys(), ...doc.getMap('lanes').keys()];
}

describe('accessible names of the housing example', () => {
  test.each(['housing-repairs-before', 'housing-repairs-after'] as const)(
    '%s: every card and edge has a name, none with an id in it',
    (templateId) => {
      const { doc, store } = boardOf(templateId);
      const { nodes, edges } = store.getState();
      expect(nodes.length).toBeGreaterThan(10);
      expect(edges.length).toBeGreaterThan(5);
      const ids = idsOf(doc);
      for (const element of [...nodes, ...edges]) {
        const name = element.ariaLabel ?? '';
        expect(name, `element of type ${element.type}`).not.toBe('');
        for (const id of ids) expect(name, `${name} names id ${id}`).not.toContain(id);
        expect(name).not.toMatch(/^Edge from /);
        expect(name).not.toContain('removed card');
        expect(name).not.toContain('untitled');
      }
    },
  );

  test('the cards and edges read as the method says them', () => {
    const { store } = boardOf('housing-repairs-before');
    const names = [...store.getState().nodes, ...store.getState().edges].map((element) => element.ariaLabel);
    expect(names).toContain(
      'Step: Code job to schedule of rates. Contact centre. Waste: check. PT 5 m, LT 1 d. C&A 60%.',
    );
    expect(names).toContain(
      'Step: Take repair call. Contact centre. Value. PT 10 m, LT 10 m. C&A 70%. Customer contact.',
    );
    expect(names).toContain('Failure demand: When are you coming? 260 per week, predictable');
    expect(names).toContain('Value demand: I need a repair. 420 per week, predictable');
    expect(names).toContain('Flow from Take repair call to Code job to schedule of rates');
    expect(names).toContain('Flow from Code job to schedule of rates to Pre-inspection visit (handoff)');
    expect(names).toContain('Schedule-of-rates pricing causes Code job to schedule of rates');
    expect(names).toContain('Demand I need a repair enters the flow at Take repair call');
    expect(names).toContain('Flow from Post-inspection to Schedule contractor (handoff, rework)');
    expect(names).toContain(
      "Purpose: Do the right repair at the right time. What matters: Fix it first time; Come when I'm in; Don't make me chase.",
    );
    expect(names.some((name) => name?.startsWith('System condition (procedure): Schedule-of-rates pricing'))).toBe(
      true,
    );
  });

  test('the names follow a rename of a card, of its lane and of the counting period', () => {
    const { doc, store } = boardOf('housing-repairs-before');
    const code = store
      .getState()
      .nodes.find((n) => n.type === 'step' && n.data.label === 'Code job to schedule of rates');
    expect(code).toBeDefined();
    renameNode(doc, code!.id, 'Code job');
    const edgeNames = store.getState().edges.map((e) => e.ariaLabel);
    expect(edgeNames).toContain('Flow from Take repair call to Code job');
    expect(edgeNames).toContain('Flow from Code job to Pre-inspection visit (handoff)');

    const lane = store.getState().lanes.find((l) => l.name === 'Contact centre')!;
    renameLane(doc, lane.id, 'Customer service');
    const renamed = store.getState().nodes.find((n) => n.id === code!.id);
    expect(renamed?.ariaLabel).toBe('Step: Code job. Customer service. Waste: check. PT 5 m, LT 1 d. C&A 60%.');

    setPeriod(doc, '4 weeks');
    expect(store.getState().nodes.map((n) => n.ariaLabel)).toContain(
      'Failure demand: When are you coming? 260 per 4 weeks, predictable',
    );
  });

  test('an unnamed step and its flow read without ids', () => {
    const doc = new Y.Doc();
    const store = createBoardStore();
    bindBoard(doc, store);
    const a = addStep(doc, { position: { x: 0, y: 0 } });
    // The operations name a new step "New step"; a document from elsewhere may still hold an empty label.
    nodesMap(doc).get(a)!.set('label', '');
    const b = addStep(doc, { position: { x: 300, y: 0 }, label: 'Visit' });
    connect(doc, a, b);
    expect(store.getState().nodes[0].ariaLabel).toBe('Step: untitled.');
    expect(store.getState().edges[0].ariaLabel).toBe('Flow from untitled to Visit');
  });
});

describe('name rules', () => {
  test('a step with nothing measured names itself and its class only', () => {
    expect(
      cardName({
        kind: 'step',
        label: '  Visit\nand diagnose ',
        laneName: null,
        stepClass: 'waste',
        wasteType: null,
        pt: null,
        lt: null,
        ca: null,
        customerContact: false,
      }),
    ).toBe('Step: Visit and diagnose. Waste: type not set.');
  });

  test('demand: period phrases, counts with separators, predictable', () => {
    expect(perPeriod('one week')).toBe(' per week');
    expect(perPeriod('a month')).toBe(' per month');
    expect(perPeriod(null)).toBe('');
    expect(
      cardName({
        kind: 'demand',
        words: 'Nobody came',
        demandClass: 'failure',
        count: 1200,
        predictable: true,
        period: null,
      }),
    ).toBe('Failure demand: Nobody came. 1,200, predictable');
  });

  test('notes, conditions, lanes and edges of every kind', () => {
    expect(cardName({ kind: 'note', text: 'Ask finance' })).toBe('Note: Ask finance');
    expect(cardName({ kind: 'condition', label: '', conditionType: 'it' })).toBe(
      'System condition (IT system): untitled',
    );
    expect(laneName('Contractor', 1)).toBe('Lane: Contractor, 1 step');
    expect(laneName('Contractor', 3)).toBe('Lane: Contractor, 3 steps');
    expect(edgeName({ kind: 'flow', rework: true, handoff: true }, 'A', 'B')).toBe(
      'Flow from A to B (handoff, rework)',
    );
    expect(edgeName({ kind: 'entry', rework: false, handoff: false }, 'I need a repair', 'Take call')).toBe(
      'Demand I need a repair enters the flow at Take call',
    );
    expect(edgeName({ kind: 'causes', rework: false, handoff: false }, 'Targets', null)).toBe(
      'Targets causes a removed card',
    );
  });
});
