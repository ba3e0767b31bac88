import { Ros2Listener } from '../../src/adapters/ros2/ros2-listener.js';
import { parseRos2Config } from '../../src/adapters/ros2/ros2-config.js';
import { FakeRclnodejs } from '../adapters/ros2/fake-rclnodejs.js';
import { listenerContract } from './ports.contract.js';
import { robotBaseContract } from './robot-base.contract.js';
import { liveListenerHarness, liveRobotHarness } from './ros2-live-harness.js';
import { describeLive } from './ros2-live-gate.js';

// The listener contract against the adapter with an in-memory rclnodejs: always runs.
listenerContract('ros2 (injected rclnodejs)', () => {
  const rcl = new FakeRclnodejs();
  const listener = new Ros2Listener({ rcl, config: parseRos2Config({ distro: 'jazzy' }, {}) });
  return { listener, say: (text) => void rcl.deliver('/humans/voices/anonymous_speaker/speech', { incremental: '', final: text, confidence: 0.9, locale: 'vi_VN' }) };
});

/**
 * On a machine with a sourced ROS 2 and rclnodejs installed, the same contracts run against the real
 * middleware and a simulated robot on the map named by TIEPDAN_ROS2_MAP (default
 * sim/maps/test-room.yaml): `tiepdan sim-robot --map <that map>` in another shell, or Nav2 under
 * nav2_loopback_sim. TIEPDAN_ROS2_CONFIG names the adapter config (both sides must use the same).
 *
 * Each test first places the robot far from its goal by publishing `initialpose`, which a simulated
 * robot obeys by moving there. Never run this suite against a real robot: AMCL would take that pose
 * as its belief, and the robot would then drive on a wrong localisation. This process needs the
 * same DDS variables as the robot's (docs/robot.md). The harness code is rehearsed on every run
 * against the in-process graph (ros2-live-rehearsal.test.ts).
 */
describeLive('ROS 2 adapter on a live ROS 2 graph', () => {
  robotBaseContract('ros2', () => liveRobotHarness());
  listenerContract('ros2 (live)', () => liveListenerHarness());
});
