/**
 * Participant keys and link tokens: random secrets from the OS CSPRNG, kept
 * by the server only as SHA-256 hashes. A hash of a 256-bit random secret
 * cannot be reversed or guessed, so no slow password hash is needed; lookups
 * are by hash, so the secret itself is never compared byte by byte.
 *
 * A link's token is not stored at all: it is an HMAC of the link's id under
 * the server's link secret (DATA_DIR/link-secret), so the facilitator can be
 * shown the link again on any device, while the database alone — a backup, a
 * copied file — holds nothing that opens a board.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A key or a token: 32 random bytes in base64url, 43 characters. */
export const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time equality of two hex hashes (or any two strings of equal length). */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export const LINK_SECRET_FILE = 'link-secret';

/**
 * The server's link secret: PURPOSEBOARD_LINK_SECRET when set, else the file
 * in the data directory, made on first start (readable by its owner only).
 */
export function loadLinkSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.PURPOSEBOARD_LINK_SECRET?.trim();
  if (fromEnv) return Buffer.from(fromEnv, 'utf8');
  const file = path.join(dataDir, LINK_SECRET_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = crypto.randomBytes(32);
  // wx: two processes starting at once cannot both write one; the loser reads the winner's.
  try {
    fs.writeFileSync(file, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  }
}

/** The token of link `linkId`: what the link's URL ends with. */
export function linkToken(secret: Buffer, linkId: string): string {
  return crypto.createHmac('sha256', secret).update(`link:${linkId}`).digest('base64url');
}
