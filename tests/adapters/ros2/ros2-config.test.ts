import { describe, expect, it } from 'vitest';
import { loadRos2Config, parseRos2Config, ROS2_DEFAULTS } from '../../../src/adapters/ros2/ros2-config.js';
import { projectPath } from '../../../src/paths.js';

describe('ROS 2 adapter config', () => {
  it('fills every default for a standard Nav2 bringup and takes the distro from ROS_DISTRO', () => {
    const config = parseRos2Config({}, { ROS_DISTRO: 'humble' });
    expect(config).toEqual({ distro: 'humble', ...ROS2_DEFAULTS });
    expect(config.topics.amclPose).toBe('amcl_pose');
    expect(config.qos.amclPose).toEqual({ depth: 1, reliability: 'reliable', durability: 'transient_local' });
  });

  it('the documented example file is valid and states exactly the defaults', () => {
    expect(loadRos2Config(projectPath('sim', 'ros2', 'nav2-default.yaml'), {})).toEqual({ distro: 'jazzy', ...ROS2_DEFAULTS });
  });

  it('keeps defaults beside the keys a file sets', () => {
    const config = parseRos2Config({ distro: 'jazzy', topics: { twistMuxLock: '/e_stop_lock' }, timeoutsMs: { navResult: 120000 } }, {});
    expect(config.topics).toMatchObject({ twistMuxLock: '/e_stop_lock', cmdVel: 'cmd_vel' });
    expect(config.timeoutsMs).toMatchObject({ navResult: 120000, serverWait: 5000 });
  });

  it('EXPECTED FAILURE - names the bad key, an unknown key, and a missing distro', () => {
    expect(() => parseRos2Config({ distro: 'jazzy', timeoutsMs: { serverWait: -5 } }, {}, 'robot.yaml')).toThrow(/^tiepdan config_invalid: robot\.yaml: timeoutsMs\.serverWait: /);
    expect(() => parseRos2Config({ distro: 'jazzy', topics: { cmd_vel: '/x' } }, {})).toThrow(/topics: unknown key "cmd_vel"/);
    expect(() => parseRos2Config({ distro: 'jazzy', topics: { odom: 'bad name!' } }, {})).toThrow(/topics\.odom: not a ROS topic or action name/);
    expect(() => parseRos2Config({ distro: 'jazzy', nav: { errorCodeReasons: { '204': 'lost' } } }, {})).toThrow(/nav\.errorCodeReasons\.204: unknown reason "lost"/);
    expect(() => parseRos2Config({}, {})).toThrow('tiepdan config_invalid: ros2 config: distro: set it to one of humble, jazzy (ROS_DISTRO is not set)');
    expect(() => parseRos2Config({ distro: 'rolling' }, {})).toThrow(/distro: must be one of humble, jazzy/);
  });
});
