import { describe, expect, test } from 'vitest';
import {
  CARD_BODY_TEXT,
  READABLE_TEXT_PX,
  SIMPLE_FORM_BELOW_ZOOM,
  SIMPLE_LABEL_PX,
  cardForm,
  simpleLabelSize,
  zoomBucket,
} from '../../src/export/sizes';

describe('semantic zoom: one rule for every card', () => {
  test('cards simplify exactly where their body text would fall under 11 px on screen', () => {
    expect(CARD_BODY_TEXT * SIMPLE_FORM_BELOW_ZOOM).toBeCloseTo(READABLE_TEXT_PX);
    expect(cardForm(1)).toBe('full');
    expect(cardForm(SIMPLE_FORM_BELOW_ZOOM)).toBe('full');
    expect(cardForm(SIMPLE_FORM_BELOW_ZOOM - 0.01)).toBe('simple');
    expect(cardForm(0.27)).toBe('simple');
  });

  test('the zoom is bucketed: every full-form zoom is one value, small zooms change in steps of 1/40', () => {
    expect(zoomBucket(0.9)).toBe(1);
    expect(zoomBucket(2.5)).toBe(1);
    expect(zoomBucket(0.301)).toBe(zoomBucket(0.324));
    expect(zoomBucket(0.3)).not.toBe(zoomBucket(0.4));
    // Rounded down, so the type comes out a little larger, never smaller.
    expect(zoomBucket(0.33)).toBeLessThanOrEqual(0.33);
    expect(zoomBucket(0.001)).toBeGreaterThan(0);
  });

  test('a short label gets the readable size on screen', () => {
    const zoom = 0.5;
    expect(simpleLabelSize('Do it', zoom, { width: 232, height: 120 }) * zoom).toBeCloseTo(SIMPLE_LABEL_PX, 0);
  });

  test('a long word shrinks the type only until it fits the width: never cut mid-word', () => {
    const size = simpleLabelSize('Pre-inspection visit', 0.3, { width: 232, height: 120 });
    expect(size).toBeLessThan(SIMPLE_LABEL_PX / 0.3);
    expect('Pre-inspection'.length * 0.58 * size).toBeLessThanOrEqual(232);
  });

  test('many words shrink the type until the wrapped lines fit the height', () => {
    const long = 'Order parts, book return visit and tell the tenant when';
    const roomy = simpleLabelSize(long, 0.3, { width: 232, height: 400 });
    const tight = simpleLabelSize(long, 0.3, { width: 232, height: 80 });
    expect(tight).toBeLessThan(roomy);
  });

  test('empty or blank labels do not break the rule', () => {
    expect(simpleLabelSize('', 0.3, { width: 232, height: 120 })).toBeGreaterThan(0);
    expect(simpleLabelSize('   ', 0.3, { width: 232, height: 120 })).toBeGreaterThan(0);
  });
});
