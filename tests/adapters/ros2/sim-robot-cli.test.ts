import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { localDdsEnv, missingLocalDds } from '../../../src/adapters/ros2/local-dds.js';
import { runSimRobot, type SimRobotRun } from '../../../src/cli/sim-robot.js';
import { projectPath } from '../../../src/paths.js';
import { FakeGraph } from './fake-graph.js';

function streams() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  err.on('data', (c: Buffer) => (text.err += c.toString()));
  return { out, err, text };
}

const MAP = projectPath('sim', 'maps', 'test-room.yaml');

describe('tiepdan sim-robot', () => {
  it('--help says what it serves, what to install and which variables to set', async () => {
    const s = streams();
    expect(await runSimRobot({ argv: ['--help'], env: {}, out: s.out, err: s.err })).toBe(0);
    expect(s.text.out).toMatch(/navigate_to_pose, dock_robot and undock_robot/);
    expect(s.text.out).toMatch(/export ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST/);
  });

  it('without ROS 2 or without rclnodejs fails saying what to source and install, before loading anything', async () => {
    const s = streams();
    const load = () => Promise.reject(new Error('must not be loaded'));
    await expect(runSimRobot({ argv: ['--map', MAP], env: {}, out: s.out, err: s.err, importModule: load })).rejects.toThrow(
      /ROS_DISTRO is not set.*source \/opt\/ros\/jazzy\/setup\.bash.*npm install rclnodejs/s,
    );
    await expect(runSimRobot({ argv: ['--map', MAP], env: { ROS_DISTRO: 'jazzy', ...localDdsEnv() }, out: s.out, err: s.err, importModule: load, installed: () => false })).rejects.toThrow(
      /rclnodejs does not load \(rclnodejs is not installed in this checkout\).*npm install rclnodejs/s,
    );
  });

  it('refuses to start DDS when the graph would not stay on this machine, and prints the lines to set', async () => {
    const s = streams();
    let loaded = false;
    const run: SimRobotRun = {
      argv: ['--map', MAP],
      env: { ROS_DISTRO: 'jazzy', ROS_AUTOMATIC_DISCOVERY_RANGE: 'SUBNET' },
      out: s.out,
      err: s.err,
      installed: () => true,
      importModule: async () => {
        loaded = true;
        return new FakeGraph().module();
      },
    };
    expect(await runSimRobot(run)).toBe(2);
    expect(loaded).toBe(false);
    expect(s.text.err).toContain('ROS_AUTOMATIC_DISCOVERY_RANGE is "SUBNET", not LOCALHOST; RMW_IMPLEMENTATION is not set, not rmw_cyclonedds_cpp; CYCLONEDDS_URI is not set');
    expect(s.text.err).toMatch(/export CYCLONEDDS_URI=file:\/\/.*sim\/ros2\/cyclonedds-localhost\.xml/);
    expect(missingLocalDds({ ...localDdsEnv() })).toEqual([]);
  });

  it('serves the robot on the graph it is given until stopped, then leaves it', async () => {
    const s = streams();
    const graph = new FakeGraph();
    const stop = new AbortController();
    const running = runSimRobot({
      argv: ['--map', MAP, '--seed', '3'],
      env: { ROS_DISTRO: 'jazzy', ...localDdsEnv() },
      out: s.out,
      err: s.err,
      installed: () => true,
      importModule: async () => graph.module(),
      signal: stop.signal,
    });
    // A short real-time run: the loop steps the world on the wall clock.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(graph.hasActionServer('/navigate_to_pose')).toBe(true);
    expect(graph.publishedOn('/odom').length).toBeGreaterThan(0);
    stop.abort();
    expect(await running).toBe(0);
    expect(graph.hasActionServer('/navigate_to_pose')).toBe(false);
    expect(s.text.out).toMatch(/serving .*test-room\.yaml \(seed 3, jazzy\)/);
  });
});
