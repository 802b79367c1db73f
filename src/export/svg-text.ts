/**
 * The small pieces every SVG writer here shares: fixed number formatting,
 * XML escaping, and text measured and wrapped with DejaVu Sans's own
 * advance widths, so a wrapped label fits its card in the PNG and the PDF
 * (both render with the DejaVu fonts) and the same text always wraps the same.
 */

/** The font the exports are drawn in, with fallbacks for an SVG opened on a machine without it. */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', Arial, sans-serif";

/** Advance widths (per 1000 em) of ASCII 32–126 in DejaVu Sans and DejaVu Sans Bold, read from the TTFs. */
const WIDTHS_REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,
  748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635,
  615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636,
  337, 636, 838,
];
const WIDTHS_BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995,
  837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716,
  678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712,
  365, 712, 838,
];

/** A number as the SVG writes it: at most two decimals, never "-0" or an exponent. */
export function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) || rounded === 0 ? '0' : String(rounded);
}

/** Text safe inside an XML element or a double-quoted attribute; characters XML forbids are dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      // A surrogate on its own (not half of a pair) is not XML either.
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** The width of a run of text in px at `size`. Characters outside ASCII are estimated. */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? WIDTHS_BOLD : WIDTHS_REGULAR;
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 32 && code < 127) units += table[code - 32];
    else if (code < 0x2000) units += bold ? 700 : 640;
    else units += 1000;
  }
  return (units / 1000) * size;
}

/** Cuts `text` so it fits `width`, ending with "…" when something was cut. */
export function fitText(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('').trimEnd()}…`, size, bold) > width) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/**
 * Greedy word wrap into lines no wider than `width`; a word wider than a
 * line is broken between characters. More than `maxLines` lines: the last
 * one kept ends with "…".
 */
export function wrapText(text: string, width: number, size: number, bold = false, maxLines = Infinity): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const lines: string[] = [];
  let line = '';
  const push = (word: string) => {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate, size, bold) <= width) {
      line = candidate;
      return;
    }
    if (line) lines.push(line);
    line = '';
    if (textWidth(word, size, bold) <= width) {
      line = word;
      return;
    }
    let part = '';
    for (const char of word) {
      if (part && textWidth(part + char, size, bold) > width) {
        lines.push(part);
        part = '';
      }
      part += char;
    }
    line = part;
  };
  for (const word of words) push(word);
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = fitText(`${kept[maxLines - 1]} ${lines[maxLines]}`, width, size, bold);
  if (!kept[maxLines - 1].endsWith('…')) kept[maxLines - 1] = fitText(`${kept[maxLines - 1]}…`, width, size, bold);
  return kept;
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  fill: string;
  anchor?: 'start' | 'middle' | 'end';
  italic?: boolean;
}

/** One line of text at (x, y) (y is the baseline). */
export function svgText(x: number, y: number, text: string, style: TextStyle, extra = ''): string {
  const attrs = [
    `x="${num(x)}"`,
    `y="${num(y)}"`,
    `font-size="${num(style.size)}"`,
    style.bold ? 'font-weight="bold"' : '',
    style.italic ? 'font-style="italic"' : '',
    style.anchor && style.anchor !== 'start' ? `text-anchor="${style.anchor}"` : '',
    `fill="${style.fill}"`,
    extra,
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${escapeXml(text)}</text>`;
}

/** Lines of text, the first baseline at y, each `lineHeight` below the last. */
export function svgLines(x: number, y: number, lines: string[], style: TextStyle, lineHeight: number): string[] {
  return lines.map((line, index) => svgText(x, y + index * lineHeight, line, style));
}

/** A colour mixed with white: `share` (0–1) of the colour, like CSS color-mix over a white page. */
export function mixWithWhite(hex: string, share: number): string {
  return mixColours(hex, '#ffffff', share);
}

/** `share` (0–1) of colour a, the rest b; both "#rrggbb". */
export function mixColours(a: string, b: string, share: number): string {
  const parse = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const ca = parse(/^#[0-9a-fA-F]{6}$/.test(a) ? a : '#e2e8f0');
  const cb = parse(b);
  return `#${ca
    .map((v, i) => Math.round(v * share + cb[i] * (1 - share)))
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
}
