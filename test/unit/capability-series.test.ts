/** The capability series in the document: replaced whole, read back, and fed to the XmR limits. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardOperationError,
  measuresOfDoc,
  readCapabilitySeries,
  saveCapability,
  setCapabilityLimitsFrom,
  setCapabilitySeries,
} from '../../src/model';

describe('capability series', () => {
  it('is replaced whole in one update and drives the capability measure', () => {
    const doc = new Y.Doc();
    setCapabilitySeries(doc, [1440, 2880], 'days');
    let updates = 0;
    doc.on('update', () => updates++);
    setCapabilitySeries(
      doc,
      [10, 20, 30, 20].map((d) => d * 1440),
      'days',
    );
    expect(updates).toBe(1);
    expect(readCapabilitySeries(doc)).toEqual({
      minutes: [14400, 28800, 43200, 28800],
      unit: 'days',
      limitsFrom: null,
    });
    const c = measuresOfDoc(doc).capability!;
    expect(c.mean).toBe(20 * 1440);
    expect(c.upper).toBeCloseTo(46.6 * 1440, 6);
    expect(c.lower).toBe(0);
  });

  it('keeps the case new limits start from, refuses the first case, and saves series and break as one undo step', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    saveCapability(doc, { minutes: [1, 2, 3, 4, 5], unit: 'hours', limitsFrom: 2 });
    expect(updates).toBe(1);
    expect(readCapabilitySeries(doc).limitsFrom).toBe(2);
    expect(() => setCapabilityLimitsFrom(doc, 0)).toThrow(BoardOperationError);
    expect(() => setCapabilityLimitsFrom(doc, 1.5)).toThrow(BoardOperationError);
    expect(readCapabilitySeries(doc).limitsFrom).toBe(2);
    setCapabilityLimitsFrom(doc, null);
    expect(readCapabilitySeries(doc).limitsFrom).toBeNull();
  });

  it('with fewer than two points, capability is "—"', () => {
    const doc = new Y.Doc();
    setCapabilitySeries(doc, [60], 'hours');
    expect(measuresOfDoc(doc).capability).toBeNull();
    expect(readCapabilitySeries(new Y.Doc())).toEqual({ minutes: [], unit: 'days', limitsFrom: null });
  });

  it.each([
    [[1, -1], 'days', /Point 2/],
    [[Number.NaN], 'days', /Point 1/],
    [[1], 'fortnights', /Unknown unit/],
    [Array.from({ length: 1001 }, () => 1), 'days', /At most 1000/],
  ])('refuses %#: nothing changes', (minutes, unit, message) => {
    const doc = new Y.Doc();
    setCapabilitySeries(doc, [5, 6], 'days');
    const before = Y.encodeStateAsUpdate(doc);
    // Cast: a wrong unit is exactly the bad input under test.
    expect(() => setCapabilitySeries(doc, minutes as number[], unit as 'days')).toThrow(BoardOperationError);
    expect(() => setCapabilitySeries(doc, minutes as number[], unit as 'days')).toThrow(message);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});
