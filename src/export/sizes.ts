/**
 * The size of each kind of card on the map, in canvas units: the exported
 * map draws cards this size, and the canvas's React Flow binding
 * (src/collab/binding.ts) takes its sizes from here, so the two never differ.
 * They live here so this pure module never imports the collaboration layer.
 */
export const CARD_SIZES = {
  step: { width: 180, height: 96 },
  note: { width: 180, height: 140 },
  demand: { width: 260, height: 84 },
  purpose: { width: 560, height: 170 },
  condition: { width: 220, height: 72 },
} as const;

/**
 * Semantic zoom: the one rule for every kind of card (issue 15). A full card's
 * smallest body text (the step's "PT · LT" line, the demand's class line) is
 * CARD_BODY_TEXT canvas units high; below the zoom where that falls under
 * READABLE_TEXT_PX on screen, a card shows its simplified form: the label
 * only, in type sized for the screen, with the value/waste mark kept.
 */
export const CARD_BODY_TEXT = 14;
export const READABLE_TEXT_PX = 11;
/** The on-screen size a simplified label aims for: readable from the back row of a workshop. */
export const SIMPLE_LABEL_PX = 12;
export const SIMPLE_FORM_BELOW_ZOOM = READABLE_TEXT_PX / CARD_BODY_TEXT;

export type CardForm = 'full' | 'simple';

export function cardForm(zoom: number): CardForm {
  return zoom < SIMPLE_FORM_BELOW_ZOOM ? 'simple' : 'full';
}

/**
 * The zoom as the cards see it: 1 at any zoom that shows the full form, else
 * rounded down to a step of 1/40, so a card re-renders only when its form or
 * its label size changes, not on every frame of a zoom. Rounding down makes
 * the type a little larger, never smaller, than the aim.
 */
export function zoomBucket(zoom: number): number {
  if (cardForm(zoom) === 'full') return 1;
  return Math.max(1, Math.floor(zoom * 40)) / 40;
}

/**
 * A semi-bold (600) sans-serif letter is at most this wide per unit of font size on
 * average (the board's font, measured on words of the templates), so an
 * estimate from it never leaves a word wider than its box.
 */
const BOLD_CHAR_EM = 0.58;
const LINE_HEIGHT = 1.15;

/** Words wrapped greedily into lines no wider than `width` at this size: the number of lines. */
function lineCount(words: readonly string[], size: number, width: number): number {
  let lines = 1;
  let used = 0;
  for (const word of words) {
    const w = word.length * BOLD_CHAR_EM * size;
    const space = used === 0 ? 0 : BOLD_CHAR_EM * size * 0.5;
    if (used > 0 && used + space + w > width) {
      lines++;
      used = w;
    } else used += space + w;
  }
  return lines;
}

/**
 * The font size, in canvas units, of a simplified card's label: SIMPLE_LABEL_PX
 * on screen at this zoom, shrunk only as far as needed so that every whole
 * word fits the box's width and the wrapped lines its height (words wrap,
 * never break), however small that makes it: a label that does not fit is
 * never cut or spilled over its neighbours.
 */
export function simpleLabelSize(label: string, zoom: number, box: { width: number; height: number }): number {
  const words = label.split(/\s+/).filter((word) => word.length > 0);
  let size = SIMPLE_LABEL_PX / zoom;
  const longest = Math.max(1, ...words.map((word) => word.length));
  size = Math.min(size, box.width / (longest * BOLD_CHAR_EM));
  while (size > 4 && lineCount(words, size, box.width) * size * LINE_HEIGHT > box.height) size *= 0.95;
  return Math.max(4, Math.floor(size));
}
