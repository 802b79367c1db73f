/**
 * A demand study's entries checked as the capture API checks a phone's
 * (issue 14), for everything that brings many at once: the CSV and XLSX
 * import (./study-export.ts), a board file's study (POST /api/boards/import)
 * and an example board's study. Each refusal is a sentence with its line.
 */
import { type BoardFileStudy, type StudyEntry, type StudySettings } from '../../src/model';
import { STUDY_LIMITS, entryInputSchema, studySettingsSchema } from '../../src/protocol';
import type { StudyImportRow, StudyLineError } from '../../src/export/study-table';
import type { BoardStorage } from '../storage/storage';
import type { RoomStudies } from '../sync/study';
import { firstIssue, resolveFields, settingsWithIds } from './study';

/** The field of an entry as a person reads it in a refusal ("Line 4: the date is outside the study …"). */
const FIELD_WORDS: Record<string, string> = {
  id: 'the id',
  verbatim: 'the verbatim',
  at: 'the date',
  collector: 'the collector',
  class: 'the class',
  type: 'the type',
  handling: 'the handling',
  contactMethod: 'the contact method',
  point: 'the point of transaction',
  whatMatters: 'what matters',
  'whatMatters.category': 'the what-matters category',
  'whatMatters.note': 'the what-matters note',
  valueDemandType: 'the value demand',
  cause: 'the cause',
  entry: 'the entry',
};

function sentence(where: string, field: string, message: string): string {
  const text = `${where}: ${FIELD_WORDS[field] ?? `“${field}”`} ${message}`;
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** Who the checked entries are stored as, and when. */
export interface EntryAuthor {
  /** The collector an entry without one is credited to. */
  name: string;
  memberId: string;
  now: number;
}

/**
 * Every row checked as a phone's entry is; each refusal says its line (or
 * the words `where` gives it) and what is wrong. An id on two rows is
 * refused too: the second would silently be dropped as a retry.
 */
export function checkEntryRows(
  settings: StudySettings,
  rows: readonly StudyImportRow[],
  author: EntryAuthor,
  where: (line: number) => string = (line) => `Line ${line}`,
): { entries: StudyEntry[]; errors: StudyLineError[] } {
  const entries: StudyEntry[] = [];
  const errors: StudyLineError[] = [];
  const lineOf = new Map<string, number>();
  for (const row of rows) {
    const refuse = (field: string, message: string) =>
      errors.push({ line: row.line, message: sentence(where(row.line), field, message) });
    const parsed = entryInputSchema.safeParse(row.fields);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      refuse(field, message);
      continue;
    }
    const { id, ...fields } = parsed.data;
    const first = lineOf.get(id);
    if (first !== undefined) {
      refuse('id', `“${id}” is also on ${where(first).toLowerCase()}: each entry needs its own id`);
      continue;
    }
    lineOf.set(id, row.line);
    if (fields.at === undefined) {
      refuse('at', 'is missing: write when the demand arrived, like 2026-03-02 09:15');
      continue;
    }
    try {
      const resolved = resolveFields(settings, fields);
      entries.push({
        id,
        verbatim: fields.verbatim,
        at: fields.at,
        collector: fields.collector ?? author.name,
        ...resolved,
        createdAt: author.now,
        updatedAt: author.now,
        by: author.memberId,
      } as StudyEntry);
    } catch (error) {
      refuse((error as { field?: string }).field ?? 'entry', (error as Error).message);
    }
  }
  return { entries, errors };
}

/** A refusal of a board file's study, in the board file's own words and path. */
export class StudyFileError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'StudyFileError';
  }
}

/**
 * A board file's (or an example's) study as the server stores it: the
 * settings through the settings schema (the file's type ids kept), every
 * entry through the entry checks. Throws a StudyFileError for the first
 * refusal; nothing is stored by this function.
 */
export function studyOfFile(
  study: BoardFileStudy,
  author: EntryAuthor,
): { settings: StudySettings; entries: StudyEntry[] } {
  const parsed = studySettingsSchema.safeParse(study.settings);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new StudyFileError(`The demand study's settings: “${field}” ${message}.`, `study.settings.${field}`);
  }
  const settings = settingsWithIds(parsed.data, null);
  const rows = study.entries.map((entry, index) => ({ line: index + 1, fields: { ...entry } }));
  const { entries, errors } = checkEntryRows(settings, rows, author, (n) => `Study entry ${n}`);
  if (errors.length > 0) throw new StudyFileError(errors[0].message, `study.entries[${errors[0].line - 1}]`);
  return { settings, entries };
}

/** Stores a checked study on a board that has none yet (a new board: imported, or made from an example). */
export async function storeStudy(
  studies: Pick<RoomStudies, 'putSettings' | 'add'>,
  boardId: string,
  study: { settings: StudySettings; entries: StudyEntry[] },
): Promise<void> {
  await studies.putSettings(boardId, study.settings);
  for (let i = 0; i < study.entries.length; i += STUDY_LIMITS.entriesPerBatch * 20)
    await studies.add(boardId, study.entries.slice(i, i + STUDY_LIMITS.entriesPerBatch * 20));
}

/** The same, straight to storage (the board file import runs beside the live rooms, on a board nobody has opened). */
export function storageStudies(storage: BoardStorage): Pick<RoomStudies, 'putSettings' | 'add'> {
  return {
    putSettings: (boardId, settings) => storage.putStudy(boardId, settings, Date.now()),
    add: (boardId, entries) => storage.addStudyEntries(boardId, entries),
  };
}
