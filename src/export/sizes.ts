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
