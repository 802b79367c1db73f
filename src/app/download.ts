/**
 * What the export menus share (the board's, src/app/ExportMenu.tsx, and the
 * comparison's, src/compare/CompareExportMenu.tsx): fetching a file the
 * server makes and saving it under the name the server gives it, and the
 * menu's look and its closing on a click elsewhere or Escape.
 */
import { useEffect, type CSSProperties, type RefObject } from 'react';
import { fileNameFromDisposition } from '../export/download-name';

/** Saves fetched bytes under `name` through a temporary link, as a plain download would. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has the bytes once the click is handled; free them a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Fetches `url` and saves it under the server's Content-Disposition name
 * (else `fallbackName`). Throws an Error in plain words when it was not made.
 */
export async function downloadFrom(url: string, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new Error('the server could not be reached');
  }
  if (!response.ok) {
    const answer = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(answer.error ?? `The server answered ${response.status}`);
  }
  const name = fileNameFromDisposition(response.headers.get('content-disposition')) ?? fallbackName;
  saveBlob(await response.blob(), name);
}

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
