/**
 * Frames a section's cards: the view fitted to their bounds on this screen,
 * whatever its size (a projector, a laptop, a phone), leaving `padding` free
 * for the presenter's bars and panel. Each screen frames for itself, so a
 * phone and a projector both show the whole section. Re-framed when the
 * section, its cards or the canvas size change (the chrome folding away on
 * entering the presenter view changes it) — not when a card merely moves.
 */
import { useEffect } from 'react';
import { getViewportForBounds, useReactFlow, type FitViewOptions } from '@xyflow/react';
import type { PresenterSection } from '../../model';

type Padding = NonNullable<FitViewOptions['padding']>;

/** Large enough to read from the back row; a lone card does not fill the wall. */
const MAX_ZOOM = 1.6;
const MIN_ZOOM = 0.1;

export function useFrameSection(section: PresenterSection | null, padding: Padding, enabled: boolean): void {
  const { getNodesBounds, setViewport } = useReactFlow();
  const cards = section?.cardIds.join(' ') ?? '';
  const paddingKey = JSON.stringify(padding);

  useEffect(() => {
    if (!enabled || cards === '') return;
    // The padding by value: a new object with the same sides each render does not re-frame.
    const sides = JSON.parse(paddingKey) as Padding;
    const canvas = document.querySelector<HTMLElement>('.board-canvas');
    if (!canvas) return;
    let frame = 0;
    const fit = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const bounds = getNodesBounds(cards.split(' '));
        if (bounds.width <= 0 || bounds.height <= 0 || canvas.clientWidth === 0) return;
        const viewport = getViewportForBounds(
          bounds,
          canvas.clientWidth,
          canvas.clientHeight,
          MIN_ZOOM,
          MAX_ZOOM,
          sides,
        );
        const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
        void setViewport(viewport, { duration: still ? 0 : 150 });
      });
    };
    fit();
    const resized = new ResizeObserver(fit);
    resized.observe(canvas);
    return () => {
      cancelAnimationFrame(frame);
      resized.disconnect();
    };
  }, [enabled, cards, paddingKey, getNodesBounds, setViewport]);
}
