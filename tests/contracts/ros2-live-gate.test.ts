import { describe, expect, it } from 'vitest';
import { liveGate } from './ros2-live-gate.js';

describe('the live ROS 2 suites gate', () => {
  it('runs with a sourced ROS 2; skips with the reason without; TIEPDAN_REQUIRE_ROS2=1 turns the skip into a failure', () => {
    expect(liveGate({ ROS_DISTRO: 'jazzy' })).toEqual({ run: true, required: false, reason: '' });
    expect(liveGate({})).toMatchObject({ run: false, required: false, reason: expect.stringContaining('ROS_DISTRO not set') });
    expect(liveGate({ TIEPDAN_REQUIRE_ROS2: '1' })).toMatchObject({ run: false, required: true });
    expect(liveGate({ TIEPDAN_REQUIRE_ROS2: '0' }).required).toBe(false);
  });
});
