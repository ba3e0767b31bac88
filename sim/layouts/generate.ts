/**
 * Seeded layouts of plausible service centres, for sweeping a scenario over halls the controller
 * was never tuned on: open halls, L and U shapes, partition walls and counter islands, pillars,
 * rows of seats, a second room behind a narrow door or down a corridor, counters on several walls,
 * the entrance, waiting area, home and dock anywhere. A draw is kept only when `map check` passes
 * it (with the catalog's fields); otherwise the next attempt is drawn, all from the seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../../src/civic/catalog.js';
import { checkMap, type MapCheckReport } from '../../src/maps/map-check.js';
import { parseMap, placesPathFor } from '../../src/maps/map.js';
import type { Catalog } from '../../src/ports/catalog.js';
import { TiepdanError } from '../../src/ports/errors.js';
import { FIELDS, type Field } from '../../src/ports/robot-base.js';
import { Random } from '../../src/util/random.js';
import { EAST, NORTH, SOUTH, WEST, type DrawnMap, type PlaceSpec } from '../maps/canvas.js';
import { anchored, contains, drawLayout, grow, overlaps, rect, WALL_THICKNESS_M, type Desk, type LayoutSpec, type Rect } from './layout.js';

export type HallShape = 'open' | 'L' | 'U';
export type SecondRoom = 'none' | 'door' | 'corridor';

/** What a draw holds, as the generator drew it: tests and the sweep's table read this, not the picture. */
export interface LayoutDescription {
  readonly seed: number;
  readonly name: string;
  readonly widthM: number;
  readonly heightM: number;
  readonly shape: HallShape;
  /** A partition wall in the hall: a plain wall, or an island with counters on both faces. */
  readonly partition: 'none' | 'wall' | 'counters';
  readonly pillars: number;
  readonly seatRows: number;
  readonly secondRoom: SecondRoom;
  /** Free width of the door or corridor to the second room, in metres; null without one. */
  readonly secondRoomPassageM: number | null;
  /** Counters in the second room (reached through its door or corridor). */
  readonly countersInSecondRoom: number;
  /** Walls with a row of counters along them (the island not counted). */
  readonly counterWalls: number;
  readonly counters: number;
  readonly reception: boolean;
  /** Straight-line distance from the entrance to the waiting place, in metres. */
  readonly entranceToWaitingM: number;
  /** Draws tried before this one passed `map check` (1: the first did). */
  readonly attempts: number;
}

export interface GeneratedLayout {
  readonly spec: LayoutSpec;
  readonly drawn: DrawnMap;
  readonly description: LayoutDescription;
  readonly check: MapCheckReport;
}

export const MAX_ATTEMPTS = 60;

/** Counter desks: staff side 1.2 m deep behind a 0.8 m desk; the robot stops 1.2 m in front, facing it. */
const STAFF_DEPTH_M = 1.2;
const DESK_DEPTH_M = 0.8;
const STOP_M = 1.2;
/** In front of a desk, kept free of seats and pillars: the robot's stop and room to pass behind it. */
const APPROACH_M = 2.2;
/** The least free width left between obstacles: the robot (clearance 0.45 m each side) passes, a little tight. */
const GAP_M = 1.1;
const W = WALL_THICKNESS_M;

type Side = 'N' | 'S' | 'E' | 'W';

/** A stretch of outer wall: floor on the inner side of line `c` (y for N/S, x for E/W), from `a` to `b` along it. */
interface WallRun {
  readonly side: Side;
  readonly c: number;
  readonly a: number;
  readonly b: number;
  /** Index of the floor rectangle it bounds. */
  readonly floorIndex: number;
}

const FACING: Record<Side, number> = { N: NORTH, S: SOUTH, E: EAST, W: WEST };

/** A point `d` metres in from the run's wall line, at `t` along it. */
function pointAt(run: WallRun, t: number, d: number): { xM: number; yM: number } {
  switch (run.side) {
    case 'N':
      return { xM: t, yM: run.c - d };
    case 'S':
      return { xM: t, yM: run.c + d };
    case 'E':
      return { xM: run.c - d, yM: t };
    case 'W':
      return { xM: run.c + d, yM: t };
  }
}

/** The rectangle from t0 to t1 along the run and d0 to d1 in from its wall line. */
function rectAt(run: WallRun, t0: number, t1: number, d0: number, d1: number): Rect {
  const p = pointAt(run, t0, d0);
  const q = pointAt(run, t1, d1);
  return rect(p.xM, p.yM, q.xM, q.yM);
}

const snap = (v: number): number => Math.round(v * 10) / 10;

function insideFloor(floor: readonly Rect[], r: Rect): boolean {
  const step = 0.25;
  for (let x = r.x0; x <= r.x1 + 1e-9; x += Math.min(step, Math.max(1e-3, r.x1 - r.x0))) {
    for (let y = r.y0; y <= r.y1 + 1e-9; y += Math.min(step, Math.max(1e-3, r.y1 - r.y0))) {
      const px = Math.min(x, r.x1 - 1e-6);
      const py = Math.min(y, r.y1 - 1e-6);
      if (!floor.some((f) => contains(f, px, py))) return false;
    }
  }
  return true;
}

/** Every stretch of a floor rectangle's edge with no floor beyond it: where the outer walls stand. */
function wallRuns(floor: readonly Rect[], only?: ReadonlySet<number>): WallRun[] {
  const runs: WallRun[] = [];
  const step = 0.1;
  floor.forEach((r, floorIndex) => {
    if (only !== undefined && !only.has(floorIndex)) return;
    const sides: { side: Side; c: number; a: number; b: number; outside: (t: number) => { x: number; y: number } }[] = [
      { side: 'N', c: r.y1, a: r.x0, b: r.x1, outside: (t) => ({ x: t, y: r.y1 + 0.05 }) },
      { side: 'S', c: r.y0, a: r.x0, b: r.x1, outside: (t) => ({ x: t, y: r.y0 - 0.05 }) },
      { side: 'E', c: r.x1, a: r.y0, b: r.y1, outside: (t) => ({ x: r.x1 + 0.05, y: t }) },
      { side: 'W', c: r.x0, a: r.y0, b: r.y1, outside: (t) => ({ x: r.x0 - 0.05, y: t }) },
    ];
    for (const s of sides) {
      let start: number | null = null;
      const n = Math.round((s.b - s.a) / step);
      for (let k = 0; k <= n; k++) {
        const t = s.a + (k + 0.5) * step;
        const o = s.outside(t);
        const wall = k < n && !floor.some((f) => contains(f, o.x, o.y));
        if (wall && start === null) start = s.a + k * step;
        if (!wall && start !== null) {
          runs.push({ side: s.side, c: s.c, a: snap(start), b: snap(s.a + k * step), floorIndex });
          start = null;
        }
      }
    }
  });
  return runs;
}

/** The dihedral move (rotation by quarter turns, optional mirror) applied to the hall before anything is placed. */
function transformRect(r: Rect, quarterTurns: number, mirror: boolean): Rect {
  const move = (x: number, y: number): [number, number] => {
    let px = mirror ? -x : x;
    let py = y;
    for (let k = 0; k < quarterTurns; k++) [px, py] = [-py, px];
    return [px, py];
  };
  const [ax, ay] = move(r.x0, r.y0);
  const [bx, by] = move(r.x1, r.y1);
  return rect(ax, ay, bx, by);
}

interface Hall {
  readonly shape: HallShape;
  readonly floor: Rect[];
  /** Indexes in `floor` of the hall's own rectangles (the rest: second room, corridor). */
  readonly hall: Set<number>;
  readonly room: number | null;
  readonly walls: Rect[];
  readonly doors: Rect[];
  readonly secondRoom: SecondRoom;
  readonly passageM: number | null;
  /** Kept free: in front of the door or corridor mouth on both sides. */
  readonly reserved: Rect[];
}

/** The hall's outline (notches at the north or north-east before turning), with its second room to the south. */
function drawHall(random: Random): Hall {
  const w = 0.5 * Math.round(2 * random.between(20, 32));
  const h = 0.5 * Math.round(2 * random.between(14, 22));
  const shape = random.pick<HallShape>(['open', 'L', 'U']);
  const floor: Rect[] = [];
  if (shape === 'open') floor.push(rect(0, 0, w, h));
  else if (shape === 'L') {
    const cw = snap(w * random.between(0.35, 0.55));
    const ch = snap(h * random.between(0.35, 0.55));
    floor.push(rect(0, 0, w, h - ch), rect(0, h - ch, w - cw, h));
  } else {
    const nw = snap(w * random.between(0.28, 0.42));
    const nd = snap(h * random.between(0.35, 0.55));
    const left = snap((w - nw) / 2 + random.between(-1.5, 1.5));
    floor.push(rect(0, 0, w, h - nd), rect(0, h - nd, left, h), rect(left + nw, h - nd, w, h));
  }
  const hall = new Set(floor.map((_, i) => i));
  const walls: Rect[] = [];
  const doors: Rect[] = [];
  const reserved: Rect[] = [];
  const secondRoom: SecondRoom = random.chance(0.5) ? random.pick<SecondRoom>(['door', 'corridor']) : 'none';
  let passageM: number | null = null;
  let room: number | null = null;
  if (secondRoom !== 'none') {
    // South of the hall, whose south wall is whole in every shape.
    const rw = snap(random.between(6, 10));
    const rd = snap(random.between(5, 8));
    const x0 = snap(random.between(1, w - rw - 1));
    if (secondRoom === 'door') {
      passageM = snap(random.between(1.0, 1.4));
      const dx = snap(random.between(x0 + 1, x0 + rw - 1 - passageM));
      room = floor.push(rect(x0, -rd, x0 + rw, 0)) - 1;
      walls.push(rect(x0, -W / 2, x0 + rw, W / 2));
      doors.push(rect(dx, -W / 2, dx + passageM, W / 2));
      reserved.push(rect(dx - 1, -2.5, dx + passageM + 1, 2.5));
    } else {
      passageM = snap(random.between(1.1, 1.8));
      const length = snap(random.between(3, 6));
      const corridorFloor = passageM + 2 * W;
      const cx = snap(random.between(x0 + 0.5, x0 + rw - 0.5 - corridorFloor));
      floor.push(rect(cx, -length, cx + corridorFloor, 0));
      room = floor.push(rect(x0, -length - rd, x0 + rw, -length)) - 1;
      reserved.push(rect(cx - 1, -1, cx + corridorFloor + 1, 2.5), rect(cx - 1, -length - 2.5, cx + corridorFloor + 1, -length + 0.1));
    }
  }
  const turns = random.int(4);
  const mirror = random.chance(0.5);
  const move = (r: Rect): Rect => transformRect(r, turns, mirror);
  const moved = { floor: floor.map(move), walls: walls.map(move), doors: doors.map(move), reserved: reserved.map(move) };
  const dx = -Math.min(...moved.floor.map((r) => r.x0));
  const dy = -Math.min(...moved.floor.map((r) => r.y0));
  const shift = (r: Rect): Rect => ({ x0: snap(r.x0 + dx), y0: snap(r.y0 + dy), x1: snap(r.x1 + dx), y1: snap(r.y1 + dy) });
  return {
    shape,
    floor: moved.floor.map(shift),
    hall,
    room,
    walls: moved.walls.map(shift),
    doors: moved.doors.map(shift),
    secondRoom,
    passageM,
    reserved: moved.reserved.map(shift),
  };
}

interface Draft {
  readonly floor: readonly Rect[];
  readonly walls: Rect[];
  readonly desks: Desk[];
  readonly obstacles: Rect[];
  readonly doors: Rect[];
  /** Kept free of anything placed later. */
  readonly reserved: Rect[];
  readonly counters: { xM: number; yM: number; yawRad: number; inRoom: boolean }[];
}

function fits(draft: Draft, zone: Rect): boolean {
  return insideFloor(draft.floor, zone) && !draft.reserved.some((r) => overlaps(r, zone));
}

/** A row of counters along a wall run; false when it does not fit. */
function counterRow(draft: Draft, random: Random, run: WallRun, want: number, inRoom: boolean): number {
  const margin = 1.0;
  const pitch = snap(random.between(2.4, 3.0));
  const usable = run.b - run.a - 2 * margin;
  const n = Math.min(want, Math.floor(usable / pitch));
  if (n < 1 || (n < 2 && !inRoom)) return 0;
  const length = n * pitch;
  const s = snap(run.a + margin + random.next() * (usable - length));
  const depth = W + STAFF_DEPTH_M + DESK_DEPTH_M;
  const zone = rectAt(run, s - 0.5, s + length + 0.5, 0.01, depth + APPROACH_M);
  if (!fits(draft, zone)) return 0;
  draft.desks.push({ desk: rectAt(run, s, s + length, 0, depth), staff: rectAt(run, s + W, s + length - W, W, W + STAFF_DEPTH_M) });
  draft.reserved.push(zone);
  for (let i = 0; i < n; i++) {
    const p = pointAt(run, s + pitch * (i + 0.5), depth + STOP_M);
    draft.counters.push({ xM: snap(p.xM), yM: snap(p.yM), yawRad: FACING[run.side], inRoom });
  }
  return n;
}

/** A partition along the long axis of the largest hall rectangle: a plain wall, or a desk island with counters on both faces. */
function partition(draft: Draft, random: Random, hallRects: readonly Rect[], wantCounters: boolean): LayoutDescription['partition'] {
  const across = (q: Rect): number => Math.min(q.x1 - q.x0, q.y1 - q.y0);
  // The largest hall rectangle wide enough for the partition and a way along each side of it.
  const r = [...hallRects]
    .filter((q) => across(q) >= (wantCounters ? 10 : 7))
    .sort((a, b) => (b.x1 - b.x0) * (b.y1 - b.y0) - (a.x1 - a.x0) * (a.y1 - a.y0))[0];
  if (r === undefined) return 'none';
  const alongX = r.x1 - r.x0 >= r.y1 - r.y0;
  const long0 = alongX ? r.x0 : r.y0;
  const longLength = alongX ? r.x1 - r.x0 : r.y1 - r.y0;
  const across0 = alongX ? r.y0 : r.x0;
  const acrossLength = alongX ? r.y1 - r.y0 : r.x1 - r.x0;
  const from = snap(long0 + longLength * random.between(0.2, 0.35));
  const to = snap(long0 + longLength * random.between(0.65, 0.8));
  const middle = snap(across0 + acrossLength / 2 + random.between(-1, 1));
  const pitch = snap(random.between(2.4, 3.0));
  const perFace = Math.min(3, Math.floor((to - from - 0.6) / pitch));
  const withCounters = wantCounters && perFace > 0;
  const half = withCounters ? DESK_DEPTH_M + 0.3 : W / 2;
  const reach = withCounters ? half + STOP_M + 1.4 : half + GAP_M + 0.1;
  const oriented = (l0: number, l1: number, a0: number, a1: number): Rect => (alongX ? rect(l0, a0, l1, a1) : rect(a0, l0, a1, l1));
  const zone = oriented(from - 0.5, to + 0.5, middle - reach, middle + reach);
  // Room to walk round both ends and along both faces.
  if (!fits(draft, grow(zone, 1.0))) return 'none';
  draft.reserved.push(zone);
  if (!withCounters) {
    draft.walls.push(oriented(from, to, middle - half, middle + half));
    return 'wall';
  }
  draft.desks.push({ desk: oriented(from, to, middle - half, middle + half), staff: oriented(from + W, to - W, middle - 0.3, middle + 0.3) });
  const start = from + (to - from - perFace * pitch) / 2;
  for (let i = 0; i < perFace; i++) {
    const l = snap(start + pitch * (i + 0.5));
    for (const sign of [-1, 1]) {
      const a = snap(middle + sign * (half + STOP_M));
      const yaw = alongX ? (sign < 0 ? NORTH : SOUTH) : sign < 0 ? EAST : WEST;
      draft.counters.push(alongX ? { xM: l, yM: a, yawRad: yaw, inRoom: false } : { xM: a, yM: l, yawRad: yaw, inRoom: false });
    }
  }
  return 'counters';
}

/** A free point in one of `rects`, `marginM` from its edges, whose square of side 2*`keepM` fits. */
function freePoint(draft: Draft, random: Random, rects: readonly Rect[], marginM: number, keepM: number): { xM: number; yM: number } | null {
  for (let attempt = 0; attempt < 60; attempt++) {
    const r = random.pick(rects);
    if (r.x1 - r.x0 < 2 * marginM || r.y1 - r.y0 < 2 * marginM) continue;
    const p = { xM: snap(random.between(r.x0 + marginM, r.x1 - marginM)), yM: snap(random.between(r.y0 + marginM, r.y1 - marginM)) };
    if (fits(draft, rect(p.xM - keepM, p.yM - keepM, p.xM + keepM, p.yM + keepM))) return p;
  }
  return null;
}

/** Every field on some counter, the rest spread at random: the centre serves the whole catalog. */
function assignFields(random: Random, count: number): Field[][] {
  const shuffled = [...FIELDS];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const fields: Field[][] = Array.from({ length: count }, () => []);
  shuffled.forEach((field, i) => fields[i % count]!.push(field));
  for (const list of fields) if (list.length === 0) list.push(random.pick(FIELDS));
  return fields;
}

interface Draw {
  readonly spec: LayoutSpec;
  readonly description: Omit<LayoutDescription, 'seed' | 'name' | 'attempts' | 'widthM' | 'heightM'>;
}

type Spot = { xM: number; yM: number };
interface Entrance {
  readonly run: WallRun;
  readonly s: number;
  readonly width: number;
  readonly pose: Spot;
}

/** The entrance: 1.8 to 3.2 m of doors in an outer wall of the hall, with 3.5 m kept free inside. */
function placeEntrance(draft: Draft, random: Random, runs: readonly WallRun[]): Entrance | null {
  const usable = runs.filter((r) => r.b - r.a >= 5);
  if (usable.length === 0) return null;
  for (let attempt = 0; attempt < 40; attempt++) {
    const run = random.pick(usable);
    const width = snap(random.between(1.8, 3.2));
    const s = snap(random.between(run.a + 0.8, run.b - 0.8 - width));
    const zone = rectAt(run, s - 0.5, s + width + 0.5, 0.01, 3.5);
    if (s < run.a + 0.8 || !fits(draft, zone)) continue;
    draft.reserved.push(zone);
    draft.doors.push(rectAt(run, s, s + width, -0.05, W + 0.1));
    const pose = pointAt(run, s + width / 2, 1.6);
    return { run, s, width, pose: { xM: snap(pose.xM), yM: snap(pose.yM) } };
  }
  return null;
}

/**
 * Waiting seats: 2 to 4 rows along x, the waiting place 1.2 m south of the first row, facing them
 * (citizens look for a seat north of it). Now and then no seats, the waiting place alone.
 */
function placeWaiting(draft: Draft, random: Random, hallRects: readonly Rect[]): { waiting: Spot; seatRows: number } | null {
  const seatRows = random.chance(0.85) ? 2 + random.int(3) : 0;
  if (seatRows > 0) {
    const length = snap(random.between(3.5, 7));
    const height = seatRows * 0.6 + (seatRows - 1) * 1.5;
    for (let attempt = 0; attempt < 60; attempt++) {
      const r = random.pick(hallRects);
      const x0 = snap(random.between(r.x0 + 1.4, r.x1 - 1.4 - length));
      const y0 = snap(random.between(r.y0 + 2.8, r.y1 - 1.4 - height));
      if (x0 < r.x0 + 1.4 || y0 < r.y0 + 2.8) continue;
      const zone = rect(x0 - GAP_M - 0.2, y0 - 2.0, x0 + length + GAP_M + 0.2, y0 + height + GAP_M + 0.2);
      if (!fits(draft, zone)) continue;
      draft.reserved.push(zone);
      for (let row = 0; row < seatRows; row++) draft.obstacles.push(rect(x0, y0 + row * 2.1, x0 + length, y0 + row * 2.1 + 0.6));
      return { waiting: { xM: snap(x0 + length / 2), yM: snap(y0 - 1.2) }, seatRows };
    }
  }
  const waiting = freePoint(draft, random, hallRects, 1.5, 0.8);
  if (waiting === null) return null;
  draft.reserved.push(rect(waiting.xM - 0.8, waiting.yM - 0.8, waiting.xM + 0.8, waiting.yM + 0.8));
  return { waiting, seatRows: 0 };
}

/** Counters along the hall's walls: up to `targetWalls` rows, about `targetCounters` counters in all. */
function placeWallRows(draft: Draft, random: Random, runs: readonly WallRun[], targetCounters: number, targetWalls: number): number {
  const candidates = runs.filter((r) => r.b - r.a >= 6).sort((a, b) => b.b - b.a - (a.b - a.a) || a.c - b.c || a.a - b.a);
  let walls = 0;
  for (const run of candidates) {
    if (walls >= targetWalls || draft.counters.length >= targetCounters) break;
    const want = Math.max(2, Math.ceil((targetCounters - draft.counters.length) / (targetWalls - walls)));
    if (random.chance(0.25)) continue;
    if (counterRow(draft, random, run, want, false) > 0) walls++;
  }
  return walls;
}

/** Home: beside the entrance, as at the shipped lobby, or anywhere in the hall. */
function placeHome(draft: Draft, random: Random, entrance: Entrance, hallRects: readonly Rect[]): Spot | null {
  let home: Spot | null = null;
  if (random.chance(0.65)) {
    for (let attempt = 0; attempt < 20 && home === null; attempt++) {
      const side = random.chance(0.5) ? -1 : 1;
      const t = entrance.s + entrance.width / 2 + side * (entrance.width / 2 + random.between(1.8, 4));
      const p = pointAt(entrance.run, snap(t), snap(random.between(1.6, 3.5)));
      if (fits(draft, rect(p.xM - 0.8, p.yM - 0.8, p.xM + 0.8, p.yM + 0.8))) home = p;
    }
  }
  home ??= freePoint(draft, random, hallRects, 1.5, 0.8);
  if (home !== null) draft.reserved.push(rect(home.xM - 0.8, home.yM - 0.8, home.xM + 0.8, home.yM + 0.8));
  return home;
}

/** The dock: against the wall nearest home that has room, 0.6 m out from the wall's face, facing it. */
function placeDock(draft: Draft, home: Spot): (Spot & { yawRad: number }) | null {
  const candidates = wallRuns(draft.floor)
    .filter((run) => run.b - run.a >= 1.6)
    .map((run) => {
      const t = Math.min(run.b - 0.8, Math.max(run.a + 0.8, run.side === 'N' || run.side === 'S' ? home.xM : home.yM));
      const p = pointAt(run, t, W + 0.6);
      return { run, t, away: Math.hypot(p.xM - home.xM, p.yM - home.yM) };
    })
    .sort((a, b) => a.away - b.away);
  for (const { run, t } of candidates) {
    for (const shiftM of [0, 1.5, -1.5, 3, -3, 5, -5]) {
      const at = snap(t + shiftM);
      if (at < run.a + 0.8 || at > run.b - 0.8) continue;
      const zone = rectAt(run, at - 0.7, at + 0.7, 0.01, 1.6);
      if (!fits(draft, zone)) continue;
      draft.reserved.push(zone);
      const p = pointAt(run, at, W + 0.6);
      return { xM: snap(p.xM), yM: snap(p.yM), yawRad: FACING[run.side] };
    }
  }
  return null;
}

/** Reception: a desk a few metres in from the entrance, its place in front of it. */
function placeReception(draft: Draft, random: Random, entrance: Entrance): Spot | null {
  for (let attempt = 0; attempt < 30; attempt++) {
    const p = pointAt(entrance.run, snap(entrance.s + entrance.width / 2 + random.between(-6, 6)), snap(random.between(4, 7)));
    const desk = rect(p.xM - 1.2, p.yM, p.xM + 1.2, p.yM + 0.8);
    const zone = rect(desk.x0 - GAP_M, desk.y0 - 2.2, desk.x1 + GAP_M, desk.y1 + GAP_M);
    if (!fits(draft, zone)) continue;
    draft.reserved.push(zone);
    draft.obstacles.push(desk);
    return { xM: snap(p.xM), yM: snap(p.yM - STOP_M) };
  }
  return null;
}

/** Pillars, 0.4 to 0.8 m square, at least GAP_M from walls and anything else. */
function placePillars(draft: Draft, random: Random, hallRects: readonly Rect[], want: number): number {
  let pillars = 0;
  for (let attempt = 0; attempt < 80 && pillars < want; attempt++) {
    const side = snap(random.between(0.4, 0.8));
    const p = freePoint(draft, random, hallRects, 1.5, side / 2 + GAP_M + W);
    if (p === null) break;
    const pillar = rect(p.xM - side / 2, p.yM - side / 2, p.xM + side / 2, p.yM + side / 2);
    draft.obstacles.push(pillar);
    draft.reserved.push(grow(pillar, 0.1));
    pillars++;
  }
  return pillars;
}

interface Draw {
  readonly spec: LayoutSpec;
  readonly description: Omit<LayoutDescription, 'seed' | 'name' | 'attempts' | 'widthM' | 'heightM'>;
}

/** One attempt; null when something did not fit (the caller draws again). */
function drawOnce(random: Random, name: string): Draw | null {
  const hall = drawHall(random);
  const hallRects = hall.floor.filter((_, i) => hall.hall.has(i));
  const hallRuns = wallRuns(hall.floor, hall.hall);
  const draft: Draft = { floor: hall.floor, walls: [...hall.walls], desks: [], obstacles: [], doors: [...hall.doors], reserved: [...hall.reserved], counters: [] };

  const placedPartition = random.chance(0.5) ? partition(draft, random, hallRects, random.chance(0.5)) : 'none';
  const entrance = placeEntrance(draft, random, hallRuns);
  if (entrance === null) return null;
  const waiting = placeWaiting(draft, random, hallRects);
  if (waiting === null) return null;

  let countersInSecondRoom = 0;
  if (hall.room !== null && random.chance(0.8)) {
    // The longest wall first: usually the one facing the way in.
    const roomRuns = wallRuns(hall.floor, new Set([hall.room])).sort((a, b) => b.b - b.a - (a.b - a.a) || a.c - b.c || a.a - b.a);
    const want = 1 + random.int(3);
    for (const run of roomRuns) {
      countersInSecondRoom = counterRow(draft, random, run, want, true);
      if (countersInSecondRoom > 0) break;
    }
  }
  const targetCounters = 6 + random.int(5);
  const targetWalls = Number(random.weighted({ '1': 0.2, '2': 0.45, '3': 0.35 }));
  const counterWalls = placeWallRows(draft, random, hallRuns, targetCounters, targetWalls);
  if (draft.counters.length < 4) return null;

  const home = placeHome(draft, random, entrance, hallRects);
  if (home === null) return null;
  const dock = placeDock(draft, home);
  if (dock === null) return null;
  const reception = random.chance(0.4) ? placeReception(draft, random, entrance) : null;
  const pillars = placePillars(draft, random, hallRects, random.chance(0.3) ? 0 : 1 + random.int(6));

  const fields = assignFields(random, draft.counters.length);
  const facingIn = FACING[entrance.run.side] + Math.PI;
  const places: PlaceSpec[] = [
    { id: 'home', kind: 'home', xM: snap(home.xM), yM: snap(home.yM), yawRad: facingIn },
    { id: 'dock', kind: 'dock', ...dock },
    { id: 'entrance', kind: 'entrance', ...entrance.pose, yawRad: FACING[entrance.run.side] },
    ...(reception !== null ? [{ id: 'reception', kind: 'reception' as const, ...reception, yawRad: NORTH }] : []),
    { id: 'waiting', kind: 'waiting', ...waiting.waiting, yawRad: NORTH },
    ...draft.counters.map((c, i): PlaceSpec => ({ id: `counter-${i + 1}`, kind: 'counter', fields: fields[i]!, xM: c.xM, yM: c.yM, yawRad: c.yawRad })),
  ];
  const spec = anchored({ name, floor: draft.floor, walls: draft.walls, desks: draft.desks, obstacles: draft.obstacles, doors: draft.doors, places });
  return {
    spec,
    description: {
      shape: hall.shape,
      partition: placedPartition,
      pillars,
      seatRows: waiting.seatRows,
      secondRoom: hall.secondRoom,
      secondRoomPassageM: hall.passageM,
      countersInSecondRoom,
      counterWalls: counterWalls + (countersInSecondRoom > 0 ? 1 : 0),
      counters: draft.counters.length,
      reception: reception !== null,
      entranceToWaitingM: Math.round(Math.hypot(entrance.pose.xM - waiting.waiting.xM, entrance.pose.yM - waiting.waiting.yM) * 10) / 10,
    },
  };
}

const normalizeYaw = (yawRad: number): number => Math.atan2(Math.sin(yawRad), Math.cos(yawRad));

/** murmur3's finaliser: neighbouring seeds start far apart, so seeds 1, 2, 3... draw unrelated halls. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The layout for `seed`: the first draw (from `seed`, attempt by attempt) that `map check` passes
 * with every field of the catalog. Same seed, same bytes.
 */
export function generateLayout(seed: number, options: { readonly catalog?: Catalog } = {}): GeneratedLayout {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new TiepdanError('invalid_argument', `layout seed must be a whole number in 0..4294967295, got ${seed}`);
  }
  const catalog = options.catalog ?? loadCatalog();
  const name = `layout-${seed}`;
  const generatedBy = `# Generated by sim/layouts/generate.ts from seed ${seed}.`;
  let lastProblem = 'nothing fitted';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const draw = drawOnce(new Random(mix32(mix32(seed) ^ Math.imul(attempt, 0x9e3779b1))), name);
    if (draw === null) continue;
    const spec: LayoutSpec = { ...draw.spec, places: draw.spec.places.map((p) => ({ ...p, yawRad: normalizeYaw(p.yawRad) })) };
    const drawn = drawLayout(spec, generatedBy);
    const yamlPath = `${name}.yaml`;
    const map = parseMap(yamlPath, drawn.yaml, () => drawn.pgm);
    const { report } = checkMap(map, placesPathFor(yamlPath), drawn.places, { catalog });
    if (!report.ok) {
      lastProblem = report.problems[0]?.message ?? 'map check failed';
      continue;
    }
    const widthM = Math.max(...spec.floor.map((r) => r.x1));
    const heightM = Math.max(...spec.floor.map((r) => r.y1));
    return { spec, drawn, check: report, description: { seed, name, widthM, heightM, ...draw.description, attempts: attempt } };
  }
  throw new TiepdanError('layout_failed', `seed ${seed}: no layout passed map check in ${MAX_ATTEMPTS} draws (last: ${lastProblem})`);
}

/** Writes `<name>.pgm`, `<name>.yaml` and `<name>.places.yaml` into `dir`; returns the map YAML's path. */
export function writeLayout(dir: string, layout: GeneratedLayout): string {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, layout.description.name);
  writeFileSync(`${base}.pgm`, layout.drawn.pgm);
  writeFileSync(`${base}.yaml`, layout.drawn.yaml);
  writeFileSync(`${base}.places.yaml`, layout.drawn.places);
  return `${base}.yaml`;
}
