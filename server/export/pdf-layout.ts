/**
 * The page layout both PDF reports share (the workshop report, report-pdf.ts,
 * and the before/after comparison, compare-report.ts): A4 with margins wide
 * enough to print whole on US Letter, the embedded DejaVu fonts, headings and
 * paragraphs that start a new page rather than split, tables, charts (SVG,
 * drawn by svg-to-pdfkit) and maps each on a landscape page, in readable
 * overlapping parts when the whole is too small to read.
 *
 * The PDF's creation date is the date given, never the clock, so the same
 * input gives the same bytes.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ChartPicture } from '../../src/export';
import { DEJAVU_FONTS } from './png';

export const REGULAR = 'DejaVu';
export const BOLD = 'DejaVu-Bold';
export const MARGIN = { top: 50, bottom: 60, left: 56, right: 56 };
export const TEXT = '#1e293b';
export const MUTED = '#526071';
const RULE = '#cbd5e1';

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

export interface TableColumn {
  title: string;
  /** From the left margin, in points. */
  x: number;
  w: number;
  align: 'left' | 'right';
}

export interface PdfInfo {
  title: string;
  subject: string;
  /** Printed as the report's date by the caller, and the PDF's creation date. */
  date: Date;
}

/** A new PDF with the shared layout; `finish()` ends it and resolves to its bytes. */
export function startPdf(info: PdfInfo) {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    autoFirstPage: false,
    info: {
      Title: info.title,
      Author: 'Purposeboard',
      Subject: info.subject,
      Creator: 'Purposeboard',
      Producer: 'Purposeboard',
      CreationDate: info.date,
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
  const chartHeight = (picture: ChartPicture, w = width()) => (picture.height * w) / picture.width;
  /** A chart the page's width (or `w`) across, at x from the left margin. */
  const chart = (picture: ChartPicture, options: { w?: number; x?: number; advance?: boolean } = {}) => {
    const w = options.w ?? width();
    const h = chartHeight(picture, w);
    room(h + 10);
    SVGtoPDF(doc, picture.svg, MARGIN.left + (options.x ?? 0), doc.y, {
      width: w,
      height: h,
      fontCallback,
      assumePt: true,
      preserveAspectRatio: 'xMinYMin meet',
    });
    if (options.advance !== false) doc.y += h + 10;
  };
  /** One table row: cells in their columns, a rule under it; a new page first when it does not fit. */
  const row = (
    columns: readonly TableColumn[],
    cells: string[],
    options: { bold?: boolean; colours?: string[] } = {},
  ) => {
    const size = 10;
    doc.font(options.bold ? BOLD : REGULAR).fontSize(size);
    const h = Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i].w }))) + 4;
    room(h);
    const y = doc.y;
    cells.forEach((cell, i) =>
      doc
        .fillColor(options.colours?.[i] ?? TEXT)
        .text(cell, MARGIN.left + columns[i].x, y, { width: columns[i].w, align: columns[i].align }),
    );
    doc.y = y + h;
    doc
      .moveTo(MARGIN.left, doc.y - 2)
      .lineTo(MARGIN.left + width(), doc.y - 2)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  };
  const mapPage = (title: string, svg: string, w: number, h: number) => {
    doc.addPage({ size: 'A4', layout: 'landscape', margins: { top: 36, bottom: 36, left: 36, right: 36 } });
    doc.font(BOLD).fontSize(16).fillColor(TEXT).text(title, 36, 36);
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
  /** The map whole on a landscape page, then in readable parts when the whole is too small to read. */
  const map = (title: string, picture: ChartPicture) => {
    mapPage(title, picture.svg, picture.width, picture.height);
    const parts = mapParts(picture.width, picture.height);
    parts.forEach(({ x, width: w }, index) =>
      mapPage(`${title}, part ${index + 1} of ${parts.length}`, cropSvg(picture.svg, picture, x, w), w, picture.height),
    );
  };
  const finish = () => {
    doc.end();
    return done;
  };
  return { doc, width, bottom, portrait, room, heading, paragraph, chartHeight, chart, row, map, finish };
}
