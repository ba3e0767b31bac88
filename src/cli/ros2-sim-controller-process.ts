/**
 * The controller's process of `tiepdan sim --via ros2`: the robot's own composition, on simulated
 * time, talking to the simulated robot only over ROS 2. The driver says when to finish; the
 * controller then holds the base, stops, and hands the driver its figures (tickets, handoffs).
 * Started by sim-ros2-processes.ts. Loads no simulator code: it is the robot's path.
 */
import process from 'node:process';
import type { Ros2Config } from '../adapters/ros2/ros2-config.js';
import { intentModelFromOption } from '../app/intent-model.js';
import { loadCatalog } from '../civic/catalog.js';
import { startControllerSide, type ControllerSide } from './ros2-sim-controller.js';

export interface ControllerProcessInit {
  readonly type: 'init';
  readonly config: Ros2Config;
  readonly mapPath: string;
  readonly intentModel?: string;
}

/** Sends to the driver; `then` runs once the message is out (before an exit, so it is not lost). */
function send(message: { type: string; [key: string]: unknown }, then?: () => void): void {
  if (process.send === undefined || !process.connected) return then?.();
  process.send(message, undefined, {}, () => then?.());
}

function main(): void {
  if (process.send === undefined) {
    process.stderr.write('This is the controller of `tiepdan sim --via ros2`, which starts it.\n');
    process.exit(2);
  }
  let side: ControllerSide | null = null;
  const fail = (error: unknown): void => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'init') {
      const init = message as ControllerProcessInit;
      const catalog = loadCatalog();
      intentModelFromOption(init.intentModel, catalog, (m) => process.stderr.write(`warning: ${m}\n`), () => undefined)
        .then((intentModel) => {
          side = startControllerSide({ config: init.config, mapPath: init.mapPath, intentModel, catalog, ros2: {} });
          return side.ready;
        })
        .then(() => send({ type: 'ready' }), fail);
    } else if (message.type === 'finish' && side !== null) {
      side.finish().then((figures) => {
        send({ type: 'figures', figures }, () => process.exit(0));
      }, fail);
    }
  });
  // Stopped by the driver: hold the base and leave the graph before going.
  const leave = (): void => void (side?.abandon() ?? Promise.resolve()).finally(() => process.exit(0));
  process.once('SIGTERM', leave);
  process.once('SIGINT', () => undefined);
  process.on('disconnect', leave);
}

main();
