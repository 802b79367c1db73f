/** New elements added from the palette do not land on top of each other. */
import { describe, expect, it } from 'vitest';
import { freeSpot } from '../../src/canvas/free-spot';

const size = { width: 180, height: 96 };

describe('freeSpot', () => {
  it('takes the asked place when it is free', () => {
    expect(freeSpot({ x: 100, y: 50 }, size, [{ x: 400, y: 50, ...size }])).toEqual({ x: 100, y: 50 });
  });

  it('moves right past what stands there, and past the next one too', () => {
    const taken = [
      { x: 100, y: 50, ...size },
      { x: 320, y: 60, ...size },
    ];
    expect(freeSpot({ x: 100, y: 50 }, size, taken)).toEqual({ x: 540, y: 50 });
  });

  it('ignores elements above or below the new one', () => {
    expect(freeSpot({ x: 0, y: 0 }, size, [{ x: 0, y: 200, ...size }])).toEqual({ x: 0, y: 0 });
  });
});
