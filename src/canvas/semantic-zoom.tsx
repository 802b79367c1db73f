/**
 * Semantic zoom on the canvas (issue 15): cards, lane names and edges read the
 * zoom through one bucketed selector (src/export/sizes.ts has the rule), so
 * they re-render when their form or label size changes, not on every frame.
 */
import { useStore } from '@xyflow/react';
import { READABLE_TEXT_PX, simpleLabelSize, zoomBucket, type CardForm } from '../export/sizes';

type ReactFlowState = Parameters<Parameters<typeof useStore>[0]>[0];
const selectZoomBucket = (s: ReactFlowState) => zoomBucket(s.transform[2]);

/** The bucketed zoom and the form cards take at it. */
export function useSemanticZoom(): { zoom: number; form: CardForm } {
  const zoom = useStore(selectZoomBucket);
  return { zoom, form: zoom === 1 ? 'full' : 'simple' };
}

/** A simplified card's label: whole words, wrapped, as large as the box allows up to the readable size. */
export function SimpleLabel({
  text,
  zoom,
  box,
  className,
  testId,
}: {
  text: string;
  zoom: number;
  box: { width: number; height: number };
  className: string;
  testId?: string;
}) {
  return (
    <div
      className={`simple-label ${className}`}
      data-testid={testId}
      style={{ fontSize: simpleLabelSize(text, zoom, box) }}
    >
      {text}
    </div>
  );
}

/** The size of a simplified card's mark (✓ value, ✗ waste type): the smallest readable size on screen, below the label's. */
export function simpleMarkSize(zoom: number): number {
  return Math.round(READABLE_TEXT_PX / zoom);
}
