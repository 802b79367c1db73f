/**
 * What an entry still needs before the study's analysis can use it whole —
 * the study screen's filter chips — and the text search. Pure, so the
 * counts of 50,000 entries are one pass each and testable without a browser.
 * The same rules as the server's `needs=` filter (src/protocol/study.ts).
 */
import type { StudyEntry } from '../../api';

export type Need = 'classification' | 'handling' | 'valueLink';

export const NEEDS: { need: Need; label: string }[] = [
  { need: 'classification', label: 'Needs classification' },
  { need: 'handling', label: 'Needs handling' },
  { need: 'valueLink', label: 'Needs value link' },
];

type EntryFields = Pick<StudyEntry, 'class' | 'type' | 'handling' | 'valueDemandType'>;

export function needs(entry: EntryFields, need: Need): boolean {
  switch (need) {
    case 'classification':
      return !entry.class || entry.class === 'unsure' || !entry.type;
    case 'handling':
      return !entry.handling;
    case 'valueLink':
      return entry.class === 'failure' && !entry.valueDemandType;
  }
}

export function countNeeds(entries: readonly EntryFields[]): Record<Need, number> {
  const counts: Record<Need, number> = { classification: 0, handling: 0, valueLink: 0 };
  for (const entry of entries) {
    if (needs(entry, 'classification')) counts.classification += 1;
    if (needs(entry, 'handling')) counts.handling += 1;
    if (needs(entry, 'valueLink')) counts.valueLink += 1;
  }
  return counts;
}

/** Case-insensitive words in the verbatim, type, cause, what matters or collector; every word must match. */
export function matchesSearch(entry: StudyEntry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [
    entry.verbatim,
    entry.type,
    entry.cause,
    entry.collector,
    entry.handling,
    entry.valueDemandType,
    entry.whatMatters?.category,
    entry.whatMatters?.note,
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Newest first (by the time of the contact, then of capture), the order the study screen lists. */
export function newestFirst(a: StudyEntry, b: StudyEntry): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.createdAt !== b.createdAt) return (a.createdAt ?? '') < (b.createdAt ?? '') ? 1 : -1;
  return a.id < b.id ? 1 : -1;
}
