import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { mapToPng } from '../../src/maps/map-image.js';

describe('mapToPng', () => {
  it('draws one pixel per cell, walls dark and free floor white, with +y up', () => {
    // Row 0 is the lowest y: only its left cell is occupied.
    const png = PNG.sync.read(mapToPng({ width: 2, height: 2, occupied: Uint8Array.from([1, 0, 0, 0]) }));
    expect([png.width, png.height]).toEqual([2, 2]);
    const pixel = (x: number, y: number): number[] => [...png.data.subarray((y * 2 + x) * 4, (y * 2 + x) * 4 + 4)];
    expect(pixel(0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(1, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(0, 1)).toEqual([0x3c, 0x3c, 0x3c, 255]);
    expect(pixel(1, 1)).toEqual([255, 255, 255, 255]);
  });

  it('keeps a wide map wide: width is columns, height is rows', () => {
    const png = PNG.sync.read(mapToPng({ width: 3, height: 1, occupied: Uint8Array.from([0, 0, 1]) }));
    expect([png.width, png.height]).toEqual([3, 1]);
    expect(png.data[2 * 4]).toBe(0x3c);
  });

  it('EXPECTED FAILURE - refuses a map without cells and a cell array of the wrong size', () => {
    expect(() => mapToPng({ width: 0, height: 0, occupied: new Uint8Array(0) })).toThrow(expect.objectContaining({ code: 'map_invalid' }));
    expect(() => mapToPng({ width: 2, height: 2, occupied: new Uint8Array(3) })).toThrow(expect.objectContaining({ code: 'map_invalid' }));
  });
});
