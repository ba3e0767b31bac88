import { describe, expect, it } from 'vitest';
import { createRos2Base, createRos2Listener, importRclnodejs } from '../../../src/adapters/ros2/index.js';
import type { RclNode } from '../../../src/adapters/ros2/ros2-client.js';
import { parseRos2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { TiepdanError } from '../../../src/ports/errors.js';
import type { Place } from '../../../src/ports/robot-base.js';
import { FakeRclnodejs } from './fake-rclnodejs.js';

const config = parseRos2Config({ distro: 'jazzy' }, {});
const places: Place[] = [{ id: 'home', kind: 'home', pose: { xM: 0, yM: 0, yawRad: 0 }, fields: [] }];

describe('createRos2Base / createRos2Listener', () => {
  it('EXPECTED FAILURE - without ROS_DISTRO: one ros2_unavailable error saying what to source and install, rclnodejs never imported', async () => {
    let imported = false;
    const error = await createRos2Base({ config, places, env: {}, importModule: async () => ((imported = true), {}) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TiepdanError);
    expect(error).toMatchObject({ name: 'TiepdanError', code: 'ros2_unavailable' });
    expect((error as Error).message).toMatch(/^tiepdan ros2_unavailable: ROS 2 is not available: ROS_DISTRO is not set\. /);
    expect((error as Error).message).toContain('source /opt/ros/jazzy/setup.bash');
    expect((error as Error).message).toContain('npm_config_yes=true npm install rclnodejs');
    expect(imported).toBe(false);
  });

  it('EXPECTED FAILURE - rclnodejs missing or left out after a failed build: says so, and how to install it so the build cannot fail silently', async () => {
    const notFound = Object.assign(new Error("Cannot find package 'rclnodejs' imported from /robot/tiepdan/dist/src/adapters/ros2/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = (await importRclnodejs({ env: { ROS_DISTRO: 'jazzy' }, importModule: () => Promise.reject(notFound) }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('rclnodejs is not installed in this checkout, or its build failed and npm left it out');
    // The trap: without npm_config_yes=true the build's `npx rimraf` waits for a yes; npm ci then leaves the optional dependency out and exits 0.
    expect(error.message).toContain('npm_config_yes=true npm install rclnodejs');
    expect(error.message).toMatch(/npx rimraf.*without a terminal.*npm ci still exits 0/s);
    expect(error.message).toContain('npx tiepdan ros2 check');
  });

  it('EXPECTED FAILURE - rclnodejs installed but its native part not built: says to reinstall it', async () => {
    const native = new Error("Could not locate the bindings file. Tried:\n → /x/node_modules/rclnodejs/build/Release/rclnodejs.node");
    const error = (await importRclnodejs({ env: { ROS_DISTRO: 'jazzy' }, importModule: () => Promise.reject(native) }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('rclnodejs is installed but its native part did not build or does not match this Node or ROS 2 (Could not locate the bindings file. Tried:); reinstall it');
  });

  it('EXPECTED FAILURE - an interface package missing: the base says which one to install', async () => {
    const rcl = new FakeRclnodejs();
    const Original = rcl.Node;
    // As rclnodejs fails when a publisher's message type was never generated.
    (rcl as { Node: unknown }).Node = function (name: string, namespace?: string): RclNode {
      const node = new Original(name, namespace);
      const create = node.createPublisher.bind(node);
      node.createPublisher = (type, topic, options) => {
        if (type.startsWith('nav2_msgs/')) throw new Error('The message required does not exist: nav2_msgs, msg, SpeedLimit at /x/generated');
        return create(type, topic, options);
      };
      return node;
    };
    const error = (await createRos2Base({ config, places, env: { ROS_DISTRO: 'jazzy' }, importModule: async () => rcl }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'ros2_failed' });
    expect(error.message).toContain('cannot start the ROS 2 base: The message required does not exist: nav2_msgs, msg, SpeedLimit');
    expect(error.message).toContain('apt-get install ros-$ROS_DISTRO-nav2-msgs');
  });

  it('EXPECTED FAILURE - rclnodejs does not load: the same error, naming why, with the cause kept', async () => {
    const cause = new Error("Cannot find package 'rclnodejs' imported from index.js\nmore");
    const error = await importRclnodejs({ env: { ROS_DISTRO: 'jazzy' }, importModule: () => Promise.reject(cause) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ros2_unavailable', cause });
    expect((error as Error).message).toContain("rclnodejs does not load (Cannot find package 'rclnodejs' imported from index.js)");
  });

  it('removes the rclnodejs SIGINT handler, inits one shared context for base and listener, and shuts it down when the last closes', async () => {
    const rcl = new FakeRclnodejs();
    const options = { env: { ROS_DISTRO: 'jazzy' }, importModule: async () => ({ default: rcl }) };
    const base = await createRos2Base({ config, places, ...options });
    const listener = await createRos2Listener({ config, ...options });
    expect(rcl.log.filter((l) => l === 'init' || l === 'removeSignalHandlers')).toEqual(['removeSignalHandlers', 'init']);
    expect(rcl.nodes).toEqual(['tiepdan', 'tiepdan_listener']);
    await base.close();
    expect(rcl.log).not.toContain('shutdown');
    await listener.close();
    expect(rcl.log.filter((l) => l === 'shutdown')).toEqual(['shutdown']);
  });
});
