/**
 * The before/after comparison as a PDF report (A4, the maps on landscape
 * pages), laid out as the workshop report is (pdf-layout.ts) and said in the
 * comparison view's words (src/export/compare-text.ts).
 *
 * Contents, in order: title, the two sides and the date; the headline (the
 * four to six largest changes, in words); the measures table; the results
 * (outcome measures)
 * with each verdict in a word and a colour; how the steps were matched; the
 * steps removed, added and changed, with each change; the demand comparison;
 * the two capability charts on one scale; the before map and the after map
 * with their marks, each on its own landscape page.
 *
 * Everything comes from the comparison (compareBoards) and the two boards'
 * files; the date is the later of the two sides' last change, so the same
 * comparison gives the same bytes.
 */
import { UNIT_MINUTES, type BoardFile, type CapabilitySide, type Comparison } from '../../src/model';
import {
  MATCHED_BY_LABEL_NOTE,
  NOTE_COLOUR,
  VERDICT_COLOURS,
  capabilityChartSvg,
  comparisonMaps,
  describeChange,
  formatChange,
  formatChangePct,
  formatCount,
  formatOutcomeChange,
  formatOutcomeValue,
  formatPct,
  formatValue,
  headlineText,
  sideName,
  verdictText,
} from '../../src/export';
import { BOLD, MARGIN, MUTED, REGULAR, TEXT, startPdf, type TableColumn } from './pdf-layout';

export interface CompareReportInput {
  comparison: Comparison;
  before: BoardFile;
  after: BoardFile;
  /** The later of the two sides' last change: printed on the report and its creation date. */
  date: Date;
}

const MEASURE_COLUMNS: TableColumn[] = [
  { title: 'Measure', x: 0, w: 150, align: 'left' },
  { title: 'Before', x: 152, w: 62, align: 'right' },
  { title: 'After', x: 218, w: 62, align: 'right' },
  { title: 'Change', x: 284, w: 86, align: 'right' },
  { title: 'Change %', x: 372, w: 56, align: 'right' },
  { title: 'Verdict', x: 434, w: 49, align: 'left' },
];
const DEMAND_COLUMNS: TableColumn[] = [
  { title: "In the customer's words", x: 0, w: 243, align: 'left' },
  { title: 'Before', x: 250, w: 110, align: 'right' },
  { title: 'After', x: 370, w: 113, align: 'right' },
];

function demandCell(side: { count: number; demandClass: 'value' | 'failure' } | null): string {
  if (side === null) return '—';
  return `${formatCount(side.count)} ${side.demandClass === 'failure' ? '⚠ failure' : '✓ value'}`;
}

function stepLine(step: { label: string; lane: string | null }): string {
  return `${step.label || '(no name)'}${step.lane ? ` · ${step.lane}` : ''}`;
}

/** A side's capability as the chart draws it: minutes, null without two end-to-end times. */
function chartOf(side: CapabilitySide, unit: Comparison['capability']['unit']) {
  const minutes = side.series.map((v) => v * UNIT_MINUTES[unit]);
  const capability =
    side.mean === null || side.upper === null || side.lower === null
      ? null
      : {
          mean: side.mean * UNIT_MINUTES[unit],
          upper: side.upper * UNIT_MINUTES[unit],
          lower: side.lower * UNIT_MINUTES[unit],
        };
  return { minutes, capability };
}

export function compareReportPdf(input: CompareReportInput): Promise<Buffer> {
  const { comparison, date } = input;
  const day = date.toISOString().slice(0, 10);
  const pdf = startPdf({
    title: `Comparison – ${comparison.before.title} to ${comparison.after.title}`,
    subject: 'Purpose map before/after comparison',
    date,
  });
  const { doc, portrait, room, heading, paragraph, row } = pdf;

  // ------------------------------------------------ title, the two sides
  portrait();
  doc.font(BOLD).fontSize(24).fillColor(TEXT).text('Before → After', { width: pdf.width() });
  doc.moveDown(0.2);
  paragraph(`Comparison report · ${day}`, { size: 12, colour: MUTED });
  doc.moveDown(0.6);
  paragraph('Before', { size: 10, bold: true, colour: MUTED });
  paragraph(sideName(comparison.before), { size: 13, bold: true });
  doc.moveDown(0.3);
  paragraph('After', { size: 10, bold: true, colour: MUTED });
  paragraph(sideName(comparison.after), { size: 13, bold: true });
  if (comparison.matchedBy === 'label') {
    doc.moveDown(0.5);
    paragraph(MATCHED_BY_LABEL_NOTE, { size: 11, bold: true, colour: NOTE_COLOUR });
  }

  // ------------------------------------------------ the headline
  heading('The largest changes');
  if (comparison.headline.length === 0) {
    paragraph('No measure changed that both sides have the data for.', { size: 11, colour: MUTED });
  }
  for (const item of comparison.headline) {
    doc.moveDown(0.15);
    doc
      .font(BOLD)
      .fontSize(13)
      .fillColor(VERDICT_COLOURS[item.verdict])
      .text(`${verdictText(item.verdict).slice(0, 1)} `, { continued: true })
      .fillColor(TEXT)
      .text(headlineText(item), { width: pdf.width() });
  }

  // ------------------------------------------------ the measures
  heading('The measures');
  paragraph(
    'Improvements and deteriorations by each measure’s own direction. “—” means a side lacks the data; a change of a percentage is in percentage points.',
    { size: 9, colour: MUTED },
  );
  doc.moveDown(0.4);
  row(
    MEASURE_COLUMNS,
    MEASURE_COLUMNS.map((c) => c.title),
    { bold: true },
  );
  for (const m of comparison.measures) {
    const colour = VERDICT_COLOURS[m.verdict];
    row(
      MEASURE_COLUMNS,
      [
        m.label,
        formatValue(m.unit, m.before),
        formatValue(m.unit, m.after),
        formatChange(m.unit, m.change),
        formatChangePct(m.changePct),
        verdictText(m.verdict),
      ],
      { colours: [TEXT, TEXT, TEXT, TEXT, TEXT, colour] },
    );
  }

  // ------------------------------------------------ the results (outcome measures)
  heading('The results');
  if (comparison.outcomes.length === 0) {
    paragraph('Neither board has results (outcome measures).', { size: 10, colour: MUTED });
  } else {
    paragraph('Outcome measures of the whole system, matched by name; a series is compared by its average.', {
      size: 9,
      colour: MUTED,
    });
    doc.moveDown(0.4);
    row(MEASURE_COLUMNS, ['Result', ...MEASURE_COLUMNS.slice(1).map((c) => c.title)], { bold: true });
    for (const o of comparison.outcomes) {
      if (o.problem) {
        paragraph(o.problem, { size: 10, colour: VERDICT_COLOURS.worse });
        continue;
      }
      row(
        MEASURE_COLUMNS,
        [
          o.label,
          formatOutcomeValue(o.unit, o.before),
          formatOutcomeValue(o.unit, o.after),
          formatOutcomeChange(o.unit, o.change),
          formatChangePct(o.changePct),
          verdictText(o.verdict),
        ],
        { colours: [TEXT, TEXT, TEXT, TEXT, TEXT, VERDICT_COLOURS[o.verdict]] },
      );
    }
  }

  // ------------------------------------------------ the steps
  const { removed, added, changed, unchanged } = comparison.steps;
  heading('The steps');
  paragraph(
    `${removed.length} removed, ${added.length} added, ${changed.length} changed, ${unchanged} unchanged. ${
      comparison.matchedBy === 'label'
        ? 'Steps matched by identical labels.'
        : comparison.matchedBy === 'id-and-label'
          ? 'Steps matched by id, then by identical labels.'
          : 'Steps matched by id.'
    }`,
    { size: 10, colour: MUTED },
  );
  const list = (title: string, lines: string[]) => {
    room(40);
    doc.moveDown(0.4);
    paragraph(title, { size: 12, bold: true });
    if (lines.length === 0) {
      paragraph('None.', { size: 10, colour: MUTED });
      return;
    }
    doc
      .font(REGULAR)
      .fontSize(10)
      .fillColor(TEXT)
      .list(lines, MARGIN.left + 6, doc.y, { width: pdf.width() - 6, bulletRadius: 2, paragraphGap: 2 });
  };
  list('Removed (marked on the before map)', removed.map(stepLine));
  list('Added (marked on the after map)', added.map(stepLine));
  room(40);
  doc.moveDown(0.4);
  paragraph('Changed (marked on both maps)', { size: 12, bold: true });
  if (changed.length === 0) paragraph('None.', { size: 10, colour: MUTED });
  for (const step of changed) {
    room(30);
    doc.moveDown(0.2);
    paragraph(`${step.label || '(no name)'}${step.matchedBy === 'label' ? ' (matched by its label)' : ''}`, {
      size: 10,
      bold: true,
    });
    for (const change of step.changes) paragraph(`    ${describeChange(change)}`, { size: 10 });
  }

  // ------------------------------------------------ demand
  const { demand } = comparison;
  heading('Demand');
  paragraph(
    `Failure demand: ${formatPct(demand.failurePctBefore)} before, ${formatPct(demand.failurePctAfter)} after.`,
    {
      size: 11,
    },
  );
  if (comparison.study) {
    // The demand studies (issue 14): figures only, in the section's own style.
    const { before: b, after: a } = comparison.study;
    const perWeek = (f: typeof b) => (f ? `${formatCount(Math.round(f.entriesPerWeek))} a week` : '—');
    paragraph(
      `Demand study: failure demand ${formatPct(b?.failureDemandPct)} before, ${formatPct(a?.failureDemandPct)} after; Perfect (value demand handled in one stop) ${formatPct(b?.perfectPct)} before, ${formatPct(a?.perfectPct)} after; entries ${perWeek(b)} before, ${perWeek(a)} after.`,
      { size: 11 },
    );
  }
  paragraph('Demand types are matched by the customer’s words.', { size: 9, colour: MUTED });
  doc.moveDown(0.4);
  if (demand.types.length === 0) paragraph('No demand counted on either board.', { colour: MUTED });
  else {
    row(
      DEMAND_COLUMNS,
      DEMAND_COLUMNS.map((c) => c.title),
      { bold: true },
    );
    for (const type of demand.types) {
      row(DEMAND_COLUMNS, [`“${type.words}”`, demandCell(type.before), demandCell(type.after)]);
    }
  }

  // ------------------------------------------------ capability, one scale
  const { capability } = comparison;
  const scaleTop = capability.scale.max * UNIT_MINUTES[capability.unit];
  const before = chartOf(capability.before, capability.unit);
  const after = chartOf(capability.after, capability.unit);
  const charts = [
    ['Before', capabilityChartSvg(before.minutes, capability.unit, before.capability, 640, scaleTop)],
    ['After', capabilityChartSvg(after.minutes, capability.unit, after.capability, 640, scaleTop)],
  ] as const;
  room(pdf.chartHeight(charts[0][1]) + 90);
  heading('Capability');
  paragraph('End-to-end times with their mean and limits; both charts on one scale.', { size: 9, colour: MUTED });
  for (const [name, chart] of charts) {
    room(pdf.chartHeight(chart) + 30);
    doc.moveDown(0.4);
    paragraph(name, { size: 12, bold: true });
    pdf.chart(chart);
  }

  // ------------------------------------------------ the two maps with their marks
  const maps = comparisonMaps(comparison, input.before, input.after, true);
  pdf.map(`Before: ${sideName(comparison.before)}`, maps.before);
  pdf.map(`After: ${sideName(comparison.after)}`, maps.after);

  return pdf.finish();
}
