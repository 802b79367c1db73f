/** The look of the header's drop-down menus and popovers, and their closing on a click elsewhere or Escape. */
import { useEffect, type CSSProperties, type RefObject } from 'react';

/** Closes an open menu on a pointer down outside `wrapper` or on Escape. */
export function useDismiss(open: boolean, close: () => void, wrapper: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) close();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close, wrapper]);
}

export const menuStyle: CSSProperties = {
  position: 'absolute',
  top: 'calc(100% + 4px)',
  right: 0,
  zIndex: 50,
  display: 'flex',
  flexDirection: 'column',
  minWidth: '15rem',
  padding: '4px',
  background: 'var(--surface)',
  color: 'var(--text)',
  border: '1px solid var(--border)',
  borderRadius: '6px',
  boxShadow: '0 6px 20px rgba(15, 23, 42, 0.15)',
};
export const itemStyle: CSSProperties = {
  display: 'block',
  width: '100%',
  padding: '6px 10px',
  border: 'none',
  background: 'none',
  font: 'inherit',
  textAlign: 'left',
  borderRadius: '4px',
  color: 'inherit',
  textDecoration: 'none',
  whiteSpace: 'nowrap',
  cursor: 'pointer',
};
export const separatorStyle: CSSProperties = { height: 1, margin: '4px 6px', background: 'var(--border)' };
export const popoverStyle: CSSProperties = {
  position: 'absolute',
  top: 'calc(100% + 4px)',
  right: 0,
  zIndex: 49,
  width: '24rem',
  padding: '8px',
  background: 'var(--surface)',
  color: 'var(--text)',
  border: '1px solid var(--border)',
  borderRadius: '8px',
  boxShadow: '0 6px 20px rgba(15, 23, 42, 0.15)',
  whiteSpace: 'normal',
};
