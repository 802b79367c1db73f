/**
 * The PDF workshop report: what a facilitator circulates after the workshop.
 * A4 portrait (the map on a landscape page), text in the embedded DejaVu
 * fonts, margins wide enough that it also prints whole on US Letter.
 *
 * Contents, in order: title, date, counting period, the purpose and what
 * matters; every measure with its explanation (the analysis panel's words,
 * src/export/measure-text.ts); the map; the demand table with the Pareto
 * chart; waste by type; the capability chart; system conditions; notes.
 *
 * Everything drawn comes from the board model and its measures, and the
 * PDF's creation date is the date passed in (the board's last change), so
 * the same board gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { WASTE_TYPES, type BoardFile, type BoardFileNode, type Measures } from '../../src/model';
import {
  CONDITION_TYPE_NAMES,
  MEASURE_TEXTS,
  boardPicture,
  capabilityChartSvg,
  capabilitySentence,
  formatCount,
  formatPct,
  measureValueText,
  paretoChartSvg,
  periodPhrase,
  wasteByTypeChartSvg,
  type ChartPicture,
  type MeasureGroup,
} from '../../src/export';
import { DEJAVU_FONTS } from './png';

export interface ReportInput {
  file: BoardFile;
  measures: Measures;
  /** The date the report is of (the board's last change): printed on it and its creation date. */
  date: Date;
}

const REGULAR = 'DejaVu';
const BOLD = 'DejaVu-Bold';
const MARGIN = { top: 50, bottom: 60, left: 56, right: 56 };
const TEXT = '#1e293b';
const MUTED = '#526071';
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

/** The landscape page's room for the map, in points (A4 landscape less margins and the heading). */
const MAP_BOX = { width: 841.89 - 72, height: 595.28 - 36 - 36 - 30 };
/** The smallest scale at which the map's 14 px step labels still print at a readable 6 pt or so. */
const READABLE_SCALE = 0.45;

/**
 * When the whole map fits a page only at a scale too small to read, the
 * vertical strips (slightly overlapping) that each print readably: none when
 * the whole page already reads well.
 */
export function mapParts(width: number, height: number): { x: number; width: number }[] {
  const scale = Math.min(READABLE_SCALE, MAP_BOX.height / height);
  if (Math.min(MAP_BOX.width / width, MAP_BOX.height / height) >= scale * 0.95) return [];
  const count = Math.ceil((width * scale) / MAP_BOX.width);
  const overlap = 60;
  const step = (width - overlap) / count;
  return Array.from({ length: count }, (_, i) => ({ x: Math.round(i * step), width: Math.round(step + overlap) }));
}

/** The same SVG showing only the strip x … x + width (its root size and viewBox changed). */
function cropSvg(svg: string, size: { width: number; height: number }, x: number, width: number): string {
  const root = `width="${size.width}" height="${size.height}" viewBox="0 0 ${size.width} ${size.height}"`;
  if (!svg.includes(root)) throw new Error('The map SVG does not start as boardPicture writes it');
  return svg.replace(root, `width="${width}" height="${size.height}" viewBox="${x} 0 ${width} ${size.height}"`);
}

export function reportPdf(input: ReportInput): Promise<Buffer> {
  const { file, measures, date } = input;
  const day = date.toISOString().slice(0, 10);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    autoFirstPage: false,
    info: {
      Title: `${file.title} – workshop report`,
      Author: 'Purposeboard',
      Subject: 'Purpose map workshop report',
      Creator: 'Purposeboard',
      Producer: 'Purposeboard',
      CreationDate: date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, DEJAVU_FONTS.regular);
  doc.registerFont(BOLD, DEJAVU_FONTS.bold);
  const fontCallback = (_family: string, bold: boolean) => (bold ? BOLD : REGULAR);

  const width = () => doc.page.width - MARGIN.left - MARGIN.right;
  const bottom = () => doc.page.height - MARGIN.bottom;
  const portrait = () => doc.addPage({ size: 'A4', layout: 'portrait', margins: MARGIN });
  /** Starts a new page unless `height` more points fit on this one. */
  const room = (height: number) => {
    if (doc.y + height > bottom()) portrait();
  };
  const heading = (text: string, size = 16) => {
    room(size * 3);
    doc.moveDown(0.6).font(BOLD).fontSize(size).fillColor(TEXT).text(text, MARGIN.left, doc.y, { width: width() });
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, options: { size?: number; colour?: string; bold?: boolean } = {}) => {
    doc
      .font(options.bold ? BOLD : REGULAR)
      .fontSize(options.size ?? 11)
      .fillColor(options.colour ?? TEXT)
      .text(text, MARGIN.left, doc.y, { width: width() });
  };
  const chartHeight = (picture: ChartPicture) => (picture.height * width()) / picture.width;
  const chart = (picture: ChartPicture) => {
    const w = width();
    const h = chartHeight(picture);
    room(h + 10);
    SVGtoPDF(doc, picture.svg, MARGIN.left, doc.y, {
      width: w,
      height: h,
      fontCallback,
      assumePt: true,
      preserveAspectRatio: 'xMinYMin meet',
    });
    doc.y += h + 10;
  };

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
  const map = boardPicture(file, { title: '' });
  const mapPage = (heading: string, svg: string, w: number, h: number) => {
    doc.addPage({ size: 'A4', layout: 'landscape', margins: { top: 36, bottom: 36, left: 36, right: 36 } });
    doc.font(BOLD).fontSize(16).fillColor(TEXT).text(heading, 36, 36);
    const top = doc.y + 6;
    const scale = Math.min((doc.page.width - 72) / w, (doc.page.height - top - 36) / h);
    SVGtoPDF(doc, svg, 36, top, {
      width: w * scale,
      height: h * scale,
      fontCallback,
      assumePt: true,
      preserveAspectRatio: 'xMidYMin meet',
    });
  };
  mapPage('The map', map.svg, map.width, map.height);
  const parts = mapParts(map.width, map.height);
  parts.forEach(({ x, width: w }, index) =>
    mapPage(`The map, part ${index + 1} of ${parts.length}`, cropSvg(map.svg, map, x, w), w, map.height),
  );

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
    const columns = [
      { title: '#', x: 0, w: 22, align: 'right' as const },
      { title: "In the customer's words", x: 30, w: 250, align: 'left' as const },
      { title: 'Class', x: 288, w: 70, align: 'left' as const },
      { title: 'Count', x: 360, w: 55, align: 'right' as const },
      { title: 'Cumulative', x: 420, w: 70, align: 'right' as const },
    ];
    const row = (cells: string[], bold: boolean) => {
      const size = 10;
      doc.font(bold ? BOLD : REGULAR).fontSize(size);
      const h = Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i].w }))) + 4;
      room(h);
      const y = doc.y;
      cells.forEach((cell, i) =>
        doc.fillColor(TEXT).text(cell, MARGIN.left + columns[i].x, y, { width: columns[i].w, align: columns[i].align }),
      );
      doc.y = y + h;
      doc
        .moveTo(MARGIN.left, doc.y - 2)
        .lineTo(MARGIN.left + width(), doc.y - 2)
        .lineWidth(0.5)
        .strokeColor('#cbd5e1')
        .stroke();
    };
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
  const capabilityChart = capabilityChartSvg(file.capability.minutes, file.capability.unit, measures.capability);
  room(chartHeight(capabilityChart) + 80);
  heading('Capability');
  paragraph(capabilitySentence(measures.capability), { size: 10, colour: MUTED });
  doc.moveDown(0.3);
  chart(capabilityChart);

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

  doc.end();
  return done;
}
