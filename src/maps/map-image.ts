import { PNG } from 'pngjs';
import { TiepdanError } from '../ports/errors.js';

/**
 * What drawing needs of an occupancy map. Structural, so the simulator's map, the one a ROS 2 map
 * server sends and a report's copy all fit without this module depending on where they are loaded.
 */
export interface OccupancyGrid {
  readonly width: number;
  readonly height: number;
  /** `width * height` cells, row-major, row 0 = lowest y; non-zero = occupied (or unknown). */
  readonly occupied: Uint8Array;
}

/** A pixel's colour: red, green, blue, alpha, each 0..255. */
export type Rgba = readonly [number, number, number, number];

/** Walls dark enough for coloured markers to stand out on them, floor white like the page around it. */
export const OCCUPIED_RGBA: Rgba = [0x3c, 0x3c, 0x3c, 0xff];
export const FREE_RGBA: Rgba = [0xff, 0xff, 0xff, 0xff];

/**
 * The occupancy grid as a PNG, one pixel per cell, +y up: PNG rows run top-down, so the map's last
 * row is the image's first. The console and the simulator's report both draw this image; `map check`
 * colours cells its own way with `colourOf` (given the cell's index in `occupied`; undefined keeps
 * the plain colour).
 */
export function mapToPng(map: OccupancyGrid, colourOf?: (cell: number) => Rgba | undefined): Buffer {
  const { width, height, occupied } = map;
  // PNG has no empty image: a zero side is refused by the format, not only here.
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new TiepdanError('map_invalid', `a map image needs at least one cell each way, got ${width}x${height}`);
  }
  if (occupied.length !== width * height) {
    throw new TiepdanError('map_invalid', `map has ${occupied.length} cells, expected ${width}x${height}`);
  }
  const png = new PNG({ width, height });
  for (let row = 0; row < height; row++) {
    const mapRow = height - 1 - row;
    for (let col = 0; col < width; col++) {
      const cell = mapRow * width + col;
      png.data.set(colourOf?.(cell) ?? (occupied[cell] ? OCCUPIED_RGBA : FREE_RGBA), (row * width + col) * 4);
    }
  }
  return PNG.sync.write(png);
}
