/**
 * The simulated base publishes each plan it makes for a goal, as Nav2 publishes `/plan`: from where
 * the robot stands to the goal, once per plan. The escort's slowdown at corners reads it.
 */
import { describe, expect, it } from 'vitest';
import type { OccupancyMap } from '../../src/maps/map.js';
import { roomMap } from './hand-maps.js';
import type { BaseEvent, Place } from '../../src/ports/robot-base.js';
import { Random } from '../../src/util/random.js';
import { createPlanner } from '../../sim/planner.js';
import { SimBase } from '../../sim/sim-base.js';
import { World } from '../../sim/world.js';

/** 10 × 6 m, a partition at x = 5 m from the floor to y = 4 m: the way to the far side turns round it. */
const partitionedRoom = (): OccupancyMap => roomMap('partitioned-room', 10, 6, [{ x0M: 5, y0M: 0, x1M: 5.1, y1M: 4 }]);

describe('the simulated base\'s plan', () => {
  it('is published once per plan, from the robot to the goal, turning round the partition', async () => {
    const map = partitionedRoom();
    const places: Place[] = [
      { id: 'home', kind: 'home', pose: { xM: 2, yM: 2, yawRad: 0 }, fields: [] },
      { id: 'counter-1', kind: 'counter', pose: { xM: 8, yM: 2, yawRad: 0 }, fields: ['civil_status'] },
    ];
    const world = new World({ map, places, planner: createPlanner(map, { inflationRadiusM: 0.3 }), random: new Random(1) });
    const base = new SimBase(world);
    const paths: Extract<BaseEvent, { type: 'path' }>['path'][] = [];
    base.subscribe((e) => {
      if (e.type === 'path') paths.push(e.path);
    });
    base.tick(1);
    expect(paths).toEqual([]);
    const done = base.navigate({ kind: 'place', placeId: 'counter-1' }, { signal: new AbortController().signal });
    for (let i = 0; i < 10; i += 1) {
      world.step(0.1);
      base.tick(0.1);
    }
    expect(paths).toHaveLength(1);
    const [path] = paths;
    // From where the robot stood when it was published (it had started off).
    expect(path![0]!.xM).toBeCloseTo(2, 1);
    expect(path![0]!.yM).toBeCloseTo(2, 1);
    expect(path!.at(-1)).toEqual({ xM: 8, yM: 2 });
    // Round the top of the partition: some waypoint above it.
    expect(path!.some((p) => p.yM > 4)).toBe(true);
    for (let i = 0; i < 600 && world.hasGoal; i += 1) {
      world.step(0.1);
      base.tick(0.1);
    }
    expect(await done).toEqual({ kind: 'arrived' });
    expect(paths).toHaveLength(1);
  });
});
