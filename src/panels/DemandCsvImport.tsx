/**
 * "Import demand (CSV)": adds the rows of a CSV file (header line: words,
 * class, count, predictable) to the board through the HTTP API. The server
 * adds them to the live board, so they appear for everyone at once; a file
 * with a bad row adds nothing, and the report lists every refused line.
 * Used from the board's Export menu and from the demand table.
 */
import { useRef, useState, type ReactNode } from 'react';
import './dialogs.css';
import { DemandCsvError, importDemandCsv } from '../api/boards';

export interface DemandCsvReport {
  file: string;
  added: number;
  /** The server's words for the first problem, when the file was refused. */
  error: string | null;
  errors: { line: number; message: string }[];
}

/** The largest CSV the server takes (MAX_DEMAND_CSV_BYTES): refused here before it is sent. */
const MAX_CSV_BYTES = 1024 * 1024;

export function useDemandCsvImport(boardId: string) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<DemandCsvReport | null>(null);

  const importFile = async (file: File) => {
    setReport(null);
    if (file.size > MAX_CSV_BYTES) {
      setReport({ file: file.name, added: 0, error: 'The file is larger than 1 MB; nothing was added.', errors: [] });
      return;
    }
    setBusy(true);
    try {
      const { added } = await importDemandCsv(boardId, await file.text());
      setReport({ file: file.name, added, error: null, errors: [] });
    } catch (error) {
      const errors = error instanceof DemandCsvError ? error.errors : [];
      setReport({ file: file.name, added: 0, error: (error as Error).message, errors });
    } finally {
      setBusy(false);
    }
  };

  const fileInput: ReactNode = (
    <input
      ref={input}
      type="file"
      accept=".csv,text/csv,text/plain"
      hidden
      data-testid="import-demand-input"
      onChange={(event) => {
        const file = event.target.files?.[0];
        event.target.value = '';
        if (file) void importFile(file);
      }}
    />
  );
  return { fileInput, choose: () => input.current?.click(), busy, report, dismiss: () => setReport(null) };
}

export function DemandCsvReportView({ report, onDismiss }: { report: DemandCsvReport; onDismiss: () => void }) {
  const refused = report.error !== null;
  return (
    <div
      className={`paste-report${refused ? ' has-errors' : ''}`}
      role={refused ? 'alert' : 'status'}
      data-testid="import-demand-report"
    >
      <p>
        {refused
          ? `“${report.file}” was not imported, nothing was added: ${report.errors.length > 1 ? `${report.errors.length} rows have a problem. Correct them and import the file again.` : (report.errors[0]?.message ?? report.error)}`
          : `Added ${report.added === 1 ? '1 demand row' : `${report.added} demand rows`} from “${report.file}”.`}
      </p>
      {report.errors.length > 1 && (
        <ul className="error-list" data-testid="import-demand-errors">
          {report.errors.map((error) => (
            <li key={`${error.line}:${error.message}`}>{error.message}</li>
          ))}
        </ul>
      )}
      <button type="button" className="button subtle small" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
