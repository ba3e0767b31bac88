/**
 * A simulated citizen hears the robot across open floor, and only a short way round a wall: one
 * lost behind a partition does not answer its call, as a real one would not.
 */
import { describe, expect, it } from 'vitest';
import type { OccupancyMap } from '../../src/maps/map.js';
import { hears, HEARING_RANGE_M, HEARING_ROUND_A_WALL_M } from '../../sim/hearing.js';
import { createPlanner } from '../../sim/planner.js';

const RES = 0.05;
/** 30 × 10 m, a partition at x = 15 m from the floor to y = 8 m: a way round it at the top. */
function partitionedHall(): OccupancyMap {
  const width = 30 / RES;
  const height = 10 / RES;
  const occupied = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      if (edge || (x >= 15 / RES && x < 15.1 / RES && y < 8 / RES)) occupied[y * width + x] = 1;
    }
  }
  return { file: 'partitioned-hall', width, height, resolutionM: RES, origin: { xM: 0, yM: 0, yawRad: 0 }, occupied };
}

const planner = createPlanner(partitionedHall(), { inflationRadiusM: 0.3 });
const robot = { xM: 13, yM: 3 };

describe('hearing the robot', () => {
  it('across open floor up to its range, not beyond', () => {
    expect(hears(planner, { xM: 13 - (HEARING_RANGE_M - 0.1), yM: 3 }, robot)).toBe(true);
    expect(hears(planner, { xM: 13 - 10, yM: 8 }, robot)).toBe(true);
    expect(hears(planner, { xM: 0.5, yM: 3 }, { xM: 13 + 0.1, yM: 3 })).toBe(false);
  });

  it('through a wall only close by', () => {
    // Just across the partition: heard.
    expect(hears(planner, { xM: 16, yM: 3 }, robot)).toBe(true);
    expect(hears(planner, { xM: 13 + HEARING_ROUND_A_WALL_M - 0.1, yM: 3 }, robot)).toBe(true);
    // Farther behind it, well within the open-floor range: not heard.
    expect(hears(planner, { xM: 13 + HEARING_ROUND_A_WALL_M + 0.5, yM: 3 }, robot)).toBe(false);
    expect(hears(planner, { xM: 22, yM: 2 }, robot)).toBe(false);
    // The same distance with nothing in between is heard.
    expect(hears(planner, { xM: 13 + HEARING_ROUND_A_WALL_M + 0.5, yM: 9 }, { xM: 13, yM: 9 })).toBe(true);
  });
});
