/**
 * A chart's figures as a table, behind a "Show as table" button (issue 16):
 * the text alternative a screen-reader user can move through cell by cell,
 * and a sighted person can read exact values from. The chart itself keeps a
 * one-sentence summary as its aria-label.
 */
import { useId, useState } from 'react';
import './charts.css';

export interface ChartTableProps {
  /** What the table lists, as its caption ("End-to-end times, oldest first"). */
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
  testId: string;
}

export function ChartTable({ caption, columns, rows, testId }: ChartTableProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="chart-table-area">
      <button
        type="button"
        className="chart-table-toggle"
        aria-expanded={open}
        aria-controls={id}
        data-testid={`${testId}-toggle`}
        onClick={() => setOpen((was) => !was)}
      >
        {open ? 'Hide the table' : 'Show as table'}
      </button>
      {open && (
        // Focusable so that a long table scrolls by keyboard too.
        <div className="chart-table-scroll" id={id} tabIndex={0} role="region" aria-label={caption}>
          <table className="chart-table" data-testid={testId}>
            <caption>{caption}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={j}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
