import { loadMap, loadPlaces, placesPathFor } from '../../src/maps/map.js';
import { createPlanner } from '../../sim/planner.js';
import { Random } from '../../src/util/random.js';
import { SimBase } from '../../sim/sim-base.js';
import { World } from '../../sim/world.js';
import { projectPath } from '../../src/paths.js';
import { robotBaseContract } from './robot-base.contract.js';

robotBaseContract('sim', async () => {
  const mapPath = projectPath('sim', 'maps', 'test-room.yaml');
  const map = loadMap(mapPath);
  const world = new World({ map, places: loadPlaces(placesPathFor(mapPath), map), planner: createPlanner(map, { inflationRadiusM: 0.45 }), random: new Random(1) });
  const base = new SimBase(world);
  return {
    base,
    advance: async (seconds) => {
      for (let i = 0; i < Math.round(seconds / 0.1); i += 1) {
        world.step(0.1);
        base.tick(0.1);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    placeAt: async (pose) => world.teleport(pose),
    close: () => base.close(),
  };
});

