/**
 * The simulated people tracker reports what a ROS4HRI tracker would: people it sees (confidence 1),
 * people it saw a moment ago (last seen place, confidence below the seen-now mark and falling), and
 * nobody it never saw: beyond its range or view, behind a wall, a pillar or other people.
 */
import { describe, expect, it } from 'vitest';
import type { OccupancyMap } from '../../src/maps/map.js';
import { LOST_BELOW_CONFIDENCE, SEEN_NOW_FROM_CONFIDENCE, type Place } from '../../src/ports/robot-base.js';
import { Random } from '../../src/util/random.js';
import { createPlanner } from '../../sim/planner.js';
import { SimBase } from '../../sim/sim-base.js';
import { World, type PeopleSensor } from '../../sim/world.js';
import { L_HALL, OPEN_HALL, PILLAR_ROOM, TWO_ROOMS } from './hand-maps.js';

const RES = 0.05;
/** A 10 × 6 m room with a partition at x = 5 m from the floor to y = 4 m: a door above it. */
function partitionedRoom(): OccupancyMap {
  const width = 10 / RES;
  const height = 6 / RES;
  const occupied = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      const partition = x >= 5 / RES && x < 5.1 / RES && y < 4 / RES;
      if (edge || partition) occupied[y * width + x] = 1;
    }
  }
  return { file: 'partitioned-room', width, height, resolutionM: RES, origin: { xM: 0, yM: 0, yawRad: 0 }, occupied };
}

function world(): World {
  const map = partitionedRoom();
  const places: Place[] = [{ id: 'home', kind: 'home', pose: { xM: 2, yM: 2, yawRad: 0 }, fields: [] }];
  return new World({ map, places, planner: createPlanner(map, { inflationRadiusM: 0.3 }), random: new Random(1) });
}

const confidenceOf = (w: World, id: string) => w.trackedPeople().find((p) => p.id === id)?.confidence;

describe('simulated people tracker', () => {
  it('sees someone in the open and not someone behind the partition it never saw', () => {
    const w = world();
    const open = w.addAgent('citizen', { xM: 4, yM: 2 }, 1);
    const hidden = w.addAgent('citizen', { xM: 7, yM: 2 }, 1);
    expect(confidenceOf(w, open.id)).toBe(1);
    expect(confidenceOf(w, hidden.id)).toBeUndefined();
  });

  it('keeps someone who went round the partition at their last seen place, less and less sure, then lets them go', () => {
    const w = world();
    const walker = w.addAgent('citizen', { xM: 4.5, yM: 4.8 }, 1);
    expect(confidenceOf(w, walker.id)).toBe(1);
    walker.position = { xM: 7, yM: 2 };
    // The tracker looks again every half second, so it may still see them there for a moment.
    const reports: { position: { xM: number; yM: number }; confidence: number }[] = [];
    for (let i = 0; i < 60; i += 1) {
      w.step(0.1);
      const p = w.trackedPeople().find((q) => q.id === walker.id);
      if (p === undefined) break;
      reports.push({ position: { ...p.position }, confidence: p.confidence });
    }
    const fading = reports.filter((r) => r.confidence < SEEN_NOW_FROM_CONFIDENCE);
    expect(reports.length - fading.length, 'seen for longer than one look').toBeLessThanOrEqual(6);
    expect(fading.length).toBeGreaterThan(5);
    expect(reports.length, 'never let go').toBeLessThan(60);
    expect(fading[0]!.confidence, 'a memory starts below the seen-now mark').toBeLessThan(SEEN_NOW_FROM_CONFIDENCE);
    for (let i = 1; i < fading.length; i += 1) {
      expect(fading[i]!.confidence).toBeLessThan(fading[i - 1]!.confidence);
      expect(fading[i]!.position).toEqual(fading[0]!.position);
    }
  });

  it('sees them again, where they are, once they come back into view', () => {
    const w = world();
    const walker = w.addAgent('citizen', { xM: 7, yM: 2 }, 1);
    expect(confidenceOf(w, walker.id)).toBeUndefined();
    walker.position = { xM: 6, yM: 5 };
    for (let i = 0; i < 6; i += 1) w.step(0.1);
    expect(w.trackedPeople().find((p) => p.id === walker.id)).toMatchObject({ position: { xM: 6, yM: 5 }, confidence: 1 });
  });

  it('the simulated base leaves out whom the tracker no longer trusts, as the ROS 2 adapter does', () => {
    const w = world();
    const base = new SimBase(w);
    const reported: string[][] = [];
    base.subscribe((e) => void (e.type === 'people' && reported.push(e.people.map((p) => p.id))));
    const walker = w.addAgent('citizen', { xM: 4.5, yM: 4.8 }, 1);
    const step = () => {
      w.step(0.2);
      base.tick(0.2);
    };
    step();
    walker.position = { xM: 7, yM: 2 };
    for (let i = 0; i < 30; i += 1) step();
    const withWalker = reported.filter((ids) => ids.includes(walker.id)).length;
    expect(withWalker).toBeGreaterThan(1);
    // Seen, then kept while the confidence stays above LOST_BELOW_CONFIDENCE, then left out for good.
    expect(reported.at(-1)).not.toContain(walker.id);
    expect(withWalker).toBeLessThan(((1 - LOST_BELOW_CONFIDENCE / 0.9) * 3) / 0.2 + 3);
  });
});

/** A world on a hand-made map, the robot standing at `robotAt`. */
function worldOn(map: OccupancyMap, robotAt: { xM: number; yM: number; yawRad?: number }, peopleSensor?: PeopleSensor): World {
  const places: Place[] = [{ id: 'home', kind: 'home', pose: { yawRad: 0, ...robotAt }, fields: [] }];
  return new World({ map, places, planner: createPlanner(map, { inflationRadiusM: 0.3 }), random: new Random(1), ...(peopleSensor !== undefined ? { peopleSensor } : {}) });
}

/** Seen now, only remembered at a last known place, or not reported at all. */
function sightingOf(w: World, id: string): 'seen' | 'remembered' | 'absent' {
  const person = w.trackedPeople().find((p) => p.id === id);
  if (person === undefined) return 'absent';
  return person.confidence >= SEEN_NOW_FROM_CONFIDENCE ? 'seen' : 'remembered';
}

/** Long enough for the tracker to look at everyone's line of sight again. */
function waitForNextLook(w: World): void {
  for (let i = 0; i < 6; i += 1) w.step(0.1);
}

describe('simulated people tracker: what hides a person', () => {
  it('behind a corner: seen down the leg the robot stands in, remembered once round the corner, then gone', () => {
    // The robot has just rounded the inner corner (8, 4) and stands in the upright leg.
    const w = worldOn(L_HALL(), { xM: 10, yM: 6 });
    const citizen = w.addAgent('citizen', { xM: 9, yM: 2 }, 1);
    expect(sightingOf(w, citizen.id)).toBe('seen');
    citizen.position = { xM: 5, yM: 2 };
    waitForNextLook(w);
    expect(sightingOf(w, citizen.id)).toBe('remembered');
    expect(w.trackedPeople().find((p) => p.id === citizen.id)?.position).toEqual({ xM: 9, yM: 2 });
    for (let i = 0; i < 30; i += 1) w.step(0.1);
    expect(sightingOf(w, citizen.id)).toBe('absent');
    citizen.position = { xM: 9, yM: 3 };
    waitForNextLook(w);
    expect(sightingOf(w, citizen.id)).toBe('seen');
  });

  it('behind a pillar: hidden in its shadow, seen a step aside', () => {
    const w = worldOn(PILLAR_ROOM(), { xM: 2, yM: 4 });
    const behind = w.addAgent('citizen', { xM: 8, yM: 4 }, 1);
    const aside = w.addAgent('citizen', { xM: 8, yM: 5.5 }, 1);
    expect(sightingOf(w, behind.id)).toBe('absent');
    expect(sightingOf(w, aside.id)).toBe('seen');
    aside.position = { xM: 8, yM: 4.2 };
    waitForNextLook(w);
    expect(sightingOf(w, aside.id)).toBe('remembered');
  });

  it('through a door: seen in line with the doorway, hidden beside it in the next room', () => {
    const w = worldOn(TWO_ROOMS(), { xM: 3, yM: 4 });
    const inLine = w.addAgent('citizen', { xM: 9, yM: 4 }, 1);
    const beside = w.addAgent('citizen', { xM: 9, yM: 1 }, 1);
    expect(sightingOf(w, inLine.id)).toBe('seen');
    expect(sightingOf(w, beside.id)).toBe('absent');
    inLine.position = { xM: 9, yM: 7 };
    waitForNextLook(w);
    expect(sightingOf(w, inLine.id)).toBe('remembered');
  });

  it('in a crowd: someone standing across the line hides the person behind them, not the one beside or in front', () => {
    const w = worldOn(OPEN_HALL(), { xM: 2, yM: 4 });
    const citizen = w.addAgent('citizen', { xM: 6, yM: 4 }, 1);
    const passer = w.addAgent('walker', { xM: 4, yM: 5 }, 1);
    const behindCitizen = w.addAgent('walker', { xM: 8, yM: 4 }, 1);
    // Nobody across the line yet; the one further on is hidden by the citizen's own body.
    expect(sightingOf(w, citizen.id)).toBe('seen');
    expect(sightingOf(w, behindCitizen.id)).toBe('absent');
    passer.position = { xM: 4, yM: 4.1 };
    waitForNextLook(w);
    expect(sightingOf(w, citizen.id)).toBe('remembered');
    expect(sightingOf(w, passer.id)).toBe('seen');
    // Side by side with the citizen, the passer hides nobody.
    passer.position = { xM: 6, yM: 4.6 };
    waitForNextLook(w);
    expect(sightingOf(w, citizen.id)).toBe('seen');
    expect(sightingOf(w, passer.id)).toBe('seen');
  });

  it('a person right by the robot is seen whoever stands around', () => {
    const w = worldOn(OPEN_HALL(), { xM: 2, yM: 4 });
    const near = w.addAgent('citizen', { xM: 2.9, yM: 4 }, 1);
    w.addAgent('walker', { xM: 2.4, yM: 4 }, 1);
    expect(sightingOf(w, near.id)).toBe('seen');
  });
});

describe('simulated people tracker: range and field of view', () => {
  it('all round by default, as a lidar leg tracker, out to 8 m', () => {
    const w = worldOn(OPEN_HALL(), { xM: 6, yM: 4 });
    const behind = w.addAgent('citizen', { xM: 3, yM: 4 }, 1);
    const far = w.addAgent('citizen', { xM: 6 - 8.5 * Math.cos(0.3), yM: 4 + 3.5 }, 1);
    expect(sightingOf(w, behind.id)).toBe('seen');
    expect(Math.hypot(far.position.xM - 6, far.position.yM - 4)).toBeGreaterThan(8);
    expect(sightingOf(w, far.id)).toBe('absent');
  });

  it('a camera-like cone sees ahead only, and sees behind at once when the robot turns round', () => {
    const w = worldOn(OPEN_HALL(), { xM: 6, yM: 4 }, { rangeM: 8, fieldOfViewRad: Math.PI / 2 });
    const ahead = w.addAgent('citizen', { xM: 9, yM: 5 }, 1);
    const behind = w.addAgent('citizen', { xM: 3, yM: 2.5 }, 1);
    const closeBehind = w.addAgent('citizen', { xM: 5.5, yM: 4.3 }, 1);
    expect(sightingOf(w, ahead.id)).toBe('seen');
    expect(sightingOf(w, behind.id)).toBe('absent');
    expect(sightingOf(w, closeBehind.id)).toBe('absent');
    w.pose = { ...w.pose, yawRad: Math.PI };
    expect(sightingOf(w, behind.id)).toBe('seen');
    expect(sightingOf(w, closeBehind.id)).toBe('seen');
    // The moment someone goes out of view they are a memory, not a sighting.
    expect(sightingOf(w, ahead.id)).toBe('remembered');
  });

  it('EXPECTED FAILURE - a sensor with no range or a cone wider than all round is refused', () => {
    expect(() => worldOn(OPEN_HALL(), { xM: 6, yM: 4 }, { rangeM: 0, fieldOfViewRad: Math.PI })).toThrow(/rangeM must be a positive number/);
    expect(() => worldOn(OPEN_HALL(), { xM: 6, yM: 4 }, { rangeM: 8, fieldOfViewRad: 7 })).toThrow(/fieldOfViewRad must be in \(0, 2π\]/);
    const w = worldOn(OPEN_HALL(), { xM: 6, yM: 4 });
    expect(() => {
      w.peopleSensor = { rangeM: 8, fieldOfViewRad: Number.NaN };
    }).toThrow(/fieldOfViewRad/);
  });
});
