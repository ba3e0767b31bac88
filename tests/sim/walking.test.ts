/**
 * Simulated people walk where a person fits, not only where the robot fits: a follower beside a
 * pillar or a robot standing by a wall must not stand still for want of the robot's clearance.
 */
import { describe, expect, it } from 'vitest';
import type { OccupancyMap } from '../../src/maps/map.js';
import type { Place } from '../../src/ports/robot-base.js';
import { Random } from '../../src/util/random.js';
import { createPlanner } from '../../sim/planner.js';
import { World } from '../../sim/world.js';
import { createSimLobby } from '../../sim/lobby.js';
import { loadScenario } from '../../sim/scenario.js';
import { projectPath } from '../../src/paths.js';

const RES = 0.05;
/** 10 × 6 m, a wall at x = 5 m with a single 0.8 m gap at y = 3 m: wide enough for a person, not for the robot. */
function roomWithNarrowGap(): OccupancyMap {
  const width = 10 / RES;
  const height = 6 / RES;
  const occupied = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      const yM = (y + 0.5) * RES;
      const wall = x >= 5 / RES && x < 5.1 / RES && Math.abs(yM - 3) > 0.4;
      if (edge || wall) occupied[y * width + x] = 1;
    }
  }
  return { file: 'narrow-gap', width, height, resolutionM: RES, origin: { xM: 0, yM: 0, yawRad: 0 }, occupied };
}

function world(withWalkPlanner: boolean): World {
  const map = roomWithNarrowGap();
  const places: Place[] = [{ id: 'home', kind: 'home', pose: { xM: 2, yM: 3, yawRad: 0 }, fields: [] }];
  const planner = createPlanner(map, { inflationRadiusM: 0.45 });
  return new World({ map, places, planner, ...(withWalkPlanner ? { walkPlanner: createPlanner(map, { inflationRadiusM: 0.25 }) } : {}), random: new Random(1) });
}

describe('simulated people walking', () => {
  it('go through a gap only a person fits, and arrive', () => {
    const w = world(true);
    const walker = w.addAgent('citizen', { xM: 8, yM: 3 }, 1);
    expect(w.routeAgent(walker, { xM: 3, yM: 1.5 })).toBe(true);
    for (let i = 0; i < 200 && walker.route.length > 0; i += 1) w.step(0.1);
    expect(walker.position.xM).toBeCloseTo(3, 1);
    expect(walker.position.yM).toBeCloseTo(1.5, 1);
  });

  it('with the robot\'s clearance alone, find no way through it', () => {
    const w = world(false);
    const walker = w.addAgent('citizen', { xM: 8, yM: 3 }, 1);
    expect(w.routeAgent(walker, { xM: 3, yM: 1.5 })).toBe(false);
  });

  it('in the simulated lobby, people have a planner of their own beside the robot\'s', () => {
    const lobby = createSimLobby({ scenario: loadScenario(projectPath('sim', 'scenarios', 'lobby-live.yaml')), seed: 1 });
    expect(lobby.world.walkPlanner).not.toBe(lobby.world.planner);
    const narrowSpot = { xM: lobby.world.pose.xM, yM: lobby.world.pose.yM };
    expect(lobby.world.walkPlanner.segmentFree(narrowSpot, narrowSpot)).toBe(true);
  });
});
