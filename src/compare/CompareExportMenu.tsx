/**
 * The comparison's "Export ▾": the PDF report, the PNG picture and the JSON,
 * each made by the server (GET /api/compare?format=…) so the button gives the
 * bytes the API and the CLI give, saved under the server's name
 * ("Comparison – <before> to <after> – <date>.pdf") with a progress line
 * while it is made, as the board's Export menu does.
 */
import { useCallback, useRef, useState } from 'react';
import { menuStyle, popoverStyle, useDismiss } from '../ui/menus';
import { ExportMenuButton, ExportProgress, MadeItemButton, useMaking } from '../ui/ExportParts';
import { compareUrl } from '../api/versions';

const ITEMS = [
  {
    format: 'pdf',
    label: 'Comparison report (PDF)',
    hint: 'The measures with their verdicts, the step changes, demand, capability and both maps; prints on A4',
    making: 'Making the PDF report…',
  },
  {
    format: 'png',
    label: 'Picture of the comparison (PNG, 2×)',
    hint: 'Both maps with their marks and the measures table, sharp enough for slides',
    making: 'Making the PNG picture…',
  },
  {
    format: 'results',
    label: 'Results slide (PNG)',
    hint: 'The headline alone — what changed, in large type — on one 16:9 slide for a deck',
    making: 'Making the Results slide…',
  },
  {
    format: 'json',
    label: 'Comparison data (.json)',
    hint: 'Every row of the measures table and the removed, added and changed steps',
    making: 'Saving the comparison data…',
  },
] as const;

export function CompareExportMenu({ before, after }: { before: string; after: string }) {
  const [open, setOpen] = useState(false);
  const { making, failure, dismissFailure, make } = useMaking();
  const wrapper = useRef<HTMLDivElement>(null);
  useDismiss(
    open,
    useCallback(() => setOpen(false), []),
    wrapper,
  );

  return (
    <div ref={wrapper} style={{ position: 'relative', display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      <ExportProgress text={making} testId="compare-export-progress" />
      <ExportMenuButton open={open} toggle={() => setOpen((was) => !was)} testId="compare-export-menu" />
      {open && (
        <div role="menu" aria-label="Export the comparison" style={menuStyle} data-testid="compare-export-items">
          {ITEMS.map((item) => (
            <MadeItemButton
              key={item.format}
              item={item}
              testId={`compare-export-${item.format}`}
              disabled={making !== null}
              onChoose={() => {
                setOpen(false);
                void make(
                  item,
                  compareUrl(before, after, item.format),
                  item.format === 'results' ? 'results.png' : `comparison.${item.format}`,
                );
              }}
            />
          ))}
        </div>
      )}
      {!open && failure && (
        <div style={popoverStyle} data-testid="compare-export-notice">
          <div className="paste-report has-errors" role="alert" data-testid="compare-export-error">
            <p>{failure}</p>
            <button type="button" className="button subtle small" onClick={dismissFailure}>
              Dismiss
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
