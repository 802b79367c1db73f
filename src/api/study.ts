/**
 * The demand study's HTTP API (issue 14, README "Demand study"): the study's
 * settings, its entries (stored rows on the server, never in the board's
 * Yjs document), the capture page's settings and the summary. Roles are the
 * server's to enforce; these calls only ask. Errors carry the server's words.
 */
import { request } from './http';

export type DemandClass = 'value' | 'failure';
export type EntryClass = DemandClass | 'unsure';

export interface StudyDemandType {
  id?: string;
  name: string;
  class: DemandClass;
  /** The operational definition ("Chasing: the customer asks where something is that we promised"). */
  definition?: string;
}

export interface StudyHandlingType {
  name: string;
  oneStop: boolean;
}

export interface StudySettings {
  demandTypes: StudyDemandType[];
  handlingTypes: StudyHandlingType[];
  contactMethods: string[];
  defaultContactMethod?: string;
  points?: string[];
  whatMattersCategories?: string[];
  /** YYYY-MM-DD, both days included. */
  start: string;
  end: string;
  /** What the capture page asks for beyond the verbatim (the team switches these on when ready). */
  capture: { classification: boolean; handling: boolean; valueLinking: boolean };
}

/** What a collector's phone sends: only `id` and `verbatim` are required. */
export interface NewStudyEntry {
  /** Made on the phone (nanoid), so a retry is recognised and never stored twice. */
  id: string;
  verbatim: string;
  /** ISO date-time of the contact; the server's now when absent. */
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

export interface StudyEntry extends NewStudyEntry {
  at: string;
  collector: string;
  createdAt: string;
  updatedAt: string;
  /** The member who captured it. */
  by: string;
}

export type EntryPatch = Partial<Omit<NewStudyEntry, 'id'>>;

export interface StudySummary {
  total: number;
  byType: { type: string; class: DemandClass | 'unsure' | null; count: number }[];
  failureDemandPct: number | null;
  perfectPct: number | null;
  failureFlow: { from: string; to: string; count: number }[];
  causes: { cause: string; count: number }[];
  whatMatters: { category: string; count: number; notes?: string[] }[];
  contactMethods: { name: string; count: number }[];
  points: { name: string; count: number }[];
  coverage: { collector: string; day: string; count: number }[];
  overTime: { day?: string; week?: string; value: number; failure: number; unsure?: number }[];
  predictable: { type: string; predictable: boolean | null; reason: string }[];
}

/** What the capture page needs: the lists to tap from, and the board's title. */
export interface CaptureSettings {
  boardId: string;
  title: string;
  settings: StudySettings;
  /** The collector's name as the server knows it (null before they gave one). */
  collectorName?: string | null;
}

/** Limits the server enforces too (src/protocol/study.ts); checked on the phone so a bad entry never queues. */
export const MAX_VERBATIM = 2000;
export const MAX_BATCH = 500;

const studyPath = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/study`;

export function getStudy(boardId: string): Promise<{ settings: StudySettings | null; summary: StudySummary | null }> {
  return request('GET', studyPath(boardId));
}

export function saveStudySettings(boardId: string, settings: StudySettings): Promise<StudySettings> {
  return request('PUT', studyPath(boardId), settings);
}

export function getCaptureSettings(boardId: string): Promise<CaptureSettings> {
  return request('GET', `${studyPath(boardId)}/capture`);
}

/** Sends entries (one offline batch, at most MAX_BATCH); ids already stored are not added again. */
export function sendEntries(boardId: string, entries: NewStudyEntry[]): Promise<unknown> {
  return request('POST', `${studyPath(boardId)}/entries`, { entries });
}

export type EntryNeed = 'classification' | 'handling' | 'valueLink';

export interface EntryQuery {
  needs?: EntryNeed;
  q?: string;
  from?: string;
  to?: string;
}

export function listEntries(
  boardId: string,
  query: EntryQuery = {},
): Promise<{ entries: StudyEntry[] } | StudyEntry[]> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
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
