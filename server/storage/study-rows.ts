/**
 * A demand-study entry as a table row (study_entries), shared by the SQLite
 * and the PostgreSQL storage so both keep the same columns: the fields the
 * study screen filters on are columns, never a JSON blob.
 */
import type { StudyEntry } from '../../src/model';

export interface StudyEntryRow {
  board_id: string;
  id: string;
  verbatim: string;
  at: string;
  day: string;
  collector: string;
  class: StudyEntry['class'] | null;
  type: string | null;
  handling: string | null;
  contact_method: string | null;
  point: string | null;
  what_matters_category: string | null;
  what_matters_note: string | null;
  value_demand_type: string | null;
  cause: string | null;
  created_at: number;
  updated_at: number;
  by_member: string;
}

/** A row as an entry: empty columns are left out, as the model has them (absent, not null). */
export function toStudyEntry(row: StudyEntryRow): StudyEntry {
  const entry: StudyEntry = {
    id: row.id,
    verbatim: row.verbatim,
    at: row.at,
    collector: row.collector,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    by: row.by_member,
  };
  if (row.class !== null) entry.class = row.class;
  if (row.type !== null) entry.type = row.type;
  if (row.handling !== null) entry.handling = row.handling;
  if (row.contact_method !== null) entry.contactMethod = row.contact_method;
  if (row.point !== null) entry.point = row.point;
  if (row.what_matters_category !== null || row.what_matters_note !== null) {
    entry.whatMatters = {};
    if (row.what_matters_category !== null) entry.whatMatters.category = row.what_matters_category;
    if (row.what_matters_note !== null) entry.whatMatters.note = row.what_matters_note;
  }
  if (row.value_demand_type !== null) entry.valueDemandType = row.value_demand_type;
  if (row.cause !== null) entry.cause = row.cause;
  return entry;
}

export function studyEntryParams(boardId: string, e: StudyEntry) {
  return {
    boardId,
    id: e.id,
    verbatim: e.verbatim,
    at: e.at,
    day: e.at.slice(0, 10),
    collector: e.collector,
    class: e.class ?? null,
    type: e.type ?? null,
    handling: e.handling ?? null,
    contactMethod: e.contactMethod ?? null,
    point: e.point ?? null,
    category: e.whatMatters?.category ?? null,
    note: e.whatMatters?.note ?? null,
    valueDemandType: e.valueDemandType ?? null,
    cause: e.cause ?? null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    by: e.by,
  };
}
