/**
 * The analysis charts as standalone SVG documents for the report (and the
 * before/after comparison): the demand Pareto with its cumulative line,
 * waste steps by type, and the capability chart with its mean and limits.
 * They draw the numbers `computeMeasures` gave (src/model/measures.ts) and
 * compute none of their own. Deterministic like the map: same input, same bytes.
 */
import {
  UNIT_MINUTES,
  WASTE_TYPES,
  describeSignal,
  findSignals,
  limitSegments,
  signalPoints,
  type Capability,
  type CapabilityUnit,
  type ParetoRow,
  type WasteType,
} from '../model';
import { COLOURS } from './board-svg';
import { capabilitySentence } from './measure-text';
import { formatCount, formatInUnit, formatPct, niceCeiling } from './format';
import { FONT_FAMILY, escapeXml, fitText, num, svgText } from './svg-text';

export interface ChartPicture {
  svg: string;
  width: number;
  height: number;
}

const AXIS = '#94a3b8';
const GRID = '#e2e8f0';

function document(width: number, height: number, title: string, body: string[]): ChartPicture {
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, width, height };
}

function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ''): string {
  return `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" stroke="${stroke}"${extra ? ` ${extra}` : ''}/>`;
}

function placeholder(width: number, title: string, message: string): ChartPicture {
  return document(width, 60, title, [
    svgText(width / 2, 34, message, { size: 13, fill: COLOURS.muted, anchor: 'middle' }),
  ]);
}

/** At most this many bars; the rest are named in the report's demand table. */
export const PARETO_MAX_BARS = 15;

/**
 * Demand types by count, descending (the order `measures.pareto` has), value
 * teal with ✓ and failure amber with ⚠, the cumulative % as a line against
 * the right-hand axis, and each bar numbered as in the report's demand table.
 */
export function paretoChartSvg(rows: readonly ParetoRow[], width = 640): ChartPicture {
  const title = 'Demand by count, with cumulative %';
  if (rows.length === 0) return placeholder(width, title, 'No demand counted yet.');
  const shown = rows.slice(0, PARETO_MAX_BARS);
  const height = 300;
  const pad = { top: 20, right: 52, bottom: 96, left: 56 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const top = niceCeiling(Math.max(...shown.map((r) => r.count)));
  const base = pad.top + plotH;
  const y = (count: number) => base - (count / top) * plotH;
  const yPct = (pct: number) => base - (pct / 100) * plotH;
  const slot = plotW / shown.length;
  const barW = Math.max(6, Math.min(44, slot * 0.7));
  const cx = (i: number) => pad.left + slot * i + slot / 2;
  const body: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const at = base - (i / 4) * plotH;
    body.push(line(pad.left, at, width - pad.right, at, GRID));
    body.push(
      svgText(pad.left - 6, at + 4, formatCount((top * i) / 4), { size: 10, fill: COLOURS.muted, anchor: 'end' }),
    );
    body.push(svgText(width - pad.right + 6, at + 4, `${i * 25}%`, { size: 10, fill: COLOURS.muted }));
  }
  body.push(line(pad.left, base, width - pad.right, base, AXIS));
  body.push(svgText(pad.left - 6, pad.top - 8, 'count', { size: 10, fill: COLOURS.muted, anchor: 'end' }));
  body.push(svgText(width - 4, pad.top - 8, 'cumulative', { size: 10, fill: COLOURS.muted, anchor: 'end' }));
  shown.forEach((row, i) => {
    const colour = row.class === 'failure' ? COLOURS.failure : COLOURS.entry;
    body.push(
      `<rect x="${num(cx(i) - barW / 2)}" y="${num(y(row.count))}" width="${num(barW)}" height="${num(base - y(row.count))}" fill="${colour}"/>`,
      svgText(cx(i), y(row.count) - 4, formatCount(row.count), { size: 9, fill: COLOURS.text, anchor: 'middle' }),
      svgText(cx(i), base + 14, `${i + 1} ${row.class === 'failure' ? '⚠' : '✓'}`, {
        size: 10,
        bold: true,
        fill: colour,
        anchor: 'middle',
      }),
      svgText(
        cx(i) + 3,
        base + 24,
        fitText(row.words, 96, 9),
        { size: 9, fill: COLOURS.text, anchor: 'end' },
        `transform="rotate(-40 ${num(cx(i) + 3)} ${num(base + 24)})"`,
      ),
    );
  });
  const points = shown.map((row, i) => `${num(cx(i))},${num(yPct(row.cumulativePct))}`).join(' ');
  body.push(`<polyline points="${points}" fill="none" stroke="${COLOURS.text}" stroke-width="2"/>`);
  shown.forEach((row, i) =>
    body.push(`<circle cx="${num(cx(i))}" cy="${num(yPct(row.cumulativePct))}" r="3" fill="${COLOURS.text}"/>`),
  );
  const last = shown[shown.length - 1];
  body.push(
    svgText(cx(shown.length - 1), yPct(last.cumulativePct) - 8, formatPct(last.cumulativePct), {
      size: 10,
      bold: true,
      fill: COLOURS.text,
      anchor: 'middle',
    }),
  );
  if (rows.length > shown.length) {
    body.push(
      svgText(width - pad.right, height - 6, `and ${rows.length - shown.length} more in the table`, {
        size: 10,
        fill: COLOURS.muted,
        anchor: 'end',
      }),
    );
  }
  return document(width, height, title, body);
}

/** Waste steps by type: one bar per waste type of the method, zeros included, so two boards compare row by row. */
export function wasteByTypeChartSvg(wasteByType: Readonly<Record<WasteType, number>>, width = 640): ChartPicture {
  const title = 'Waste steps by type';
  const total = WASTE_TYPES.reduce((sum, type) => sum + wasteByType[type], 0);
  const rowH = 24;
  const pad = { top: 12, left: 110, right: 60 };
  const height = pad.top + WASTE_TYPES.length * rowH + 12;
  const top = niceCeiling(Math.max(1, ...WASTE_TYPES.map((type) => wasteByType[type])));
  const plotW = width - pad.left - pad.right;
  const body: string[] = [];
  WASTE_TYPES.forEach((type, i) => {
    const y = pad.top + i * rowH;
    const count = wasteByType[type];
    const barW = (count / top) * plotW;
    body.push(svgText(pad.left - 8, y + 16, type, { size: 12, fill: COLOURS.text, anchor: 'end' }));
    body.push(line(pad.left, y + rowH / 2, width - pad.right, y + rowH / 2, GRID));
    if (count > 0) {
      body.push(
        `<rect x="${num(pad.left)}" y="${num(y + 4)}" width="${num(barW)}" height="${rowH - 8}" fill="${COLOURS.waste}"/>`,
      );
    }
    body.push(svgText(pad.left + barW + 6, y + 16, formatCount(count), { size: 11, bold: true, fill: COLOURS.text }));
  });
  body.push(line(pad.left, pad.top, pad.left, pad.top + WASTE_TYPES.length * rowH, AXIS));
  if (total === 0) {
    body.push(
      svgText(pad.left + plotW / 2, pad.top + (WASTE_TYPES.length * rowH) / 2, 'No waste steps classed yet.', {
        size: 13,
        fill: COLOURS.muted,
        anchor: 'middle',
      }),
    );
  }
  return document(width, height, title, body);
}

/**
 * Label positions, top to bottom, at least `gap` apart: each pushed down from
 * the one above, then the whole run pulled up if it passes `bottom`.
 */
export function spreadLabels(ys: number[], gap: number, bottom: number): number[] {
  const out = [...ys];
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i], out[i - 1] + gap);
  const overflow = out[out.length - 1] - bottom;
  if (overflow > 0) {
    out[out.length - 1] = bottom;
    for (let i = out.length - 2; i >= 0; i--) out[i] = Math.min(out[i], out[i + 1] - gap);
  }
  return out;
}

export interface ProcessChartInput {
  /** The points, oldest first, in the unit `format` speaks. */
  values: readonly number[];
  /** A value with its unit, as the chart labels it ("24.3 d", "10.9%"). */
  format: (value: number) => string;
  title: string;
  /** What the points are, under the axis ("20 end-to-end times, oldest first"). */
  caption: string;
  /** "case" for end-to-end times, "point" for a result's series: how the signals name them. */
  pointName: string;
  /** Points from which the limits are recomputed (0-based). */
  breaks?: readonly number[];
  width?: number;
  /** The scale's least upper end, in the values' unit: two charts given the same one compare at a glance. */
  scaleTop?: number;
  /** The round value gridlines land on, in the values' unit (a day for times in minutes shown in days). */
  gridUnit?: number;
}

/**
 * A process-behaviour (XmR) chart: each point in order, the mean as a solid
 * line and the upper and lower limits dashed — a second set from a break on,
 * where the team said the system changed. Points in a signal are drawn red
 * and larger, and each signal is named in plain words under the chart.
 */
export function processChartSvg(input: ProcessChartInput): ChartPicture {
  const { values, format, title, caption, pointName, breaks = [], width = 640, scaleTop = 0, gridUnit = 1 } = input;
  const segments = limitSegments(values, breaks);
  const signals = findSignals(values, segments);
  const marked = signalPoints(signals);
  const signalLines = signals.slice(0, MAX_SIGNAL_LINES).map((signal) => describeSignal(signal, pointName));
  if (signals.length > MAX_SIGNAL_LINES) signalLines.push(`…and ${signals.length - MAX_SIGNAL_LINES} more signals.`);
  const chartHeight = 260;
  const height = chartHeight + (signalLines.length > 0 ? 8 + signalLines.length * 15 : 0);
  const pad = { top: 20, right: 110, bottom: 34, left: 64 };
  const plotW = width - pad.left - pad.right;
  const plotH = chartHeight - pad.top - pad.bottom;
  const highest = Math.max(scaleTop, ...segments.map((segment) => segment.limits.upper), ...values);
  // Round gridlines in the chart's own unit (days, hours or minutes for times), not in the stored one.
  const top = niceCeiling(highest / gridUnit) * gridUnit;
  const base = pad.top + plotH;
  const y = (value: number) => base - (value / top) * plotH;
  const x = (i: number) => pad.left + (values.length === 1 ? plotW / 2 : (i / (values.length - 1)) * plotW);
  const step = values.length > 1 ? plotW / (values.length - 1) : plotW;
  const body: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const at = base - (i / 4) * plotH;
    body.push(line(pad.left, at, pad.left + plotW, at, GRID));
    body.push(svgText(pad.left - 6, at + 4, format((top * i) / 4), { size: 10, fill: COLOURS.muted, anchor: 'end' }));
  }
  body.push(line(pad.left, base, pad.left + plotW, base, AXIS));
  segments.forEach(({ from, to, limits }, index) => {
    const x1 = from === 0 ? pad.left : x(from) - step / 2;
    const x2 = to === values.length - 1 ? pad.left + plotW : x(to) + step / 2;
    if (from > 0) body.push(line(x1, pad.top, x1, base, COLOURS.muted, 'stroke-dasharray="2 3"'));
    for (const [value, dashed] of [
      [limits.upper, true],
      [limits.mean, false],
      [limits.lower, true],
    ] as const) {
      body.push(
        line(
          x1,
          y(value),
          x2,
          y(value),
          COLOURS.causes,
          `stroke-width="1.5"${dashed ? ' stroke-dasharray="6 4"' : ''}`,
        ),
      );
    }
    // Only the latest limits are labelled at the right edge: they say what the system does now.
    if (index !== segments.length - 1) return;
    // Close limits (a narrow, predictable band) would print their labels on top of each other: keep them apart.
    const [upperY, meanY, lowerY] = spreadLabels(
      [y(limits.upper), y(limits.mean), y(limits.lower)].map((at) => at + 4),
      12,
      base + 8,
    );
    const label = (value: number, name: string, labelY: number) =>
      body.push(
        svgText(pad.left + plotW + 6, labelY, `${name} ${format(value)}`, {
          size: 10,
          bold: true,
          fill: COLOURS.causes,
        }),
      );
    label(limits.upper, 'upper', upperY);
    label(limits.mean, 'mean', meanY);
    label(limits.lower, 'lower', lowerY);
  });
  body.push(
    `<polyline points="${values.map((v, i) => `${num(x(i))},${num(y(v))}`).join(' ')}" fill="none" stroke="${COLOURS.entry}" stroke-width="2"/>`,
  );
  values.forEach((value, i) => {
    const signal = marked.has(i);
    body.push(
      `<circle cx="${num(x(i))}" cy="${num(y(value))}" r="${signal ? 4.5 : 3.5}" fill="${signal ? COLOURS.rework : COLOURS.entry}"/>`,
    );
  });
  body.push(
    svgText(pad.left + plotW / 2, chartHeight - 8, caption, { size: 10, fill: COLOURS.muted, anchor: 'middle' }),
  );
  signalLines.forEach((text, i) => {
    body.push(
      svgText(pad.left, chartHeight + 12 + i * 15, fitText(`• ${text}`, width - pad.left - 12, 11), {
        size: 11,
        fill: COLOURS.rework,
      }),
    );
  });
  return document(width, height, title, body);
}

/**
 * The capability chart (XmR) of the end-to-end times, in the series' own
 * unit, with new limits from `limitsFrom` on when it is set.
 * `capability` is `measures.capability` (null: not enough data).
 */
export function capabilityChartSvg(
  minutes: readonly number[],
  unit: CapabilityUnit,
  capability: Capability | null,
  width = 640,
  /** The scale's least upper end, in minutes: two charts given the same one compare at a glance. */
  scaleTop = 0,
  limitsFrom: number | null = null,
): ChartPicture {
  const title = 'Capability: end-to-end times, mean and limits';
  if (capability === null || minutes.length < 2) return placeholder(width, title, capabilitySentence(null));
  return processChartSvg({
    values: minutes,
    format: (value) => formatInUnit(value, unit),
    title,
    caption: `${minutes.length} end-to-end times, oldest first`,
    pointName: 'case',
    breaks: limitsFrom === null ? [] : [limitsFrom],
    width,
    scaleTop,
    gridUnit: UNIT_MINUTES[unit],
  });
}

/** More signals than this are counted, not listed, under a chart. */
const MAX_SIGNAL_LINES = 4;
