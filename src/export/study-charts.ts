/**
 * The demand study's picture for the report (issue 14): demand over time,
 * one bar a day stacked value (teal ✓), failure (amber ⚠) and not yet
 * classified (grey), as the analysis panel stacks it. Pure SVG, like the
 * other charts (charts.ts), so the PDF draws it and a test can read it.
 */
import type { StudySummary } from '../model';
import { COLOURS } from './board-svg';
import type { ChartPicture } from './charts';
import { formatCount, niceCeiling } from './format';
import { FONT_FAMILY, escapeXml, num, svgText } from './svg-text';

const GRID = '#e2e8f0';
const UNSURE = '#94a3b8';

/** Daily (or weekly, for a long study) value, failure and unclassified entries, stacked. */
export function studyOverTimeSvg(overTime: StudySummary['overTime'], width = 640): ChartPicture {
  const weekly = overTime.daily.length > 42;
  const bars = weekly
    ? overTime.weekly.map((w) => ({ label: w.week.slice(5), ...w }))
    : overTime.daily.map((d) => ({ label: d.day.slice(5), ...d }));
  const title = `Demand over time, ${weekly ? 'by week' : 'by day'}: value, failure and not yet classified`;
  const height = 260;
  const pad = { top: 20, right: 16, bottom: 64, left: 48 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const body: string[] = [];
  const top = niceCeiling(Math.max(1, ...bars.map((b) => b.value + b.failure + b.unsure)));
  const base = pad.top + plotH;
  const y = (n: number) => base - (n / top) * plotH;
  for (let i = 0; i <= 4; i++) {
    const at = base - (i / 4) * plotH;
    body.push(`<line x1="${pad.left}" y1="${num(at)}" x2="${width - pad.right}" y2="${num(at)}" stroke="${GRID}"/>`);
    body.push(
      svgText(pad.left - 6, at + 4, formatCount((top * i) / 4), { size: 10, fill: COLOURS.muted, anchor: 'end' }),
    );
  }
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.max(3, Math.min(28, slot * 0.7));
  bars.forEach((bar, i) => {
    const x = pad.left + slot * i + (slot - barW) / 2;
    let sum = 0;
    for (const [count, fill] of [
      [bar.value, COLOURS.entry],
      [bar.failure, COLOURS.failure],
      [bar.unsure, UNSURE],
    ] as const) {
      if (count > 0)
        body.push(
          `<rect x="${num(x)}" y="${num(y(sum + count))}" width="${num(barW)}" height="${num(y(sum) - y(sum + count))}" fill="${fill}"/>`,
        );
      sum += count;
    }
    // Every label when they fit; else every n-th, so they never overlap.
    const every = Math.ceil(bars.length / Math.max(1, Math.floor(plotW / 34)));
    if (i % every === 0)
      body.push(svgText(x + barW / 2, base + 14, bar.label, { size: 9, fill: COLOURS.muted, anchor: 'middle' }));
  });
  const legend: [string, string][] = [
    ['✓ value', COLOURS.entry],
    ['⚠ failure', COLOURS.failure],
    ['not yet classified', UNSURE],
  ];
  legend.forEach(([label, fill], i) => {
    const x = pad.left + i * 140;
    body.push(`<rect x="${x}" y="${height - 22}" width="10" height="10" fill="${fill}"/>`);
    body.push(svgText(x + 14, height - 13, label, { size: 10, fill: COLOURS.text }));
  });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
  ].join('\n');
  return { svg: `${svg}\n`, width, height };
}
