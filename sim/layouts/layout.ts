/**
 * A service-centre layout as data: floor outlines, walls, desks, obstacles and places, in metres.
 * `drawLayout` turns one into the map_server files the robot and the simulator load.
 */
import { Canvas, FREE, mapYaml, placesYaml, UNKNOWN, WALL, type DrawnMap, type PlaceSpec } from '../maps/canvas.js';

/** An axis-aligned rectangle in metres, [x0, x1) x [y0, y1). */
export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** A counter desk: the desk itself (a wall to the robot) and the staff side behind it, which the lidar never sees. */
export interface Desk {
  readonly desk: Rect;
  readonly staff: Rect;
}

export interface LayoutSpec {
  readonly name: string;
  /** Floor carved out of unseen space; the walls run around it, `WALL_THICKNESS_M` thick. */
  readonly floor: readonly Rect[];
  /** Interior walls: partitions, the wall between two rooms. */
  readonly walls: readonly Rect[];
  readonly desks: readonly Desk[];
  /** Pillars, rows of seats, kiosks, reception desks. */
  readonly obstacles: readonly Rect[];
  /** Openings cut last, through walls: the entrance, doors between rooms. */
  readonly doors: readonly Rect[];
  readonly places: readonly PlaceSpec[];
}

export const WALL_THICKNESS_M = 0.2;

export function rect(x0: number, y0: number, x1: number, y1: number): Rect {
  return { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) };
}

export function grow(r: Rect, byM: number): Rect {
  return { x0: r.x0 - byM, y0: r.y0 - byM, x1: r.x1 + byM, y1: r.y1 + byM };
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

export function contains(r: Rect, xM: number, yM: number): boolean {
  return xM >= r.x0 && xM < r.x1 && yM >= r.y0 && yM < r.y1;
}

function shift(r: Rect, dx: number, dy: number): Rect {
  return { x0: r.x0 + dx, y0: r.y0 + dy, x1: r.x1 + dx, y1: r.y1 + dy };
}

/** The same layout moved so its floor starts at (0, 0), the corner of the map image. */
export function anchored(spec: LayoutSpec): LayoutSpec {
  const dx = -Math.min(...spec.floor.map((r) => r.x0));
  const dy = -Math.min(...spec.floor.map((r) => r.y0));
  const move = (r: Rect): Rect => shift(r, dx, dy);
  return {
    ...spec,
    floor: spec.floor.map(move),
    walls: spec.walls.map(move),
    desks: spec.desks.map((d) => ({ desk: move(d.desk), staff: move(d.staff) })),
    obstacles: spec.obstacles.map(move),
    doors: spec.doors.map(move),
    places: spec.places.map((p) => ({ ...p, xM: p.xM + dx, yM: p.yM + dy })),
  };
}

/**
 * Draws a layout whose floor starts at (0, 0) (see `anchored`): unseen background, floor, the walls
 * around it, interior walls, desks with their unseen staff side, obstacles, then the doors.
 */
export function drawLayout(spec: LayoutSpec, generatedBy: string): DrawnMap {
  const widthM = Math.max(...spec.floor.map((r) => r.x1));
  const heightM = Math.max(...spec.floor.map((r) => r.y1));
  const canvas = new Canvas(widthM, heightM, UNKNOWN);
  const paint = (r: Rect, shade: number): void => canvas.rect(r.x0, r.y0, r.x1, r.y1, shade);
  for (const r of spec.floor) paint(r, FREE);
  canvas.wallsAroundFloor(WALL_THICKNESS_M);
  for (const r of spec.walls) paint(r, WALL);
  for (const d of spec.desks) {
    paint(d.desk, WALL);
    paint(d.staff, UNKNOWN);
  }
  for (const r of spec.obstacles) paint(r, WALL);
  for (const r of spec.doors) paint(r, FREE);
  return { pgm: canvas.pgm(`tiepdan ${spec.name}`), yaml: mapYaml(generatedBy, `${spec.name}.pgm`), places: placesYaml(generatedBy, spec.places) };
}
