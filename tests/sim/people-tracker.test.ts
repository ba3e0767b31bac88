/**
 * The simulated people tracker reports what a ROS4HRI tracker would: people it sees, people it saw
 * a moment ago (last seen place, confidence falling), and nobody behind a wall it never saw.
 */
import { describe, expect, it } from 'vitest';
import type { OccupancyMap } from '../../src/maps/map.js';
import { LOST_BELOW_CONFIDENCE, type Place } from '../../src/ports/robot-base.js';
import { Random } from '../../src/util/random.js';
import { createPlanner } from '../../sim/planner.js';
import { SimBase } from '../../sim/sim-base.js';
import { World } from '../../sim/world.js';

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
    expect(confidenceOf(w, open.id)).toBeCloseTo(0.9);
    expect(confidenceOf(w, hidden.id)).toBeUndefined();
  });

  it('keeps someone who went round the partition at their last seen place, less and less sure, then lets them go', () => {
    const w = world();
    const walker = w.addAgent('citizen', { xM: 4.5, yM: 4.8 }, 1);
    expect(confidenceOf(w, walker.id)).toBeCloseTo(0.9);
    walker.position = { xM: 7, yM: 2 };
    // The tracker looks again every half second, so it may still see them there for a moment.
    const reports: { position: { xM: number; yM: number }; confidence: number }[] = [];
    for (let i = 0; i < 60; i += 1) {
      w.step(0.1);
      const p = w.trackedPeople().find((q) => q.id === walker.id);
      if (p === undefined) break;
      reports.push({ position: { ...p.position }, confidence: p.confidence });
    }
    const fading = reports.filter((r) => r.confidence < 0.9);
    expect(reports.length - fading.length, 'seen for longer than one look').toBeLessThanOrEqual(6);
    expect(fading.length).toBeGreaterThan(5);
    expect(reports.length, 'never let go').toBeLessThan(60);
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
    expect(w.trackedPeople().find((p) => p.id === walker.id)).toMatchObject({ position: { xM: 6, yM: 5 }, confidence: 0.9 });
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
