/**
 * A value read from the open board's document, read again after each update
 * (at most once per animation frame, like useMeasures). The reader must
 * return something comparable with `same`, so an unrelated change does not
 * re-render the panel.
 */
import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { useBoard } from '../collab/board-context';

export function useDocValue<T>(read: (doc: Y.Doc) => T, same: (a: T, b: T) => boolean = Object.is): T {
  const { doc } = useBoard();
  const [value, setValue] = useState<T>(() => read(doc));
  const readRef = useRef(read);
  const sameRef = useRef(same);
  useEffect(() => {
    readRef.current = read;
    sameRef.current = same;
  });
  useEffect(() => {
    let frame: number | null = null;
    const reread = () => {
      if (frame !== null) return;
      frame = requestAnimationFrame(() => {
        frame = null;
        const next = readRef.current(doc);
        setValue((previous) => (sameRef.current(previous, next) ? previous : next));
      });
    };
    doc.on('update', reread);
    reread();
    return () => {
      doc.off('update', reread);
      if (frame !== null) cancelAnimationFrame(frame);
    };
  }, [doc]);
  return value;
}

/** Shallow-equal for plain JSON-like values. */
export function sameJson<T>(a: T, b: T): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
