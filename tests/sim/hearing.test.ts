/**
 * A simulated citizen hears the robot across open floor, and only a short way round a wall: one
 * lost behind a partition does not answer its call, as a real one would not.
 */
import { describe, expect, it } from 'vitest';
import type { OccupancyMap } from '../../src/maps/map.js';
import { roomMap } from './hand-maps.js';
import { hears, HEARING_RANGE_M, HEARING_ROUND_A_WALL_M } from '../../sim/hearing.js';
import { createPlanner } from '../../sim/planner.js';

/** 30 × 10 m, a partition at x = 15 m from the floor to y = 8 m: a way round it at the top. */
const partitionedHall = (): OccupancyMap => roomMap('partitioned-hall', 30, 10, [{ x0M: 15, y0M: 0, x1M: 15.1, y1M: 8 }]);

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
