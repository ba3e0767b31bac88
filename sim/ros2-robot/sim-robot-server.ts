import type { RclNode, RclPublisher, RclServerGoalHandle, RclnodejsServer } from '../../src/adapters/ros2/ros2-client.js';
import type { Ros2Config } from '../../src/adapters/ros2/ros2-config.js';
import { composePose2D, relativePose2D, rosTimeFromMs } from '../../src/adapters/ros2/ros2-geometry.js';
import { qosFor } from '../../src/adapters/ros2/ros2-qos.js';
import { isFree } from '../../src/maps/map.js';
import type { Pose2D } from '../../src/ports/common.js';
import type { NavFailureReason, NavFeedback, NavResult } from '../../src/ports/robot-base.js';
import type { SpokenLine } from '../citizens.js';
import type { World } from '../world.js';
import type { RobotSpeechMessage } from '../../src/adapters/ros2/ros2-broadcast.js';
import { alertOf, boolData, boolField, planarTwist, plainOf, poseStampedIn, poseWithCovarianceIn, robotSpeechOf, speedLimitOf, stringField } from './inbound.js';
import {
  batteryState,
  durationOfSeconds,
  idsList,
  liveSpeech,
  occupancyGrid,
  odometry,
  path,
  poseWithCovariance,
  stampedPose,
  transform,
} from './robot-messages.js';

/** NavigateToPose result codes a Jazzy navigator reports (nav2_msgs, ComputePathToPose, FollowPath). */
export const NAV_ERROR = {
  NONE: 0,
  FOLLOW_PATH_FAILED_TO_MAKE_PROGRESS: 105,
  COMPUTE_PATH_NO_VALID_PATH: 208,
  UNKNOWN: 9000,
  TF_ERROR: 9002,
  TIMEOUT: 9003,
} as const;

/** DockRobot result codes (nav2_msgs/action/DockRobot). */
export const DOCK_ERROR = { NONE: 0, DOCK_NOT_IN_DB: 901, FAILED_TO_STAGE: 903, UNKNOWN: 999 } as const;
/** DockRobot feedback states. */
const DOCK_STATE = { NAV_TO_STAGING_POSE: 1, CONTROLLING: 3 } as const;

/** Which NavigateToPose error_code a failure of the simulated navigation is reported with. */
const NAV_CODE_FOR: Readonly<Record<NavFailureReason, number>> = {
  unknown_place: NAV_ERROR.COMPUTE_PATH_NO_VALID_PATH,
  unreachable: NAV_ERROR.COMPUTE_PATH_NO_VALID_PATH,
  blocked: NAV_ERROR.FOLLOW_PATH_FAILED_TO_MAKE_PROGRESS,
  no_progress: NAV_ERROR.FOLLOW_PATH_FAILED_TO_MAKE_PROGRESS,
  aborted: NAV_ERROR.UNKNOWN,
  localization_lost: NAV_ERROR.TF_ERROR,
  stopped: NAV_ERROR.UNKNOWN,
  link_down: NAV_ERROR.UNKNOWN,
  timeout: NAV_ERROR.TIMEOUT,
};

/** Rates, in simulated seconds, close to a Nav2 + ROS4HRI robot's. */
export const PERIODS_S = { battery: 1, people: 0.2, plan: 1, feedback: 0.2 } as const;
/** twist_mux's usual input timeout: a cmd_vel older than this no longer overrides navigation. */
export const CMD_VEL_TIMEOUT_S = 0.5;
/** AMCL's update_min_d / update_min_a: it publishes a pose after this much motion. */
const AMCL_UPDATE_M = 0.25;
const AMCL_UPDATE_RAD = 0.2;
/** A voice's speech topic is published only once it has been on the tracked list this long, so a listener has had time to subscribe. */
export const VOICE_WARMUP_S = 1;
/** How long a citizen's voice stays tracked after they last spoke. */
const VOICE_KEPT_S = 30;
const ASR_CONFIDENCE = 0.9;

export interface SimRobotServerOptions {
  /** rclnodejs (or a fake of its shape), already `init()`ed. */
  readonly rcl: RclnodejsServer;
  /** The adapter's config: the same names, QoS and frames the client uses. */
  readonly config: Ros2Config;
  readonly world: World;
  /** Moves everything on by `dtS`: the world and around it citizens, walkers and faults. Default `world.step`. */
  readonly advance?: (dtS: number) => void;
  /** Citizens' lines, served as ROS4HRI speech. */
  readonly lines?: (hearer: (line: SpokenLine) => void) => () => void;
  /** What the robot says, from `topics.robotSpeech` (when the config names it), checked. */
  readonly onRobotSpeech?: (speech: RobotSpeechMessage) => void;
  /** The robot's operator alerts, from `topics.robotAlerts` (when the config names it). */
  readonly onRobotAlert?: (alert: string) => void;
  /** Stamps, in ms since the epoch; default `Date.now`. */
  readonly nowMs?: () => number;
  /** Told of what the robot refused (bad goals, poses off the map); never of what people said. */
  readonly log?: (line: string) => void;
  /** Default `<config.nodeName>_sim_robot`. */
  readonly nodeName?: string;
}

type GoalKind = 'navigate' | 'dock' | 'undock';

interface ServedGoal {
  readonly kind: GoalKind;
  readonly handle: RclServerGoalHandle;
  worldId: number;
  readonly startedS: number;
  feedback: NavFeedback | null;
  cancelSent: boolean;
  /** Settles once the goal's result has been handed back. */
  readonly finished: Promise<void>;
}

interface PendingSpeech {
  readonly voiceId: string;
  readonly text: string;
  readonly lang: SpokenLine['lang'];
}

/**
 * The simulated lobby served as a Nav2 + ROS4HRI robot, in the spirit of Nav2's loopback simulator:
 * `navigate_to_pose`, `dock_robot` and `undock_robot` action servers (feedback, aborts, cancels);
 * `cmd_vel` and the twist_mux lock obeyed as a mux would; `speed_limit`; odometry, `amcl_pose`,
 * `/tf` (map → odom → base and `person_<id>`), `battery_state`, `plan`; ROS4HRI persons and voices
 * with speech; the map, latched; `initialpose` moves the robot there. Time moves only in `step()`.
 *
 * Written against rclnodejs 2.2.0 as typed in src/adapters/ros2/ros2-client.ts (checked there
 * against lib/action/server.js, lib/action/server_goal_handle.js, lib/action/response.js,
 * types/action_server.d.ts, lib/node.js and lib/publisher.js): the goal callback answers
 * synchronously; a cancel is only accepted here, and the world lets go of the goal at the next step,
 * so `canceled()` is only ever called from CANCELING, as rcl_action's state machine requires.
 */
export class SimRobotServer {
  readonly #rcl: RclnodejsServer;
  readonly #config: Ros2Config;
  readonly #world: World;
  readonly #advance: (dtS: number) => void;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #node: RclNode;
  readonly #pub: Record<'odom' | 'amcl' | 'tf' | 'battery' | 'plan' | 'persons' | 'voices' | 'map' | 'clock', RclPublisher>;
  readonly #confidencePubs = new Map<string, RclPublisher>();
  readonly #speechPubs = new Map<string, RclPublisher>();
  readonly #goals = new Set<ServedGoal>();
  readonly #unsubscribeLines: () => void;
  /** Pose of the base in the odometry frame: integrated motion, untouched by teleports. */
  #odom: Pose2D = { xM: 0, yM: 0, yawRad: 0 };
  #lastAmcl: Pose2D | null = null;
  #cmdVel: { linearMps: number; angularRadps: number; atS: number } | null = null;
  #locked = false;
  #since = { battery: Infinity, people: Infinity, plan: Infinity, feedback: Infinity };
  /** Voice id → when it first appeared on the tracked list (simulated s). */
  readonly #voicesSince = new Map<string, number>();
  readonly #voiceLastSpokeS = new Map<string, number>();
  #pendingSpeech: PendingSpeech[] = [];
  #closing: Promise<void> | null = null;

  constructor(options: SimRobotServerOptions) {
    const { rcl, config, world } = options;
    this.#rcl = rcl;
    this.#config = config;
    this.#world = world;
    this.#advance = options.advance ?? ((dtS) => world.step(dtS));
    this.#now = options.nowMs ?? Date.now;
    this.#log = options.log ?? (() => undefined);

    const node = new rcl.Node(options.nodeName ?? `${config.nodeName}_sim_robot`, config.namespace);
    this.#node = node;
    const t = config.topics;
    const q = (profile: keyof Ros2Config['qos']) => ({ qos: qosFor(rcl, config.qos[profile]) });
    this.#pub = {
      odom: node.createPublisher('nav_msgs/msg/Odometry', t.odom, q('odom')),
      amcl: node.createPublisher('geometry_msgs/msg/PoseWithCovarianceStamped', t.amclPose, q('amclPose')),
      tf: node.createPublisher('tf2_msgs/msg/TFMessage', t.tf, q('tf')),
      battery: node.createPublisher('sensor_msgs/msg/BatteryState', t.battery, q('battery')),
      plan: node.createPublisher('nav_msgs/msg/Path', t.plan, q('plan')),
      persons: node.createPublisher('hri_msgs/msg/IdsList', t.personsTracked, q('humans')),
      voices: node.createPublisher('hri_msgs/msg/IdsList', t.voicesTracked, q('humans')),
      map: node.createPublisher('nav_msgs/msg/OccupancyGrid', t.map, q('map')),
      clock: node.createPublisher('rosgraph_msgs/msg/Clock', t.clock, q('clock')),
    };

    node.createSubscription('geometry_msgs/msg/Twist', t.cmdVel, q('cmdVel'), (m) => this.#onCmdVel(m));
    if (t.twistMuxLock !== null) node.createSubscription('std_msgs/msg/Bool', t.twistMuxLock, q('twistMuxLock'), (m) => this.#onLock(m));
    node.createSubscription('nav2_msgs/msg/SpeedLimit', t.speedLimit, q('speedLimit'), (m) => this.#onSpeedLimit(m));
    node.createSubscription('geometry_msgs/msg/PoseWithCovarianceStamped', t.initialPose, q('initialPose'), (m) => this.#onInitialPose(m));
    const onSpeech = options.onRobotSpeech;
    if (t.robotSpeech !== null && onSpeech !== undefined) {
      node.createSubscription('std_msgs/msg/String', t.robotSpeech, q('robotSpeech'), (m) => {
        const speech = robotSpeechOf(m);
        if (speech === null) return this.#log(`ignored a ${t.robotSpeech} message that is not the robot's speech as JSON`);
        if (this.#closing === null) onSpeech(speech);
      });
    }
    const onAlert = options.onRobotAlert;
    if (t.robotAlerts !== null && onAlert !== undefined) {
      node.createSubscription('std_msgs/msg/String', t.robotAlerts, q('robotAlerts'), (m) => {
        const alert = alertOf(m);
        if (alert === null) return this.#log(`ignored a ${t.robotAlerts} message that is not an alert name`);
        if (this.#closing === null) onAlert(alert);
      });
    }

    const a = config.actions;
    const { ACCEPT, REJECT } = rcl.GoalResponse;
    new rcl.ActionServer(
      node,
      'nav2_msgs/action/NavigateToPose',
      a.navigateToPose,
      (h) => this.#executeNavigate(h),
      (goal) => (this.#navTarget(goal) === null ? REJECT : ACCEPT),
      (h) => h.execute(),
      (h) => this.#onCancel(h),
    );
    new rcl.ActionServer(
      node,
      'nav2_msgs/action/DockRobot',
      a.dockRobot,
      (h) => this.#executeDock(h),
      (goal) => (boolField(goal, 'use_dock_id') === null ? REJECT : ACCEPT),
      (h) => h.execute(),
      (h) => this.#onCancel(h),
    );
    new rcl.ActionServer(
      node,
      'nav2_msgs/action/UndockRobot',
      a.undockRobot,
      (h) => this.#executeUndock(h),
      () => ACCEPT,
      (h) => h.execute(),
      (h) => this.#onCancel(h),
    );
    node.spin();

    this.#unsubscribeLines = options.lines?.((line) => this.#onLine(line)) ?? (() => undefined);
    this.#pub.map.publish(occupancyGrid(this.#now(), config.frames.map, world.map));
    this.#publishClock();
    this.#publishPose(true);
  }

  /**
   * Before the world starts moving: the clock, odometry and the pose again, as a robot standing
   * still publishes them, so late joiners find the time and the robot.
   */
  idle(): void {
    if (this.#closing !== null || !this.#world.linkUp) return;
    this.#publishClock();
    this.#publishPose(true);
  }

  /** Goals being served now, by kind; for tests and status lines. */
  get activeGoals(): GoalKind[] {
    return [...this.#goals].map((g) => g.kind);
  }

  /** Moves the world on by `dtS` simulated seconds and publishes what a robot would. */
  step(dtS: number): void {
    if (this.#closing !== null) return;
    const world = this.#world;
    for (const goal of this.#goals) {
      if (goal.handle.isCancelRequested && !goal.cancelSent) {
        goal.cancelSent = true;
        world.cancelGoal(goal.worldId);
      }
    }
    world.velocityOverride = this.#override();
    const before = world.pose;
    this.#advance(dtS);
    // Odometry integrates the base's own motion; a teleport (initialpose) moves the map pose only.
    this.#odom = composePose2D(this.#odom, relativePose2D(before, world.pose));
    for (const key of Object.keys(PERIODS_S) as (keyof typeof PERIODS_S)[]) this.#since[key] += dtS;
    // The simulator's clock goes on whatever happens to the robot's link.
    this.#publishClock();
    if (!world.linkUp) return; // the link to the base is down: nothing reaches the graph
    this.#publishPose(false);
    if (this.#since.battery >= PERIODS_S.battery) {
      this.#since.battery = 0;
      this.#pub.battery.publish(batteryState(this.#now(), this.#config.frames.base, world.batteryPercent, world.docked));
    }
    if (this.#since.people >= PERIODS_S.people) {
      this.#since.people = 0;
      this.#publishPeople();
    }
    if (this.#since.plan >= PERIODS_S.plan && world.hasGoal && world.currentPath.length > 0) {
      this.#since.plan = 0;
      this.#pub.plan.publish(path(this.#now(), this.#config.frames.map, world.pose, world.currentPath));
    }
    if (this.#since.feedback >= PERIODS_S.feedback) {
      this.#since.feedback = 0;
      for (const goal of this.#goals) this.#publishFeedback(goal);
    }
    this.#publishSpeech();
  }

  /** Puts the robot at `pose` in the map, as `initialpose` does; the odometry frame does not jump. */
  teleport(pose: Pose2D): void {
    this.#world.teleport(pose);
    this.#lastAmcl = null;
    this.#publishPose(true);
  }

  /** Aborts the goals being served (their clients get a result), then leaves the graph. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#unsubscribeLines();
      const finishing = [...this.#goals].map((g) => g.finished);
      for (const goal of this.#goals) this.#world.cancelGoal(goal.worldId);
      await Promise.all(finishing);
      this.#node.destroy();
    })();
    return this.#closing;
  }

  // ---- what comes in --------------------------------------------------------------------------

  #onCmdVel(message: unknown): void {
    const twist = planarTwist(message);
    if (twist === null) return this.#log(`ignored a cmd_vel without finite linear.x and angular.z`);
    this.#cmdVel = { ...twist, atS: this.#world.timeS };
  }

  #onLock(message: unknown): void {
    const locked = boolData(message);
    if (locked !== null) this.#locked = locked;
  }

  #onSpeedLimit(message: unknown): void {
    const limit = speedLimitOf(message, this.#world.limits.maxLinearMps);
    if (limit === undefined) return this.#log('ignored a speed_limit that is not a finite, non-negative number');
    this.#world.speedLimitMps = limit;
  }

  #onInitialPose(message: unknown): void {
    const pose = poseWithCovarianceIn(message, this.#config.frames.map);
    if (pose === null) return this.#log(`ignored an initial pose that is not a finite pose in the ${this.#config.frames.map} frame`);
    if (!isFree(this.#world.map, pose)) return this.#log(`ignored an initial pose on an occupied or unknown cell (${pose.xM.toFixed(2)}, ${pose.yM.toFixed(2)})`);
    this.teleport(pose);
  }

  /** twist_mux: the lock wins; else a fresh cmd_vel overrides navigation; else navigation drives. */
  #override(): World['velocityOverride'] {
    if (this.#locked) return { linearMps: 0, angularRadps: 0 };
    const cmd = this.#cmdVel;
    if (cmd === null || this.#world.timeS - cmd.atS > CMD_VEL_TIMEOUT_S) return null;
    return { linearMps: cmd.linearMps, angularRadps: cmd.angularRadps };
  }

  #onLine(line: SpokenLine): void {
    if (this.#closing !== null) return;
    this.#voiceLastSpokeS.set(line.citizenId, this.#world.timeS);
    this.#pendingSpeech.push({ voiceId: line.citizenId, text: line.text, lang: line.lang });
  }

  // ---- goals ----------------------------------------------------------------------------------

  #navTarget(goal: unknown): Pose2D | null {
    return poseStampedIn(goal !== null && typeof goal === 'object' ? (goal as { pose?: unknown }).pose : undefined, this.#config.frames.map);
  }

  /** Accepts every cancel of a goal still being served; the world lets go of it at the next step. */
  #onCancel(handle: RclServerGoalHandle): number {
    const served = [...this.#goals].some((g) => g.handle === handle);
    return served && handle.isActive ? this.#rcl.CancelResponse.ACCEPT : this.#rcl.CancelResponse.REJECT;
  }

  /** Starts a world goal for an accepted action goal; resolves with how the world ended it. */
  #serve(kind: GoalKind, handle: RclServerGoalHandle, target: Pose2D): { served: ServedGoal; done: Promise<NavResult>; settle: () => void } {
    let settle!: () => void;
    const finished = new Promise<void>((resolve) => (settle = resolve));
    // Set before startGoal: the world may report feedback, or end the goal, within the call.
    const served: ServedGoal = { kind, handle, worldId: -1, startedS: this.#world.timeS, feedback: null, cancelSent: false, finished };
    const started = this.#world.startGoal(kind, target, (feedback) => (served.feedback = feedback));
    served.worldId = started.id;
    this.#goals.add(served);
    const done = started.done.then((result) => {
      this.#goals.delete(served);
      return result;
    });
    return { served, done, settle };
  }

  async #executeNavigate(handle: RclServerGoalHandle): Promise<object> {
    const target = this.#navTarget(plainOf(handle.request));
    if (target === null) {
      handle.abort();
      return this.#navResult(NAV_ERROR.UNKNOWN, 'the goal pose is not a finite pose in the map frame');
    }
    const { done, settle } = this.#serve('navigate', handle, target);
    try {
      const result = await done;
      if (result.kind === 'arrived') {
        handle.succeed();
        return this.#navResult(NAV_ERROR.NONE, '');
      }
      if (result.kind === 'canceled') {
        if (handle.isCancelRequested) {
          handle.canceled();
          return this.#navResult(NAV_ERROR.NONE, '');
        }
        // Ended by something else: a newer goal, or the server closing. Nav2 aborts a preempted goal.
        handle.abort();
        return this.#navResult(NAV_ERROR.NONE, this.#closing !== null ? 'the navigation server is shutting down' : 'preempted by a newer goal');
      }
      handle.abort();
      return this.#navResult(NAV_CODE_FOR[result.reason], result.detail);
    } finally {
      settle();
    }
  }

  /** Humble's result is an empty message: the status is all a client gets. */
  #navResult(code: number, message: string): object {
    return this.#config.distro === 'humble' ? {} : { error_code: code, error_msg: message };
  }

  async #executeDock(handle: RclServerGoalHandle): Promise<object> {
    const goal = plainOf(handle.request);
    const result = (success: boolean, code: number, message: string): object => ({ success, error_code: code, num_retries: 0, error_msg: message });
    if (this.#world.docked) {
      handle.succeed();
      return result(true, DOCK_ERROR.NONE, '');
    }
    let target: Pose2D | null;
    if (boolField(goal, 'use_dock_id') === true) {
      const id = stringField(goal, 'dock_id') ?? '';
      const place = this.#world.places.find((p) => p.kind === 'dock' && p.id === id);
      if (place === undefined) {
        handle.abort();
        return result(false, DOCK_ERROR.DOCK_NOT_IN_DB, `no dock "${id}" in the places file`);
      }
      target = place.pose;
    } else {
      target = poseStampedIn(goal !== null && typeof goal === 'object' ? (goal as { dock_pose?: unknown }).dock_pose : undefined, this.#config.frames.map);
      if (target === null) {
        handle.abort();
        return result(false, DOCK_ERROR.UNKNOWN, 'the dock pose is not a finite pose in the map frame');
      }
    }
    const { done, settle } = this.#serve('dock', handle, target);
    try {
      const ended = await done;
      if (ended.kind === 'arrived') {
        handle.succeed();
        return result(true, DOCK_ERROR.NONE, '');
      }
      if (ended.kind === 'canceled' && handle.isCancelRequested) {
        handle.canceled();
        return result(false, DOCK_ERROR.NONE, '');
      }
      handle.abort();
      if (ended.kind === 'canceled') return result(false, DOCK_ERROR.UNKNOWN, 'preempted');
      const staging = ended.reason === 'blocked' || ended.reason === 'unreachable';
      return result(false, staging ? DOCK_ERROR.FAILED_TO_STAGE : DOCK_ERROR.UNKNOWN, ended.detail);
    } finally {
      settle();
    }
  }

  /** Undocking is a short reverse off the charger: the world does it at once. */
  async #executeUndock(handle: RclServerGoalHandle): Promise<object> {
    const { done, settle } = this.#serve('undock', handle, this.#world.pose);
    try {
      const ended = await done;
      if (ended.kind === 'arrived') {
        handle.succeed();
        return { success: true, error_code: 0, error_msg: '' };
      }
      if (ended.kind === 'canceled' && handle.isCancelRequested) handle.canceled();
      else handle.abort();
      return { success: false, error_code: DOCK_ERROR.UNKNOWN, error_msg: ended.kind === 'failed' ? ended.detail : 'canceled' };
    } finally {
      settle();
    }
  }

  #publishFeedback(goal: ServedGoal): void {
    const fb = goal.feedback;
    if (fb === null || !goal.handle.isActive) return;
    const now = this.#now();
    const elapsedS = this.#world.timeS - goal.startedS;
    if (goal.kind === 'navigate') {
      goal.handle.publishFeedback({
        current_pose: stampedPose(now, this.#config.frames.map, this.#world.pose),
        navigation_time: durationOfSeconds(elapsedS),
        estimated_time_remaining: durationOfSeconds(fb.etaS),
        number_of_recoveries: Math.min(32767, fb.recoveries),
        distance_remaining: fb.distanceRemainingM,
      });
    } else if (goal.kind === 'dock') {
      const state = fb.distanceRemainingM > 1 ? DOCK_STATE.NAV_TO_STAGING_POSE : DOCK_STATE.CONTROLLING;
      goal.handle.publishFeedback({ state, docking_time: durationOfSeconds(elapsedS), num_retries: 0 });
    }
  }

  // ---- what goes out --------------------------------------------------------------------------

  /** rosgraph_msgs/Clock: the time every stamp here is in, for nodes with simulated time. */
  #publishClock(): void {
    this.#pub.clock.publish({ clock: rosTimeFromMs(this.#now()) });
  }

  /** Odometry and TF every step; amcl_pose after enough motion, as AMCL does, and at once when forced. */
  #publishPose(force: boolean): void {
    const world = this.#world;
    const { map, odom, base } = this.#config.frames;
    const now = this.#now();
    const mapToOdom = composePose2D(world.pose, relativePose2D(this.#odom, { xM: 0, yM: 0, yawRad: 0 }));
    this.#pub.odom.publish(odometry(now, odom, base, this.#odom, world.linearMps, world.angularRadps));
    this.#pub.tf.publish({ transforms: [transform(now, map, odom, mapToOdom), transform(now, odom, base, this.#odom)] });
    if (!world.localized) return; // AMCL has lost the robot: it publishes no pose
    const last = this.#lastAmcl;
    const moved = last === null || Math.hypot(world.pose.xM - last.xM, world.pose.yM - last.yM) >= AMCL_UPDATE_M || Math.abs(relativePose2D(last, world.pose).yawRad) >= AMCL_UPDATE_RAD;
    if (!force && !moved) return;
    this.#lastAmcl = world.pose;
    this.#pub.amcl.publish(poseWithCovariance(now, map, world.pose));
  }

  #publishPeople(): void {
    const world = this.#world;
    const now = this.#now();
    const { map, personPrefix } = this.#config.frames;
    const people = world.trackedPeople();
    this.#pub.persons.publish(idsList(now, people.map((p) => p.id)));
    if (people.length > 0) {
      this.#pub.tf.publish({ transforms: people.map((p) => transform(now, map, `${personPrefix}${p.id}`, { xM: p.position.xM, yM: p.position.yM, yawRad: 0 })) });
    }
    for (const person of people) this.#publisherFor(this.#confidencePubs, 'std_msgs/msg/Float32', `${this.#config.topics.personsPrefix}/${person.id}/location_confidence`).publish({ data: person.confidence });

    // Voices: citizens the robot can see, and anyone who spoke lately.
    const voices = new Set(people.filter((p) => world.agents.get(p.id)?.kind === 'citizen').map((p) => p.id));
    for (const [id, spokeS] of this.#voiceLastSpokeS) {
      if (world.timeS - spokeS <= VOICE_KEPT_S) voices.add(id);
      else this.#voiceLastSpokeS.delete(id);
    }
    for (const id of [...this.#voicesSince.keys()]) if (!voices.has(id)) this.#voicesSince.delete(id);
    for (const id of voices) if (!this.#voicesSince.has(id)) this.#voicesSince.set(id, world.timeS);
    this.#pub.voices.publish(idsList(now, [...voices]));
  }

  /** Speech goes out once its voice has been on the tracked list long enough for a listener to subscribe. */
  #publishSpeech(): void {
    if (this.#pendingSpeech.length === 0) return;
    const now = this.#world.timeS;
    const due = this.#pendingSpeech.filter((s) => {
      const since = this.#voicesSince.get(s.voiceId);
      return since !== undefined && now - since >= VOICE_WARMUP_S;
    });
    if (due.length === 0) return;
    this.#pendingSpeech = this.#pendingSpeech.filter((s) => !due.includes(s));
    for (const s of due) {
      const topic = `${this.#config.topics.voicesPrefix}/${s.voiceId}/speech`;
      this.#publisherFor(this.#speechPubs, 'hri_msgs/msg/LiveSpeech', topic).publish(liveSpeech(this.#now(), s.text, s.lang, ASR_CONFIDENCE));
    }
  }

  #publisherFor(cache: Map<string, RclPublisher>, type: string, topic: string): RclPublisher {
    let pub = cache.get(topic);
    if (pub === undefined) {
      pub = this.#node.createPublisher(type, topic, { qos: qosFor(this.#rcl, this.#config.qos.humans) });
      cache.set(topic, pub);
    }
    return pub;
  }
}
