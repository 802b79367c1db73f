/**
 * The demand study's HTTP API (issue 14, README "Demand study"): the study's
 * settings, its entries (stored rows on the server, never in the board's
 * Yjs document), the capture page's settings and the summary. Roles are the
 * server's to enforce; these calls only ask. Errors carry the server's words.
 */
import { STUDY_LIMITS } from '../protocol/study';
import { request } from './http';

import type {
  EntryClass,
  StudyClass,
  StudyDemandType,
  StudyEntry,
  StudyHandlingType,
  StudySettings,
  StudySummary,
} from '../model/study';
import type { Need } from '../protocol/study';

export type { Need };

export type { EntryClass, StudyDemandType, StudyEntry, StudyHandlingType, StudySettings, StudySummary };
export type DemandClass = StudyClass;

/** What a collector's phone sends: only `id` and `verbatim` are required; `type` may be a type's id or name. */
export interface NewStudyEntry {
  /** Made on the phone (nanoid), so a retry is recognised and never stored twice. */
  id: string;
  verbatim: string;
  /** ISO date-time of the contact, from the phone's clock: an entry sent hours later counts on its own day. */
  at?: string;
  collector?: string;
  class?: EntryClass;
  type?: string;
  handling?: string;
  contactMethod?: string;
  point?: string;
  whatMatters?: { category?: string; note?: string };
  /** For failure demand: the value demand it stems from. */
  valueDemandType?: string;
  cause?: string;
}

/** A change to one entry; null clears a field. */
export type EntryPatch = {
  [K in Exclude<keyof NewStudyEntry, 'id' | 'at' | 'collector'>]?: NewStudyEntry[K] | null;
};

/** Settings as the form sends them: the server gives new types their ids. */
export type StudySettingsInput = Omit<StudySettings, 'demandTypes'> & {
  demandTypes: Array<Omit<StudyDemandType, 'id'> & { id?: string }>;
};

/** What the capture page needs (GET …/study/capture): the lists to tap from, and the board's title. */
export interface CaptureSettings {
  boardId: string;
  title: string;
  /** The collector's display name as the server knows it. */
  collector?: string | null;
  /** null: the board has no study yet. */
  study: StudySettings | null;
  /** The caller's latest entry id (the one Undo may take back). */
  latest?: string | null;
}

/** Limits the server enforces too (src/protocol/study.ts); checked on the phone so a bad entry never queues. */
export const MAX_VERBATIM = STUDY_LIMITS.verbatimChars;
export const MAX_BATCH = STUDY_LIMITS.entriesPerBatch;
export const ENTRIES_PAGE = STUDY_LIMITS.pageSize;

const studyPath = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/study`;

export function getStudy(boardId: string): Promise<{ settings: StudySettings | null; summary: StudySummary | null }> {
  return request('GET', studyPath(boardId));
}

export function saveStudySettings(boardId: string, settings: StudySettingsInput): Promise<StudySettings> {
  return request('PUT', studyPath(boardId), settings);
}

export function getCaptureSettings(boardId: string): Promise<CaptureSettings> {
  return request('GET', `${studyPath(boardId)}/capture`);
}

/** Sends entries (one offline batch, at most MAX_BATCH); ids already stored are not added again. */
export function sendEntries(boardId: string, entries: NewStudyEntry[]): Promise<unknown> {
  return request('POST', `${studyPath(boardId)}/entries`, { entries });
}

export interface EntryQuery {
  needs?: Need;
  q?: string;
  from?: string;
  to?: string;
  offset?: number;
  limit?: number;
}

/** One page of entries, newest first; `total` matches the filters, `needs` counts the chips over q/from/to. */
export interface EntryPage {
  entries: StudyEntry[];
  total: number;
  needs: Record<Need, number>;
  offset: number;
  limit: number;
}

export function listEntries(boardId: string, query: EntryQuery = {}): Promise<EntryPage> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const suffix = params.toString() ? `?${params}` : '';
  return request('GET', `${studyPath(boardId)}/entries${suffix}`);
}

export function patchEntry(boardId: string, entryId: string, patch: EntryPatch): Promise<StudyEntry> {
  return request('PATCH', `${studyPath(boardId)}/entries/${encodeURIComponent(entryId)}`, patch);
}

export function deleteEntry(boardId: string, entryId: string): Promise<void> {
  return request('DELETE', `${studyPath(boardId)}/entries/${encodeURIComponent(entryId)}`);
}

export function getStudySummary(boardId: string, window: { from?: string; to?: string } = {}): Promise<StudySummary> {
  const params = new URLSearchParams();
  if (window.from) params.set('from', window.from);
  if (window.to) params.set('to', window.to);
  const suffix = params.toString() ? `?${params}` : '';
  return request('GET', `${studyPath(boardId)}/summary${suffix}`);
}

export function bulkReclassify(boardId: string, fromType: string, toType: string): Promise<{ changed: number }> {
  return request('POST', `${studyPath(boardId)}/bulk-reclassify`, { fromType, toType });
}
