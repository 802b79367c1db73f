/**
 * Live measures of the open board for the analysis panel and the canvas
 * (main path, unconnected steps). Computed by the model's one function,
 * `measuresOfDoc`, at most once per animation frame however many updates
 * arrive — a drag sends one per frame and must not recompute more often.
 */
import { useEffect, useState } from 'react';
import { measuresOfDoc, type Measures } from '../model';
import { useBoard } from './board-context';

export function useMeasures(): Measures {
  const { doc } = useBoard();
  const [measures, setMeasures] = useState<Measures>(() => measuresOfDoc(doc));
  useEffect(() => {
    let frame: number | null = null;
    const recompute = () => {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        setMeasures(measuresOfDoc(doc));
      });
    };
    doc.on('update', recompute);
    recompute();
    return () => {
      doc.off('update', recompute);
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [doc]);
  return measures;
}
