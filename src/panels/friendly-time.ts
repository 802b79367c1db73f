/** "Last changed" in words: "just now", "5 minutes ago", "yesterday", "3 Mar", "3 Mar 2024". */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function friendlyTime(then: number, now: number = Date.now(), locale?: string): string {
  if (!Number.isFinite(then) || then <= 0) return 'never';
  const ago = now - then;
  if (ago < 45_000) return 'just now';
  if (ago < 90_000) return 'a minute ago';
  if (ago < 45 * MINUTE) return `${Math.round(ago / MINUTE)} minutes ago`;
  if (ago < 90 * MINUTE) return 'an hour ago';
  if (ago < 22 * HOUR) return `${Math.round(ago / HOUR)} hours ago`;
  if (ago < 36 * HOUR) return 'yesterday';
  if (ago < 6.5 * DAY) return `${Math.round(ago / DAY)} days ago`;
  const date = new Date(then);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' });
}
