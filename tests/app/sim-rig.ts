import { projectPath } from '../../src/paths.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { loadMap, loadPlaces, placesPathFor } from '../../src/maps/map.js';
import { createPlanner } from '../../sim/planner.js';
import { Random } from '../../src/util/random.js';
import { SimBase } from '../../sim/sim-base.js';
import { World } from '../../sim/world.js';

/**
 * The simulated lobby for controller tests: the world, its base, a virtual clock, and `run`, which
 * moves them together in 100 ms steps (letting promises settle between steps).
 */
export function simRig(seed = 1) {
  const mapPath = projectPath('sim', 'maps', 'ward-lobby.yaml');
  const map = loadMap(mapPath);
  const world = new World({ map, places: loadPlaces(placesPathFor(mapPath), map), planner: createPlanner(map, { inflationRadiusM: 0.45 }), random: new Random(seed) });
  const clock = new VirtualClock();
  const base = new SimBase(world);
  const run = async (seconds: number) => {
    for (let i = 0; i < Math.round(seconds * 10); i += 1) {
      world.step(0.1);
      base.tick(0.1);
      clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  /** Someone standing a metre from the robot's home, so it greets them. */
  const citizenAtHome = () => {
    const home = world.place('home')!.pose;
    world.addAgent('citizen', { xM: home.xM - 1, yM: home.yM }, 1);
  };
  return { world, clock, base, run, citizenAtHome };
}
