import { PassThrough } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { localDdsEnv } from '../../src/adapters/ros2/local-dds.js';
import { runSimRobot } from '../../src/cli/sim-robot.js';
import { projectPath } from '../../src/paths.js';
import { FakeGraph } from '../adapters/ros2/fake-graph.js';
import { listenerContract } from './ports.contract.js';
import { robotBaseContract } from './robot-base.contract.js';
import { liveListenerHarness, liveRobotHarness } from './ros2-live-harness.js';

/**
 * The live ROS 2 suite's own harness code (ros2-live-harness.ts: the adapter's real factories, the
 * initialpose placing, real time) against `tiepdan sim-robot`'s own code path (runSimRobot), with a
 * fake rclnodejs per "process" on the in-process graph instead of DDS. What this cannot show is
 * the real middleware: discovery, serialisation, rclnodejs itself.
 */
const graph = new FakeGraph();
const env = { ROS_DISTRO: 'jazzy', ...localDdsEnv() };
const testProcess = graph.module();
const live = { env, importModule: async () => testProcess };
const stop = new AbortController();
let robot: Promise<number> | null = null;

beforeAll(async () => {
  robot = runSimRobot({
    argv: ['--map', projectPath('sim', 'maps', 'test-room.yaml')],
    env,
    out: new PassThrough(),
    err: new PassThrough(),
    installed: () => true,
    importModule: async () => graph.module(),
    signal: stop.signal,
  });
  for (let i = 0; i < 100 && !graph.hasActionServer('/navigate_to_pose'); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
});

afterAll(async () => {
  stop.abort();
  await robot;
});

robotBaseContract('ros2 live harness, rehearsed on the in-process graph against tiepdan sim-robot', () => liveRobotHarness(live));
listenerContract('ros2 live harness, rehearsed on the in-process graph', () => liveListenerHarness(live));
