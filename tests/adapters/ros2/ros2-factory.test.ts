import { describe, expect, it } from 'vitest';
import { createRos2Base, createRos2Listener, importRclnodejs } from '../../../src/adapters/ros2/index.js';
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
    expect((error as Error).message).toContain('npm install rclnodejs');
    expect(imported).toBe(false);
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
