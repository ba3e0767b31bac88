import { afterEach, beforeEach, vi } from 'vitest';
import { simRobotPair } from '../adapters/ros2/sim-robot-harness.js';
import { robotBaseContract } from './robot-base.contract.js';

// The client adapter (Ros2Base) against the simulated robot (sim/ros2-robot) over the in-process
// graph: the pair runs together on every test run, without ROS 2. A fresh graph, robot and client
// per test; time is simulated (fake timers move with the robot's steps).
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

robotBaseContract('ros2 adapter ↔ simulated robot (in-process graph)', async () => {
  const pair = await simRobotPair();
  return { base: pair.base, advance: pair.advance, placeAt: pair.placeAt, close: pair.close };
});
