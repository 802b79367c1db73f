/**
 * The board header's "Export ▾" menu: the board file and the CSV tables,
 * each a plain download link to the HTTP API (GET /api/boards/:id/export),
 * so the button gives exactly the bytes the API and the CLI give, and the
 * server names the file "<board title> – <date>.json".
 */
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { parseRoute } from './router';

const EXPORTS = [
  { format: 'json', label: 'Board file (.json)', hint: 'The whole board, to open in another Purposeboard' },
  { format: 'csv-demand', label: 'Demand (CSV)', hint: 'The demand table, for a spreadsheet' },
  { format: 'csv-steps', label: 'Steps (CSV)', hint: 'The step table with lane, class, waste type, PT, LT and %C&A' },
] as const;

export function exportUrl(boardId: string, format: string): string {
  return `/api/boards/${encodeURIComponent(boardId)}/export?format=${encodeURIComponent(format)}`;
}

const menuStyle: CSSProperties = {
  position: 'absolute',
  top: 'calc(100% + 4px)',
  right: 0,
  zIndex: 50,
  display: 'flex',
  flexDirection: 'column',
  minWidth: '12rem',
  padding: '4px',
  background: '#fff',
  border: '1px solid #cbd5e1',
  borderRadius: '6px',
  boxShadow: '0 6px 20px rgba(15, 23, 42, 0.15)',
};
const itemStyle: CSSProperties = {
  padding: '6px 10px',
  borderRadius: '4px',
  color: 'inherit',
  textDecoration: 'none',
  whiteSpace: 'nowrap',
};

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const route = parseRoute(window.location.pathname);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (route.screen !== 'board') return null;
  return (
    <div ref={wrapper} style={{ position: 'relative', display: 'inline-block' }}>
      <button
        type="button"
        className="button subtle tool-button"
        data-testid="export-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((was) => !was)}
      >
        Export ▾
      </button>
      {open && (
        <div role="menu" aria-label="Export" style={menuStyle} data-testid="export-menu-items">
          {EXPORTS.map(({ format, label, hint }) => (
            <a
              key={format}
              role="menuitem"
              href={exportUrl(route.boardId, format)}
              download
              title={hint}
              style={itemStyle}
              data-testid={`export-${format}`}
              onClick={() => setOpen(false)}
            >
              {label}
            </a>
          ))}
        </div>
      )}
    </div>
  );
}
