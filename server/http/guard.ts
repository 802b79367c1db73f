/**
 * What every request must pass before it reaches the app, the API or the
 * websocket: a Host this server answers to (against DNS rebinding: a page on
 * attacker.example whose name is made to point at this machine still sends
 * `Host: attacker.example`), and, for anything that changes state, an Origin
 * that is this server's own or one the operator allowed. A request with no
 * Origin at all (the CLI, a script, a y-websocket client in Node) is not a
 * browser page and is let through: its participant key protects it.
 */
import type { IncomingMessage } from 'node:http';
import net from 'node:net';

export interface GuardOptions {
  /** Host names allowed besides localhost and IP literals (ALLOWED_HOSTS). */
  allowedHosts: string[];
  /** Origins allowed besides the server's own (ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /** The address people use, behind a proxy (PUBLIC_URL), or null. */
  publicUrl: string | null;
}

/** The host name of a Host header, lower case, without port or IPv6 brackets; null when malformed. */
function hostName(host: string): string | null {
  const trimmed = host.trim().toLowerCase();
  const v6 = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(trimmed);
  if (v6) return v6[1];
  const plain = /^([a-z0-9.-]+)(?::\d+)?$/.exec(trimmed);
  return plain ? plain[1] : null;
}

export function createGuard(options: GuardOptions) {
  const publicHost = options.publicUrl ? new URL(options.publicUrl).host.toLowerCase() : null;
  const publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin.toLowerCase() : null;
  const extraHosts = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  const extraOrigins = new Set(options.allowedOrigins.map((o) => o.toLowerCase().replace(/\/+$/, '')));
  if (publicHost) extraHosts.add(hostName(publicHost) ?? publicHost);

  function hostAllowed(request: IncomingMessage): boolean {
    const header = request.headers.host;
    if (!header) return false;
    const name = hostName(header);
    if (!name) return false;
    return name === 'localhost' || name.endsWith('.localhost') || net.isIP(name) !== 0 || extraHosts.has(name);
  }

  /** True for no Origin (not a browser page), this server's own origin, or an allowed one. */
  function originAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    const value = origin.toLowerCase();
    if (value === 'null') return false;
    const host = request.headers.host?.toLowerCase();
    if (host && (value === `http://${host}` || value === `https://${host}`)) return true;
    return value === publicOrigin || extraOrigins.has(value);
  }

  /** The base of the links this server hands out: PUBLIC_URL, or the address the request came to. */
  function baseUrl(request: IncomingMessage): string {
    if (options.publicUrl) return options.publicUrl.replace(/\/+$/, '');
    return `http://${request.headers.host ?? 'localhost'}`;
  }

  /** Hosts (with port) whose links are this server's: PUBLIC_URL's and the one the request came to. */
  function ourHosts(request: IncomingMessage): string[] {
    const hosts = [request.headers.host?.toLowerCase() ?? ''];
    if (publicHost) hosts.push(publicHost);
    return hosts.filter(Boolean);
  }

  return { hostAllowed, originAllowed, baseUrl, ourHosts };
}

export type Guard = ReturnType<typeof createGuard>;

/**
 * Headers on every answer. The CSP allows no inline script; styles may be
 * inline because React sets element styles. `no-referrer` keeps link tokens
 * out of Referer headers when a board's page links elsewhere.
 */
export function securityHeaders(request: IncomingMessage): Record<string, string> {
  const host = request.headers.host ?? 'localhost';
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self' ws://${host} wss://${host}`,
      "worker-src 'self'",
      "manifest-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}
