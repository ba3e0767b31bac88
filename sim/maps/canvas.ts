/**
 * Drawing maps as map_server ships them (PGM + YAML) with their places files: the shipped lobby,
 * the test room, the L-shaped hall and every generated layout are drawn with this.
 */
import type { Field, PlaceKind } from '../../src/ports/robot-base.js';

/** map_saver's shades: 0 wall, 254 seen free, 205 never seen. */
export const WALL = 0;
export const FREE = 254;
export const UNKNOWN = 205;
export const RESOLUTION_M = 0.05;

export const NORTH = Math.PI / 2;
export const SOUTH = -Math.PI / 2;
export const WEST = Math.PI;
export const EAST = 0;

export interface DrawnMap {
  readonly pgm: Buffer;
  readonly yaml: string;
  readonly places: string;
}

export interface PlaceSpec {
  readonly id: string;
  readonly kind: PlaceKind;
  readonly xM: number;
  readonly yM: number;
  readonly yawRad: number;
  readonly fields?: readonly Field[];
}

/** A grey image addressed in metres, y up, origin at the lower-left corner. */
export class Canvas {
  readonly widthCells: number;
  readonly heightCells: number;
  readonly shades: Uint8Array;

  constructor(widthM: number, heightM: number, background: number = FREE) {
    this.widthCells = Math.round(widthM / RESOLUTION_M);
    this.heightCells = Math.round(heightM / RESOLUTION_M);
    this.shades = new Uint8Array(this.widthCells * this.heightCells).fill(background);
  }

  /** Paints the cells whose centres lie in [x0, x1) x [y0, y1). */
  rect(x0M: number, y0M: number, x1M: number, y1M: number, shade: number): void {
    const cx0 = Math.max(0, Math.round(x0M / RESOLUTION_M));
    const cx1 = Math.min(this.widthCells, Math.round(x1M / RESOLUTION_M));
    const cy0 = Math.max(0, Math.round(y0M / RESOLUTION_M));
    const cy1 = Math.min(this.heightCells, Math.round(y1M / RESOLUTION_M));
    for (let cy = cy0; cy < cy1; cy++) {
      const row = this.heightCells - 1 - cy;
      this.shades.fill(shade, row * this.widthCells + cx0, row * this.widthCells + cx1);
    }
  }

  square(centerXM: number, centerYM: number, sideM: number, shade: number): void {
    const half = sideM / 2;
    this.rect(centerXM - half, centerYM - half, centerXM + half, centerYM + half, shade);
  }

  /** Outer walls of the given thickness on all four sides. */
  outerWalls(thicknessM: number): void {
    const w = this.widthCells * RESOLUTION_M;
    const h = this.heightCells * RESOLUTION_M;
    this.rect(0, 0, w, thicknessM, WALL);
    this.rect(0, h - thicknessM, w, h, WALL);
    this.rect(0, 0, thicknessM, h, WALL);
    this.rect(w - thicknessM, 0, w, h, WALL);
  }

  /**
   * Walls `thicknessM` thick wherever unseen space (UNKNOWN) meets free floor: the building's shell
   * around floor carved out of an unknown background, whatever its outline.
   */
  wallsAroundFloor(thicknessM: number): void {
    const reach = Math.round(thicknessM / RESOLUTION_M);
    const { widthCells: w, heightCells: h, shades } = this;
    // Unseen cells dilated by a square of side 2*reach+1, one axis at a time; off the image counts
    // as unseen, so floor never runs to the edge without a wall.
    const across = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let near = x - reach < 0 || x + reach >= w;
        for (let dx = -reach; !near && dx <= reach; dx++) near = shades[y * w + x + dx] === UNKNOWN;
        across[y * w + x] = near ? 1 : 0;
      }
    }
    for (let x = 0; x < w; x++) {
      for (let y = 0; y < h; y++) {
        const i = y * w + x;
        if (shades[i] !== FREE) continue;
        let near = y - reach < 0 || y + reach >= h;
        for (let dy = -reach; !near && dy <= reach; dy++) near = across[i + dy * w] === 1;
        if (near) shades[i] = WALL;
      }
    }
  }

  pgm(creator: string): Buffer {
    const header = `P5\n# CREATOR: ${creator} ${RESOLUTION_M.toFixed(3)} m/pix\n${this.widthCells} ${this.heightCells}\n255\n`;
    return Buffer.concat([Buffer.from(header, 'latin1'), Buffer.from(this.shades)]);
  }
}

/** The map_server YAML for `image`, headed by `generatedBy` (a `#` comment saying what drew it). */
export function mapYaml(generatedBy: string, image: string): string {
  // free_thresh 0.196 as ROS map_saver writes it, so 205 (never seen) loads as unknown, not free.
  return [
    generatedBy,
    `image: ${image}`,
    'mode: trinary',
    `resolution: ${RESOLUTION_M}`,
    'origin: [0.0, 0.0, 0.0]',
    'negate: 0',
    'occupied_thresh: 0.65',
    'free_thresh: 0.196',
    '',
  ].join('\n');
}

export function placesYaml(generatedBy: string, places: readonly PlaceSpec[]): string {
  const lines = places.map((p) => {
    const fields = p.fields === undefined ? '' : ` fields: [${p.fields.join(', ')}],`;
    return `  - { id: ${p.id}, kind: ${p.kind},${fields} x: ${p.xM.toFixed(2)}, y: ${p.yM.toFixed(2)}, theta: ${p.yawRad.toFixed(4)} }`;
  });
  return [generatedBy, '# theta faces what the robot attends to there (the desk, the doors, the seats).', 'frame_id: map', 'places:', ...lines, ''].join('\n');
}
