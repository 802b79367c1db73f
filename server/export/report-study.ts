/**
 * The demand study's pages of the PDF report (issue 14): the figures, demand
 * over time, Perfect %, the failure flow, causes ranked, what matters, the
 * contact-method and point-of-transaction splits, and collection coverage.
 * All of it from `summarizeStudy` (the same figures as the analysis panel
 * and the XLSX summary), for the whole study, with the report's day as
 * "today" so the same study gives the same pages.
 */
import { summarizeStudy, type BoardFileStudy, type StudyEntry } from '../../src/model';
import { formatCount, formatPct } from '../../src/export';
import { studyOverTimeSvg } from '../../src/export/study-charts';
import { failureFlowTable } from '../../src/export/study-xlsx';
import { MUTED, type TableColumn, type startPdf } from './pdf-layout';

type Pdf = ReturnType<typeof startPdf>;

/** At most this many rows of a ranked list; the rest are summed in a last row. */
const MAX_ROWS = 12;
const MAX_NOTES = 8;

export function studyPages(pdf: Pdf, study: BoardFileStudy, day: string): void {
  const { doc, heading, paragraph, chart, room, row } = pdf;
  const entries: StudyEntry[] = study.entries.map((e) => ({ createdAt: 0, updatedAt: 0, by: '', ...e }));
  const { settings } = study;
  const summary = summarizeStudy(settings, entries, { today: day < settings.end ? day : settings.end });
  const table = (columns: TableColumn[], rows: string[][]) => {
    row(
      columns,
      columns.map((c) => c.title),
      { bold: true },
    );
    for (const cells of rows) row(columns, cells);
    doc.moveDown(0.6);
  };
  const ranked = (title: string, items: { name: string; count: number }[], empty: string) => {
    room(80);
    paragraph(title, { size: 12, bold: true });
    if (items.length === 0) return paragraph(empty, { size: 10, colour: MUTED });
    const total = items.reduce((sum, i) => sum + i.count, 0);
    const shown = items
      .slice(0, MAX_ROWS)
      .map((i) => [i.name, formatCount(i.count), formatPct((i.count / total) * 100)]);
    const rest = items.slice(MAX_ROWS).reduce((sum, i) => sum + i.count, 0);
    if (rest > 0) shown.push([`${items.length - MAX_ROWS} more`, formatCount(rest), formatPct((rest / total) * 100)]);
    table(
      [
        { title: title.replace(/,.*$/, ''), x: 0, w: 330, align: 'left' },
        { title: 'Entries', x: 340, w: 70, align: 'right' },
        { title: 'Share', x: 420, w: 70, align: 'right' },
      ],
      shown,
    );
  };

  pdf.portrait();
  heading('Demand study');
  paragraph(
    `${settings.start} to ${settings.end} · ${formatCount(summary.total)} entries written down by ${new Set(entries.map((e) => e.collector)).size} collectors, in the customers' own words.`,
    { size: 10, colour: MUTED },
  );
  doc.moveDown(0.4);
  paragraph(`Failure demand: ${formatPct(summary.failureDemandPct)} of the classified entries`, { bold: true });
  paragraph(
    `${formatCount(summary.value)} value, ${formatCount(summary.failure)} failure, ${formatCount(summary.unsure)} not yet classified.`,
    { size: 10, colour: MUTED },
  );
  paragraph(`Perfect: ${formatPct(summary.perfectPct)} of value demand handled in one stop`, { bold: true });
  doc.moveDown(0.4);
  chart(studyOverTimeSvg(summary.overTime));

  room(120);
  paragraph('Demand by type', { size: 12, bold: true });
  const predictable = new Map(summary.predictable.map((p) => [p.type, p]));
  table(
    [
      { title: 'Type', x: 0, w: 230, align: 'left' },
      { title: 'Class', x: 236, w: 60, align: 'left' },
      { title: 'Entries', x: 300, w: 55, align: 'right' },
      { title: 'Predictable', x: 362, w: 128, align: 'left' },
    ],
    [...summary.byType]
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1))
      .map((t) => {
        const p = predictable.get(t.type);
        return [
          t.name,
          t.class === 'failure' ? '⚠ failure' : '✓ value',
          formatCount(t.count),
          p ? (p.predictable ? 'yes, within limits' : 'no') : '—',
        ];
      }),
  );

  // The failure flow: which value demand produces which failure demand.
  const flow = failureFlowTable(settings, summary);
  room(120);
  paragraph('Failure flow: which value demand produces which failure demand', { size: 12, bold: true });
  const links = flow.rows
    .flatMap((from, i) => flow.columns.map((to, j) => ({ from, to, count: flow.cells[i][j] })))
    .filter((f) => f.count > 0)
    .sort((a, b) => b.count - a.count);
  if (links.length === 0) paragraph('No failure demand is linked to a value demand yet.', { size: 10, colour: MUTED });
  else
    table(
      [
        { title: 'Value demand', x: 0, w: 200, align: 'left' },
        { title: 'Failure demand it produced', x: 206, w: 220, align: 'left' },
        { title: 'Entries', x: 430, w: 60, align: 'right' },
      ],
      [
        ...links.slice(0, MAX_ROWS).map((f) => [f.from, f.to, formatCount(f.count)]),
        ...(flow.unlinked.some((n) => n > 0)
          ? [['(not linked yet)', 'any', formatCount(flow.unlinked.reduce((s, n) => s + n, 0))]]
          : []),
      ],
    );

  ranked(
    'Failure causes, ranked',
    summary.causes.map((c) => ({ name: c.cause, count: c.count })),
    'No causes recorded yet.',
  );
  ranked(
    'What matters, by category',
    summary.whatMatters.categories.map((c) => ({ name: c.category, count: c.count })),
    'Nothing recorded of what matters yet.',
  );
  if (summary.whatMatters.notes.length > 0) {
    room(60);
    paragraph('What matters, in their words', { size: 11, bold: true });
    for (const note of summary.whatMatters.notes.slice(0, MAX_NOTES)) {
      room(16);
      paragraph(`“${note.note}”${note.category ? ` (${note.category})` : ''}`, { size: 10 });
    }
    doc.moveDown(0.6);
  }
  ranked('Contact methods', summary.contactMethods, 'No contact methods recorded.');
  if (summary.points.length > 0) ranked('Points of transaction', summary.points, '');

  // Coverage: who collected on how many days, so a gap shows.
  room(100);
  paragraph('Collection coverage', { size: 12, bold: true });
  const days = [...new Set(summary.coverage.map((c) => c.day))].sort();
  const byCollector = new Map<string, { entries: number; days: number; last: string }>();
  for (const c of summary.coverage) {
    const seen = byCollector.get(c.collector) ?? { entries: 0, days: 0, last: '' };
    seen.entries += c.count;
    seen.days += 1;
    if (c.day > seen.last) seen.last = c.day;
    byCollector.set(c.collector, seen);
  }
  paragraph(`Entries were written on ${days.length} days.`, { size: 10, colour: MUTED });
  table(
    [
      { title: 'Collector', x: 0, w: 200, align: 'left' },
      { title: 'Entries', x: 206, w: 70, align: 'right' },
      { title: 'Days collecting', x: 282, w: 100, align: 'right' },
      { title: 'Last day', x: 392, w: 98, align: 'right' },
    ],
    [...byCollector].map(([collector, c]) => [
      collector,
      formatCount(c.entries),
      `${c.days} of ${days.length}`,
      c.last,
    ]),
  );
}
