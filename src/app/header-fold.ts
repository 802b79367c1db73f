/**
 * When the board header runs out of room, the board tools fold into one
 * "Tools ▾" menu before the title is cut (issue 15: with nine people present
 * at 1280 px the title showed "Adap…"). The title needs at least 24
 * characters, or all of it when it is shorter.
 *
 * Measured rather than set by a breakpoint, because what crowds the header
 * (the title's length, the number of avatars, the role's buttons) changes
 * while the board is open.
 */
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** The title keeps room for this many characters before the tools fold. */
export const TITLE_MIN_CHARACTERS = 24;

/** The room the title needs: all of it, or 24 of its characters at their average width. */
export function titleRoomNeeded(naturalWidth: number, characters: number): number {
  if (characters <= TITLE_MIN_CHARACTERS) return naturalWidth;
  return Math.ceil((naturalWidth * TITLE_MIN_CHARACTERS) / characters);
}

/**
 * Whether the tools should be folded: fold when the title has less room than
 * it needs; unfold only when the title would still have its room with the
 * tools laid out inline again (`gain`: the room folding gave the title), so
 * the header never flickers between the two.
 */
export function shouldFold(folded: boolean, room: { available: number; needed: number; gain: number }): boolean {
  if (!folded) return room.available < room.needed;
  return room.available - room.gain < room.needed;
}

/**
 * Watches the header and says whether to fold. `titleArea` is the flexible
 * part that grows and shrinks with the header; `titleText` the title's text;
 * `tools` the group that folds.
 */
export function useHeaderFold(
  header: RefObject<HTMLElement | null>,
  titleArea: RefObject<HTMLElement | null>,
  titleText: RefObject<HTMLElement | null>,
  tools: RefObject<HTMLElement | null>,
  content: string,
): boolean {
  const [folded, setFolded] = useState(false);
  const narrow = useNarrowScreen();
  // The title's room just before folding, and what folding gave it (measured once folded).
  const inlineRoom = useRef(0);
  const gain = useRef<number | null>(null);

  useLayoutEffect(() => {
    const check = () => {
      const area = titleArea.current;
      const text = titleText.current;
      if (!area || !text) return;
      // The title button's own padding, border and pencil sit around its text.
      const chrome = (text.parentElement?.offsetWidth ?? text.offsetWidth) - text.offsetWidth;
      const needed = titleRoomNeeded(text.scrollWidth, text.textContent?.length ?? 0) + chrome;
      // The access badge ("View only") shares the title's area.
      const others = [...area.children]
        .filter((child) => !child.contains(text))
        .reduce((sum, child) => sum + (child as HTMLElement).offsetWidth + 8, 0);
      const available = area.clientWidth - others;
      if (!folded) inlineRoom.current = available;
      else if (gain.current === null) gain.current = Math.max(0, available - inlineRoom.current);
      const next = shouldFold(folded, { available, needed, gain: gain.current ?? 0 });
      if (next === folded) return;
      if (!next) gain.current = null;
      setFolded(next);
    };
    check();
    const observer = new ResizeObserver(check);
    // The title's area shrinks when people join and grows with the window; the tools change with the role.
    for (const element of [header.current, titleArea.current, titleText.current, tools.current]) {
      if (element) observer.observe(element);
    }
    return () => observer.disconnect();
  }, [folded, header, titleArea, titleText, tools, content]);

  return folded || narrow;
}

/** Phones: the tools always fold, since the header already wraps into rows there. */
const NARROW = '(max-width: 720px)';

function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(() => typeof matchMedia === 'function' && matchMedia(NARROW).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const query = matchMedia(NARROW);
    const onChange = () => setNarrow(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return narrow;
}
