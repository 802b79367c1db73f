/** The board's presenter sections, live (src/model/presenter-sections.ts), and the room's arrangement of them. */
import { useMemo } from 'react';
import {
  buildPresenterSections,
  nearestVisibleSection,
  orderSections,
  readBeforeBoardId,
  visibleSections,
  type PresenterSection,
  type SectionArrangement,
} from '../../model';
import { useBoard, useBoardState } from '../../collab/board-context';
import { shownSection } from '../../collab/presenter';

const NO_ARRANGEMENT: SectionArrangement = { order: [], hidden: [] };

export interface SectionsNow {
  /** Every section in the facilitator's order, hidden ones too (the arrange list). */
  arranged: PresenterSection[];
  /** What the room sees, in order. */
  visible: PresenterSection[];
  arrangement: SectionArrangement;
  /** The section on screen: the presenter's, or the nearest still shown; null when there is none. */
  current: PresenterSection | null;
  /** Its place among the visible ones, from 0. */
  index: number;
}

export function useSections(): SectionsNow {
  const { doc } = useBoard();
  const nodes = useBoardState((s) => s.nodes);
  const lanes = useBoardState((s) => s.lanes);
  const order = useBoardState((s) => s.presenter?.order);
  const hidden = useBoardState((s) => s.presenter?.hidden);
  const shown = useBoardState(shownSection);
  // The before board's id is in the document's meta; it changes only when the board becomes an after board.
  const comparison = readBeforeBoardId(doc) !== null;
  const sections = useMemo(
    () =>
      buildPresenterSections({
        nodes: nodes.map((n) => ({
          id: n.id,
          kind: n.type ?? '',
          position: n.position,
          lane: n.type === 'step' ? n.data.lane : null,
        })),
        lanes,
        comparison,
      }),
    [nodes, lanes, comparison],
  );
  return useMemo(() => {
    const arrangement = order && hidden ? { order, hidden } : NO_ARRANGEMENT;
    const visible = visibleSections(sections, arrangement);
    const currentId = nearestVisibleSection(sections, arrangement, shown);
    const index = visible.findIndex((s) => s.id === currentId);
    return {
      arranged: orderSections(sections, arrangement.order),
      visible,
      arrangement,
      current: index >= 0 ? visible[index] : null,
      index,
    };
  }, [sections, order, hidden, shown]);
}
