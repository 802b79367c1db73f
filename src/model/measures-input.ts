/**
 * From the board document to the inputs of `computeMeasures`: the one place
 * that knows which document fields the measures read. A field of the wrong
 * type counts as missing (null), never as a made-up value.
 */
import type * as Y from 'yjs';
import { readCapabilitySeries } from './capability-series';
import { demandWithStudy, type StudyDemand } from './study';
import { edgesMap, nodesMap, type YNode } from './schema';
import {
  WASTE_TYPES,
  computeMeasures,
  type DemandItem,
  type FlowEdge,
  type FlowStep,
  type Measures,
  type MeasuresInput,
  type WasteType,
} from './measures';

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function readFlowStep(id: string, node: YNode): FlowStep {
  const stepClass = node.get('stepClass');
  const wasteType = node.get('wasteType') as WasteType;
  const lane = node.get('lane');
  return {
    id,
    label: String(node.get('label') ?? ''),
    x: numberOrNull(node.get('x')) ?? 0,
    lane: typeof lane === 'string' ? lane : null,
    stepClass: stepClass === 'value' || stepClass === 'waste' ? stepClass : null,
    wasteType: WASTE_TYPES.includes(wasteType) ? wasteType : null,
    pt: numberOrNull(node.get('pt')),
    lt: numberOrNull(node.get('lt')),
    ca: numberOrNull(node.get('ca')),
    customerContact: node.get('customerContact') === true,
  };
}

function readDemand(id: string, node: YNode): DemandItem | null {
  const count = node.get('count');
  const demandClass = node.get('demandClass');
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return null;
  if (demandClass !== 'value' && demandClass !== 'failure') return null;
  const studyType = node.get('studyType');
  return {
    id,
    words: String(node.get('words') ?? ''),
    demandClass,
    count,
    predictable: node.get('predictable') === true,
    ...(typeof studyType === 'string' && studyType !== '' ? { studyType } : {}),
  };
}

export function measuresInputFromDoc(doc: Y.Doc): MeasuresInput {
  const steps: FlowStep[] = [];
  const demand: DemandItem[] = [];
  nodesMap(doc).forEach((node, id) => {
    const kind = node.get('kind');
    if (kind === 'step') steps.push(readFlowStep(id, node));
    else if (kind === 'demand') {
      const item = readDemand(id, node);
      if (item) demand.push(item);
    }
  });
  const flowEdges: FlowEdge[] = [];
  edgesMap(doc).forEach((edge, id) => {
    if (edge.get('kind') !== 'flow') return;
    flowEdges.push({
      id,
      source: String(edge.get('source')),
      target: String(edge.get('target')),
      rework: edge.get('rework') === true,
    });
  });
  // Map iteration order differs between replicas; sort so every replica computes the same.
  steps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  flowEdges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Two people connecting the same pair at the same moment make two edges; the measures count one.
  // A marked and a plain flow on one pair are two edges (method.md, "Settled choices"). Keyed on
  // the pair itself: a text key joining two ids would let two different pairs collide.
  const seen = new Map<string, Map<string, Set<boolean>>>();
  const distinctFlow = flowEdges.filter((e) => {
    const targets = seen.get(e.source) ?? new Map<string, Set<boolean>>();
    seen.set(e.source, targets);
    const marks = targets.get(e.target) ?? new Set<boolean>();
    targets.set(e.target, marks);
    if (marks.has(e.rework)) return false;
    marks.add(e.rework);
    return true;
  });
  demand.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { steps, flowEdges: distinctFlow, demand, capabilitySeries: readCapabilitySeries(doc).minutes };
}

/** The board's measures; with a demand study, its counts are the board's demand beside the hand-made cards. */
export function measuresOfDoc(doc: Y.Doc, study: StudyDemand | null = null): Measures {
  const input = measuresInputFromDoc(doc);
  return computeMeasures(study ? { ...input, demand: demandWithStudy(input.demand, study) } : input);
}
