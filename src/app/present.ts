/**
 * The facilitator's "Present": the presenter view on this screen, everyone
 * else following (app/presenter/). Offered in the room menu beside "Start a
 * dot vote…" and in Tools ▾, not as a header button of its own: at 1280 px
 * the facilitator's header has no room left before the title would fold.
 */
import { useBoard, useBoardState } from '../collab/board-context';

export function usePresent(): { shown: boolean; label: string; start: () => void } {
  const { presenter } = useBoard();
  const isFacilitator = useBoardState((s) => s.access?.role === 'facilitator');
  const elsewhere = useBoardState((s) =>
    s.presenter?.active && s.presentingHere === null ? s.presenter.section : null,
  );
  return {
    shown: isFacilitator && presenter !== undefined,
    // Someone presents on another screen: this one takes over where they are.
    label: elsewhere ? 'Present here' : 'Present',
    start: () => presenter?.start(elsewhere ?? undefined),
  };
}
