import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Point2D } from '../../src/ports/common.js';
import type { Place } from '../../src/ports/robot-base.js';
import { isFree, loadMap, loadPlaces, placesPathFor, type OccupancyMap } from '../../src/maps/map.js';
import { drawTestRoom } from '../../sim/maps/make-ward-lobby.js';
import { createPlanner, type Circle, type Planner, type PlanResult } from '../../sim/planner.js';

const MAPS_DIR = fileURLToPath(new URL('../../sim/maps/', import.meta.url));
const INFLATION_RADIUS_M = 0.35;

function loadShipped(name: string): { map: OccupancyMap; places: Place[]; planner: Planner } {
  const yaml = join(MAPS_DIR, `${name}.yaml`);
  const map = loadMap(yaml);
  return { map, places: loadPlaces(placesPathFor(yaml), map), planner: createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M }) };
}

const lobby = loadShipped('ward-lobby');
const room = loadShipped('test-room');

function place(places: readonly Place[], id: string): Point2D {
  const found = places.find((p) => p.id === id);
  if (found === undefined) throw new Error(`no place ${id}`);
  return { xM: found.pose.xM, yM: found.pose.yM };
}

function expectOk(result: PlanResult): { path: readonly Point2D[]; lengthM: number } {
  if (!result.ok) throw new Error(`expected a path, got ${result.reason}: ${result.detail}`);
  return result;
}

function expectSegmentsFree(planner: Planner, path: readonly Point2D[], blocked: readonly Circle[] = [], from = 0): void {
  for (let i = from + 1; i < path.length; i++) {
    const a = path[i - 1] as Point2D;
    const b = path[i] as Point2D;
    expect(planner.segmentFree(a, b, blocked), `segment ${i - 1}: (${a.xM}, ${a.yM}) -> (${b.xM}, ${b.yM})`).toBe(true);
  }
}

/** Samples every centimetre: the segment crosses no wall (it may cross the inflation band). */
function crossesNoWall(map: OccupancyMap, a: Point2D, b: Point2D): boolean {
  const steps = Math.max(1, Math.ceil(Math.hypot(b.xM - a.xM, b.yM - a.yM) / 0.01));
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    if (!isFree(map, { xM: a.xM + (b.xM - a.xM) * t, yM: a.yM + (b.yM - a.yM) * t })) return false;
  }
  return true;
}

function withTempMap<T>(drawn: { pgm: Buffer; yaml: string; places: string }, run: (yamlPath: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-planner-'));
  try {
    // The generator names the image test-room.pgm; the temp copy keeps that name.
    writeFileSync(join(dir, 'test-room.pgm'), drawn.pgm);
    writeFileSync(join(dir, 'test-room.yaml'), drawn.yaml);
    writeFileSync(join(dir, 'test-room.places.yaml'), drawn.places);
    return run(join(dir, 'test-room.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ward lobby', () => {
  const home = place(lobby.places, 'home');

  it.each(lobby.places.map((p) => p.id))('reaches %s from home through free space', (id) => {
    const goal = place(lobby.places, id);
    const { path, lengthM } = expectOk(lobby.planner.plan(home, goal));
    expect(path[0]).toEqual(home);
    expect(path[path.length - 1]).toEqual(goal);
    expectSegmentsFree(lobby.planner, path);
    expect(lengthM).toBeGreaterThanOrEqual(Math.hypot(goal.xM - home.xM, goal.yM - home.yM) - 1e-9);
    // String pulling keeps only the turns.
    expect(path.length).toBeLessThan(12);
  });

  it('comes back home from every counter', () => {
    for (const counter of lobby.places.filter((p) => p.kind === 'counter')) {
      expectSegmentsFree(lobby.planner, expectOk(lobby.planner.plan(counter.pose, home)).path);
    }
  });

  it('walks straight from the entrance to the waiting area when nothing is in the way', () => {
    const { path } = expectOk(lobby.planner.plan(place(lobby.places, 'entrance'), place(lobby.places, 'waiting')));
    expect(path).toHaveLength(2);
  });

  it('detours around a person standing in the way, and keeps clear of them', () => {
    const from = place(lobby.places, 'entrance');
    const to = place(lobby.places, 'waiting');
    const person: Circle = { center: { xM: 15, yM: 4 }, radiusM: 0.3 };
    const direct = expectOk(lobby.planner.plan(from, to));
    expect(lobby.planner.segmentFree(from, to, [person])).toBe(false);
    const detour = expectOk(lobby.planner.plan(from, to, [person]));
    expect(detour.path.length).toBeGreaterThan(2);
    expect(detour.lengthM).toBeGreaterThan(direct.lengthM);
    expectSegmentsFree(lobby.planner, detour.path, [person]);
  });

  it('gives the same answer every time', () => {
    const a = lobby.planner.plan(home, place(lobby.places, 'counter-1'));
    for (let i = 0; i < 5; i++) lobby.planner.plan(place(lobby.places, 'dock'), place(lobby.places, `counter-${i + 2}`));
    expect(lobby.planner.plan(home, place(lobby.places, 'counter-1'))).toEqual(a);
  });

  it('refuses the unseen staff side behind the counter desk', () => {
    const result = lobby.planner.plan(home, { xM: 15, yM: 18.5 });
    expect(result).toMatchObject({ ok: false, reason: 'goal_occupied' });
  });
});

describe('test room', () => {
  const home = place(room.places, 'home');
  const counter = place(room.places, 'counter-1');

  it('goes through the door to the counter', () => {
    const { path } = expectOk(room.planner.plan(home, counter));
    expectSegmentsFree(room.planner, path);
    // Every crossing of the dividing wall (x 5.0..5.2) happens inside the door (y 2.4..3.6).
    for (let i = 1; i < path.length; i++) {
      const a = path[i - 1] as Point2D;
      const b = path[i] as Point2D;
      if ((a.xM - 5.1) * (b.xM - 5.1) < 0) {
        const y = a.yM + ((5.1 - a.xM) / (b.xM - a.xM)) * (b.yM - a.yM);
        expect(y).toBeGreaterThan(2.4);
        expect(y).toBeLessThan(3.6);
      }
    }
  });

  it('EXPECTED FAILURE - refuses a goal in a closed room as unreachable, and says why', () => {
    withTempMap(drawTestRoom({ doorWidthM: 0 }), (yamlPath) => {
      const map = loadMap(yamlPath);
      const places = loadPlaces(placesPathFor(yamlPath), map);
      const planner = createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M });
      const result = planner.plan(place(places, 'home'), place(places, 'counter-1'));
      expect(result).toMatchObject({ ok: false, reason: 'unreachable' });
      if (!result.ok) {
        expect(result.detail).toContain('no path from (2.5, 4.2) to goal (7.8, 3.0)');
        expect(result.detail).toContain('cut off from the start by walls');
      }
    });
  });

  it('EXPECTED FAILURE - refuses a goal inside a wall as goal_occupied', () => {
    expect(room.planner.plan(home, { xM: 5.1, yM: 1 })).toEqual({
      ok: false,
      reason: 'goal_occupied',
      detail: 'goal (5.1, 1.0) is inside an obstacle or too close to one',
    });
  });

  it('EXPECTED FAILURE - refuses a goal free on the map but closer to a wall than the inflation radius', () => {
    expect(isFree(room.map, { xM: 4.8, yM: 1 })).toBe(true);
    expect(room.planner.plan(home, { xM: 4.8, yM: 1 })).toMatchObject({ ok: false, reason: 'goal_occupied' });
  });

  it('EXPECTED FAILURE - refuses points outside the map as outside_map', () => {
    expect(room.planner.plan(home, { xM: 12, yM: 3 })).toEqual({
      ok: false,
      reason: 'outside_map',
      detail: `goal (12.0, 3.0) is outside the map ${room.map.file}`,
    });
    expect(room.planner.plan({ xM: -1, yM: 3 }, home)).toMatchObject({ ok: false, reason: 'outside_map', detail: expect.stringContaining('start (-1.0, 3.0)') });
    expect(room.planner.plan({ xM: Number.NaN, yM: 3 }, home)).toMatchObject({ ok: false, reason: 'outside_map' });
  });

  it('EXPECTED FAILURE - refuses a start inside a wall as start_occupied', () => {
    expect(room.planner.plan({ xM: 5.1, yM: 1 }, home)).toMatchObject({
      ok: false,
      reason: 'start_occupied',
      detail: 'start (5.1, 1.0) is inside an obstacle (occupied or unknown cell)',
    });
  });

  it('leaves the inflation band when the robot starts a little too close to a wall', () => {
    const start = { xM: 4.8, yM: 1.2 };
    const { path } = expectOk(room.planner.plan(start, counter));
    expect(path[0]).toEqual(start);
    expect(room.planner.segmentFree(start, start)).toBe(false);
    const out = path[1] as Point2D;
    expect(Math.hypot(out.xM - start.xM, out.yM - start.yM)).toBeLessThanOrEqual(0.5);
    expect(crossesNoWall(room.map, start, out)).toBe(true);
    expectSegmentsFree(room.planner, path, [], 1);
  });

  it('EXPECTED FAILURE - is unreachable when a person blocks the door', () => {
    const inDoor: Circle = { center: { xM: 5.1, yM: 3 }, radiusM: 0.3 };
    const result = room.planner.plan(home, counter, [inDoor]);
    expect(result).toMatchObject({ ok: false, reason: 'unreachable', detail: expect.stringContaining('or by the 1 temporary obstacle') });
    // The same door is open again on the next call: temporary obstacles do not stick.
    expectOk(room.planner.plan(home, counter));
  });

  it('EXPECTED FAILURE - refuses a goal a person stands on', () => {
    const onGoal: Circle = { center: counter, radiusM: 0.3 };
    expect(room.planner.plan(home, counter, [onGoal])).toMatchObject({ ok: false, reason: 'goal_occupied', detail: expect.stringContaining('temporary obstacle') });
  });

  it('checks segments against walls, the map edge and temporary obstacles', () => {
    expect(room.planner.segmentFree({ xM: 2, yM: 2 }, { xM: 4, yM: 4 })).toBe(true);
    expect(room.planner.segmentFree({ xM: 2, yM: 2 }, { xM: 8, yM: 2 })).toBe(false);
    expect(room.planner.segmentFree({ xM: 2, yM: 2 }, { xM: 11, yM: 2 })).toBe(false);
    expect(room.planner.segmentFree({ xM: 2, yM: 2 }, { xM: 4, yM: 4 }, [{ center: { xM: 3, yM: 3 }, radiusM: 0.1 }])).toBe(false);
  });

  it('EXPECTED FAILURE - rejects a negative inflation radius', () => {
    expect(() => createPlanner(room.map, { inflationRadiusM: -0.1 })).toThrow(/invalid_argument/);
  });

  it('EXPECTED FAILURE - rejects a heuristic weight under 1 or not a number', () => {
    for (const heuristicWeight of [0.9, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createPlanner(room.map, { inflationRadiusM: 0.3, heuristicWeight })).toThrow(/heuristicWeight must be a finite number >= 1/);
    }
  });
});

describe('answers asked again', () => {
  it('are the same frozen answer, so no caller can change what the next one gets', () => {
    const planner = createPlanner(lobby.map, { inflationRadiusM: INFLATION_RADIUS_M });
    const home = place(lobby.places, 'home');
    const first = expectOk(planner.plan(home, place(lobby.places, 'counter-3')));
    const again = expectOk(planner.plan(home, place(lobby.places, 'counter-3')));
    expect(again).toBe(first);
    expect(Object.isFrozen(first.path)).toBe(true);
    expect(first.path.every((p) => Object.isFrozen(p))).toBe(true);
    expect(() => (first.path as Point2D[]).shift()).toThrow(TypeError);
  });

  it('are planned afresh around people, who move', () => {
    const planner = createPlanner(lobby.map, { inflationRadiusM: INFLATION_RADIUS_M });
    const from = place(lobby.places, 'entrance');
    const to = place(lobby.places, 'waiting');
    const person: Circle = { center: { xM: 15, yM: 4 }, radiusM: 0.3 };
    const direct = expectOk(planner.plan(from, to));
    const around = expectOk(planner.plan(from, to, [person]));
    expect(around).not.toBe(direct);
    expectSegmentsFree(planner, around.path, [person]);
    expect(expectOk(planner.plan(from, to))).toBe(direct);
  });
});

describe('a planner that trusts its estimate more (simulated people)', () => {
  const weight = 1.5;
  it.each(['ward-lobby', 'l-hall'])('on %s: between every two places, a clear path at most that many times the shortest', (name) => {
    const { map, places, planner } = loadShipped(name);
    const people = createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M, heuristicWeight: weight });
    let compared = 0;
    for (const a of places) {
      for (const b of places) {
        const shortest = planner.plan(a.pose, b.pose);
        const walked = people.plan(a.pose, b.pose);
        expect(walked.ok).toBe(shortest.ok);
        if (!shortest.ok || !walked.ok) continue;
        expect(walked.path[0]).toEqual({ xM: a.pose.xM, yM: a.pose.yM });
        expect(walked.path[walked.path.length - 1]).toEqual({ xM: b.pose.xM, yM: b.pose.yM });
        expectSegmentsFree(people, walked.path, [], planner.segmentFree(a.pose, a.pose) ? 0 : 1);
        expect(walked.lengthM).toBeLessThanOrEqual(shortest.lengthM * weight + 1e-9);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(places.length);
  });
});

describe('planner properties on the test room', () => {
  // Millimetre grid: fc.double favours the bounds, which on this map are all wall.
  const point = fc.record({
    xM: fc.integer({ min: 0, max: 10_000 }).map((mm) => mm / 1000),
    yM: fc.integer({ min: 0, max: 6_000 }).map((mm) => mm / 1000),
  });

  it('between any two clear points finds a path that starts and ends there and stays clear', () => {
    fc.assert(
      fc.property(point, point, (from, to) => {
        fc.pre(room.planner.segmentFree(from, from) && room.planner.segmentFree(to, to));
        const { path } = expectOk(room.planner.plan(from, to));
        expect(path[0]).toEqual(from);
        expect(path[path.length - 1]).toEqual(to);
        expectSegmentsFree(room.planner, path);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws for points in free space, and any path it returns crosses no wall', () => {
    fc.assert(
      fc.property(point, point, (from, to) => {
        fc.pre(isFree(room.map, from) && isFree(room.map, to));
        const result = room.planner.plan(from, to);
        if (!result.ok) return;
        expect(result.path[0]).toEqual(from);
        expect(result.path[result.path.length - 1]).toEqual(to);
        for (let i = 1; i < result.path.length; i++) {
          expect(crossesNoWall(room.map, result.path[i - 1] as Point2D, result.path[i] as Point2D)).toBe(true);
        }
        // Only the first segment, leaving the inflation band, may cross the band.
        expectSegmentsFree(room.planner, result.path, [], room.planner.segmentFree(from, from) ? 0 : 1);
      }),
      { numRuns: 200 },
    );
  });
});
