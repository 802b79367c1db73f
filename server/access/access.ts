/**
 * Who may open, change and run a board (issue 12; docs/security.md).
 *
 * Everything about access goes through this one object: the HTTP API asks it
 * before every route, the sync server before every connection and every
 * update, and the admin CLI uses it to grant a facilitator link. Turning a
 * participant key into a person is `resolveKey`, the one place that a sign-in
 * through an identity provider (OIDC) would later replace, mapping a
 * signed-in person to a participant.
 *
 * Keys and link tokens reach storage only as SHA-256 hashes and are never
 * logged; links are rebuilt from their ids with the server's link secret.
 */
import { nanoid } from 'nanoid';
import { ACCESS_ENDED, STUDY_WORDS, canEditWith, roleAtLeast, type AccessState, type Role } from '../../src/protocol';
import type {
  BoardRecord,
  BoardStorage,
  JoinedWith,
  LinkKind,
  LinkRecord,
  MemberRecord,
  NewBoardAccess,
} from '../storage/storage';
import { RateLimit } from './rate-limit';
import { SECRET_PATTERN, hashSecret, linkToken, newSecret } from './secrets';

/** A refusal with its HTTP status and, for clients that act on it, a machine-readable code. */
export class AccessError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The person behind a participant key. */
export interface Participant {
  keyHash: string;
  name: string;
}

export interface AccessOptions {
  linkSecret: Buffer;
  /** Participant keys one address may ask for per minute. */
  keysPerMinute: number;
  /** Failed key and link checks one address may make per minute before it gets 429. */
  failuresPerMinute: number;
  log: (message: string) => void;
}

export interface BoardLinks {
  edit: string;
  view: string;
  /** The Collect demand link (issue 14): it makes a collector, who gets the capture page, not the board. */
  collect: string;
}

/** The links a facilitator shares and can turn off (the admin link is the CLI's). */
export const SHARE_LINK_KINDS = ['edit', 'view', 'collect'] as const;
export type ShareLinkKind = (typeof SHARE_LINK_KINDS)[number];

/** The role a link gives. */
const ROLE_OF_LINK: Record<LinkKind, Role> = {
  admin: 'facilitator',
  edit: 'editor',
  view: 'viewer',
  collect: 'collector',
};

export interface MemberView {
  memberId: string;
  name: string;
  role: Role;
  joinedWith: JoinedWith;
  joinedAt: number;
  lastSeen: number;
  /** Connected to the board right now. */
  online: boolean;
  you: boolean;
}

const ROLE_WORDS: Record<Role, string> = {
  collector: 'Only someone on this board can do that',
  viewer: 'You can only view this board',
  editor: 'Only an editor or the facilitator can do that on this board',
  facilitator: 'Only the facilitator can do that on this board',
};

/** "Last seen" is for people, to the half minute: no write on every request. */
const SEEN_EVERY_MS = 30_000;

/** What changed about a board's access, for the sync server to apply to live connections. */
export type AccessChange = { boardId: string };

export function createAccess(storage: BoardStorage, options: AccessOptions) {
  const keyRequests = new RateLimit(options.keysPerMinute);
  const failures = new RateLimit(options.failuresPerMinute);
  const counters = { refusedKeys: 0, refusedLinks: 0, rateLimited: 0 };
  const listeners = new Set<(change: AccessChange) => void | Promise<void>>();
  const lastWritten = new Map<string, number>();
  // Who is connected is known to the sync server (server/sync/live-access.ts), which tells us.
  let isOnline: (boardId: string, memberId: string) => boolean = () => false;
  // Awaited, so that a route answers only once open sockets have their new access.
  const changed = async (boardId: string) => {
    await Promise.all([...listeners].map(async (listener) => listener({ boardId })));
  };

  function refuseIfLimited(address: string): void {
    if (failures.exhausted(address)) {
      counters.rateLimited += 1;
      throw new AccessError(429, 'Too many failed attempts from this address. Wait a minute and try again.');
    }
  }

  function failed(address: string, kind: 'key' | 'link'): void {
    if (kind === 'key') counters.refusedKeys += 1;
    else counters.refusedLinks += 1;
    failures.hit(address);
  }

  function linkUrl(base: string, link: LinkRecord): string {
    return `${base.replace(/\/+$/, '')}/join/${linkToken(options.linkSecret, link.id)}`;
  }

  function newLink(boardId: string, kind: LinkKind, now: number): LinkRecord {
    const id = nanoid(16);
    return {
      id,
      boardId,
      kind,
      tokenHash: hashSecret(linkToken(options.linkSecret, id)),
      createdAt: now,
      turnedOffAt: null,
    };
  }

  async function currentLinks(boardId: string): Promise<Partial<Record<ShareLinkKind, LinkRecord>>> {
    const links = await storage.activeLinks(boardId);
    return Object.fromEntries(
      SHARE_LINK_KINDS.map((kind) => [kind, links.find((l) => l.kind === kind)]).filter(([, link]) => link),
    ) as Partial<Record<ShareLinkKind, LinkRecord>>;
  }

  async function displayName(keyHash: string): Promise<string> {
    return (await storage.getParticipant(keyHash))?.name || 'Someone';
  }

  const access = {
    counters,

    setOnlineCheck(check: (boardId: string, memberId: string) => boolean): void {
      isOnline = check;
    },

    onChange(listener: (change: AccessChange) => void | Promise<void>): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** A new participant key (POST /api/keys). */
    async issueKey(address: string): Promise<string> {
      if (!keyRequests.hit(address)) {
        counters.rateLimited += 1;
        throw new AccessError(429, 'Too many new keys asked for from this address. Wait a minute and try again.');
      }
      const key = newSecret();
      await storage.createParticipant({ keyHash: hashSecret(key), name: '', createdAt: Date.now() });
      return key;
    },

    /**
     * The participant behind a key, or an AccessError (401, or 429 after too
     * many failures from this address). The key's words never reach a log.
     */
    async resolveKey(key: string | null | undefined, address: string): Promise<Participant> {
      refuseIfLimited(address);
      if (!key) {
        throw new AccessError(401, 'This request has no participant key. Reload the page to get one.', 'no-key');
      }
      if (!SECRET_PATTERN.test(key)) {
        failed(address, 'key');
        throw new AccessError(
          401,
          'The participant key is not well formed (43 letters, digits, "-" or "_").',
          'malformed-key',
        );
      }
      const participant = await storage.getParticipant(hashSecret(key));
      if (!participant) {
        failed(address, 'key');
        throw new AccessError(401, 'This participant key is not known to this server.', 'unknown-key');
      }
      return { keyHash: participant.keyHash, name: participant.name };
    },

    /** The key from an `Authorization: Bearer <key>` header; 401 for any other form. */
    async keyFromHeader(header: string | undefined, address: string): Promise<Participant> {
      if (header === undefined) return await access.resolveKey(null, address);
      const match = /^Bearer ([^\s]+)$/.exec(header.trim());
      if (!match) {
        refuseIfLimited(address);
        failed(address, 'key');
        throw new AccessError(401, 'The Authorization header must be "Bearer <participant key>".', 'malformed-key');
      }
      return await access.resolveKey(match[1], address);
    },

    async setName(participant: Participant, name: string): Promise<void> {
      await storage.setParticipantName(participant.keyHash, name);
    },

    /**
     * The caller's current membership of a board that exists, or 403 saying
     * why there is none (never a member, removed, or their link turned off).
     */
    async membership(participant: Participant, board: BoardRecord): Promise<MemberRecord> {
      const member = await storage.getMember(board.id, participant.keyHash);
      if (!member) {
        throw new AccessError(
          403,
          'You are not a member of this board. Open it from a link the facilitator shares.',
          ACCESS_ENDED.notMember,
        );
      }
      if (member.ended === 'removed') {
        throw new AccessError(403, 'The facilitator removed you from this board.', ACCESS_ENDED.removed);
      }
      if (member.ended === 'link turned off') {
        throw new AccessError(
          403,
          'The facilitator turned off the link you joined with — ask them for a new one.',
          ACCESS_ENDED.linkTurnedOff,
        );
      }
      return member;
    },

    /**
     * The membership, checked for at least `needed`; with `change`, also that
     * the board is not locked (the facilitator may change a locked board).
     */
    async require(participant: Participant, board: BoardRecord, needed: Role, change = false): Promise<MemberRecord> {
      const member = await access.membership(participant, board);
      // A collector's only door is the capture page: every board route says so, in words the phone can show.
      if (member.role === 'collector' && needed !== 'collector')
        throw new AccessError(403, STUDY_WORDS.collectorOnly, ACCESS_ENDED.collector);
      if (!roleAtLeast(member.role, needed)) throw new AccessError(403, `${ROLE_WORDS[needed]}.`);
      if (change && !canEditWith(member.role, !!board.lockedBy)) {
        throw new AccessError(403, `The facilitator locked this board: nothing can be changed until it is unlocked.`);
      }
      return member;
    },

    /** What a live connection of this member may do now. */
    async stateOf(member: MemberRecord, board: BoardRecord): Promise<AccessState> {
      const locked = !!board.lockedBy;
      const lockedBy = board.lockedBy ? await lockerName(board) : null;
      return { role: member.role, locked, lockedBy, canEdit: canEditWith(member.role, locked) };
    },

    /** The facilitator membership and the two links of a board `participant` is making. */
    newBoard(participant: Participant, boardId: string, now = Date.now()): NewBoardAccess {
      return {
        facilitator: {
          id: nanoid(12),
          boardId,
          keyHash: participant.keyHash,
          role: 'facilitator',
          joinedWith: 'created',
          linkId: null,
          joinedAt: now,
          lastSeen: now,
          ended: null,
        },
        links: SHARE_LINK_KINDS.map((kind) => newLink(boardId, kind, now)),
      };
    },

    async links(boardId: string, base: string): Promise<BoardLinks> {
      const current = await currentLinks(boardId);
      // A board from before access (or before the collect link) existed gets its missing links now.
      const urls = {} as BoardLinks;
      for (const kind of SHARE_LINK_KINDS) {
        let link = current[kind];
        if (!link) await storage.createLink((link = newLink(boardId, kind, Date.now())));
        urls[kind] = linkUrl(base, link);
      }
      return urls;
    },

    /** Replaces a link; everyone (but facilitators) who joined through the old one loses access at once. */
    async rotate(boardId: string, kind: ShareLinkKind, base: string): Promise<BoardLinks> {
      const old = (await currentLinks(boardId))[kind];
      const replacement = newLink(boardId, kind, Date.now());
      if (old) {
        const ended = await storage.turnOffLink(old.id, Date.now(), replacement);
        options.log(`board ${boardId}: the ${kind} link was turned off; ${ended.length} member(s) lost access`);
      } else await storage.createLink(replacement);
      await changed(boardId);
      return await access.links(boardId, base);
    },

    /**
     * Joins the board a link opens. `link` is the full URL or its token. A
     * stronger role the person already has is kept.
     */
    async join(
      participant: Participant,
      link: string,
      address: string,
      ourHosts: string[],
    ): Promise<{ boardId: string; role: Role }> {
      refuseIfLimited(address);
      const { token, foreignHost } = tokenOf(link.trim(), ourHosts);
      if (!SECRET_PATTERN.test(token)) {
        failed(address, 'link');
        throw new AccessError(
          400,
          'That is not a Purposeboard board link. Copy the whole link the facilitator shared.',
        );
      }
      const record = await storage.getLinkByTokenHash(hashSecret(token));
      const board = record ? await storage.getBoard(record.boardId) : null;
      if (!record || !board) {
        failed(address, 'link');
        // A link made for this server under another address (localhost, a LAN IP, the old port) still
        // works; one that opens nothing here and names another host is most likely another server's.
        if (foreignHost) {
          throw new AccessError(
            400,
            `This link is for another server (${foreignHost}), not this one. Open it in the browser instead.`,
          );
        }
        throw new AccessError(
          404,
          'This link does not open any board on this server. Check it, or ask the facilitator for a new one.',
        );
      }
      if (record.turnedOffAt !== null) {
        failed(address, 'link');
        throw new AccessError(
          403,
          record.kind === 'admin'
            ? 'This facilitator link has been used already. Ask the administrator for a new one.'
            : 'The facilitator turned off this link — ask them for a new one.',
        );
      }
      const role: Role = ROLE_OF_LINK[record.kind];
      const now = Date.now();
      const existing = await storage.getMember(board.id, participant.keyHash);
      if (existing && existing.ended === null && roleAtLeast(existing.role, role)) {
        await storage.updateMember(board.id, existing.id, { lastSeen: now });
        return { boardId: board.id, role: existing.role };
      }
      await storage.putMember({
        id: existing?.id ?? nanoid(12),
        boardId: board.id,
        keyHash: participant.keyHash,
        role,
        joinedWith: record.kind,
        // An admin link opens once; the facilitator it makes does not depend on it.
        linkId: record.kind === 'admin' ? null : record.id,
        joinedAt: existing?.ended === null ? existing.joinedAt : now,
        lastSeen: now,
        ended: null,
      });
      if (record.kind === 'admin') await storage.turnOffLink(record.id, now);
      await changed(board.id);
      return { boardId: board.id, role };
    },

    async members(boardId: string, you: Participant): Promise<MemberView[]> {
      return (await storage.listMembers(boardId)).map((m) => ({
        memberId: m.id,
        name: m.name || 'Someone',
        role: m.role,
        joinedWith: m.joinedWith,
        joinedAt: m.joinedAt,
        lastSeen: m.lastSeen,
        online: isOnline(boardId, m.id),
        you: m.keyHash === you.keyHash,
      }));
    },

    /** Another member: 404 when there is none by that id (or it has ended). */
    async requireMember(boardId: string, memberId: string): Promise<MemberRecord> {
      const member = await storage.getMemberById(boardId, memberId);
      if (!member || member.ended !== null)
        throw new AccessError(404, `There is no member "${memberId}" on this board.`);
      return member;
    },

    async setRole(boardId: string, memberId: string, role: Role): Promise<void> {
      const member = await access.requireMember(boardId, memberId);
      if (member.role === 'facilitator' && role !== 'facilitator')
        await lastFacilitatorCheck(boardId, 'change the role of');
      await storage.updateMember(boardId, memberId, { role });
      await changed(boardId);
    },

    async remove(boardId: string, memberId: string): Promise<void> {
      const member = await access.requireMember(boardId, memberId);
      if (member.role === 'facilitator') await lastFacilitatorCheck(boardId, 'remove');
      await storage.updateMember(boardId, memberId, { ended: 'removed' });
      const board = await storage.getBoard(boardId);
      if (board?.lockedBy === memberId) await storage.setLock(boardId, null);
      await changed(boardId);
    },

    async setLock(board: BoardRecord, by: MemberRecord | null): Promise<{ locked: boolean; lockedBy: string | null }> {
      await storage.setLock(board.id, by?.id ?? null);
      await changed(board.id);
      return { locked: by !== null, lockedBy: by ? await displayName(by.keyHash) : null };
    },

    lockerName,

    /** Notes that a member was here; written at most every SEEN_EVERY_MS per member, not on every request. */
    async seen(member: MemberRecord, now = Date.now()): Promise<void> {
      const key = `${member.boardId}/${member.id}`;
      if (now - (lastWritten.get(key) ?? 0) < SEEN_EVERY_MS) return;
      if (lastWritten.size > 10_000) lastWritten.clear();
      lastWritten.set(key, now);
      await storage.updateMember(member.boardId, member.id, { lastSeen: now });
    },

    /**
     * A new facilitator link for a board, opening once (`npm run admin -- grant`,
     * and the first start after the upgrade).
     */
    async grant(boardId: string, base: string): Promise<string> {
      const link = newLink(boardId, 'admin', Date.now());
      await storage.createLink(link);
      return linkUrl(base, link);
    },

    /**
     * Boards from before access existed have no links and no members: each
     * gets its two links, and a facilitator link printed once in the log.
     */
    async upgradeOldBoards(base: string): Promise<void> {
      for (const board of await storage.listBoards()) {
        const { edit, view } = await currentLinks(board.id);
        const now = Date.now();
        // The collect link is made when the links are first asked for (`links`); edit and view say a board has access.
        if (edit && view) continue;
        if (!edit) await storage.createLink(newLink(board.id, 'edit', now));
        if (!view) await storage.createLink(newLink(board.id, 'view', now));
        if (!(await storage.listMembers(board.id)).some((m) => m.role === 'facilitator')) {
          options.log(
            `board ${board.id} "${board.title}" has no facilitator yet; open this link to become it (shown once; \`npm run admin -- grant ${board.id}\` makes another): ${await access.grant(board.id, base)}`,
          );
        }
      }
    },
  };

  async function lockerName(board: BoardRecord): Promise<string | null> {
    if (!board.lockedBy) return null;
    const member = await storage.getMemberById(board.id, board.lockedBy);
    return member ? await displayName(member.keyHash) : 'the facilitator';
  }

  async function lastFacilitatorCheck(boardId: string, what: string): Promise<void> {
    const facilitators = (await storage.listMembers(boardId)).filter((m) => m.role === 'facilitator');
    if (facilitators.length <= 1) {
      throw new AccessError(
        409,
        `You cannot ${what} the board's last facilitator. Make someone else facilitator first.`,
      );
    }
  }

  return access;
}

export type Access = ReturnType<typeof createAccess>;

/**
 * The token at the end of a link: the last path segment of a URL, or the
 * text itself, and the URL's host when it is not one of ours.
 */
function tokenOf(link: string, ourHosts: string[]): { token: string; foreignHost: string | null } {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(link)) return { token: link.replace(/^\/?(join\/)?/, ''), foreignHost: null };
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new AccessError(400, 'That is not a Purposeboard board link. Copy the whole link the facilitator shared.');
  }
  const host = url.host.toLowerCase();
  const segments = url.pathname.split('/').filter(Boolean);
  return {
    token: segments[segments.length - 1] ?? '',
    foreignHost: ourHosts.length > 0 && !ourHosts.includes(host) ? url.host : null,
  };
}
