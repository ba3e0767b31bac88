/**
 * The simulated robot's process of `tiepdan sim --via ros2`: it serves the lobby on the ROS 2 graph
 * and owns its world and clock. The driver says when to start playing the scenario and when to
 * close; at the end it hands the driver the lobby's figures. Started by sim-ros2-processes.ts.
 */
import process from 'node:process';
import { importRclnodejs } from '../adapters/ros2/index.js';
import type { RclnodejsServer } from '../adapters/ros2/ros2-client.js';
import type { Ros2Config } from '../adapters/ros2/ros2-config.js';
import { TiepdanError } from '../ports/errors.js';
import { startRobotSide, wallPace, type RobotSide } from '../../sim/ros2-robot/scenario-robot.js';
import { loadScenario } from '../../sim/scenario.js';

export interface RobotProcessInit {
  readonly type: 'init';
  readonly scenarioPath: string;
  readonly seed: number;
  readonly mapPath: string;
  readonly config: Ros2Config;
  readonly speed: number;
}

/** Sends to the driver; `then` runs once the message is out (before an exit, so it is not lost). */
function send(message: { type: string; [key: string]: unknown }, then?: () => void): void {
  if (process.send === undefined || !process.connected) return then?.();
  process.send(message, undefined, {}, () => then?.());
}

async function start(init: RobotProcessInit): Promise<RobotSide> {
  const rcl = await importRclnodejs();
  const server = rcl as Partial<RclnodejsServer>;
  if (server.ActionServer === undefined || server.GoalResponse === undefined || server.CancelResponse === undefined) {
    throw new TiepdanError('ros2_unavailable', 'rclnodejs loaded but has no ActionServer, GoalResponse or CancelResponse; is it rclnodejs 2.x?');
  }
  rcl.removeSignalHandlers();
  await rcl.init();
  return startRobotSide({
    rcl: rcl as RclnodejsServer,
    config: init.config,
    scenario: loadScenario(init.scenarioPath),
    seed: init.seed,
    mapPath: init.mapPath,
    pace: wallPace(init.speed),
    log: (line) => process.stderr.write(`${line}\n`),
  });
}

function main(): void {
  if (process.send === undefined) {
    process.stderr.write('This is the simulated robot of `tiepdan sim --via ros2`, which starts it.\n');
    process.exit(2);
  }
  let side: RobotSide | null = null;
  const fail = (error: unknown): void => {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }, () => process.exit(1));
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'init') {
      start(message as RobotProcessInit).then((s) => {
        side = s;
        send({ type: 'ready' });
      }, fail);
    } else if (message.type === 'run' && side !== null) {
      side.run((simS, durationS) => send({ type: 'progress', simS, durationS })).then((figures) => send({ type: 'ended', figures }), fail);
    } else if (message.type === 'close') {
      void (side?.close() ?? Promise.resolve()).then(() => {
        send({ type: 'closed' }, () => process.exit(0));
      }, fail);
    }
  });
  // Stopped by the driver (or Ctrl-C reached the group): leave the graph before going.
  const leave = (): void => void (side?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  process.once('SIGTERM', leave);
  process.once('SIGINT', () => undefined);
  process.on('disconnect', leave);
}

main();
