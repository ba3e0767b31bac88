import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { Controller } from '../../src/app/controller.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import type { UtteranceSource } from '../../src/ports/listener.js';
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

/** The controller on a rig's base with the keyword model, a memory queue and the default settings. */
export function keywordController(rig: { base: SimBase; clock: VirtualClock }, listenerName: UtteranceSource): Controller {
  const catalog = loadCatalog();
  return new Controller({
    base: rig.base,
    listener: new TextListener(listenerName),
    speaker: new RecordingSpeaker(rig.clock, () => rig.clock.nowMs),
    intentModel: createKeywordIntentModel(catalog),
    catalog,
    tickets: createMemoryQueue(),
    settings: DEFAULT_GUIDE_SETTINGS,
    clock: rig.clock,
    now: () => rig.clock.nowMs,
  });
}
