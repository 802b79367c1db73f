/** The header's fold rule (src/app/header-fold.ts): the title keeps room for 24 characters, and the header never flickers. */
import { describe, expect, test } from 'vitest';
import { TITLE_MIN_CHARACTERS, shouldFold, titleRoomNeeded } from '../../src/app/header-fold';

describe('the room the title needs', () => {
  test('a short title needs all of its width', () => {
    expect(titleRoomNeeded(120, 12)).toBe(120);
    expect(titleRoomNeeded(200, TITLE_MIN_CHARACTERS)).toBe(200);
  });

  test('a long title needs 24 of its characters at their average width', () => {
    // "Housing repairs — before the redesign": 37 characters, 415 px.
    expect(titleRoomNeeded(415, 37)).toBe(Math.ceil((415 * 24) / 37));
    expect(titleRoomNeeded(480, 48)).toBe(240);
  });
});

describe('folding the tools', () => {
  test('inline tools fold when the title has less room than it needs', () => {
    expect(shouldFold(false, { available: 26, needed: 269, gain: 0 })).toBe(true);
    expect(shouldFold(false, { available: 300, needed: 269, gain: 0 })).toBe(false);
  });

  test('folded tools unfold only when the title would keep its room with the tools back inline', () => {
    // Folding gave the title 402 px (26 → 428): back inline it would have 26 again.
    expect(shouldFold(true, { available: 428, needed: 269, gain: 402 })).toBe(true);
    // The window grew by 300 px: inline the title would have 326 ≥ 269.
    expect(shouldFold(true, { available: 728, needed: 269, gain: 402 })).toBe(false);
  });

  test('the rule is stable: unfolding never makes a header that folds again at once', () => {
    for (let available = 0; available <= 1000; available += 7) {
      for (const gain of [0, 100, 402]) {
        const needed = 269;
        if (!shouldFold(true, { available, needed, gain })) {
          // Back inline the title has `available - gain`, which is enough.
          expect(shouldFold(false, { available: available - gain, needed, gain: 0 })).toBe(false);
        }
      }
    }
  });
});
