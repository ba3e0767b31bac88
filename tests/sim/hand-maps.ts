/** Small maps drawn by hand for the simulator's tests: a walled room with rectangles of wall inside. */
import type { OccupancyMap } from '../../src/maps/map.js';

const RES = 0.05;

/** A wall block, in metres: x from `x0M` to `x1M`, y from `y0M` to `y1M`. */
export interface Block {
  readonly x0M: number;
  readonly y0M: number;
  readonly x1M: number;
  readonly y1M: number;
}

/** A `widthM` × `heightM` room walled all round, with `blocks` of wall inside. */
export function roomMap(file: string, widthM: number, heightM: number, blocks: readonly Block[]): OccupancyMap {
  const width = Math.round(widthM / RES);
  const height = Math.round(heightM / RES);
  const occupied = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const xM = (x + 0.5) * RES;
      const yM = (y + 0.5) * RES;
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      const inBlock = blocks.some((b) => xM >= b.x0M && xM < b.x1M && yM >= b.y0M && yM < b.y1M);
      if (edge || inBlock) occupied[y * width + x] = 1;
    }
  }
  return { file, width, height, resolutionM: RES, origin: { xM: 0, yM: 0, yawRad: 0 }, occupied };
}

/**
 * An L-shaped hall, 12 × 10 m: the leg along the bottom (y < 4 m) and the leg up the right side
 * (x > 8 m); the rest is solid. Its inner corner is at (8, 4).
 */
export const L_HALL = (): OccupancyMap => roomMap('l-hall', 12, 10, [{ x0M: 0, y0M: 4, x1M: 8, y1M: 10 }]);

/** A 10 × 8 m room with a 0.6 m square pillar centred at (5, 4). */
export const PILLAR_ROOM = (): OccupancyMap => roomMap('pillar-room', 10, 8, [{ x0M: 4.7, y0M: 3.7, x1M: 5.3, y1M: 4.3 }]);

/** Two 6 × 8 m rooms side by side, the wall between them at x = 6 m with a 1.2 m door from y = 3.4 to 4.6 m. */
export const TWO_ROOMS = (): OccupancyMap =>
  roomMap('two-rooms', 12, 8, [
    { x0M: 6, y0M: 0, x1M: 6.1, y1M: 3.4 },
    { x0M: 6, y0M: 4.6, x1M: 6.1, y1M: 8 },
  ]);

/** An open 12 × 8 m hall, for crowds and fields of view. */
export const OPEN_HALL = (): OccupancyMap => roomMap('open-hall', 12, 8, []);
