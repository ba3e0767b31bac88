/**
 * Start-up of a controller with an intent model, run by the bench in a fresh process so that module
 * loading (onnxruntime's native binding included) counts. Prints one JSON line:
 * {"model": name, "ms": wall time from process start until the controller runs, "loadMs": the model load alone}.
 *
 *   node dist/tests/bench/startup.js [--intent-model DIR|keyword]
 */
import { performance } from 'node:perf_hooks';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { Controller } from '../../src/app/controller.js';
import { intentModelFromOption } from '../../src/app/intent-model.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { projectPath } from '../../src/paths.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { loadMap, loadPlaces, placesPathFor } from '../../src/maps/map.js';
import { createPlanner } from '../../sim/planner.js';
import { Random } from '../../src/util/random.js';
import { SimBase } from '../../sim/sim-base.js';
import { World } from '../../sim/world.js';

const flag = process.argv.indexOf('--intent-model');
const catalog = loadCatalog();
const loadStart = performance.now();
const intentModel = await intentModelFromOption(flag > 0 ? process.argv[flag + 1] : undefined, catalog, (m) => process.stderr.write(`warning: ${m}\n`));
const loadMs = performance.now() - loadStart;
const mapPath = projectPath('sim', 'maps', 'ward-lobby.yaml');
const map = loadMap(mapPath);
const world = new World({ map, places: loadPlaces(placesPathFor(mapPath), map), planner: createPlanner(map, { inflationRadiusM: 0.45 }), random: new Random(1) });
const clock = new VirtualClock();
const controller = new Controller({
  base: new SimBase(world),
  listener: new TextListener('console'),
  speaker: new RecordingSpeaker(clock, () => clock.nowMs),
  intentModel,
  catalog,
  tickets: createMemoryQueue(),
  settings: DEFAULT_GUIDE_SETTINGS,
  clock,
  now: () => clock.nowMs,
  record: () => {},
});
controller.start();
const ms = performance.now();
await controller.stop();
await intentModel.close();
process.stdout.write(`${JSON.stringify({ model: intentModel.name, ms: Math.round(ms), loadMs: Math.round(loadMs) })}\n`);
