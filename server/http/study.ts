/**
 * The demand study over HTTP (issue 14; README "Public interfaces"):
 *
 *   PUT    /api/boards/:id/study                         settings → 200 the settings      (editor, facilitator)
 *   GET    /api/boards/:id/study                         → { settings, summary }          (viewer+)
 *   GET    /api/boards/:id/study/capture                 → what the capture page needs     (collector+)
 *   POST   /api/boards/:id/study/entries                 one entry or { entries: [≤500] } (collector, editor, facilitator)
 *   GET    /api/boards/:id/study/entries?needs=&q=&from=&to=&collector=&offset=&limit=  (editor, facilitator)
 *   PATCH  /api/boards/:id/study/entries/:entryId        (editor, facilitator)
 *   DELETE /api/boards/:id/study/entries/:entryId        (editor, facilitator; a collector: their own latest only)
 *   GET    /api/boards/:id/study/summary?from=&to=       (viewer+)
 *   POST   /api/boards/:id/study/bulk-reclassify         { fromType, toType } (editor, facilitator)
 *
 * Entries are all-or-nothing: one refused entry refuses the request, and
 * the answer lists every refused entry with why. An id the board already
 * has is a phone's retry: it is not stored again (200 when nothing was new).
 * Entries are not held back by the board's lock — collection runs for weeks,
 * workshops lock for an hour — but settings and edits of entries are.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { nanoid } from 'nanoid';
import { z } from 'zod';
import { typesById, type StudyEntry, type StudySettings } from '../../src/model';
import {
  STUDY_WORDS,
  bulkReclassifySchema,
  entriesBatchSchema,
  entryFiltersSchema,
  entryInputSchema,
  entryPatchSchema,
  studySettingsSchema,
  summaryFiltersSchema,
  type EntryInput,
  type EntryPatch,
  type StudySettingsParsed,
} from '../../src/protocol';
import type { Access } from '../access/access';
import type { RoomStudies } from '../sync/study';
import { BOARD_ID_RULE, HttpError, decodeSegment, parseBody, readJsonBody, sendJson } from './respond';
import type { BoardAccess, RequestContext } from './versions';

/** 500 entries of 2,000 characters, each up to 4 bytes in UTF-8, with their notes: a generous bound. */
const MAX_ENTRIES_BODY_BYTES = 12 * 1024 * 1024;
const MAX_BODY_BYTES = 256 * 1024;
const ENTRY_ID_RULE = 'An entry id is 8 to 64 letters, digits, "_" or "-"';

export interface Refusal {
  /** The entry's place in the request, from 1. */
  entry: number;
  id: string | null;
  field: string;
  error: string;
}

class RefusedEntries extends Error {
  constructor(readonly refused: Refusal[]) {
    super('refused');
  }
}

export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: issue.path.join('.') || 'entry', message: issue.message };
}

function query(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(new URL(request.url ?? '/', 'http://localhost').searchParams);
}

function parseQuery<T>(schema: z.ZodType<T>, request: IncomingMessage): T {
  const parsed = schema.safeParse(query(request));
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new HttpError(400, `"${field}" ${message}`);
  }
  return parsed.data;
}

/** The settings as stored: every demand type with an id, a renamed-or-kept type keeping the one it had. */
export function settingsWithIds(input: StudySettingsParsed, previous: StudySettings | null): StudySettings {
  const byName = new Map((previous?.demandTypes ?? []).map((t) => [t.name.toLowerCase(), t.id]));
  const taken = new Set(input.demandTypes.map((t) => t.id).filter((id): id is string => !!id));
  const demandTypes = input.demandTypes.map((t) => {
    let id = t.id ?? byName.get(t.name.toLowerCase());
    if (!id || (!t.id && taken.has(id))) id = nanoid(8);
    taken.add(id);
    return { id, name: t.name, class: t.class, ...(t.definition ? { definition: t.definition } : {}) };
  });
  if (new Set(demandTypes.map((t) => t.id)).size !== demandTypes.length)
    throw new HttpError(400, '"demandTypes" has two types with the same id');
  return {
    demandTypes,
    handlingTypes: input.handlingTypes,
    contactMethods: input.contactMethods,
    ...(input.defaultContactMethod !== undefined ? { defaultContactMethod: input.defaultContactMethod } : {}),
    ...(input.points !== undefined ? { points: input.points } : {}),
    ...(input.whatMattersCategories !== undefined ? { whatMattersCategories: input.whatMattersCategories } : {}),
    start: input.start,
    end: input.end,
    capture: input.capture,
  };
}

/** A demand type by id or by name (any case); undefined when it names none. */
function findType(settings: StudySettings, ref: string) {
  const lower = ref.toLowerCase();
  return (
    settings.demandTypes.find((t) => t.id === ref) ?? settings.demandTypes.find((t) => t.name.toLowerCase() === lower)
  );
}

function findName(list: readonly string[] | undefined, value: string): string | undefined {
  const lower = value.toLowerCase();
  return list?.find((item) => item.toLowerCase() === lower);
}

export type EntryFields = Omit<EntryInput, 'id'>;

/**
 * The fields checked against the study's settings and written as stored:
 * names resolved to the settings' ids and spellings. Throws a
 * { field, message } for the first field it refuses.
 */
export function resolveFields(settings: StudySettings, fields: EntryFields): Partial<StudyEntry> {
  const refuse = (field: string, message: string): never => {
    throw Object.assign(new Error(message), { field });
  };
  const out: Partial<StudyEntry> = {};
  if (fields.verbatim !== undefined) out.verbatim = fields.verbatim;
  if (fields.collector) out.collector = fields.collector;
  if (fields.at !== undefined) {
    const day = fields.at.slice(0, 10);
    if (day < settings.start || day > settings.end) refuse('at', STUDY_WORDS.outside(settings.start, settings.end));
    out.at = fields.at;
  }
  const typeNames = settings.demandTypes.map((t) => t.name);
  if (fields.type) {
    const type = findType(settings, fields.type) ?? refuse('type', STUDY_WORDS.unknownType(typeNames));
    if (fields.class && fields.class !== 'unsure' && fields.class !== type.class)
      refuse('class', STUDY_WORDS.classClash(type.name, fields.class));
    out.type = type.id;
    out.class = type.class;
  } else if (fields.class) out.class = fields.class;
  if (fields.valueDemandType) {
    const type = findType(settings, fields.valueDemandType);
    if (!type || type.class !== 'value') refuse('valueDemandType', STUDY_WORDS.notValueType);
    out.valueDemandType = type!.id;
  }
  if (fields.handling) {
    const handling = settings.handlingTypes.find((h) => h.name.toLowerCase() === fields.handling!.toLowerCase());
    out.handling =
      handling?.name ??
      refuse(
        'handling',
        STUDY_WORDS.unknownChoice(
          'handling types',
          settings.handlingTypes.map((h) => h.name),
        ),
      );
  }
  if (fields.contactMethod)
    out.contactMethod =
      findName(settings.contactMethods, fields.contactMethod) ??
      refuse('contactMethod', STUDY_WORDS.unknownChoice('contact methods', settings.contactMethods));
  if (fields.point)
    out.point =
      findName(settings.points, fields.point) ??
      refuse('point', STUDY_WORDS.unknownChoice('points of transaction', settings.points ?? []));
  if (fields.whatMatters) {
    const { category, note } = fields.whatMatters;
    const wm: NonNullable<StudyEntry['whatMatters']> = {};
    if (category) {
      // Categories are a help, not a fence, when the study lists none: any words are kept.
      wm.category = settings.whatMattersCategories?.length
        ? (findName(settings.whatMattersCategories, category) ??
          refuse(
            'whatMatters.category',
            STUDY_WORDS.unknownChoice('what-matters categories', settings.whatMattersCategories),
          ))
        : category;
    }
    if (note) wm.note = note;
    if (wm.category || wm.note) out.whatMatters = wm;
  }
  if (fields.cause) out.cause = fields.cause;
  return out;
}

/**
 * Entries as a phone, a batch or an import sends them, checked against the
 * study: the stored entries, and every refused one with its place (from 1),
 * field and reason. Shared by POST …/study/entries and the CSV/XLSX import,
 * so both refuse the same things in the same words.
 */
export function checkEntries(
  settings: StudySettings,
  raw: readonly unknown[],
  who: { by: string; collector: string; now?: number },
): { entries: StudyEntry[]; refused: Refusal[] } {
  const refused: Refusal[] = [];
  const entries: StudyEntry[] = [];
  const now = who.now ?? Date.now();
  const nowIso = new Date(now).toISOString();
  raw.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      refused.push({ entry: index + 1, id: null, field: 'entry', error: 'must be a JSON object' });
      return;
    }
    const rawId = (item as { id?: unknown }).id;
    const idText = typeof rawId === 'string' ? rawId : null;
    const parsed = entryInputSchema.safeParse(item);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      refused.push({ entry: index + 1, id: idText, field, error: message });
      return;
    }
    try {
      const { id: entryId, ...fields } = parsed.data;
      const resolved = resolveFields(settings, { ...fields, at: fields.at ?? nowIso });
      entries.push({
        id: entryId,
        verbatim: fields.verbatim,
        at: fields.at ?? nowIso,
        collector: fields.collector ?? who.collector,
        ...resolved,
        createdAt: now,
        updatedAt: now,
        by: who.by,
      } as StudyEntry);
    } catch (error) {
      const field = (error as { field?: string }).field ?? 'entry';
      refused.push({ entry: index + 1, id: idText, field, error: (error as Error).message });
    }
  });
  return { entries, refused };
}

/** The optional fields an entry may have cleared (PATCH null). */
const CLEARABLE = [
  'class',
  'type',
  'handling',
  'contactMethod',
  'point',
  'whatMatters',
  'valueDemandType',
  'cause',
] as const;

function entryMatches(entry: StudyEntry, q: string): boolean {
  return (
    entry.verbatim.toLowerCase().includes(q) ||
    entry.collector.toLowerCase().includes(q) ||
    (entry.cause?.toLowerCase().includes(q) ?? false) ||
    (entry.whatMatters?.note?.toLowerCase().includes(q) ?? false)
  );
}

/** Newest first: by when it was said, then when it was stored. */
function newestFirst(a: StudyEntry, b: StudyEntry): number {
  return a.at < b.at ? 1 : a.at > b.at ? -1 : b.createdAt - a.createdAt;
}

/** The member's latest stored entry: the last of those stored at the latest time (a batch keeps its order). */
function latestOf(entries: Iterable<StudyEntry>, memberId: string): StudyEntry | null {
  let latest: StudyEntry | null = null;
  for (const entry of entries)
    if (entry.by === memberId && (!latest || entry.createdAt >= latest.createdAt)) latest = entry;
  return latest;
}

export function createStudyApi(boards: BoardAccess, access: Access, studies: RoomStudies) {
  async function requireStudy(boardId: string): Promise<StudySettings> {
    const settings = await studies.settings(boardId);
    if (!settings) throw new HttpError(409, STUDY_WORDS.noStudy);
    return settings;
  }

  async function member(
    ctx: RequestContext,
    boardId: string,
    needed: Parameters<BoardAccess['requireBoard']>[2],
    change = false,
  ) {
    const board = await boards.requireBoard(ctx, boardId, needed, change);
    const me = await access.membership(ctx.caller, board);
    return { board, me };
  }

  async function putSettings(ctx: RequestContext, request: IncomingMessage, response: ServerResponse, id: string) {
    await member(ctx, id, 'editor', true);
    const input = parseBody(studySettingsSchema, await readJsonBody(request, MAX_BODY_BYTES));
    const settings = await studies.exclusive(id, async ({ settings: previous, entries }) => {
      const next = settingsWithIds(input, previous);
      // A type, a handling or a period that entries still use cannot go: the entries would silently stop counting.
      const types = new Set(next.demandTypes.map((t) => t.id));
      const handling = new Set(next.handlingTypes.map((h) => h.name));
      const valueTypes = new Set(next.demandTypes.filter((t) => t.class === 'value').map((t) => t.id));
      let typeInUse: string | null = null;
      let handlingInUse: string | null = null;
      let outside = 0;
      for (const e of entries.values()) {
        if ((e.type && !types.has(e.type)) || (e.valueDemandType && !valueTypes.has(e.valueDemandType)))
          typeInUse ??=
            previous?.demandTypes.find((t) => t.id === e.type || t.id === e.valueDemandType)?.name ?? e.type ?? null;
        if (e.handling && !handling.has(e.handling)) handlingInUse ??= e.handling;
        const day = e.at.slice(0, 10);
        if (day < next.start || day > next.end) outside++;
      }
      if (typeInUse !== null)
        throw new HttpError(
          409,
          `Entries are of the demand type "${typeInUse}" (or link to it as value demand), so it cannot be removed or made failure demand: reclassify them first (bulk reclassify).`,
        );
      if (handlingInUse !== null)
        throw new HttpError(409, `Entries were handled "${handlingInUse}", so that handling type cannot be removed.`);
      if (outside > 0)
        throw new HttpError(
          409,
          `${outside} ${outside === 1 ? 'entry is' : 'entries are'} dated outside ${next.start} to ${next.end}: the study period must cover every entry.`,
        );
      await studies.putSettings(id, next);
      return next;
    });
    sendJson(response, 200, settings);
  }

  async function addEntries(ctx: RequestContext, request: IncomingMessage, response: ServerResponse, id: string) {
    const { me } = await member(ctx, id, 'collector');
    if (me.role === 'viewer')
      throw new HttpError(403, 'You can only view this board: ask for the Collect demand link to add entries.');
    const body = await readJsonBody(request, MAX_ENTRIES_BODY_BYTES);
    const batch = typeof body === 'object' && body !== null && 'entries' in body;
    const raw: unknown[] = batch ? parseBody(entriesBatchSchema, body).entries : [parseBody(z.unknown(), body)];
    const name = ctx.caller.name.trim() || 'Someone';
    const result = await studies.addGrouped(id, (settings) => {
      if (!settings) throw new HttpError(409, STUDY_WORDS.noStudy);
      const { entries, refused } = checkEntries(settings, raw, { by: me.id, collector: name });
      if (refused.length > 0) throw new RefusedEntries(refused);
      return entries;
    });
    sendJson(response, result.added.length > 0 ? 201 : 200, result);
  }

  async function listEntries(request: IncomingMessage, response: ServerResponse, id: string) {
    const filters = parseQuery(entryFiltersSchema, request);
    const settings = await requireStudy(id);
    const types = typesById(settings);
    const q = filters.q?.toLowerCase();
    const needs = { classification: 0, handling: 0, valueLink: 0 };
    const matching: StudyEntry[] = [];
    for (const entry of await studies.entries(id)) {
      const day = entry.at.slice(0, 10);
      if ((filters.from && day < filters.from) || (filters.to && day > filters.to)) continue;
      if (filters.collector && entry.collector !== filters.collector) continue;
      if (q && !entryMatches(entry, q)) continue;
      const known = entry.type !== undefined && types.has(entry.type);
      const failure = known ? types.get(entry.type!)!.class === 'failure' : entry.class === 'failure';
      const need = { classification: !known, handling: !entry.handling, valueLink: failure && !entry.valueDemandType };
      if (need.classification) needs.classification++;
      if (need.handling) needs.handling++;
      if (need.valueLink) needs.valueLink++;
      if (filters.needs && !need[filters.needs]) continue;
      matching.push(entry);
    }
    matching.sort(newestFirst);
    sendJson(response, 200, {
      entries: matching.slice(filters.offset, filters.offset + filters.limit),
      total: matching.length,
      needs,
      offset: filters.offset,
      limit: filters.limit,
    });
  }

  async function patchEntry(request: IncomingMessage, response: ServerResponse, id: string, entryId: string) {
    const body = await readJsonBody(request, MAX_BODY_BYTES);
    const patch: EntryPatch = parseBody(entryPatchSchema, body);
    const updated = await studies.exclusive(id, async ({ settings, entries }) => {
      if (!settings) throw new HttpError(409, STUDY_WORDS.noStudy);
      const entry = entries.get(entryId);
      if (!entry) throw new HttpError(404, `There is no entry "${entryId}" in this study.`);
      const next: StudyEntry = { ...entry, updatedAt: Date.now() };
      for (const key of CLEARABLE) if (patch[key] === null) delete next[key];
      // A new type sets the class; a type cleared leaves the class the collector chose, or none.
      if (patch.type === null && patch.class === undefined) delete next.class;
      const fields: EntryFields = {
        verbatim: patch.verbatim ?? next.verbatim,
        at: patch.at ?? next.at,
        collector: patch.collector ?? next.collector,
        class: patch.class === null ? undefined : (patch.class ?? (patch.type ? undefined : next.class)),
        type: patch.type === null ? undefined : (patch.type ?? next.type),
        handling: patch.handling === null ? undefined : (patch.handling ?? next.handling),
        contactMethod: patch.contactMethod === null ? undefined : (patch.contactMethod ?? next.contactMethod),
        point: patch.point === null ? undefined : (patch.point ?? next.point),
        whatMatters: patch.whatMatters === null ? undefined : (patch.whatMatters ?? next.whatMatters),
        valueDemandType: patch.valueDemandType === null ? undefined : (patch.valueDemandType ?? next.valueDemandType),
        cause: patch.cause === null ? undefined : (patch.cause ?? next.cause),
      };
      let resolved: Partial<StudyEntry>;
      try {
        resolved = resolveFields(settings, fields);
      } catch (error) {
        const field = (error as { field?: string }).field ?? 'entry';
        throw new HttpError(400, `"${field}" ${(error as Error).message}`);
      }
      const stored: StudyEntry = {
        id: entry.id,
        verbatim: resolved.verbatim ?? entry.verbatim,
        at: resolved.at ?? entry.at,
        collector: resolved.collector ?? entry.collector,
        createdAt: entry.createdAt,
        updatedAt: next.updatedAt,
        by: entry.by,
      };
      for (const key of CLEARABLE)
        if (resolved[key] !== undefined) (stored as unknown as Record<string, unknown>)[key] = resolved[key];
      await studies.update(id, [stored]);
      return stored;
    });
    sendJson(response, 200, updated);
  }

  async function deleteEntry(ctx: RequestContext, response: ServerResponse, id: string, entryId: string) {
    const { board, me } = await member(ctx, id, 'collector');
    if (me.role === 'viewer') throw new HttpError(403, 'You can only view this board.');
    // An editor's removal is a change of the board: the lock holds it back, as it does every edit.
    if (me.role !== 'collector') await access.require(ctx.caller, board, 'editor', true);
    await studies.exclusive(id, async ({ entries }) => {
      const entry = entries.get(entryId);
      if (!entry) throw new HttpError(404, `There is no entry "${entryId}" in this study.`);
      if (me.role === 'collector' && latestOf(entries.values(), me.id)?.id !== entryId)
        throw new HttpError(403, STUDY_WORDS.notLatest);
      await studies.remove(id, [entryId]);
    });
    response.writeHead(204).end();
  }

  async function bulkReclassify(request: IncomingMessage, response: ServerResponse, id: string) {
    const input = parseBody(bulkReclassifySchema, await readJsonBody(request, MAX_BODY_BYTES));
    const changed = await studies.exclusive(id, async ({ settings, entries }) => {
      if (!settings) throw new HttpError(409, STUDY_WORDS.noStudy);
      const names = settings.demandTypes.map((t) => t.name);
      const from = findType(settings, input.fromType);
      if (!from) throw new HttpError(400, `"fromType" ${STUDY_WORDS.unknownType(names)}`);
      const to = findType(settings, input.toType);
      if (!to) throw new HttpError(400, `"toType" ${STUDY_WORDS.unknownType(names)}`);
      const now = Date.now();
      const moved: StudyEntry[] = [];
      for (const e of entries.values())
        if (e.type === from.id) moved.push({ ...e, type: to.id, class: to.class, updatedAt: now });
      await studies.update(id, moved);
      return moved.length;
    });
    sendJson(response, 200, { changed });
  }

  async function capture(ctx: RequestContext, response: ServerResponse, id: string) {
    const { board, me } = await member(ctx, id, 'collector');
    const settings = await studies.settings(id);
    const latest = latestOf(await studies.entries(id), me.id);
    sendJson(response, 200, {
      boardId: id,
      title: board.title,
      collector: ctx.caller.name,
      role: me.role,
      study: settings,
      latest: latest ? latest.id : null,
    });
  }

  /** Handles /api/boards/:id/study…; false when the path is not one of these. */
  return async function handleStudyApi(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    const match = /^\/api\/boards\/([^/]+)\/study(?:\/(capture|entries|summary|bulk-reclassify)(?:\/([^/]+))?)?$/.exec(
      pathname,
    );
    if (!match) return false;
    const [, rawId, part, rawEntry] = match;
    const id = decodeSegment(rawId, BOARD_ID_RULE);
    const method = request.method ?? 'GET';
    const notAllowed = (route: string) => new HttpError(405, `${method} is not allowed on ${route}`);
    try {
      if (part === undefined) {
        if (method === 'PUT') return (await putSettings(ctx, request, response, id), true);
        if (method !== 'GET') throw notAllowed('/api/boards/:id/study');
        await member(ctx, id, 'viewer');
        const settings = await studies.settings(id);
        sendJson(response, 200, { settings, summary: settings ? await studies.summary(id) : null });
        return true;
      }
      if (part === 'capture') {
        if (rawEntry !== undefined) return false;
        if (method !== 'GET') throw notAllowed('/api/boards/:id/study/capture');
        return (await capture(ctx, response, id), true);
      }
      if (part === 'summary') {
        if (rawEntry !== undefined) return false;
        if (method !== 'GET') throw notAllowed('/api/boards/:id/study/summary');
        await member(ctx, id, 'viewer');
        const { from, to } = parseQuery(summaryFiltersSchema, request);
        await requireStudy(id);
        sendJson(response, 200, await studies.summary(id, from, to));
        return true;
      }
      if (part === 'bulk-reclassify') {
        if (rawEntry !== undefined) return false;
        if (method !== 'POST') throw notAllowed('/api/boards/:id/study/bulk-reclassify');
        await member(ctx, id, 'editor', true);
        return (await bulkReclassify(request, response, id), true);
      }
      // entries
      if (rawEntry === undefined) {
        if (method === 'POST') return (await addEntries(ctx, request, response, id), true);
        if (method !== 'GET') throw notAllowed('/api/boards/:id/study/entries');
        await member(ctx, id, 'editor');
        return (await listEntries(request, response, id), true);
      }
      const entryId = decodeSegment(rawEntry, ENTRY_ID_RULE);
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(entryId)) throw new HttpError(400, ENTRY_ID_RULE);
      if (method === 'DELETE') return (await deleteEntry(ctx, response, id, entryId), true);
      if (method !== 'PATCH') throw notAllowed('/api/boards/:id/study/entries/:entryId');
      await member(ctx, id, 'editor', true);
      return (await patchEntry(request, response, id, entryId), true);
    } catch (error) {
      if (error instanceof RefusedEntries) {
        const n = error.refused.length;
        sendJson(response, 400, {
          error: `${n} ${n === 1 ? 'entry was' : 'entries were'} refused, so nothing was stored: ${error.refused
            .slice(0, 3)
            .map((r) => `entry ${r.entry}: "${r.field}" ${r.error}`)
            .join('; ')}${n > 3 ? '; …' : ''}`,
          refused: error.refused,
        });
        return true;
      }
      throw error;
    }
  };
}
