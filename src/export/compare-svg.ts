/**
 * The before/after comparison as one picture (SVG; the server renders it to
 * PNG): the title "Before → After", a legend of the marks, the before map with
 * its removed and changed steps marked, the after map with its added and
 * changed steps marked, and the measures table with each verdict in a word
 * and a colour. Purpose maps are wide, so the two maps are stacked one above
 * the other at the same scale rather than squeezed side by side.
 *
 * The maps are the board export's own (`boardPicture` with `highlight` and an
 * `idPrefix` each, so their arrowheads do not collide), and the wording is the
 * comparison view's (compare-text.ts). Deterministic: the same comparison of
 * the same boards gives the same bytes.
 */
import type { BoardFile, Comparison, Verdict } from '../model';
import { COLOURS, HIGHLIGHT_LOOK, boardPicture, type BoardPicture, type Highlight } from './board-svg';
import { formatChange, formatChangePct, formatValue, highlightsOf, verdictText } from './compare-text';
import { FONT_FAMILY, escapeXml, fitText, mixWithWhite, num, svgText, textWidth } from './svg-text';

const MARGIN = 40;
const ROW = 24;
const GRID = '#e2e8f0';
/** The amber of the view's "matched by labels" notice. */
export const NOTE_COLOUR = '#b45309';

/** The verdict's colour: the board's value green for better, waste red for worse, muted otherwise. */
export const VERDICT_COLOURS: Record<Verdict, string> = {
  better: COLOURS.value,
  worse: COLOURS.waste,
  same: COLOURS.muted,
  'n/a': COLOURS.muted,
};

/** The measures table's columns: x from the table's left edge, width, alignment. */
const COLUMNS = [
  { title: 'Measure', x: 0, w: 300, anchor: 'start' },
  { title: 'Before', x: 310, w: 120, anchor: 'end' },
  { title: 'After', x: 440, w: 120, anchor: 'end' },
  { title: 'Change', x: 570, w: 130, anchor: 'end' },
  { title: 'Change %', x: 710, w: 90, anchor: 'end' },
  { title: 'Verdict', x: 820, w: 100, anchor: 'start' },
] as const;
const TABLE_WIDTH = 920;

/** A side as a person names it: the board's title, and the version's name when it is one. */
export function sideName(side: Comparison['before']): string {
  return side.versionName ? `${side.title} — version “${side.versionName}”` : side.title;
}

/** The sentence the view, the picture and the report give when the steps were matched by their labels only. */
export const MATCHED_BY_LABEL_NOTE =
  'The two boards share no step ids: their steps were matched by identical labels only.';

/** The highlights as boardPicture takes them. */
function asRecord(marks: Map<string, Highlight>): Record<string, Highlight> {
  return Object.fromEntries([...marks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Both maps with their marks, drawn by the board export. `legend` adds the board's legend of cards and arrows. */
export function comparisonMaps(
  comparison: Comparison,
  before: BoardFile,
  after: BoardFile,
  legend = false,
): { before: BoardPicture; after: BoardPicture } {
  const marks = highlightsOf(comparison);
  return {
    before: boardPicture(before, { title: '', legend, highlight: asRecord(marks.before), idPrefix: 'before' }),
    after: boardPicture(after, { title: '', legend, highlight: asRecord(marks.after), idPrefix: 'after' }),
  };
}

/** A map placed at (x, y) inside the picture: its own <svg>, so its viewBox and markers stay its own. */
function placed(map: BoardPicture, x: number, y: number): string {
  const open = '<svg xmlns="http://www.w3.org/2000/svg" ';
  if (!map.svg.startsWith(open)) throw new Error('The map SVG does not start as boardPicture writes it');
  return `<svg x="${num(x)}" y="${num(y)}" ${map.svg.slice(open.length).trimEnd()}`;
}

function marksLegend(x: number, y: number): string[] {
  const out: string[] = [];
  let at = x;
  for (const [kind, words] of [
    ['removed', 'removed (on the before map)'],
    ['added', 'added (on the after map)'],
    ['changed', 'changed (on both)'],
  ] as const) {
    const look = HIGHLIGHT_LOOK[kind];
    out.push(
      `<rect x="${num(at)}" y="${num(y)}" width="30" height="20" rx="4" fill="none" stroke="${look.colour}" stroke-width="3"${kind === 'removed' ? ' stroke-dasharray="6 4"' : ''}/>`,
      svgText(at + 38, y + 15, words, { size: 13, fill: COLOURS.text }),
    );
    at += 38 + textWidth(words, 13) + 28;
  }
  return out;
}

function measuresTable(comparison: Comparison, x: number, y: number): { svg: string[]; height: number } {
  const out: string[] = [svgText(x, y + 20, 'The measures', { size: 18, bold: true, fill: COLOURS.text })];
  let at = y + 36;
  const cellX = (c: (typeof COLUMNS)[number]) => x + c.x + (c.anchor === 'end' ? c.w : 0);
  COLUMNS.forEach((c) =>
    out.push(svgText(cellX(c), at + 16, c.title, { size: 12, bold: true, fill: COLOURS.muted, anchor: c.anchor })),
  );
  at += ROW;
  out.push(`<line x1="${num(x)}" y1="${num(at)}" x2="${num(x + TABLE_WIDTH)}" y2="${num(at)}" stroke="#94a3b8"/>`);
  for (const m of comparison.measures) {
    const colour = VERDICT_COLOURS[m.verdict];
    if (m.verdict === 'better' || m.verdict === 'worse') {
      out.push(
        `<rect x="${num(x)}" y="${num(at)}" width="${TABLE_WIDTH}" height="${ROW}" fill="${mixWithWhite(colour, 0.08)}"/>`,
      );
    }
    const cells = [
      fitText(m.label, COLUMNS[0].w, 13),
      formatValue(m.unit, m.before),
      formatValue(m.unit, m.after),
      formatChange(m.unit, m.change),
      formatChangePct(m.changePct),
      verdictText(m.verdict),
    ];
    cells.forEach((text, i) => {
      const verdict = i === COLUMNS.length - 1;
      const strong = verdict && (m.verdict === 'better' || m.verdict === 'worse');
      out.push(
        svgText(cellX(COLUMNS[i]), at + 17, text, {
          size: 13,
          bold: strong,
          fill: verdict ? colour : COLOURS.text,
          anchor: COLUMNS[i].anchor,
        }),
      );
    });
    at += ROW;
    out.push(`<line x1="${num(x)}" y1="${num(at)}" x2="${num(x + TABLE_WIDTH)}" y2="${num(at)}" stroke="${GRID}"/>`);
  }
  out.push(
    svgText(x, at + 20, '“—”: a side lacks the data. A change of a percentage is in percentage points (pts).', {
      size: 11,
      fill: COLOURS.muted,
    }),
  );
  return { svg: out, height: at + 28 - y };
}

/** The comparison picture, with its size in px. */
export function comparePicture(
  comparison: Comparison,
  before: BoardFile,
  after: BoardFile,
): { svg: string; width: number; height: number } {
  const maps = comparisonMaps(comparison, before, after);
  const width = Math.ceil(Math.max(maps.before.width, maps.after.width, TABLE_WIDTH + 2 * MARGIN));
  const body: string[] = [];
  let y = 44;
  body.push(svgText(MARGIN, y, 'Before → After', { size: 28, bold: true, fill: COLOURS.text }));
  y += 26;
  body.push(
    svgText(
      MARGIN,
      y,
      fitText(`${sideName(comparison.before)} → ${sideName(comparison.after)}`, width - 2 * MARGIN, 14),
      { size: 14, fill: COLOURS.muted },
    ),
  );
  if (comparison.matchedBy === 'label') {
    y += 22;
    body.push(svgText(MARGIN, y, MATCHED_BY_LABEL_NOTE, { size: 13, bold: true, fill: NOTE_COLOUR }));
  }
  y += 18;
  body.push(...marksLegend(MARGIN, y));
  y += 40;
  for (const [name, side, map] of [
    ['Before', comparison.before, maps.before],
    ['After', comparison.after, maps.after],
  ] as const) {
    body.push(
      svgText(MARGIN, y + 20, fitText(`${name}: ${sideName(side)}`, width - 2 * MARGIN, 18, true), {
        size: 18,
        bold: true,
        fill: COLOURS.text,
      }),
    );
    y += 28;
    body.push(placed(map, 0, y));
    y += map.height + 12;
  }
  const table = measuresTable(comparison, MARGIN, y);
  body.push(...table.svg);
  const height = Math.ceil(y + table.height + MARGIN / 2);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${escapeXml(`Before → After: ${sideName(comparison.before)} → ${sideName(comparison.after)}`)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, width, height };
}

/** The comparison picture as an SVG document (text). */
export function compareSvg(comparison: Comparison, before: BoardFile, after: BoardFile): string {
  return comparePicture(comparison, before, after).svg;
}
