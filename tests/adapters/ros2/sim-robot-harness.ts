import { vi } from 'vitest';
import { Ros2Base } from '../../../src/adapters/ros2/ros2-base.js';
import { parseRos2Config, type Ros2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { pose2DToPose } from '../../../src/adapters/ros2/ros2-geometry.js';
import { qosFor } from '../../../src/adapters/ros2/ros2-qos.js';
import { loadMap, loadPlaces, placesPathFor } from '../../../src/maps/map.js';
import type { Pose2D } from '../../../src/ports/common.js';
import { projectPath } from '../../../src/paths.js';
import { Random } from '../../../src/util/random.js';
import { INFLATION_RADIUS_M } from '../../../sim/lobby.js';
import { createPlanner } from '../../../sim/planner.js';
import { SimRobotServer, type SimRobotServerOptions } from '../../../sim/ros2-robot/sim-robot-server.js';
import { World } from '../../../sim/world.js';
import { FakeGraph, type FakeRclModule } from './fake-graph.js';

export const STEP_S = 0.1;

/**
 * The project's client adapter and its simulated robot, each with its own rclnodejs-shaped module
 * on one in-process graph. Time is simulated: `advance` steps the robot and moves fake timers (the
 * adapter's hold, heartbeat and event timers) by the same amount. Call under `vi.useFakeTimers()`.
 */
export interface SimRobotPair {
  readonly graph: FakeGraph;
  readonly config: Ros2Config;
  readonly world: World;
  readonly server: SimRobotServer;
  readonly serverRcl: FakeRclModule;
  readonly clientRcl: FakeRclModule;
  readonly base: Ros2Base;
  advance(seconds: number): Promise<void>;
  /** Publishes `initialpose` as RViz (or the live contract) would, from a third node. */
  placeAt(pose: Pose2D): Promise<void>;
  close(): Promise<void>;
}

export async function simRobotPair(
  options: { file?: Record<string, unknown>; map?: string; server?: Partial<SimRobotServerOptions>; world?: (world: World) => void } = {},
): Promise<SimRobotPair> {
  const config = parseRos2Config({ distro: 'jazzy', ...options.file }, {});
  const graph = new FakeGraph({ distro: config.distro });
  const mapPath = options.map ?? projectPath('sim', 'maps', 'test-room.yaml');
  const map = loadMap(mapPath);
  const places = loadPlaces(placesPathFor(mapPath), map);
  const world = new World({ map, places, planner: createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M }), random: new Random(1) });
  options.world?.(world);
  const serverRcl = graph.module();
  const clientRcl = graph.module();
  const toolRcl = graph.module();
  await Promise.all([serverRcl.init(), clientRcl.init(), toolRcl.init()]);
  const server = new SimRobotServer({ rcl: serverRcl, config, world, ...options.server });
  const base = new Ros2Base({ rcl: clientRcl, config, places });
  const tool = new toolRcl.Node('contract_tool', config.namespace);
  const initialPose = tool.createPublisher('geometry_msgs/msg/PoseWithCovarianceStamped', config.topics.initialPose, { qos: qosFor(toolRcl, config.qos.initialPose) });
  const advance = async (seconds: number): Promise<void> => {
    for (let i = 0; i < Math.round(seconds / STEP_S); i += 1) {
      server.step(STEP_S);
      await vi.advanceTimersByTimeAsync(STEP_S * 1000);
    }
  };
  return {
    graph,
    config,
    world,
    server,
    serverRcl,
    clientRcl,
    base,
    advance,
    placeAt: async (pose) => {
      initialPose.publish({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: config.frames.map }, pose: { pose: pose2DToPose(pose), covariance: new Array<number>(36).fill(0) } });
      await vi.advanceTimersByTimeAsync(0);
    },
    close: async () => {
      await base.close();
      await server.close();
      toolRcl.shutdown();
      // On a real graph these pairs would silently never talk.
      if (graph.incompatible.length > 0) throw new Error(`QoS mismatches on the graph: ${graph.incompatible.join('; ')}`);
    },
  };
}
