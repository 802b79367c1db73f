/**
 * The PDF workshop report: what a facilitator circulates after the workshop.
 * A4 portrait (the map on a landscape page), text in the embedded DejaVu
 * fonts, margins wide enough that it also prints whole on US Letter.
 *
 * Contents, in order: title, date, counting period, the purpose and what
 * matters; every measure with its explanation (the analysis panel's words,
 * src/export/measure-text.ts); the map; the demand table with the Pareto
 * chart; the demand study's pages (report-study.ts), when there is one; waste by type; the capability chart; the results (outcome measures); system conditions; notes.
 *
 * Everything drawn comes from the board model and its measures, and the
 * PDF's creation date is the date passed in (the board's last change), so
 * the same board gives the same bytes.
 */
import {
  CONDITION_TYPE_NAMES,
  WASTE_TYPES,
  outcomeFigure,
  type BoardFile,
  type BoardFileNode,
  type Measures,
} from '../../src/model';
import {
  MEASURE_TEXTS,
  boardPicture,
  capabilityChartSvg,
  processChartSvg,
  capabilitySentence,
  formatCount,
  formatOutcomeValue,
  formatPct,
  measureValueText,
  paretoChartSvg,
  periodPhrase,
  wasteByTypeChartSvg,
  type MeasureGroup,
} from '../../src/export';
import { BOLD, MARGIN, MUTED, REGULAR, TEXT, startPdf, type TableColumn } from './pdf-layout';
import { VOTE_KIND_NAMES, voteRecordTitle } from '../../src/protocol';
import type { RoomData } from './exports';
import { studyPages } from './report-study';

export { mapParts } from './pdf-layout';

export interface ReportInput {
  file: BoardFile;
  measures: Measures;
  /** The date the report is of (the board's last change): printed on it and its creation date. */
  date: Date;
  /** The board's revealed votes and its comments (issue 15); none when left out. */
  room?: RoomData;
}

const GROUP_TITLES: Record<MeasureGroup, string> = { demand: 'Demand', flow: 'Flow', capability: 'Capability' };

type Node<K extends BoardFileNode['kind']> = Extract<BoardFileNode, { kind: K }>;

function nodesOf<K extends BoardFileNode['kind']>(file: BoardFile, kind: K): Node<K>[] {
  return file.nodes.filter((node): node is Node<K> => node.kind === kind);
}

/** Nodes in the order a reader meets them on the map: top to bottom, then left to right, then id. */
function inReadingOrder<T extends BoardFileNode>(nodes: T[]): T[] {
  return [...nodes].sort(
    (a, b) => a.position.y - b.position.y || a.position.x - b.position.x || (a.id < b.id ? -1 : 1),
  );
}

export function reportPdf(input: ReportInput): Promise<Buffer> {
  const { file, measures, date } = input;
  const day = date.toISOString().slice(0, 10);
  const pdf = startPdf({ title: `${file.title} – workshop report`, subject: 'Purpose map workshop report', date });
  const { doc, width, portrait, room, heading, paragraph, chartHeight, chart } = pdf;

  // ------------------------------------------------ title, purpose
  portrait();
  doc.font(BOLD).fontSize(24).fillColor(TEXT).text(file.title, { width: width() });
  doc.moveDown(0.2);
  paragraph(`Workshop report · ${day}`, { size: 12, colour: MUTED });
  paragraph(periodPhrase(file.period), { size: 12, colour: MUTED });
  heading('Purpose');
  const purposes = inReadingOrder(nodesOf(file, 'purpose'));
  if (purposes.length === 0) paragraph('No purpose written on the board yet.', { colour: MUTED });
  for (const purpose of purposes) {
    paragraph(purpose.statement, { size: 14, bold: true });
    if (purpose.whatMatters.length > 0) {
      doc.moveDown(0.3);
      paragraph('What matters', { size: 11, bold: true, colour: MUTED });
      doc
        .font(REGULAR)
        .fontSize(11)
        .fillColor(TEXT)
        .list([...purpose.whatMatters], MARGIN.left + 6, doc.y, { width: width() - 6, bulletRadius: 2 });
    }
    doc.moveDown(0.5);
  }

  // ------------------------------------------------ the measures
  heading('The measures');
  paragraph('Each measure with how it is worked out. “—” means a figure the board does not hold yet.', {
    size: 9,
    colour: MUTED,
  });
  for (const group of ['demand', 'flow', 'capability'] as const) {
    room(60);
    doc.moveDown(0.5);
    paragraph(GROUP_TITLES[group], { size: 12, bold: true });
    doc.moveDown(0.2);
    for (const text of MEASURE_TEXTS.filter((m) => m.group === group)) {
      room(34);
      const y = doc.y;
      const value = measureValueText(measures, text.key);
      doc.font(BOLD).fontSize(11).fillColor(TEXT).text(value, MARGIN.left, y, { width: width(), align: 'right' });
      doc
        .font(BOLD)
        .fontSize(11)
        .text(text.label, MARGIN.left, y, { width: width() - 110 });
      doc
        .font(REGULAR)
        .fontSize(9)
        .fillColor(MUTED)
        .text(text.explanation, MARGIN.left, doc.y, { width: width() - 110 });
      doc.moveDown(0.35);
    }
    if (group === 'capability') paragraph(capabilitySentence(measures.capability), { size: 10 });
  }

  // ------------------------------------------------ the map: whole on a landscape page, then in readable parts
  pdf.map('The map', boardPicture(file, { title: '' }));

  // ------------------------------------------------ demand
  portrait();
  doc.font(BOLD).fontSize(16).fillColor(TEXT).text('Demand', MARGIN.left, MARGIN.top);
  doc.moveDown(0.3);
  paragraph(
    `${periodPhrase(file.period)}. Total ${formatCount(measures.totalDemand)}; failure demand ${formatPct(measures.failureDemandPct)}; predictable ${formatPct(measures.predictablePct)}.`,
    { size: 10, colour: MUTED },
  );
  doc.moveDown(0.5);
  if (measures.pareto.length === 0) paragraph('No demand counted yet.', { colour: MUTED });
  else {
    const columns: TableColumn[] = [
      { title: '#', x: 0, w: 22, align: 'right' },
      { title: "In the customer's words", x: 30, w: 250, align: 'left' },
      { title: 'Class', x: 288, w: 70, align: 'left' },
      { title: 'Count', x: 360, w: 55, align: 'right' },
      { title: 'Cumulative', x: 420, w: 70, align: 'right' },
    ];
    const row = (cells: string[], bold: boolean) => pdf.row(columns, cells, { bold });
    row(
      columns.map((c) => c.title),
      true,
    );
    measures.pareto.forEach((r, i) =>
      row(
        [
          String(i + 1),
          r.words,
          r.class === 'failure' ? '⚠ failure' : '✓ value',
          formatCount(r.count),
          formatPct(r.cumulativePct),
        ],
        false,
      ),
    );
    doc.moveDown(0.8);
    chart(paretoChartSvg(measures.pareto));
  }

  // ------------------------------------------------ the demand study (issue 14), when the board has one
  if (input.room?.study) studyPages(pdf, input.room.study, day);

  // ------------------------------------------------ waste, capability
  const waste = wasteByTypeChartSvg(measures.wasteByType);
  room(chartHeight(waste) + 80);
  heading('Waste by type');
  paragraph(
    `${formatCount(measures.wasteSteps)} of ${formatCount(measures.steps)} steps are waste; ${WASTE_TYPES.filter((t) => measures.wasteByType[t] > 0).length} kinds of waste.`,
    { size: 10, colour: MUTED },
  );
  doc.moveDown(0.3);
  chart(waste);
  const capabilityChart = capabilityChartSvg(
    file.capability.minutes,
    file.capability.unit,
    measures.capability,
    640,
    0,
    file.capability.limitsFrom ?? null,
  );
  room(chartHeight(capabilityChart) + 80);
  heading('Capability');
  paragraph(capabilitySentence(measures.capability), { size: 10, colour: MUTED });
  doc.moveDown(0.3);
  chart(capabilityChart);

  // ------------------------------------------------ results (outcome measures)
  heading('Results');
  if (file.outcomes.length === 0) paragraph('No results (outcome measures) on the board.', { colour: MUTED });
  for (const outcome of file.outcomes) {
    room(40);
    const series = outcome.points.length > 1;
    const dated = outcome.points.filter((p) => p.date !== null).map((p) => p.date as string);
    paragraph(`${outcome.name}: ${formatOutcomeValue(outcome.unit, outcomeFigure(outcome))}`, { size: 11, bold: true });
    paragraph(
      `${outcome.direction === 'lower-is-better' ? 'Lower is better' : 'Higher is better'}.${
        series ? ` The average of ${outcome.points.length} values` : ''
      }${dated.length > 1 ? `, ${dated[0]} to ${dated[dated.length - 1]}` : ''}${series ? '.' : ''}`,
      { size: 10, colour: MUTED },
    );
    if (series) {
      // A series gets its own process-behaviour chart, with its signals named, as the capability data does.
      const picture = processChartSvg({
        values: outcome.points.map((p) => p.value),
        format: (value) => formatOutcomeValue(outcome.unit, value),
        title: `${outcome.name}: values, mean and limits`,
        caption: `${outcome.points.length} values, oldest first`,
        pointName: 'point',
      });
      room(chartHeight(picture) + 10);
      chart(picture);
    }
  }

  // ------------------------------------------------ system conditions, notes
  heading('System conditions');
  const conditions = inReadingOrder(nodesOf(file, 'condition'));
  if (conditions.length === 0) paragraph('No system conditions on the board.', { colour: MUTED });
  const nameOf = new Map(
    file.nodes.map((node) => [
      node.id,
      node.kind === 'demand'
        ? `“${node.words}”`
        : node.kind === 'purpose'
          ? node.statement
          : node.kind === 'note'
            ? node.text
            : node.label,
    ]),
  );
  for (const condition of conditions) {
    room(40);
    paragraph(`${condition.label}`, { bold: true });
    const causes = file.edges
      .filter((edge) => edge.kind === 'causes' && edge.source === condition.id)
      .map((edge) => nameOf.get(edge.target) ?? '')
      .filter(Boolean);
    paragraph(
      `${CONDITION_TYPE_NAMES[condition.conditionType]}${causes.length > 0 ? ` · causes: ${causes.join('; ')}` : ''}`,
      { size: 9, colour: MUTED },
    );
    doc.moveDown(0.4);
  }
  heading('Notes');
  const notes = inReadingOrder(nodesOf(file, 'note')).filter((note) => note.text.trim() !== '');
  if (notes.length === 0) paragraph('No notes on the board.', { colour: MUTED });
  if (notes.length > 0) {
    doc
      .font(REGULAR)
      .fontSize(10)
      .fillColor(TEXT)
      .list(
        notes.map((note) => note.text),
        MARGIN.left + 6,
        doc.y,
        { width: width() - 6, bulletRadius: 2, paragraphGap: 4 },
      );
  }

  // ------------------------------------------------ votes, then the comments appendix
  const votes = input.room?.votes ?? [];
  if (votes.length > 0) {
    heading('Votes');
    for (const vote of votes) {
      room(50);
      paragraph(voteRecordTitle(vote), { size: 12, bold: true });
      paragraph(
        `${vote.voters} ${vote.voters === 1 ? 'person' : 'people'} voted on ${VOTE_KIND_NAMES[vote.kind]}, ${vote.dotsPerPerson} ${vote.dotsPerPerson === 1 ? 'dot' : 'dots'} each.`,
        { size: 9, colour: MUTED },
      );
      if (vote.results.length === 0) paragraph('No dots were placed.', { colour: MUTED });
      for (const result of vote.results) {
        room(16);
        paragraph(`${result.rank}. ${result.label} — ${result.dots} ${result.dots === 1 ? 'dot' : 'dots'}`, {
          size: 10,
        });
      }
      doc.moveDown(0.4);
    }
  }
  const comments = input.room?.comments ?? [];
  if (comments.length > 0) {
    heading('Appendix: comments');
    const labels = new Map(file.nodes.map((node) => [node.id, cardWords(node)]));
    const threads = comments.filter((c) => c.threadId === null);
    for (const thread of threads) {
      room(50);
      const card = labels.get(thread.cardId);
      const status = thread.resolvedAt !== null ? ` · resolved by ${thread.resolvedBy ?? 'someone'}` : ' · open';
      paragraph(`${card ?? 'A deleted card (comment kept)'}${status}`, { size: 11, bold: true });
      for (const comment of [thread, ...comments.filter((c) => c.threadId === thread.id)]) {
        room(24);
        paragraph(`${comment.author}, ${new Date(comment.createdAt).toISOString().slice(0, 16).replace('T', ' ')}`, {
          size: 8,
          colour: MUTED,
        });
        paragraph(comment.text, { size: 10 });
      }
      doc.moveDown(0.4);
    }
  }

  return pdf.finish();
}

/** A card's words, whatever its kind. */
function cardWords(node: BoardFileNode): string {
  switch (node.kind) {
    case 'note':
      return node.text;
    case 'demand':
      return node.words;
    case 'purpose':
      return node.statement;
    default:
      return node.label;
  }
}
