import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeOnSignals } from '../../../src/adapters/ros2/index.js';
import { Ros2Base } from '../../../src/adapters/ros2/ros2-base.js';
import { VirtualClock } from '../../../src/util/virtual-clock.js';
import { parseRos2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { quaternionFromYaw } from '../../../src/adapters/ros2/ros2-geometry.js';
import type { BaseEvent, NavFeedback, NavResult, Place } from '../../../src/ports/robot-base.js';
import { FakeRclnodejs, STATUS } from './fake-rclnodejs.js';

const PLACES: Place[] = [
  { id: 'home', kind: 'home', pose: { xM: 0, yM: 0, yawRad: 0 }, fields: [] },
  { id: 'dock', kind: 'dock', pose: { xM: -1, yM: 0, yawRad: Math.PI }, fields: [] },
  { id: 'counter-1', kind: 'counter', pose: { xM: 5, yM: 2, yawRad: Math.PI / 2 }, fields: ['civil_status'] },
];

const ZERO_TWIST = { linear: { x: 0, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } };

function setup(file: Record<string, unknown> = {}) {
  const rcl = new FakeRclnodejs();
  const config = parseRos2Config({ distro: 'jazzy', ...file }, {});
  const base = new Ros2Base({ rcl, config, places: PLACES });
  const events: BaseEvent[] = [];
  base.subscribe((e) => events.push(e));
  const nav = rcl.action('navigate_to_pose');
  return { rcl, config, base, events, nav };
}

const goTo = (base: Ros2Base, signal = new AbortController().signal, onFeedback?: (f: NavFeedback) => void): Promise<NavResult> =>
  base.navigate({ kind: 'place', placeId: 'counter-1' }, { signal, ...(onFeedback ? { onFeedback } : {}) });

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Ros2Base navigation over Nav2 navigate_to_pose', () => {
  it('sends the place as a map-frame goal, reports feedback and arrives when the goal succeeds', async () => {
    const { base, nav } = setup();
    const feedback: NavFeedback[] = [];
    const pending = goTo(base, undefined, (f) => feedback.push(f));
    await flush();
    const goal = nav.last;
    expect(goal.message).toMatchObject({ pose: { header: { frame_id: 'map' }, pose: { position: { x: 5, y: 2, z: 0 } } }, behavior_tree: '' });
    goal.feedback({ distance_remaining: 3.5, estimated_time_remaining: { sec: 7, nanosec: 500_000_000 }, number_of_recoveries: 1 });
    goal.finish(STATUS.SUCCEEDED, { error_code: 0, error_msg: '' });
    expect(await pending).toEqual({ kind: 'arrived' });
    expect(feedback).toEqual([{ distanceRemainingM: 3.5, etaS: 7.5, recoveries: 1 }]);
    await base.close();
  });

  it('reports a rejected goal as failed without throwing', async () => {
    const { base, nav } = setup();
    nav.behaviour = 'reject';
    expect(await goTo(base)).toEqual({ kind: 'failed', reason: 'aborted', detail: 'navigate_to_pose rejected the goal' });
    await base.close();
  });

  it('maps a Jazzy abort error_code to a reason through nav.errorCodeReasons, with the error_msg in the detail', async () => {
    const { base, nav } = setup({ nav: { errorCodeReasons: { '208': 'unreachable' } } });
    const first = goTo(base);
    await flush();
    nav.last.finish(STATUS.ABORTED, { error_code: 208, error_msg: 'no valid path' });
    expect(await first).toEqual({ kind: 'failed', reason: 'unreachable', detail: 'Nav2 aborted navigate_to_pose (error_code 208: no valid path)' });
    const second = goTo(base);
    await flush();
    nav.last.finish(STATUS.ABORTED, { error_code: 9002, error_msg: 'tf' });
    expect(await second).toMatchObject({ kind: 'failed', reason: 'localization_lost' });
    const third = goTo(base);
    await flush();
    nav.last.finish(STATUS.ABORTED, { error_code: 105, error_msg: '' });
    expect(await third).toEqual({ kind: 'failed', reason: 'aborted', detail: 'Nav2 aborted navigate_to_pose (error_code 105)' });
    await base.close();
  });

  it("reads Humble's empty result by its status alone", async () => {
    const { base, nav } = setup({ distro: 'humble' });
    const ok = goTo(base);
    await flush();
    nav.last.finish(STATUS.SUCCEEDED, { result: {} });
    expect(await ok).toEqual({ kind: 'arrived' });
    const aborted = goTo(base);
    await flush();
    nav.last.finish(STATUS.ABORTED, { result: {} });
    expect(await aborted).toEqual({ kind: 'failed', reason: 'aborted', detail: 'Nav2 aborted navigate_to_pose (Humble reports no reason)' });
    await base.close();
  });

  it('cancels the Nav2 goal through cancelGoal() when the AbortSignal aborts', async () => {
    const { rcl, base } = setup();
    const abort = new AbortController();
    const pending = goTo(base, abort.signal);
    await flush();
    abort.abort();
    expect(await pending).toEqual({ kind: 'canceled' });
    expect(rcl.log).toContain('cancelGoal navigate_to_pose');
    await base.close();
  });

  it('ignores feedback that arrives after the goal was canceled', async () => {
    const { base, nav } = setup();
    const abort = new AbortController();
    const feedback: NavFeedback[] = [];
    const pending = goTo(base, abort.signal, (f) => feedback.push(f));
    await flush();
    const goal = nav.last;
    goal.feedback({ distance_remaining: 4, estimated_time_remaining: { sec: 8, nanosec: 0 }, number_of_recoveries: 0 });
    abort.abort();
    goal.feedback({ distance_remaining: 3.9, estimated_time_remaining: { sec: 7, nanosec: 0 }, number_of_recoveries: 0 });
    goal.finish(STATUS.CANCELED, {});
    expect(await pending).toEqual({ kind: 'canceled' });
    expect(feedback.map((f) => f.distanceRemainingM)).toEqual([4]);
    await base.close();
  });

  it('fails with link_down and a clear reason when the action server does not appear within timeoutsMs.serverWait', async () => {
    const { base, nav } = setup({ timeoutsMs: { serverWait: 3000 } });
    nav.available = false;
    let result: NavResult | null = null;
    void goTo(base).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(2999);
    expect(result).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({
      kind: 'failed',
      reason: 'link_down',
      detail: 'Nav2 action server navigate_to_pose is not available after 3000 ms (is Nav2 up, and is the action name right?)',
    });
    expect(nav.goals).toHaveLength(0);
    expect(base.health().problems.map((p) => p.id)).toContain('server:navigate_to_pose');
    await base.close();
  });

  it('cancels and fails with timeout when no result arrives within timeoutsMs.navResult (watchdog)', async () => {
    const { rcl, base } = setup({ timeoutsMs: { navResult: 60_000 } });
    let result: NavResult | null = null;
    void goTo(base).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(result).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ kind: 'failed', reason: 'timeout', detail: 'no result from navigate_to_pose within 60000 ms; the goal was canceled' });
    expect(rcl.log).toContain('cancelGoal navigate_to_pose');
    await base.close();
  });

  it('fails with timeout when the server never answers the goal request', async () => {
    const { base, nav } = setup({ timeoutsMs: { goalAccept: 2000 } });
    nav.behaviour = 'silent';
    let result: NavResult | null = null;
    void goTo(base).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(2000);
    expect(result).toMatchObject({ kind: 'failed', reason: 'timeout' });
    await base.close();
  });

  it('refuses an unknown place without sending a goal', async () => {
    const { base, nav } = setup();
    expect(await base.navigate({ kind: 'place', placeId: 'nowhere' }, { signal: new AbortController().signal })).toMatchObject({ kind: 'failed', reason: 'unknown_place' });
    expect(nav.goals).toHaveLength(0);
    await base.close();
  });
});

describe('Ros2Base stop, release and e-stop', () => {
  it('on e-stop during an escort: cancels the goal, holds with zero twists at the hold rate, refuses goals, and release starts nothing', async () => {
    const { rcl, base, nav } = setup({ periodsMs: { hold: 100 } });
    const escort = goTo(base);
    await flush();
    await base.stop('operator e-stop');
    expect(await escort).toEqual({ kind: 'canceled' });
    expect(rcl.log.indexOf('cancelGoal navigate_to_pose')).toBeGreaterThanOrEqual(0);
    // And every goal of every action, whoever sent it: a zero goal id and stamp to each cancel_goal service.
    const everyGoal = JSON.stringify({ goal_info: { goal_id: { uuid: new Array(16).fill(0) }, stamp: { sec: 0, nanosec: 0 } } });
    for (const action of ['navigate_to_pose', 'dock_robot', 'undock_robot']) {
      expect(rcl.log).toContain(`request ${action}/_action/cancel_goal action_msgs/srv/CancelGoal ${everyGoal}`);
    }
    const before = rcl.publishedOn('cmd_vel').length;
    expect(before).toBeGreaterThanOrEqual(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(rcl.publishedOn('cmd_vel').length - before).toBe(10);
    expect(rcl.publishedOn('cmd_vel').every((m) => JSON.stringify(m) === JSON.stringify(ZERO_TWIST))).toBe(true);
    expect(await goTo(base)).toEqual({ kind: 'failed', reason: 'stopped', detail: 'the base is held still; release it first' });
    expect(nav.goals).toHaveLength(1);
    await base.release();
    const after = rcl.publishedOn('cmd_vel').length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(rcl.publishedOn('cmd_vel').length).toBe(after);
    expect(nav.goals).toHaveLength(1);
    await base.close();
  });

  it('holds through the twist_mux lock topic when one is configured', async () => {
    const { rcl, base } = setup({ topics: { twistMuxLock: '/e_stop_lock' } });
    await base.stop('pause');
    await vi.advanceTimersByTimeAsync(300);
    expect(rcl.publishedOn('cmd_vel')).toHaveLength(0);
    expect(rcl.publishedOn('/e_stop_lock').every((m) => JSON.stringify(m) === '{"data":true}')).toBe(true);
    await base.release();
    expect(rcl.publishedOn('/e_stop_lock').at(-1)).toEqual({ data: false });
    await base.close();
  });
});

describe('Ros2Base speed limit', () => {
  it('publishes an absolute limit in m/s, 0 to remove it, and refuses 0 or negative limits', async () => {
    const { rcl, base } = setup();
    await base.setSpeedLimit(0.6);
    await base.setSpeedLimit(null);
    expect(rcl.publishedOn('speed_limit')).toMatchObject([
      { percentage: false, speed_limit: 0.6 },
      { percentage: false, speed_limit: 0 },
    ]);
    await expect(base.setSpeedLimit(0)).rejects.toThrow(/tiepdan invalid_argument: speed limit must be a positive number/);
    await expect(base.setSpeedLimit(-1)).rejects.toThrow(/invalid_argument/);
    await base.close();
  });
});

describe('Ros2Base docking', () => {
  it('docks at the places-file dock pose and maps DockRobot error codes', async () => {
    const { rcl, base } = setup();
    const dock = rcl.action('dock_robot');
    const ok = base.dock({ signal: new AbortController().signal });
    await flush();
    expect(dock.last.message).toMatchObject({ use_dock_id: false, dock_pose: { header: { frame_id: 'map' }, pose: { position: { x: -1, y: 0 } } } });
    dock.last.finish(STATUS.SUCCEEDED, { success: true, error_code: 0, num_retries: 0 });
    expect(await ok).toEqual({ kind: 'arrived' });
    const bad = base.dock({ signal: new AbortController().signal });
    await flush();
    dock.last.finish(STATUS.ABORTED, { success: false, error_code: 904, error_msg: 'no dock seen' });
    expect(await bad).toEqual({ kind: 'failed', reason: 'blocked', detail: 'dock_robot failed (error_code 904: no dock seen)' });
    const undock = base.undock({ signal: new AbortController().signal });
    await flush();
    rcl.action('undock_robot').last.finish(STATUS.SUCCEEDED, { success: true, error_code: 0 });
    expect(await undock).toEqual({ kind: 'arrived' });
    await base.close();
  });

  it('uses dock.dockId from the config when set', async () => {
    const { rcl, base } = setup({ dock: { dockId: 'home_dock' } });
    void base.dock({ signal: new AbortController().signal });
    await flush();
    expect(rcl.action('dock_robot').last.message).toMatchObject({ use_dock_id: true, dock_id: 'home_dock' });
    await base.close();
  });
});

describe('Ros2Base perception', () => {
  const odom = (x: number, yaw: number, vx = 0, wz = 0) => ({
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'odom' },
    pose: { pose: { position: { x, y: 0, z: 0 }, orientation: quaternionFromYaw(yaw) } },
    twist: { twist: { linear: { x: vx, y: 0, z: 0 }, angular: { x: 0, y: 0, z: wz } } },
  });

  it('takes the pose from amcl_pose (transient-local QoS), carries it with odometry, and reads the velocity from odom', async () => {
    const { rcl, base, events } = setup();
    const amclSub = rcl.subs.find((s) => s.topic === 'amcl_pose');
    expect(amclSub?.qos).toMatchObject({ depth: 1, reliability: 1, durability: 1 });
    rcl.deliver('odom', odom(10, 0, 0.5, 0.1));
    rcl.deliver('amcl_pose', { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: { pose: { position: { x: 2, y: 3, z: 0 }, orientation: quaternionFromYaw(Math.PI / 2) } } });
    await vi.advanceTimersByTimeAsync(250);
    rcl.deliver('odom', odom(11, 0, 0.5, 0.1)); // 1 m forward in odom = 1 m along +y in the map
    const poses = events.filter((e) => e.type === 'pose');
    expect(poses[0]).toMatchObject({ pose: { xM: 2, yM: 3 }, linearMps: 0.5, angularRadps: 0.1 });
    expect(poses[0]?.type === 'pose' && poses[0].pose.yawRad).toBeCloseTo(Math.PI / 2);
    const last = poses.at(-1);
    expect(last?.type === 'pose' && last.pose.xM).toBeCloseTo(2);
    expect(last?.type === 'pose' && last.pose.yM).toBeCloseTo(4);
    await base.close();
  });

  it('reports battery percentage 0..1 as percent, charging from the supply status, and no event for NaN', async () => {
    const { rcl, base, events } = setup();
    rcl.deliver('battery_state', { percentage: 0.42, power_supply_status: 1 });
    rcl.deliver('battery_state', { percentage: Number.NaN, power_supply_status: 2 });
    expect(events.filter((e) => e.type === 'battery')).toEqual([{ type: 'battery', battery: { percent: 42, charging: true } }]);
    expect(base.health().problems.map((p) => p.id)).toContain('battery');
    await base.close();
  });

  it("streams Nav2's plan as a path event", async () => {
    const { rcl, base, events } = setup();
    const pose = (x: number, y: number) => ({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: { position: { x, y, z: 0 }, orientation: quaternionFromYaw(0) } });
    rcl.deliver('plan', { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, poses: [pose(0, 0), pose(1, 0.5)] });
    expect(events.find((e) => e.type === 'path')).toEqual({ type: 'path', path: [{ xM: 0, yM: 0 }, { xM: 1, yM: 0.5 }] });
    await base.close();
  });

  it('sends heartbeat fresh:false when odometry or battery go stale, and fresh:true when both come back', async () => {
    const { rcl, base, events } = setup({ timeoutsMs: { poseStale: 1000, batteryStale: 5000 }, periodsMs: { heartbeatCheck: 100 } });
    const feed = () => {
      rcl.deliver('odom', odom(0, 0));
      rcl.deliver('battery_state', { percentage: 0.9, power_supply_status: 2 });
    };
    feed();
    await vi.advanceTimersByTimeAsync(500);
    feed();
    expect(base.health().presence).toBe('present');
    expect(events.filter((e) => e.type === 'heartbeat')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1200); // odometry silent for 1.2 s
    expect(events.filter((e) => e.type === 'heartbeat')).toEqual([{ type: 'heartbeat', fresh: false }]);
    expect(base.health()).toMatchObject({ presence: 'reconnecting', problems: expect.arrayContaining([expect.objectContaining({ id: 'link', severity: 'error' })]) });
    feed();
    await vi.advanceTimersByTimeAsync(100);
    expect(events.filter((e) => e.type === 'heartbeat').at(-1)).toEqual({ type: 'heartbeat', fresh: true });
    for (let i = 0; i < 60; i += 1) {
      rcl.deliver('odom', odom(0, 0)); // odometry alive, battery silent
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(events.filter((e) => e.type === 'heartbeat').at(-1)).toEqual({ type: 'heartbeat', fresh: false });
    expect(base.health().problems.find((p) => p.id === 'link')?.message).toMatch(/no battery_state for \d+ ms/);
    await base.close();
  });

  it('places ROS4HRI persons through their person_<id> TF frame and reports one lost when location_confidence falls below the threshold', async () => {
    const { rcl, base, events } = setup({ people: { lostBelowConfidence: 0.5 }, periodsMs: { events: 100 } });
    const tf = (parent: string, child: string, x: number, y: number, yaw = 0) => ({
      header: { stamp: { sec: 0, nanosec: 0 }, frame_id: parent },
      child_frame_id: child,
      transform: { translation: { x, y, z: 0 }, rotation: quaternionFromYaw(yaw) },
    });
    rcl.deliver('/tf', { transforms: [tf('map', 'odom', 1, 0), tf('odom', 'base_link', 0, 0, Math.PI / 2)] });
    rcl.deliver('/tf_static', { transforms: [tf('base_link', 'camera', 0.1, 0)] });
    rcl.deliver('/humans/persons/tracked', { ids: ['anna', 'bao', '../bad'] });
    rcl.deliver('/tf', { transforms: [tf('camera', 'person_anna', 2, 0), tf('/map', 'person_bao', 4, 4)] });
    rcl.deliver('/humans/persons/anna/location_confidence', { data: 1 });
    rcl.deliver('/humans/persons/bao/location_confidence', { data: 0.9 });
    await vi.advanceTimersByTimeAsync(100);
    const seen = events.filter((e) => e.type === 'people').at(-1);
    expect(seen?.type === 'people' && seen.people.map((p) => p.id)).toEqual(['anna', 'bao']);
    const anna = seen?.type === 'people' ? seen.people[0] : undefined;
    expect(anna?.position.xM).toBeCloseTo(1); // map→odom 1 m, base turned 90°, camera 0.1 m ahead, anna 2 m ahead of it
    expect(anna?.position.yM).toBeCloseTo(2.1);
    expect(anna?.confidence).toBe(1);
    rcl.deliver('/humans/persons/anna/location_confidence', { data: 0.3 });
    await vi.advanceTimersByTimeAsync(100);
    const later = events.filter((e) => e.type === 'people').at(-1);
    expect(later?.type === 'people' && later.people.map((p) => p.id)).toEqual(['bao']);
    rcl.deliver('/humans/persons/tracked', { ids: [] });
    await vi.advanceTimersByTimeAsync(100);
    expect(events.filter((e) => e.type === 'people').at(-1)).toEqual({ type: 'people', people: [] });
    expect(rcl.deliver('/humans/persons/bao/location_confidence', { data: 1 })).toBe(false);
    await base.close();
  });
});

describe('Ros2Base shutdown', () => {
  it('close() cancels the goal and sends a zero twist before it destroys the node and shuts rclnodejs down', async () => {
    const { rcl, base } = setup();
    const escort = goTo(base);
    await flush();
    await base.close();
    expect(await escort).toEqual({ kind: 'canceled' });
    const order = rcl.log.filter((l) => !l.startsWith('spin') && !l.startsWith('sendGoal') && !l.includes('speed_limit'));
    expect(order).toEqual(['cancelGoal navigate_to_pose', `publish cmd_vel ${JSON.stringify(ZERO_TWIST)}`, 'destroy tiepdan', 'shutdown']);
    expect(base.health().presence).toBe('error');
    expect(await goTo(base)).toMatchObject({ kind: 'failed', reason: 'aborted' });
  });

  it('close() does not wait for ever on a cancel the server never answers', async () => {
    const { rcl, base, nav } = setup({ timeoutsMs: { cancel: 500 } });
    void goTo(base);
    await flush();
    nav.last.cancelAnswer = 'silent';
    let closed = false;
    void base.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
    expect(rcl.log.at(-1)).toBe('shutdown');
  });

  it('close() does not wait for ever either on simulated time whose clock has stopped (the simulator gone): the cancel wait is wall time', async () => {
    const rcl = new FakeRclnodejs();
    const config = parseRos2Config({ distro: 'jazzy', timeoutsMs: { cancel: 500 } }, {});
    const frozen = new VirtualClock(); // never advanced: no /clock comes any more
    const base = new Ros2Base({ rcl, config, places: PLACES, clock: frozen, nowMs: () => frozen.nowMs });
    const nav = rcl.action('navigate_to_pose');
    void goTo(base);
    await flush();
    nav.last.cancelAnswer = 'silent';
    let closed = false;
    void base.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(500);
    expect(closed).toBe(true);
    expect(rcl.log.at(-1)).toBe('shutdown');
  });

  it('Ctrl-C through closeOnSignals stops the base (cancel, zero twist) before shutdown, then exits 130', async () => {
    const { rcl, base } = setup();
    void goTo(base);
    await flush();
    const handlers = new Map<string, () => void>();
    const source = { once: (e: string, l: () => void) => handlers.set(e, l), off: (e: string) => handlers.delete(e) };
    const exits: number[] = [];
    closeOnSignals([base], source, (code) => {
      exits.push(code);
      rcl.log.push(`exit ${code}`);
    });
    handlers.get('SIGINT')?.();
    await flush();
    const order = rcl.log.filter((l) => !l.startsWith('spin') && !l.startsWith('sendGoal'));
    expect(order).toEqual(['cancelGoal navigate_to_pose', `publish cmd_vel ${JSON.stringify(ZERO_TWIST)}`, 'destroy tiepdan', 'shutdown', 'exit 130']);
    expect(handlers.size).toBe(0);
  });
});
