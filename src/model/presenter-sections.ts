/**
 * Presenter mode's sections (issue 15), computed from the board in the
 * method's order — never set up by hand: purpose and what matters, demand
 * (with its Pareto), the flow as a whole and then lane by lane, the system
 * conditions, the measures, and the comparison when there is an after board.
 * A section with nothing on the board to show is left out.
 *
 * Pure: the client draws the sections (app/presenter/), the server checks a
 * facilitator's "go to" and "hide / reorder" against them
 * (server/sync/presenter.ts). Ids are stable while the board changes — a
 * lane's section is `lane:<laneId>` — so the shared presenter state keeps
 * pointing at the same section when someone adds a card.
 */
import type { Lane } from './types';

export type PresenterSectionKind = 'purpose' | 'demand' | 'flow' | 'lane' | 'conditions' | 'measures' | 'compare';
/** What a section shows besides (or instead of) its cards. */
export type PresenterPanel = 'pareto' | 'measures' | 'compare';

export interface PresenterSection {
  /** Stable: `purpose`, `demand`, `flow`, `lane:<laneId>`, `lane:none`, `conditions`, `measures`, `compare`. */
  id: string;
  kind: PresenterSectionKind;
  /** The heading shown to the room, in the method's words. */
  title: string;
  /** The cards the view frames (fits to their bounds), in reading order; empty for a panel-only section. */
  cardIds: string[];
  panel: PresenterPanel | null;
}

/** What the sections are built from: any board node (plain `Board`, or the client's store) reduced to this. */
export interface SectionNode {
  id: string;
  kind: string;
  position: { x: number; y: number };
  /** A step's lane id, or null. */
  lane?: string | null;
}

export interface SectionInput {
  nodes: readonly SectionNode[];
  lanes: readonly Lane[];
  /**
   * This is an after board (its document names its before board): the
   * comparison closes the presentation. Read from the document, so the server
   * and every client agree without asking the board list.
   */
  comparison: boolean;
}

/** The section of the steps in no lane. */
export const NO_LANE_SECTION = 'lane:none';

/** Reading order: top to bottom, then left to right, then id (so ties never depend on map order). */
function readingOrder(a: SectionNode, b: SectionNode): number {
  return a.position.y - b.position.y || a.position.x - b.position.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function idsOf(nodes: SectionNode[]): string[] {
  return [...nodes].sort(readingOrder).map((n) => n.id);
}

/** The board's sections in the method's order, empty ones left out. */
export function buildPresenterSections({ nodes, lanes, comparison }: SectionInput): PresenterSection[] {
  const of = (kind: string) => nodes.filter((n) => n.kind === kind);
  const sections: PresenterSection[] = [];
  const purpose = of('purpose');
  if (purpose.length > 0)
    sections.push({
      id: 'purpose',
      kind: 'purpose',
      title: 'Purpose and what matters',
      cardIds: idsOf(purpose),
      panel: null,
    });
  const demand = of('demand');
  if (demand.length > 0)
    sections.push({ id: 'demand', kind: 'demand', title: 'Demand', cardIds: idsOf(demand), panel: 'pareto' });
  const steps = of('step');
  if (steps.length > 0) {
    sections.push({ id: 'flow', kind: 'flow', title: 'The flow', cardIds: idsOf(steps), panel: null });
    const laneIds = new Set(lanes.map((l) => l.id));
    const ordered = [...lanes].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
    for (const lane of ordered) {
      const inLane = steps.filter((s) => s.lane === lane.id);
      if (inLane.length === 0) continue;
      sections.push({
        id: `lane:${lane.id}`,
        kind: 'lane',
        title: `Flow: ${lane.name.trim() || 'unnamed lane'}`,
        cardIds: idsOf(inLane),
        panel: null,
      });
    }
    // A step whose lane is unknown (deleted meanwhile) is in no lane, as the measures count it.
    const noLane = steps.filter((s) => !s.lane || !laneIds.has(s.lane));
    // Only worth a section of its own when some steps are in lanes: otherwise it repeats "The flow".
    if (noLane.length > 0 && noLane.length < steps.length)
      sections.push({
        id: NO_LANE_SECTION,
        kind: 'lane',
        title: 'Flow: steps in no lane',
        cardIds: idsOf(noLane),
        panel: null,
      });
  }
  const conditions = of('condition');
  if (conditions.length > 0)
    sections.push({
      id: 'conditions',
      kind: 'conditions',
      title: 'System conditions',
      cardIds: idsOf(conditions),
      panel: null,
    });
  // The measures say "—" where inputs are missing, so they are worth showing on any board with a flow or demand.
  if (steps.length > 0 || demand.length > 0)
    sections.push({ id: 'measures', kind: 'measures', title: 'Measures', cardIds: [], panel: 'measures' });
  if (comparison)
    sections.push({ id: 'compare', kind: 'compare', title: 'Before and after', cardIds: [], panel: 'compare' });
  return sections;
}

/** The facilitator's choices over the computed sections (held in the shared presenter state). */
export interface SectionArrangement {
  /** Section ids in the order chosen; sections not listed keep their place after their method-order neighbour. */
  order: readonly string[];
  /** Section ids left out of the presentation. */
  hidden: readonly string[];
}

/**
 * The sections in the facilitator's order, hidden ones included (marked by
 * the caller). Ids in `order` that are no longer on the board are skipped; a
 * section that appeared after the order was set (a new lane) goes right after
 * the section that precedes it in the method's order, or first.
 */
export function orderSections(sections: readonly PresenterSection[], order: readonly string[]): PresenterSection[] {
  const byId = new Map(sections.map((s) => [s.id, s]));
  const placed: PresenterSection[] = [];
  const seen = new Set<string>();
  for (const id of order) {
    const section = byId.get(id);
    if (section && !seen.has(id)) {
      placed.push(section);
      seen.add(id);
    }
  }
  sections.forEach((section, index) => {
    if (seen.has(section.id)) return;
    const before = index > 0 ? sections[index - 1].id : null;
    const at = before === null ? -1 : placed.findIndex((s) => s.id === before);
    placed.splice(at + 1, 0, section);
    seen.add(section.id);
  });
  return placed;
}

/** The sections the room sees, in order: arranged, hidden ones left out. */
export function visibleSections(
  sections: readonly PresenterSection[],
  arrangement: SectionArrangement,
): PresenterSection[] {
  const hidden = new Set(arrangement.hidden);
  return orderSections(sections, arrangement.order).filter((s) => !hidden.has(s.id));
}

/**
 * Where the presentation stands when `current` is not among the visible
 * sections (hidden, or its cards deleted): the next visible section after it
 * in the arranged order, else the last one before it, else the first; null
 * when nothing is left to show.
 */
export function nearestVisibleSection(
  sections: readonly PresenterSection[],
  arrangement: SectionArrangement,
  current: string | null,
): string | null {
  const visible = visibleSections(sections, arrangement);
  if (visible.length === 0) return null;
  if (current !== null && visible.some((s) => s.id === current)) return current;
  const arranged = orderSections(sections, arrangement.order);
  const at = current === null ? -1 : arranged.findIndex((s) => s.id === current);
  if (at < 0) return visible[0].id;
  const hidden = new Set(arrangement.hidden);
  const after = arranged.slice(at + 1).find((s) => !hidden.has(s.id));
  if (after) return after.id;
  const before = arranged
    .slice(0, at)
    .reverse()
    .find((s) => !hidden.has(s.id));
  return (before ?? visible[0]).id;
}

/** The section `delta` steps from `current` among the visible ones (clamped at the ends), or null when there are none. */
export function stepSection(
  sections: readonly PresenterSection[],
  arrangement: SectionArrangement,
  current: string | null,
  delta: number,
): string | null {
  const visible = visibleSections(sections, arrangement);
  if (visible.length === 0) return null;
  const here = nearestVisibleSection(sections, arrangement, current);
  const at = Math.max(
    0,
    visible.findIndex((s) => s.id === here),
  );
  return visible[Math.min(visible.length - 1, Math.max(0, at + delta))].id;
}
