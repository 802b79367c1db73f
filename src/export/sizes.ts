/**
 * The size of each kind of card on the map, in canvas units. The canvas's
 * React Flow binding (src/collab/binding.ts) assumes the same sizes before a
 * node is measured; a unit test keeps the two equal. They are kept here too
 * so this pure module never imports the collaboration layer.
 */
export const CARD_SIZES = {
  step: { width: 180, height: 96 },
  note: { width: 180, height: 140 },
  demand: { width: 260, height: 84 },
  purpose: { width: 560, height: 170 },
  condition: { width: 220, height: 72 },
} as const;
