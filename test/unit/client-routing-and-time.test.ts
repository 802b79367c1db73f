import { describe, expect, test } from 'vitest';
import { boardPath, parseRoute } from '../../src/ui/router';
import { friendlyTime } from '../../src/export/format';

describe('parseRoute', () => {
  test('the two screens and anything else', () => {
    expect(parseRoute('/')).toEqual({ screen: 'list' });
    expect(parseRoute('/b/abc_DEF-1')).toEqual({ screen: 'board', boardId: 'abc_DEF-1' });
    expect(parseRoute('/b/abc/')).toEqual({ screen: 'board', boardId: 'abc' });
    expect(parseRoute(boardPath('a b'))).toEqual({ screen: 'board', boardId: 'a b' });
    expect(parseRoute('/b/%E0%A4%A')).toEqual({ screen: 'unknown', path: '/b/%E0%A4%A' });
    expect(parseRoute('/nope')).toEqual({ screen: 'unknown', path: '/nope' });
  });
});

describe('friendlyTime', () => {
  const now = new Date(2025, 5, 15, 12, 0, 0).getTime();
  test.each([
    [10_000, 'just now'],
    [60_000, 'a minute ago'],
    [5 * 60_000, '5 minutes ago'],
    [60 * 60_000, 'an hour ago'],
    [3 * 3_600_000, '3 hours ago'],
    [26 * 3_600_000, 'yesterday'],
    [3 * 86_400_000, '3 days ago'],
  ])('%i ms ago is "%s"', (ago, words) => {
    expect(friendlyTime(now - ago, now)).toBe(words);
  });
  test('older dates show the date, with the year when it is not this year', () => {
    expect(friendlyTime(new Date(2025, 2, 3).getTime(), now, 'en-GB')).toBe('3 Mar');
    expect(friendlyTime(new Date(2024, 2, 3).getTime(), now, 'en-GB')).toBe('3 Mar 2024');
    expect(friendlyTime(0, now)).toBe('never');
  });
});
