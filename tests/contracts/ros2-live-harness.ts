import { createRos2Base, createRos2Listener, importRclnodejs, type Ros2FactoryOptions } from '../../src/adapters/ros2/index.js';
import type { Ros2Listener } from '../../src/adapters/ros2/ros2-listener.js';
import { loadRos2Config, parseRos2Config } from '../../src/adapters/ros2/ros2-config.js';
import { pose2DToPose } from '../../src/adapters/ros2/ros2-geometry.js';
import { qosFor } from '../../src/adapters/ros2/ros2-qos.js';
import { projectPath } from '../../src/paths.js';
import { loadMap, loadPlaces, placesPathFor } from '../../src/maps/map.js';
import type { RobotBaseHarness } from './robot-base.contract.js';
import type { Listener } from '../../src/ports/listener.js';

/**
 * The live ROS 2 contract harnesses: the adapter made by its real factories (shared rclnodejs
 * context, lazy import), a third node publishing `initialpose` to place the robot, real time.
 * tests/contracts/ros2.test.ts runs them on a live graph; ros2-live-rehearsal.test.ts runs the
 * same code with a fake rclnodejs on the in-process graph, so this file is exercised on every run.
 */

export interface LiveOptions {
  /** Default `process.env`: ROS_DISTRO, TIEPDAN_ROS2_MAP, TIEPDAN_ROS2_CONFIG. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default: import rclnodejs. */
  readonly importModule?: Ros2FactoryOptions['importModule'];
}

const factory = (o: LiveOptions): Ros2FactoryOptions => ({ ...(o.env !== undefined ? { env: o.env } : {}), ...(o.importModule !== undefined ? { importModule: o.importModule } : {}) });

export function liveRos2Config(o: LiveOptions = {}) {
  const env = o.env ?? process.env;
  const path = env['TIEPDAN_ROS2_CONFIG'];
  return path ? loadRos2Config(path, env) : parseRos2Config({}, env);
}

const sleep = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

export async function liveRobotHarness(o: LiveOptions = {}): Promise<RobotBaseHarness> {
  const env = o.env ?? process.env;
  const mapPath = env['TIEPDAN_ROS2_MAP'] ?? projectPath('sim', 'maps', 'test-room.yaml');
  const places = loadPlaces(placesPathFor(mapPath), loadMap(mapPath));
  const config = liveRos2Config(o);
  const base = await createRos2Base({ config, places, ...factory(o) });
  // createRos2Base has initialised the shared context; this node lives in it until close.
  const rcl = await importRclnodejs(factory(o));
  const node = new rcl.Node('tiepdan_contract_pose', config.namespace);
  const initialPose = node.createPublisher('geometry_msgs/msg/PoseWithCovarianceStamped', config.topics.initialPose, { qos: qosFor(rcl, config.qos.initialPose) });
  node.spin();
  return {
    base,
    advance: sleep,
    // Published again on each try by the contract: the first may go out before discovery matched the robot.
    placeAt: async (pose) =>
      initialPose.publish({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: config.frames.map }, pose: { pose: pose2DToPose(pose), covariance: new Array<number>(36).fill(0) } }),
    close: async () => {
      node.destroy();
      await base.close();
    },
  };
}

export function liveListenerHarness(o: LiveOptions = {}): { listener: Listener; say: (text: string) => Promise<void> } {
  const config = liveRos2Config(o);
  const pending = Promise.all([createRos2Listener({ config, ...factory(o) }), importRclnodejs(factory(o))]);
  let publish: ((text: string) => void) | null = null;
  const ready = pending.then(([, rcl]) => {
    const node = new rcl.Node('tiepdan_contract_speaker');
    const pub = node.createPublisher('hri_msgs/msg/LiveSpeech', `${config.topics.voicesPrefix}/anonymous_speaker/speech`, { qos: qosFor(rcl, config.qos.humans) });
    node.spin();
    publish = (text) => pub.publish({ incremental: '', final: text, confidence: 0.9, locale: 'vi_VN' });
  });
  // The contract speaks once more after close(), when the shared context is shut down and nothing
  // can be published; that one word is skipped on purpose, and any other publish error fails the test.
  let closed = false;
  const listener = {
    subscribe: (handler: Parameters<Ros2Listener['subscribe']>[0]) => {
      let off: (() => void) | null = null;
      let dropped = false;
      void pending.then(([l]) => (dropped ? undefined : (off = l.subscribe(handler))));
      return () => {
        dropped = true;
        off?.();
      };
    },
    close: async () => {
      closed = true;
      await (await pending)[0].close();
    },
  };
  return {
    listener,
    say: async (text) => {
      await ready;
      if (publish === null) throw new Error('ros2 contract: the speaker publisher was not created');
      if (!closed) publish(text);
      await sleep(0.5); // DDS delivery, then a margin
    },
  };
}
