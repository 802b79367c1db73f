/**
 * The board header's "Export ▾" menu: pictures of the whole map (PNG at 2×,
 * SVG), the PDF workshop report, the board file and the CSV tables, all
 * made by the server from the board model (GET /api/boards/:id/export), so
 * the button gives exactly the bytes the API and the CLI give, and the
 * server names the file "<board title> – <date>.pdf". The pictures and the
 * report take a moment: they are fetched with a progress line ("Making the
 * PDF report…") and then saved under the server's name. The menu also holds
 * "Import demand (CSV)".
 */
import { useCallback, useRef, useState } from 'react';
import { DemandCsvReportView, useDemandCsvImport } from '../panels/DemandCsvImport';
import { menuStyle, popoverStyle, separatorStyle, useDismiss } from '../ui/menus';
import { MenuItemButton } from '../ui/MenuItemButton';
import { ExportMenuButton, ExportProgress, MadeItemButton, useMaking } from '../ui/ExportParts';
import { parseRoute } from '../ui/router';
import { useBoardState } from '../collab/board-context';
import { canEditNow } from '../collab/board-store';

/** Made on the server in a moment or two: fetched with a progress line. */
const MADE = [
  {
    format: 'png',
    label: 'Picture of the map (PNG, 2×)',
    hint: 'The whole map, sharp enough for slides',
    making: 'Making the PNG picture…',
  },
  {
    format: 'svg',
    label: 'Picture of the map (SVG)',
    hint: 'The whole map as a drawing that scales',
    making: 'Making the SVG picture…',
  },
  {
    format: 'pdf',
    label: 'Workshop report (PDF)',
    hint: 'Purpose, measures, the map, demand, waste, capability, conditions and notes; prints on A4 or Letter',
    making: 'Making the PDF report…',
  },
] as const;
/** Quick files: fetched (the request carries this browser's key) and saved like the others. */
const FILES = [
  {
    format: 'json',
    label: 'Board file (.json)',
    hint: 'The whole board, to open in another Purposeboard',
    making: 'Making the board file…',
    fallbackName: 'board.json',
  },
  {
    format: 'csv-demand',
    label: 'Demand (CSV)',
    hint: 'The demand table, for a spreadsheet',
    making: 'Making the demand table…',
    fallbackName: 'demand.csv',
  },
  {
    format: 'csv-steps',
    label: 'Steps (CSV)',
    hint: 'The step table with lane, class, waste type, PT, LT and %C&A',
    making: 'Making the step table…',
    fallbackName: 'steps.csv',
  },
] as const;

export function exportUrl(boardId: string, format: string): string {
  return `/api/boards/${encodeURIComponent(boardId)}/export?format=${encodeURIComponent(format)}`;
}

export function ExportMenu() {
  const route = parseRoute(window.location.pathname);
  if (route.screen !== 'board') return null;
  return <BoardExportMenu boardId={route.boardId} />;
}

function BoardExportMenu({ boardId }: { boardId: string }) {
  const [open, setOpen] = useState(false);
  const { making, failure, dismissFailure, make: makeFile } = useMaking();
  const wrapper = useRef<HTMLDivElement>(null);
  const demandImport = useDemandCsvImport(boardId);
  const canEdit = useBoardState(canEditNow);

  useDismiss(
    open,
    useCallback(() => setOpen(false), []),
    wrapper,
  );

  const make = (item: (typeof MADE)[number]) => {
    setOpen(false);
    demandImport.dismiss();
    return makeFile(item, exportUrl(boardId, item.format), `board.${item.format}`);
  };

  const progress = making ?? (demandImport.busy ? 'Importing demand…' : null);
  return (
    <div ref={wrapper} style={{ position: 'relative', display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      {demandImport.fileInput}
      <ExportProgress text={progress} testId="export-progress" />
      <ExportMenuButton open={open} toggle={() => setOpen((was) => !was)} testId="export-menu" />
      {open && (
        <div role="menu" aria-label="Export" style={menuStyle} data-testid="export-menu-items">
          {MADE.map((item) => (
            <MadeItemButton
              key={item.format}
              item={item}
              testId={`export-${item.format}`}
              disabled={making !== null}
              onChoose={() => void make(item)}
            />
          ))}
          <div role="separator" style={separatorStyle} />
          {FILES.map((item) => (
            <MadeItemButton
              key={item.format}
              item={item}
              testId={`export-${item.format}`}
              disabled={making !== null}
              onChoose={() => {
                setOpen(false);
                demandImport.dismiss();
                void makeFile(item, exportUrl(boardId, item.format), item.fallbackName);
              }}
            />
          ))}
          {canEdit && (
            <>
              <div role="separator" style={separatorStyle} />
              <MenuItemButton
                title="Add demand rows from a CSV file with a header line: words, class, count, predictable"
                data-testid="import-demand"
                disabled={demandImport.busy}
                onClick={() => {
                  setOpen(false);
                  dismissFailure();
                  demandImport.choose();
                }}
              >
                Import demand (CSV)…
              </MenuItemButton>
            </>
          )}
        </div>
      )}
      {!open && (failure || demandImport.report) && (
        <div style={popoverStyle} data-testid="export-notice">
          {failure && (
            <div className="paste-report has-errors" role="alert" data-testid="export-error">
              <p>{failure}</p>
              <button type="button" className="button subtle small" onClick={dismissFailure}>
                Dismiss
              </button>
            </div>
          )}
          {demandImport.report && <DemandCsvReportView report={demandImport.report} onDismiss={demandImport.dismiss} />}
        </div>
      )}
    </div>
  );
}
