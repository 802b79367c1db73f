/**
 * Where the keyboard's focus is on the board, and putting it back: a card's
 * React Flow wrapper, an edge's <g>, or the canvas itself. Focus must never
 * fall back to the page, or the board's keys stop reaching the board.
 */

function byDataId(selector: string, id: string): HTMLElement | SVGElement | null {
  return document.querySelector<HTMLElement | SVGElement>(`${selector}[data-id="${CSS.escape(id)}"]`);
}

/** The card whose wrapper has the focus, if any. */
export function focusedCardId(): string | null {
  const active = document.activeElement;
  if (!(active instanceof Element)) return null;
  return active.closest('.react-flow__node')?.getAttribute('data-id') ?? null;
}

/** The edge whose <g> has the focus, if any. */
export function focusedEdgeId(): string | null {
  const active = document.activeElement;
  if (!(active instanceof Element)) return null;
  return active.closest('.react-flow__edge')?.getAttribute('data-id') ?? null;
}

/** Focuses a card; false when it is not drawn (off screen: the canvas draws only what is visible). */
export function focusCard(id: string): boolean {
  const element = byDataId('.react-flow__node', id);
  if (!element) return false;
  element.focus();
  return true;
}

export function focusEdge(id: string): boolean {
  const element = byDataId('.react-flow__edge', id);
  if (!element) return false;
  element.focus({ preventScroll: true });
  return true;
}

/** The canvas itself (tabIndex -1): Tab from there goes to the first card. */
export function focusCanvas(): void {
  document.querySelector<HTMLElement>('.board-canvas')?.focus({ preventScroll: true });
}
