import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseRos2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { pose2DToPose, yawFromQuaternion } from '../../../src/adapters/ros2/ros2-geometry.js';
import { Ros2Broadcast } from '../../../src/adapters/ros2/ros2-broadcast.js';
import { Ros2Listener } from '../../../src/adapters/ros2/ros2-listener.js';
import type { NavigateToPoseFeedback, NavigateToPoseResult, Odometry } from '../../../src/adapters/ros2/ros2-messages.js';
import { qosFor } from '../../../src/adapters/ros2/ros2-qos.js';
import { projectPath } from '../../../src/paths.js';
import type { Utterance } from '../../../src/ports/listener.js';
import type { BaseEvent, NavResult, Place } from '../../../src/ports/robot-base.js';
import type { SpokenLine } from '../../../sim/citizens.js';
import { createSimRobotLobby } from '../../../sim/ros2-robot/lobby-robot.js';
import { loadScenario } from '../../../sim/scenario.js';
import { CANCEL_CODE, FakeGraph } from './fake-graph.js';
import { simRobotPair, type SimRobotPair } from './sim-robot-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const never = new AbortController().signal;
const counterOf = (pair: SimRobotPair): Place => pair.world.places.find((p) => p.kind === 'counter')!;
const entranceOf = (pair: SimRobotPair): Place => pair.world.places.find((p) => p.kind === 'entrance')!;
const navGoal = (place: Place) => ({ pose: { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: pose2DToPose(place.pose) }, behavior_tree: '' });

/** The odometry the robot published, as any node on the graph sees it. */
const odometry = (pair: SimRobotPair): Odometry[] => pair.graph.publishedOn('/odom') as Odometry[];
const lastSpeed = (pair: SimRobotPair): number => odometry(pair).at(-1)!.twist.twist.linear.x;

/** A third node's action client, to drive the robot's action servers directly. */
async function rawNavClient(pair: SimRobotPair) {
  const rcl = pair.graph.module();
  await rcl.init();
  const node = new rcl.Node('probe');
  return new rcl.ActionClient(node, 'nav2_msgs/action/NavigateToPose', 'navigate_to_pose');
}

async function until(pair: SimRobotPair, done: () => boolean, limitS: number): Promise<void> {
  for (let t = 0; t < limitS && !done(); t += 0.5) await pair.advance(0.5);
}

describe('simulated robot: navigate_to_pose', () => {
  it('accepts a map-frame goal, feeds back a falling distance_remaining and the pose, and succeeds on arrival', async () => {
    const pair = await simRobotPair();
    pair.server.teleport(entranceOf(pair).pose);
    const client = await rawNavClient(pair);
    const feedback: NavigateToPoseFeedback[] = [];
    const handle = await client.sendGoal(navGoal(counterOf(pair)), (f) => feedback.push(f as NavigateToPoseFeedback));
    expect(handle.isAccepted()).toBe(true);
    let result: NavigateToPoseResult | undefined;
    void handle.getResult().then((r) => (result = r as NavigateToPoseResult));
    await until(pair, () => result !== undefined, 60);
    expect(handle.isSucceeded()).toBe(true);
    expect(result).toEqual({ error_code: 0, error_msg: '' });
    expect(feedback.length).toBeGreaterThan(10);
    const distances = feedback.map((f) => f.distance_remaining);
    expect(distances[0]).toBeGreaterThan(4);
    expect(distances.at(-1)).toBeLessThan(0.5);
    expect(feedback.at(-1)).toMatchObject({ current_pose: { header: { frame_id: 'map' } }, number_of_recoveries: 0 });
    const counter = counterOf(pair).pose;
    expect(Math.hypot(pair.world.pose.xM - counter.xM, pair.world.pose.yM - counter.yM)).toBeLessThan(0.25);
    await pair.close();
  });

  it('rejects a goal in another frame, as Nav2 cannot transform it', async () => {
    const pair = await simRobotPair();
    const client = await rawNavClient(pair);
    const goal = navGoal(counterOf(pair));
    const handle = await client.sendGoal({ ...goal, pose: { ...goal.pose, header: { ...goal.pose.header, frame_id: 'odom_nowhere' } } });
    expect(handle.isAccepted()).toBe(false);
    expect(pair.server.activeGoals).toEqual([]);
    await pair.close();
  });

  it('cancel mid-goal: accepts the cancel, ends the goal CANCELED, and the robot brakes to a stop', async () => {
    const pair = await simRobotPair();
    pair.server.teleport(entranceOf(pair).pose);
    const client = await rawNavClient(pair);
    const handle = await client.sendGoal(navGoal(counterOf(pair)));
    await pair.advance(4);
    expect(lastSpeed(pair)).toBeGreaterThan(0.3);
    const answer = await handle.cancelGoal();
    expect(answer).toMatchObject({ return_code: CANCEL_CODE.NONE, goals_canceling: [expect.anything()] });
    const result = handle.getResult();
    await pair.advance(0.2);
    await result;
    expect(handle.isCanceled()).toBe(true);
    await pair.advance(1);
    expect(lastSpeed(pair)).toBe(0);
    expect(pair.server.activeGoals).toEqual([]);
    expect(pair.world.hasGoal).toBe(false);
    await pair.close();
  });

  it('aborts with FollowPath FAILED_TO_MAKE_PROGRESS (105) when the way stays blocked, which the adapter maps through nav.errorCodeReasons', async () => {
    const pair = await simRobotPair({ file: { nav: { errorCodeReasons: { '105': 'blocked', '208': 'unreachable' } } } });
    pair.server.teleport(entranceOf(pair).pose);
    const counter = counterOf(pair);
    pair.world.inject('blocked_corridor', { at: { xM: counter.pose.xM, yM: counter.pose.yM }, radiusM: 1, durationS: 3600 });
    let result: NavResult | null = null;
    void pair.base.navigate({ kind: 'place', placeId: counter.id }, { signal: never }).then((r) => (result = r));
    await until(pair, () => result !== null, 60);
    expect(result).toEqual({ kind: 'failed', reason: 'blocked', detail: expect.stringMatching(/^Nav2 aborted navigate_to_pose \(error_code 105: no way through for 30 s\)$/) });
    await pair.close();
  });

  it('aborts at once with ComputePathToPose NO_VALID_PATH (208) for a goal inside a wall', async () => {
    const pair = await simRobotPair({ file: { nav: { errorCodeReasons: { '208': 'unreachable' } } } });
    const result = pair.base.navigate({ kind: 'pose', pose: { xM: 0.02, yM: 0.02, yawRad: 0 } }, { signal: never });
    await pair.advance(1);
    expect(await result).toMatchObject({ kind: 'failed', reason: 'unreachable', detail: expect.stringContaining('error_code 208') });
    await pair.close();
  });

  it('a newer goal preempts the running one, which is aborted, as Nav2 does', async () => {
    const pair = await simRobotPair();
    pair.server.teleport(entranceOf(pair).pose);
    const client = await rawNavClient(pair);
    const first = await client.sendGoal(navGoal(counterOf(pair)));
    await pair.advance(1);
    const second = await client.sendGoal(navGoal(pair.world.places.find((p) => p.kind === 'home')!));
    const firstResult = (await (async () => {
      const pending = first.getResult();
      await pair.advance(0.2);
      return pending;
    })()) as NavigateToPoseResult;
    expect(first.isAborted()).toBe(true);
    expect(firstResult.error_msg).toBe('preempted by a newer goal');
    expect(second.status).toBe(2); // EXECUTING
    await pair.close();
  });
});

describe('simulated robot: holding still, speed limit, dock', () => {
  it("the adapter's stop cancels every goal, also one it did not send (a killed controller's, RViz's), and holds the robot where it is", async () => {
    const pair = await simRobotPair();
    pair.server.teleport(entranceOf(pair).pose);
    const client = await rawNavClient(pair);
    const foreign = await client.sendGoal(navGoal(counterOf(pair)));
    await pair.advance(4);
    expect(lastSpeed(pair)).toBeGreaterThan(0.3);
    await pair.base.stop('test');
    await pair.advance(1.5);
    expect(lastSpeed(pair)).toBe(0);
    expect(pair.server.activeGoals).toEqual([]);
    expect(foreign.isCanceled()).toBe(true);
    const heldAt = pair.world.pose;
    await pair.base.release();
    await pair.advance(3);
    expect(Math.hypot(pair.world.pose.xM - heldAt.xM, pair.world.pose.yM - heldAt.yM)).toBe(0);
    await pair.close();
  });

  it('obeys the hold: zero twists on cmd_vel stop the robot (zero velocity in odom) while its goal runs, and it drives on once they stop', async () => {
    const pair = await simRobotPair();
    pair.server.teleport(entranceOf(pair).pose);
    const client = await rawNavClient(pair);
    await client.sendGoal(navGoal(counterOf(pair)));
    await pair.advance(4);
    expect(lastSpeed(pair)).toBeGreaterThan(0.3);
    const rcl = pair.graph.module();
    await rcl.init();
    const cmdVel = new rcl.Node('teleop').createPublisher('geometry_msgs/msg/Twist', 'cmd_vel', { qos: qosFor(rcl, pair.config.qos.cmdVel) });
    const zero = { linear: { x: 0, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } };
    const hold = async (seconds: number): Promise<void> => {
      for (let t = 0; t < seconds; t += 0.1) {
        cmdVel.publish(zero);
        await pair.advance(0.1);
      }
    };
    await hold(1.5);
    expect(lastSpeed(pair)).toBe(0);
    expect(pair.server.activeGoals).toEqual(['navigate']);
    const heldAt = pair.world.pose;
    await hold(3);
    expect(Math.hypot(pair.world.pose.xM - heldAt.xM, pair.world.pose.yM - heldAt.yM)).toBe(0);
    await pair.advance(2);
    expect(lastSpeed(pair)).toBeGreaterThan(0);
    await pair.close();
  });

  it('obeys the twist_mux lock topic when one is configured; the adapter holds through it, not cmd_vel', async () => {
    const pair = await simRobotPair({ file: { topics: { twistMuxLock: '/e_stop_lock' } } });
    pair.server.teleport(entranceOf(pair).pose);
    const client = await rawNavClient(pair);
    await client.sendGoal(navGoal(counterOf(pair)));
    await pair.advance(4);
    expect(lastSpeed(pair)).toBeGreaterThan(0.3);
    // Unlocked, the adapter says so at its hold rate; the robot drives.
    expect(pair.graph.publishedOn('/e_stop_lock').at(-1)).toEqual({ data: false });
    await pair.base.stop('test');
    await pair.advance(1.5);
    expect(lastSpeed(pair)).toBe(0);
    expect(pair.graph.publishedOn('/cmd_vel')).toEqual([]);
    expect(pair.graph.publishedOn('/e_stop_lock').at(-1)).toEqual({ data: true });
    await pair.base.release();
    await pair.advance(1);
    expect(pair.graph.publishedOn('/e_stop_lock').at(-1)).toEqual({ data: false });
    await pair.close();
  });

  it('keeps to the speed_limit the adapter sets', async () => {
    const pair = await simRobotPair();
    pair.server.teleport(entranceOf(pair).pose);
    await pair.base.setSpeedLimit(0.3);
    void pair.base.navigate({ kind: 'place', placeId: counterOf(pair).id }, { signal: never });
    await pair.advance(8);
    const speeds = odometry(pair).map((o) => o.twist.twist.linear.x);
    expect(Math.max(...speeds)).toBeCloseTo(0.3, 5);
    await pair.close();
  });

  it('docks (battery then charging) and undocks through the adapter', async () => {
    const pair = await simRobotPair();
    const battery: BaseEvent[] = [];
    pair.base.subscribe((e) => e.type === 'battery' && battery.push(e));
    let docked: NavResult | null = null;
    void pair.base.dock({ signal: never }).then((r) => (docked = r));
    await until(pair, () => docked !== null, 60);
    expect(docked).toEqual({ kind: 'arrived' });
    expect(pair.world.docked).toBe(true);
    await pair.advance(1.5);
    expect(battery.at(-1)).toMatchObject({ battery: { charging: true } });
    const undocked = pair.base.undock({ signal: never });
    await pair.advance(0.5);
    expect(await undocked).toEqual({ kind: 'arrived' });
    expect(pair.world.docked).toBe(false);
    await pair.close();
  });
});

describe('simulated robot: what it publishes', () => {
  it('odometry stays continuous when initialpose moves the robot; amcl_pose and map→odom carry the jump', async () => {
    const pair = await simRobotPair();
    await pair.advance(0.5);
    const before = odometry(pair).at(-1)!.pose.pose;
    const target = entranceOf(pair).pose;
    await pair.placeAt(target);
    await pair.advance(0.5);
    expect(odometry(pair).at(-1)!.pose.pose).toEqual(before);
    const amcl = pair.graph.publishedOn('/amcl_pose').at(-1) as { pose: { pose: { position: { x: number; y: number } } } };
    expect(amcl.pose.pose.position).toMatchObject({ x: target.xM, y: target.yM });
    expect(pair.world.pose).toEqual(target);
    await pair.close();
  });

  it('serves the map as a latched OccupancyGrid: a late transient-local subscriber gets it, a volatile one does not', async () => {
    const pair = await simRobotPair();
    await pair.advance(2);
    const rcl = pair.graph.module();
    await rcl.init();
    const node = new rcl.Node('late_viewer');
    const latched: unknown[] = [];
    const volatile: unknown[] = [];
    node.createSubscription('nav_msgs/msg/OccupancyGrid', 'map', { qos: qosFor(rcl, pair.config.qos.map) }, (m) => latched.push(m));
    node.createSubscription('nav_msgs/msg/OccupancyGrid', 'map', { qos: qosFor(rcl, { depth: 1, reliability: 'reliable', durability: 'volatile' }) }, (m) => volatile.push(m));
    await pair.advance(0.5);
    expect(latched).toHaveLength(1);
    expect(volatile).toHaveLength(0);
    const grid = latched[0] as { header: { frame_id: string }; info: { width: number; height: number; resolution: number; origin: { position: { x: number } } }; data: Int8Array };
    const map = pair.world.map;
    expect(grid.header.frame_id).toBe('map');
    expect(grid.info).toMatchObject({ width: map.width, height: map.height, resolution: map.resolutionM, origin: { position: { x: map.origin.xM } } });
    expect(grid.data).toHaveLength(map.width * map.height);
    expect(new Set(grid.data)).toEqual(new Set([0, 100]));
    expect(Array.from(grid.data).filter((v) => v === 100)).toHaveLength(map.occupied.filter((v) => v !== 0).length);
    await pair.close();
  });

  it('tracks people near the robot: persons list, location_confidence and a person_<id> TF frame the adapter places in the map', async () => {
    const pair = await simRobotPair();
    const near = { xM: pair.world.pose.xM + 1.5, yM: pair.world.pose.yM };
    const agent = pair.world.addAgent('walker', near, 1);
    const people: BaseEvent[] = [];
    pair.base.subscribe((e) => e.type === 'people' && people.push(e));
    await pair.advance(1);
    const last = people.at(-1);
    expect(last?.type === 'people' && last.people).toEqual([{ id: agent.id, position: near, confidence: 1 }]);
    await pair.close();
  });

  it('goes silent while the link is down (the adapter reports the heartbeat stale) and comes back', async () => {
    const pair = await simRobotPair();
    const beats: BaseEvent[] = [];
    pair.base.subscribe((e) => e.type === 'heartbeat' && beats.push(e));
    await pair.advance(1);
    pair.world.inject('link_loss', { durationS: 3 });
    await pair.advance(2);
    expect(beats).toEqual([{ type: 'heartbeat', fresh: false }]);
    await pair.advance(2);
    expect(beats.at(-1)).toEqual({ type: 'heartbeat', fresh: true });
    await pair.close();
  });

  it('publishes with QoS the adapter can match and message fields the ROS definitions have', async () => {
    const pair = await simRobotPair();
    await pair.advance(3);
    const topics = new Set(pair.graph.published.map((d) => d.topic));
    for (const topic of ['/odom', '/amcl_pose', '/tf', '/battery_state', '/humans/persons/tracked', '/humans/voices/tracked', '/map']) expect(topics).toContain(topic);
    const odom = odometry(pair).at(-1)!;
    expect(odom.header.frame_id).toBe('odom');
    expect(yawFromQuaternion(odom.pose.pose.orientation)).toBeCloseTo(0);
    await pair.close(); // throws on any QoS mismatch
  });
});

describe('simulated robot: when the server goes away', () => {
  it('a goal in flight never gets its result (as on a real graph): the adapter cancels at its watchdog and fails with timeout; odometry stops', async () => {
    const pair = await simRobotPair({ file: { timeoutsMs: { navResult: 5000, cancel: 500 } } });
    pair.server.teleport(entranceOf(pair).pose);
    const beats: BaseEvent[] = [];
    pair.base.subscribe((e) => e.type === 'heartbeat' && beats.push(e));
    let result: NavResult | null = null;
    void pair.base.navigate({ kind: 'place', placeId: counterOf(pair).id }, { signal: never }).then((r) => (result = r));
    await pair.advance(1);
    pair.serverRcl.shutdown(); // the robot's process dies
    await vi.advanceTimersByTimeAsync(6000);
    expect(result).toEqual({ kind: 'failed', reason: 'timeout', detail: 'no result from navigate_to_pose within 5000 ms; the goal was canceled' });
    expect(beats).toContainEqual({ type: 'heartbeat', fresh: false });
    const next = pair.base.navigate({ kind: 'place', placeId: counterOf(pair).id }, { signal: never });
    await vi.advanceTimersByTimeAsync(6000);
    expect(await next).toMatchObject({ kind: 'failed', reason: 'link_down' });
    await pair.base.close();
  });
});

describe('simulated robot: citizens speak over ROS4HRI', () => {
  it('with robotSpeech: null the robot greets a citizen who walks up; the citizen says what they came for on /humans/voices/<id>/speech, and Ros2Listener hears it', async () => {
    const config = parseRos2Config({ distro: 'jazzy', topics: { robotSpeech: null } }, {});
    const graph = new FakeGraph();
    const serverRcl = graph.module();
    const clientRcl = graph.module();
    await Promise.all([serverRcl.init(), clientRcl.init()]);
    const robot = createSimRobotLobby({ rcl: serverRcl, config, scenario: loadScenario(projectPath('sim', 'scenarios', 'lobby-live.yaml')), seed: 7 });
    const said: SpokenLine[] = [];
    robot.lobby.crowd.onLine((line) => said.push(line));
    const listener = new Ros2Listener({ rcl: clientRcl, config });
    const heard: Utterance[] = [];
    listener.subscribe((u) => heard.push(u));
    for (let t = 0; t < 300 && heard.length === 0; t += 0.1) {
      robot.step(0.1);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(said.length).toBeGreaterThan(0);
    expect(heard[0]).toEqual({ text: said[0]!.text, lang: said[0]!.lang, confidence: 0.9, source: 'speech' });
    expect(graph.publishedOn(`/humans/voices/${said[0]!.citizenId}/speech`)).toHaveLength(1);
    await listener.close();
    await robot.close();
    expect(graph.incompatible).toEqual([]);
  });

  it("hears the controller's speech on robot_speech: a greeting gets the citizen's request, with the reply timed from when the robot started speaking", async () => {
    const config = parseRos2Config({ distro: 'jazzy' }, {});
    const graph = new FakeGraph();
    const serverRcl = graph.module();
    const controllerRcl = graph.module();
    await Promise.all([serverRcl.init(), controllerRcl.init()]);
    const robot = createSimRobotLobby({ rcl: serverRcl, config, scenario: loadScenario(projectPath('sim', 'scenarios', 'lobby-live.yaml')), seed: 7, epochMs: 1_000_000 });
    const broadcast = new Ros2Broadcast({ rcl: controllerRcl, config, nowMs: () => 1_000_000 + robot.lobby.clock.nowMs });
    const said: SpokenLine[] = [];
    robot.lobby.crowd.onLine((line) => said.push(line));
    // Nobody is greeted without the controller: the citizen comes up and waits.
    for (let t = 0; t < 120 && robot.lobby.crowd.citizens[0]?.phase !== 'approaching'; t += 0.1) {
      robot.step(0.1);
      await vi.advanceTimersByTimeAsync(100);
    }
    for (let t = 0; t < 20; t += 0.1) {
      robot.step(0.1);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(said).toEqual([]);
    const citizen = robot.lobby.crowd.citizens[0]!;
    const spokeAtS = robot.lobby.world.timeS;
    broadcast.said({ text: 'Xin chào', lang: citizen.lang, messageId: 'greeting', rate: 'normal', slots: {} });
    for (let t = 0; t < 10 && said.length === 0; t += 0.1) {
      robot.step(0.1);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(said).toHaveLength(1);
    expect(said[0]!.citizenId).toBe(citizen.id);
    expect(citizen.greetedS).toBeCloseTo(spokeAtS, 0);
    // The reply comes 0.8 to 2.5 s after the greeting ends (600 ms at least), counted from when the robot started.
    expect(robot.lobby.world.timeS - spokeAtS).toBeGreaterThanOrEqual(1.4);
    expect(robot.lobby.world.timeS - spokeAtS).toBeLessThanOrEqual(3.2);
    broadcast.close();
    await robot.close();
    expect(graph.incompatible).toEqual([]);
  });

  it("brings staff over on the controller's personLost alert, as the console does, and ignores what is not an alert", async () => {
    const config = parseRos2Config({ distro: 'jazzy' }, {});
    const graph = new FakeGraph();
    const serverRcl = graph.module();
    const controllerRcl = graph.module();
    await Promise.all([serverRcl.init(), controllerRcl.init()]);
    const log: string[] = [];
    const robot = createSimRobotLobby({ rcl: serverRcl, config, scenario: loadScenario(projectPath('sim', 'scenarios', 'empty-lobby.yaml')), seed: 7, log: (l) => log.push(l) });
    const heard: string[] = [];
    robot.lobby.hear = (record) => void heard.push(record.kind === 'alert' ? record.alert : record.kind);
    const node = new controllerRcl.Node('alerts_probe');
    const pub = node.createPublisher('std_msgs/msg/String', 'robot_alerts', { qos: qosFor(controllerRcl, config.qos.robotAlerts) });
    pub.publish({ data: 'personLost' });
    pub.publish({ data: 'no such alert' });
    pub.publish({ data: 'eventLoopSlow' });
    await vi.advanceTimersByTimeAsync(0);
    expect(heard).toEqual(['personLost']);
    expect(log).toEqual(['ignored a robot_alerts message that is not an alert name']);
    await robot.close();
  });
});
