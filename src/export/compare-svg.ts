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
import { formatChange, formatChangePct, formatValue, headlineParts, highlightsOf, verdictText } from './compare-text';
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

/** What a headline line says when nothing changed enough to lead: the picture still opens with a sentence. */
export const NO_HEADLINE = 'No measure changed between the two boards yet.';

/**
 * The headline as lines of the picture: each change's measure in bold, its
 * two figures, and the size of the change in the verdict's colour with its
 * word (✓ better, ✗ worse), so colour is not the only signal.
 */
function headlineLines(
  comparison: Comparison,
  x: number,
  y: number,
  width: number,
  size: number,
): { svg: string[]; height: number } {
  const out: string[] = [];
  const lineHeight = Math.round(size * 1.6);
  if (comparison.headline.length === 0) {
    out.push(svgText(x, y + size, NO_HEADLINE, { size, fill: COLOURS.muted }));
    return { svg: out, height: lineHeight };
  }
  comparison.headline.forEach((item, i) => {
    const { label, figures, change } = headlineParts(item);
    const baseline = y + size + i * lineHeight;
    const colour = VERDICT_COLOURS[item.verdict];
    const verdict = `${change ? `${change} ` : ''}${verdictText(item.verdict)}`;
    const verdictWidth = textWidth(verdict, size, true);
    const labelText = fitText(`${label}:`, width * 0.42, size, true);
    out.push(svgText(x, baseline, labelText, { size, bold: true, fill: COLOURS.text }));
    const figuresX = x + textWidth(labelText, size, true) + size * 0.5;
    out.push(
      svgText(figuresX, baseline, fitText(figures, x + width - verdictWidth - size - figuresX, size), {
        size,
        fill: COLOURS.text,
      }),
    );
    out.push(svgText(x + width, baseline, verdict, { size, bold: true, fill: colour, anchor: 'end' }));
  });
  return { svg: out, height: comparison.headline.length * lineHeight };
}

/** The Results slide's size: one 16:9 slide, the projector's 1280×720. */
export const RESULTS_SLIDE = { width: 1280, height: 720 } as const;

/**
 * "Results": the headline alone, large, on one 16:9 slide for a deck — the
 * four to six changes a manager reads first, the two boards named under the
 * title. The same lines, in the same words, as the comparison's view, picture
 * and report. Each change takes two lines (the measure's name, then its
 * figures and verdict), so a result's long name is never cut.
 */
export function resultsSlide(comparison: Comparison): { svg: string; width: number; height: number } {
  const { width, height } = RESULTS_SLIDE;
  const margin = 72;
  const inner = width - 2 * margin;
  const body: string[] = [
    `<rect x="0" y="0" width="${width}" height="12" fill="${COLOURS.value}"/>`,
    svgText(margin, 100, 'Results', { size: 48, bold: true, fill: COLOURS.text }),
    svgText(margin, 138, fitText(`${sideName(comparison.before)} → ${sideName(comparison.after)}`, inner, 20), {
      size: 20,
      fill: COLOURS.muted,
    }),
  ];
  let y = 160;
  if (comparison.matchedBy === 'label') {
    body.push(svgText(margin, y + 10, MATCHED_BY_LABEL_NOTE, { size: 14, bold: true, fill: NOTE_COLOUR }));
    y += 18;
  }
  body.push(
    `<line x1="${margin}" y1="${y + 10}" x2="${width - margin}" y2="${y + 10}" stroke="${GRID}" stroke-width="2"/>`,
  );
  y += 20;
  if (comparison.headline.length === 0) {
    body.push(svgText(margin, y + 60, NO_HEADLINE, { size: 32, fill: COLOURS.muted }));
  }
  // Six changes of two lines fill the body; fewer get more room between them, as a slide would.
  const item = Math.min(110, Math.floor((height - 24 - y) / Math.max(comparison.headline.length, 1)));
  comparison.headline.forEach((entry, i) => {
    const { label, figures, change } = headlineParts(entry);
    const top = y + i * item;
    const verdict = `${change ? `${change} ` : ''}${verdictText(entry.verdict)}`;
    body.push(
      svgText(margin, top + 28, fitText(label, inner, 22, true), { size: 22, bold: true, fill: COLOURS.muted }),
      svgText(margin, top + 66, fitText(figures, inner - textWidth(verdict, 32, true) - 32, 34), {
        size: 34,
        fill: COLOURS.text,
      }),
      svgText(width - margin, top + 66, verdict, {
        size: 32,
        bold: true,
        fill: VERDICT_COLOURS[entry.verdict],
        anchor: 'end',
      }),
    );
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${escapeXml(`Results: ${sideName(comparison.before)} → ${sideName(comparison.after)}`)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, width, height };
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
    svgText(x, at + 20, '“—”: a side lacks the data. A change of a percentage is in percentage points.', {
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
  // The headline first, as in the view and the report: what changed, before the maps.
  y += 24;
  body.push(svgText(MARGIN, y + 18, 'What changed', { size: 18, bold: true, fill: COLOURS.text }));
  y += 26;
  const headline = headlineLines(comparison, MARGIN, y, Math.min(TABLE_WIDTH, width - 2 * MARGIN), 16);
  body.push(...headline.svg);
  y += headline.height + 12;
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
