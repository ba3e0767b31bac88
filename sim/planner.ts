import type { Point2D } from '../src/ports/common.js';
import { TiepdanError } from '../src/ports/errors.js';
import { squaredDistanceToObstacles } from '../src/maps/distance-field.js';
import { gridToWorld, worldToGrid, type OccupancyMap } from '../src/maps/map.js';

export interface Circle {
  readonly center: Point2D;
  readonly radiusM: number;
}

export type PlanResult =
  | { readonly ok: true; readonly path: readonly Point2D[]; readonly lengthM: number }
  | {
      readonly ok: false;
      readonly reason: 'outside_map' | 'start_occupied' | 'goal_occupied' | 'unreachable';
      readonly detail: string;
    };

export interface Planner {
  /**
   * Shortest 8-connected path on the inflated map, string-pulled to a few waypoints; the path
   * starts at `from` and ends at `to` exactly. `blocked`: temporary obstacles (people, a closed
   * corridor), inflated like walls. When `from` is inside the inflation band but not in a wall,
   * the first segment leads out of the band to the nearest clear cell within 0.5 m.
   */
  plan(from: Point2D, to: Point2D, blocked?: readonly Circle[]): PlanResult;
  /** True when the straight segment crosses only cells clear of walls and `blocked`, both inflated. */
  segmentFree(a: Point2D, b: Point2D, blocked?: readonly Circle[]): boolean;
  /** True when nothing on the map itself (walls, not their inflation; unknown space blocks too) lies between a and b: a sensor's view. */
  lineOfSight(a: Point2D, b: Point2D): boolean;
}

export interface PlannerOptions {
  /** Robot radius plus margin; cells whose centre is this close to an obstacle cell's centre are blocked. */
  readonly inflationRadiusM: number;
  /**
   * How much the search trusts its straight-line estimate (default 1: shortest paths). Above 1 it
   * expands far fewer cells for paths at most that many times longer, and in practice within a few
   * per cent: fit for simulated people, who do not walk the shortest way either.
   */
  readonly heuristicWeight?: number;
}

/** How far a start inside the inflation band may look for clear space. */
const ESCAPE_RADIUS_M = 0.5;
const NO_PARENT = -1;
/** Plans on the bare map kept for asking again; all are dropped when full (the map never changes). */
const REMEMBERED_PLANS = 1024;
const HEURISTIC_TIE_BREAK = 1 + 1e-6;
/** Orthogonal steps first (bits 0..3 of the search's `open` mask), then diagonals. */
const STEPS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [-1, 1],
  [1, -1],
  [-1, -1],
];
/** For each diagonal in STEPS, the mask of the two orthogonal steps it passes between. */
const DIAGONAL_NEEDS: readonly number[] = [0b0101, 0b0110, 0b1001, 0b1010];

function fmt(p: Point2D): string {
  return `(${p.xM.toFixed(1)}, ${p.yM.toFixed(1)})`;
}

/** Builds the inflated grid once; each `plan` reuses the same scratch buffers. Not reentrant. */
export function createPlanner(map: OccupancyMap, options: PlannerOptions): Planner {
  const { inflationRadiusM } = options;
  const heuristicWeight = options.heuristicWeight ?? 1;
  if (!Number.isFinite(heuristicWeight) || heuristicWeight < 1) {
    throw new TiepdanError('invalid_argument', `planner: heuristicWeight must be a finite number >= 1, got ${heuristicWeight}`);
  }
  const heuristicScale = heuristicWeight * HEURISTIC_TIE_BREAK;
  if (!Number.isFinite(inflationRadiusM) || inflationRadiusM < 0) {
    throw new TiepdanError('invalid_argument', `planner: inflationRadiusM must be a finite number >= 0, got ${inflationRadiusM}`);
  }
  const { width, height, occupied, resolutionM } = map;
  const cellCount = width * height;

  const blockedByMap = new Uint8Array(cellCount);
  {
    const distance2 = squaredDistanceToObstacles(map);
    const limit = (inflationRadiusM / resolutionM) ** 2 + 1e-9;
    for (let i = 0; i < cellCount; i++) blockedByMap[i] = occupied[i] === 1 || (distance2[i] as number) <= limit ? 1 : 0;
    // The outermost ring of cells is blocked too, so the search never checks bounds; the map edge is no place to drive anyway.
    for (let x = 0; x < width; x++) {
      blockedByMap[x] = 1;
      blockedByMap[(height - 1) * width + x] = 1;
    }
    for (let y = 0; y < height; y++) {
      blockedByMap[y * width] = 1;
      blockedByMap[y * width + width - 1] = 1;
    }
  }

  // Scratch, valid for a cell only where its generation stamp equals `generation`, so nothing is cleared between calls.
  const blockedStamp = new Uint32Array(cellCount);
  const seenStamp = new Uint32Array(cellCount);
  const closedStamp = new Uint32Array(cellCount);
  const costG = new Float64Array(cellCount);
  const parent = new Int32Array(cellCount);
  const heap = new Int32Array(cellCount);
  const heapKey = new Float64Array(cellCount);
  const heapIndex = new Int32Array(cellCount);
  let heapSize = 0;
  let generation = 0;

  const nextGeneration = (): void => {
    if (generation === 0xffff_ffff) {
      blockedStamp.fill(0);
      seenStamp.fill(0);
      closedStamp.fill(0);
      generation = 0;
    }
    generation++;
  };

  const passable = (i: number): boolean => blockedByMap[i] === 0 && blockedStamp[i] !== generation;
  const passableAt = (cx: number, cy: number): boolean => cx >= 0 && cy >= 0 && cx < width && cy < height && passable(cy * width + cx);
  const inGrid = (gx: number, gy: number): boolean => gx >= 0 && gy >= 0 && gx < width && gy < height;

  /** Marks the cells a temporary obstacle blocks for this generation. */
  const stampCircles = (blocked: readonly Circle[]): void => {
    for (const circle of blocked) {
      const { center, radiusM } = circle;
      if (!Number.isFinite(center.xM) || !Number.isFinite(center.yM) || !Number.isFinite(radiusM) || radiusM < 0) {
        throw new TiepdanError('invalid_argument', `planner: blocked circle at ${fmt(center)} with radius ${radiusM} m is not finite`);
      }
      const { gx, gy } = worldToGrid(map, center);
      const r = (radiusM + inflationRadiusM) / resolutionM;
      const r2 = r * r + 1e-9;
      const x0 = Math.max(0, Math.floor(gx - r - 0.5));
      const x1 = Math.min(width - 1, Math.ceil(gx + r - 0.5));
      const y0 = Math.max(0, Math.floor(gy - r - 0.5));
      const y1 = Math.min(height - 1, Math.ceil(gy + r - 0.5));
      for (let cy = y0; cy <= y1; cy++) {
        const dy = cy + 0.5 - gy;
        for (let cx = x0; cx <= x1; cx++) {
          const dx = cx + 0.5 - gx;
          if (dx * dx + dy * dy <= r2) blockedStamp[cy * width + cx] = generation;
        }
      }
    }
  };

  /**
   * Visits every cell the segment touches (a supercover: through an exact corner, both side
   * cells count) and asks `ok` of each. Endpoints are in grid coordinates and inside the grid.
   */
  const walkSegment = (ax: number, ay: number, bx: number, by: number, ok: (cx: number, cy: number) => boolean): boolean => {
    let cx = Math.floor(ax);
    let cy = Math.floor(ay);
    const ex = Math.floor(bx);
    const ey = Math.floor(by);
    if (!ok(cx, cy)) return false;
    const dx = bx - ax;
    const dy = by - ay;
    const stepX = ex > cx ? 1 : ex < cx ? -1 : 0;
    const stepY = ey > cy ? 1 : ey < cy ? -1 : 0;
    const tDeltaX = stepX === 0 ? Infinity : Math.abs(1 / dx);
    const tDeltaY = stepY === 0 ? Infinity : Math.abs(1 / dy);
    let tMaxX = stepX > 0 ? (cx + 1 - ax) / dx : stepX < 0 ? (ax - cx) / -dx : Infinity;
    let tMaxY = stepY > 0 ? (cy + 1 - ay) / dy : stepY < 0 ? (ay - cy) / -dy : Infinity;
    // Counting the remaining steps, not trusting t, guarantees the walk ends on the end cell.
    let remainingX = Math.abs(ex - cx);
    let remainingY = Math.abs(ey - cy);
    while (remainingX > 0 || remainingY > 0) {
      const corner = remainingX > 0 && remainingY > 0 && Math.abs(tMaxX - tMaxY) < 1e-9;
      if (corner) {
        if (!ok(cx + stepX, cy) || !ok(cx, cy + stepY)) return false;
        cx += stepX;
        cy += stepY;
        tMaxX += tDeltaX;
        tMaxY += tDeltaY;
        remainingX--;
        remainingY--;
      } else if (remainingY === 0 || (remainingX > 0 && tMaxX < tMaxY)) {
        cx += stepX;
        tMaxX += tDeltaX;
        remainingX--;
      } else {
        cy += stepY;
        tMaxY += tDeltaY;
        remainingY--;
      }
      if (!ok(cx, cy)) return false;
    }
    return true;
  };

  const clearOfWalls = (cx: number, cy: number): boolean =>
    cx >= 0 && cy >= 0 && cx < width && cy < height && occupied[cy * width + cx] === 0;

  // Neighbour offsets and step costs, in a fixed order so equal-cost paths come out the same on every run.
  const offsets = Int32Array.from(STEPS.map(([sx, sy]) => sy * width + sx));
  const stepCost = Float64Array.from(STEPS.map(([sx, sy]) => (sx !== 0 && sy !== 0 ? Math.SQRT2 : 1)));

  const heapPush = (node: number, key: number): void => {
    heapSize++;
    heapSiftUp(heapSize - 1, node, key);
  };

  const heapSiftUp = (position: number, node: number, key: number): void => {
    let at = position;
    while (at > 0) {
      const up = (at - 1) >> 1;
      const upKey = heapKey[up] as number;
      if (upKey <= key) break;
      const upNode = heap[up] as number;
      heap[at] = upNode;
      heapKey[at] = upKey;
      heapIndex[upNode] = at;
      at = up;
    }
    heap[at] = node;
    heapKey[at] = key;
    heapIndex[node] = at;
  };

  const heapPop = (): number => {
    const top = heap[0] as number;
    heapSize--;
    if (heapSize === 0) return top;
    const node = heap[heapSize] as number;
    const key = heapKey[heapSize] as number;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && (heapKey[child + 1] as number) < (heapKey[child] as number)) child++;
      const childKey = heapKey[child] as number;
      if (childKey >= key) break;
      const childNode = heap[child] as number;
      heap[at] = childNode;
      heapKey[at] = childKey;
      heapIndex[childNode] = at;
      at = child;
    }
    heap[at] = node;
    heapKey[at] = key;
    heapIndex[node] = at;
    return top;
  };

  /**
   * A* from cell `start` to cell `goal`. Returns the number of cells expanded, negated when the
   * goal was not reached. Relies on the blocked border ring: no neighbour lookup leaves the grid.
   */
  const search = (start: number, goal: number): number => {
    const goalX = goal % width;
    const goalY = (goal - goalX) / width;
    // Octile distance, scaled a hair up so that among equal f the node nearer the goal wins:
    // open floor then expands a line, not a diamond, for paths at most 1e-6 longer.
    const octile = (cell: number): number => {
      const x = cell % width;
      const dx = Math.abs(x - goalX);
      const dy = Math.abs((cell - x) / width - goalY);
      return (dx + dy + (Math.SQRT2 - 2) * Math.min(dx, dy)) * heuristicScale;
    };
    const gen = generation;
    heapSize = 0;
    seenStamp[start] = gen;
    costG[start] = 0;
    parent[start] = NO_PARENT;
    heapPush(start, octile(start));
    let expanded = 0;
    while (heapSize > 0) {
      const current = heapPop();
      closedStamp[current] = gen;
      expanded++;
      if (current === goal) return expanded;
      const g = costG[current] as number;
      // Orthogonals come first and record which are open; a diagonal needs both cells it squeezes between.
      let open = 0;
      for (let k = 0; k < 8; k++) {
        const next = current + (offsets[k] as number);
        if (k >= 4) {
          const needs = DIAGONAL_NEEDS[k - 4] as number;
          if ((open & needs) !== needs) continue;
        }
        if (blockedByMap[next] !== 0 || blockedStamp[next] === gen) continue;
        if (k < 4) open |= 1 << k;
        if (closedStamp[next] === gen) continue;
        const tentative = g + (stepCost[k] as number);
        if (seenStamp[next] !== gen) {
          seenStamp[next] = gen;
          costG[next] = tentative;
          parent[next] = current;
          heapPush(next, tentative + octile(next));
        } else if (tentative < (costG[next] as number) - 1e-12) {
          costG[next] = tentative;
          parent[next] = current;
          heapSiftUp(heapIndex[next] as number, next, tentative + octile(next));
        }
      }
    }
    return -expanded;
  };

  /**
   * The clear cell nearest to a start point inside the inflation band, reachable by a straight
   * move that crosses no wall; -1 if none lies within ESCAPE_RADIUS_M.
   */
  const escapeCell = (gx: number, gy: number): number => {
    const reach = ESCAPE_RADIUS_M / resolutionM;
    const cx0 = Math.floor(gx);
    const cy0 = Math.floor(gy);
    const span = Math.ceil(reach) + 1;
    const candidates: { cell: number; distance2: number; cx: number; cy: number }[] = [];
    for (let cy = cy0 - span; cy <= cy0 + span; cy++) {
      for (let cx = cx0 - span; cx <= cx0 + span; cx++) {
        if (!passableAt(cx, cy)) continue;
        const dx = cx + 0.5 - gx;
        const dy = cy + 0.5 - gy;
        const distance2 = dx * dx + dy * dy;
        if (distance2 <= reach * reach) candidates.push({ cell: cy * width + cx, distance2, cx, cy });
      }
    }
    candidates.sort((a, b) => a.distance2 - b.distance2 || a.cell - b.cell);
    for (const candidate of candidates) {
      if (walkSegment(gx, gy, candidate.cx + 0.5, candidate.cy + 0.5, clearOfWalls)) return candidate.cell;
    }
    return -1;
  };

  const insideCircle = (p: Point2D, blocked: readonly Circle[]): boolean =>
    blocked.some((c) => Math.hypot(p.xM - c.center.xM, p.yM - c.center.yM) <= c.radiusM);

  const pathLength = (path: readonly Point2D[]): number => {
    let total = 0;
    for (let i = 1; i < path.length; i++) {
      const a = path[i - 1] as Point2D;
      const b = path[i] as Point2D;
      total += Math.hypot(b.xM - a.xM, b.yM - a.yM);
    }
    return total;
  };

  const segmentClear = (ax: number, ay: number, bx: number, by: number): boolean => walkSegment(ax, ay, bx, by, passableAt);

  const cellCentre = (cell: number): Point2D => {
    const cx = cell % width;
    return gridToWorld(map, cx + 0.5, (cell - cx) / width + 0.5);
  };

  // People walk between the same places again and again (a passer-by from one counter to the next):
  // the same request on the bare map gets the same answer, so the latest answers are kept.
  const remembered = new Map<string, PlanResult>();
  const plan = (from: Point2D, to: Point2D, blocked: readonly Circle[] = []): PlanResult => {
    if (blocked.length > 0) return planAfresh(from, to, blocked);
    const key = `${from.xM} ${from.yM} ${to.xM} ${to.yM}`;
    const known = remembered.get(key);
    if (known !== undefined) return known;
    // Frozen, since every caller asking the same gets this very object.
    const result = planAfresh(from, to, blocked);
    if (result.ok) {
      for (const point of result.path) Object.freeze(point);
      Object.freeze(result.path);
    }
    if (remembered.size >= REMEMBERED_PLANS) remembered.clear();
    remembered.set(key, result);
    return result;
  };

  const planAfresh = (from: Point2D, to: Point2D, blocked: readonly Circle[]): PlanResult => {
    const start = worldToGrid(map, from);
    const goal = worldToGrid(map, to);
    if (!inGrid(start.gx, start.gy)) return { ok: false, reason: 'outside_map', detail: `start ${fmt(from)} is outside the map ${map.file}` };
    if (!inGrid(goal.gx, goal.gy)) return { ok: false, reason: 'outside_map', detail: `goal ${fmt(to)} is outside the map ${map.file}` };
    nextGeneration();
    stampCircles(blocked);

    const startX = Math.floor(start.gx);
    const startY = Math.floor(start.gy);
    const goalX = Math.floor(goal.gx);
    const goalY = Math.floor(goal.gy);
    const startCell = startY * width + startX;
    const goalCell = goalY * width + goalX;

    if (occupied[startCell] === 1) {
      return { ok: false, reason: 'start_occupied', detail: `start ${fmt(from)} is inside an obstacle (occupied or unknown cell)` };
    }
    if (insideCircle(from, blocked)) {
      return { ok: false, reason: 'start_occupied', detail: `start ${fmt(from)} is inside a temporary obstacle` };
    }
    if (blockedByMap[goalCell] === 1) {
      return { ok: false, reason: 'goal_occupied', detail: `goal ${fmt(to)} is inside an obstacle or too close to one` };
    }
    if (!passable(goalCell)) {
      return { ok: false, reason: 'goal_occupied', detail: `goal ${fmt(to)} is blocked by a temporary obstacle or too close to one` };
    }

    let searchStart = startCell;
    const escaping = !passable(startCell);
    if (escaping) {
      searchStart = escapeCell(start.gx, start.gy);
      if (searchStart < 0) {
        return {
          ok: false,
          reason: 'start_occupied',
          detail: `start ${fmt(from)} is too close to an obstacle and no clear cell lies within ${ESCAPE_RADIUS_M} m`,
        };
      }
    }

    if (searchStart === goalCell) {
      const path = escaping ? [from, cellCentre(goalCell), to] : [from, to];
      const points = path.map((p) => ({ xM: p.xM, yM: p.yM }));
      return { ok: true, path: points, lengthM: pathLength(points) };
    }

    const expanded = search(searchStart, goalCell);
    if (expanded < 0) {
      const byPeople = blocked.length > 0 ? ` or by the ${blocked.length} temporary obstacle${blocked.length === 1 ? '' : 's'}` : '';
      return {
        ok: false,
        reason: 'unreachable',
        detail: `no path from ${fmt(from)} to goal ${fmt(to)}: the goal is cut off from the start by walls${byPeople} (${-expanded} cells searched)`,
      };
    }

    // Cells from the search start to the goal, as grid points; the ends are the exact requested points.
    const cells: number[] = [];
    for (let cell = goalCell; cell !== NO_PARENT; cell = parent[cell] as number) cells.push(cell);
    cells.reverse();
    const gxs: number[] = [];
    const gys: number[] = [];
    if (escaping) {
      gxs.push(start.gx);
      gys.push(start.gy);
    }
    for (const cell of cells) {
      const cx = cell % width;
      gxs.push(cx + 0.5);
      gys.push((cell - cx) / width + 0.5);
    }
    if (!escaping) {
      gxs[0] = start.gx;
      gys[0] = start.gy;
    }
    const last = gxs.length - 1;
    gxs[last] = goal.gx;
    gys[last] = goal.gy;

    // String pulling: keep a waypoint only where the straight line from the previous one would hit something.
    // The point the anchor first fails to see is found by galloping, then halving: a few segment
    // walks per waypoint instead of one per cell of the path (the walks were most of a plan's time).
    const kept: number[] = escaping ? [0, 1] : [0];
    const sees = (from: number, to: number): boolean => segmentClear(gxs[from] as number, gys[from] as number, gxs[to] as number, gys[to] as number);
    for (let anchor = escaping ? 1 : 0; ; ) {
      let clear = anchor + 1;
      let step = 1;
      let hidden = -1;
      while (clear < last) {
        const probe = Math.min(clear + step, last);
        if (!sees(anchor, probe)) {
          hidden = probe;
          break;
        }
        clear = probe;
        step *= 2;
      }
      if (hidden < 0) break;
      while (hidden - clear > 1) {
        const mid = (clear + hidden) >>> 1;
        if (sees(anchor, mid)) clear = mid;
        else hidden = mid;
      }
      kept.push(clear);
      anchor = clear;
    }
    if (kept[kept.length - 1] !== last) kept.push(last);
    // The greedy pass leaves clusters of waypoints around rounded (inflated) corners; drop any whose neighbours see each other.
    const firstMovable = escaping ? 2 : 1;
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = firstMovable; i < kept.length - 1; ) {
        const a = kept[i - 1] as number;
        const b = kept[i + 1] as number;
        if (segmentClear(gxs[a] as number, gys[a] as number, gxs[b] as number, gys[b] as number)) {
          kept.splice(i, 1);
          changed = true;
        } else {
          i++;
        }
      }
    }

    const path: Point2D[] = kept.map((k) => {
      if (k === 0) return { xM: from.xM, yM: from.yM };
      if (k === last) return { xM: to.xM, yM: to.yM };
      return gridToWorld(map, gxs[k] as number, gys[k] as number);
    });
    return { ok: true, path, lengthM: pathLength(path) };
  };

  const segmentFree = (a: Point2D, b: Point2D, blocked: readonly Circle[] = []): boolean => {
    const ga = worldToGrid(map, a);
    const gb = worldToGrid(map, b);
    if (!inGrid(ga.gx, ga.gy) || !inGrid(gb.gx, gb.gy)) return false;
    nextGeneration();
    stampCircles(blocked);
    return segmentClear(ga.gx, ga.gy, gb.gx, gb.gy);
  };

  const lineOfSight = (a: Point2D, b: Point2D): boolean => {
    const ga = worldToGrid(map, a);
    const gb = worldToGrid(map, b);
    if (!inGrid(ga.gx, ga.gy) || !inGrid(gb.gx, gb.gy)) return false;
    return walkSegment(ga.gx, ga.gy, gb.gx, gb.gy, clearOfWalls);
  };

  return { plan, segmentFree, lineOfSight };
}
