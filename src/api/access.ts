/**
 * Who may open and change a board (issue 12): this person's access, the
 * share links, the members, the lock and joining from a link. Roles are
 * enforced by the server; these calls only ask. Errors carry the server's words.
 */
import { canEditWith, type AccessState, type Role } from '../protocol';
import { request } from './http';

export type { AccessState, Role } from '../protocol';

const boardPath = (id: string) => `/api/boards/${encodeURIComponent(id)}`;

/** GET /api/boards/:id: the board's summary and this person's access to it. */
export interface BoardAccess extends AccessState {
  id: string;
  title: string;
  memberId: string;
}

export async function getBoardAccess(boardId: string): Promise<BoardAccess> {
  const answer = await request<Omit<BoardAccess, 'canEdit'> & { canEdit?: boolean }>('GET', boardPath(boardId));
  // canEdit is the server's to say; where an answer lacks it, it follows from the role and the lock.
  const canEdit = answer.canEdit ?? canEditWith(answer.role, answer.locked);
  return { ...answer, lockedBy: answer.lockedBy ?? null, canEdit };
}

/** The share links, full URLs ending in their token; `collect` makes a collector (the demand study's capture page). */
export interface ShareLinks {
  edit: string;
  view: string;
  collect: string;
}
export type LinkKind = keyof ShareLinks;

export function getShareLinks(boardId: string): Promise<ShareLinks> {
  return request('GET', `${boardPath(boardId)}/links`);
}

/** Turns a link off and makes a new one; everyone who joined through the old one loses access. */
export function turnOffLink(boardId: string, kind: LinkKind): Promise<ShareLinks> {
  return request('POST', `${boardPath(boardId)}/links/${kind}/rotate`);
}

export interface Member {
  memberId: string;
  name: string;
  role: Role;
  joinedWith: 'created' | 'edit' | 'view' | 'collect' | 'admin';
  /** ms since 1970 */
  joinedAt: number;
  lastSeen: number;
  /** Connected now (the contract has it; an answer without it shows the last time seen). */
  online?: boolean;
  /** The person asking. */
  you: boolean;
}

export function listMembers(boardId: string): Promise<Member[]> {
  return request('GET', `${boardPath(boardId)}/members`);
}

export function setMemberRole(boardId: string, memberId: string, role: Role): Promise<Member> {
  return request('PATCH', `${boardPath(boardId)}/members/${encodeURIComponent(memberId)}`, { role });
}

export function removeMember(boardId: string, memberId: string): Promise<void> {
  return request('DELETE', `${boardPath(boardId)}/members/${encodeURIComponent(memberId)}`);
}

export function setBoardLock(boardId: string, locked: boolean): Promise<{ locked: boolean; lockedBy: string | null }> {
  return request('PUT', `${boardPath(boardId)}/lock`, { locked });
}

/** Joins the board a share link (its full URL, or just its token) points to. */
export function joinBoard(link: string): Promise<{ boardId: string; role: Role }> {
  return request('POST', '/api/join', { link });
}
