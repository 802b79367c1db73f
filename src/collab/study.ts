/**
 * The board's demand study as the board shows it (issue 14): the counts the
 * server pushes (message 106) and the window this person chose — the whole
 * study, the last 7 days, or a custom range. The window's counts are summed
 * here from the per-day counts the message carries (the model's
 * `countsInWindow`), so switching windows costs no round trip and the cards,
 * the measures and the panel read the same figures.
 */
import { countsInWindow, lastSevenDays, type StudyDay, type WindowCounts } from '../model/study';
import type { StudyCounts } from '../protocol/study';
import type { BoardStore } from './board-store';

export type StudyWindowChoice = { kind: 'whole' } | { kind: 'last7' } | { kind: 'custom'; from: string; to: string };

/** The figures of `study` in the chosen window; null without a study. */
export function studyCountsIn(study: StudyCounts | null, choice: StudyWindowChoice): WindowCounts | null {
  if (!study) return null;
  const settings = {
    start: study.start,
    end: study.end,
    demandTypes: study.types.map((t) => ({ id: t.id, name: t.name, class: t.class })),
  };
  const window =
    choice.kind === 'last7'
      ? lastSevenDays(settings, study.today)
      : choice.kind === 'custom'
        ? { from: choice.from, to: choice.to }
        : { from: study.start, to: study.end };
  const today = study.today < window.to ? study.today : window.to;
  return countsInWindow(settings, study.days as StudyDay[], window, today);
}

/** The window in words, for the panel and the cards' tooltips. */
export function describeWindow(counts: WindowCounts | null, choice: StudyWindowChoice): string {
  if (!counts) return '';
  const range =
    counts.window.from === counts.window.to ? counts.window.from : `${counts.window.from} to ${counts.window.to}`;
  if (choice.kind === 'whole') return `the whole study (${range})`;
  if (choice.kind === 'last7') return `the last 7 days (${range})`;
  return range;
}

/** Looks at the study through another window: the cards, the measures and the panel follow at once. */
export function setStudyWindow(store: BoardStore, choice: StudyWindowChoice): void {
  store.setState((s) => ({ studyWindow: choice, studyCounts: studyCountsIn(s.study, choice) }));
}
