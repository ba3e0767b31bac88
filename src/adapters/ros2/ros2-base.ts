import type { Pose2D } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import type { Health, Problem } from '../../ports/health.js';
import type { BaseEvent, NavFailureReason, NavFeedback, NavGoal, NavOptions, NavResult, Place, RobotBase, TrackedPerson } from '../../ports/robot-base.js';
import type { TimerClock } from '../../app/watchdog-alerts.js';
import type { RclActionClient, RclGoalHandle, RclNode, RclPublisher, RclServiceClient, RclSubscription, Rclnodejs } from './ros2-client.js';
import type { Ros2Config } from './ros2-config.js';
import { composePose2D, pose2DToPose, poseToPose2D, relativePose2D, rosTimeFromMs, secondsOf, TfTree } from './ros2-geometry.js';
import { qosFor } from './ros2-qos.js';
import {
  POWER_SUPPLY_STATUS_CHARGING,
  POWER_SUPPLY_STATUS_FULL,
  type BatteryState,
  type DockingResult,
  type DockRobotGoal,
  type Float32Msg,
  type IdsList,
  type NavigateToPoseFeedback,
  type NavigateToPoseGoal,
  type NavigateToPoseResult,
  type NavPath,
  type Odometry,
  type PoseWithCovarianceStamped,
  type SpeedLimit,
  type TFMessage,
  type Twist,
  type UndockRobotGoal,
} from './ros2-messages.js';

export interface Ros2BaseOptions {
  /** rclnodejs (or a fake of its shape), already `init()`ed. */
  readonly rcl: Rclnodejs;
  readonly config: Ros2Config;
  /** From the places file, validated against the map by the caller. */
  readonly places: readonly Place[];
  readonly robotId?: string;
  /** Runs last in `close()`, after the node is destroyed. Default `rcl.shutdown()`. */
  readonly shutdown?: () => void;
  /** Milliseconds; default `Date.now`. */
  readonly nowMs?: () => number;
  /**
   * The timers of the hold, the heartbeat, the events and the goal deadlines; default Node's. With
   * simulated time (`Ros2SimTime`) they keep the simulator's pace, together with `nowMs`.
   */
  readonly clock?: TimerClock;
}

/** DockRobot / UndockRobot error codes (nav2_msgs, Jazzy) → the port's reasons. */
const DOCK_ERROR_REASONS: Readonly<Record<number, NavFailureReason>> = {
  901: 'unknown_place', // DOCK_NOT_IN_DB
  902: 'unknown_place', // DOCK_NOT_VALID
  903: 'unreachable', // FAILED_TO_STAGE
  904: 'blocked', // FAILED_TO_DETECT_DOCK
  905: 'blocked', // FAILED_TO_CONTROL
  906: 'aborted', // FAILED_TO_CHARGE
  907: 'timeout', // TIMEOUT
};

/** ROS4HRI ids become topic name parts, so only these characters are accepted. */
const ROS_ID = /^[A-Za-z0-9_]{1,64}$/;
const ZERO_TWIST: Twist = { linear: { x: 0, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } };

type GoalKind = 'navigate' | 'dock' | 'undock';

interface ActiveGoal {
  readonly kind: GoalKind;
  handle: RclGoalHandle | null;
  /** Aborted when the goal's promise has resolved: later feedback and results are ignored. */
  readonly ended: AbortController;
  finish(result: NavResult): void;
}

interface GoalSpec {
  readonly kind: GoalKind;
  readonly client: RclActionClient;
  readonly actionName: string;
  readonly message: object;
  readonly resultTimeoutMs: number;
  readonly feedback?: (raw: unknown) => NavFeedback;
  readonly result: (handle: RclGoalHandle, raw: unknown) => NavResult;
}

const NODE_CLOCK: TimerClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

const ENDED = Symbol('ended');
const TIMED_OUT = Symbol('timed out');

/**
 * `RobotBase` over ROS 2: Nav2's `navigate_to_pose`, `dock_robot` and `undock_robot` actions,
 * `cmd_vel` (or a twist_mux lock) to hold still, `speed_limit`, AMCL + odometry for the pose,
 * `battery_state`, Nav2's `plan`, and ROS4HRI persons placed through their `person_<id>` TF frames.
 */
export class Ros2Base implements RobotBase {
  readonly robotId: string;
  readonly #rcl: Rclnodejs;
  readonly #config: Ros2Config;
  readonly #places: readonly Place[];
  readonly #shutdown: () => void;
  readonly #now: () => number;
  readonly #node: RclNode;
  readonly #nav: RclActionClient;
  readonly #dock: RclActionClient;
  readonly #undock: RclActionClient;
  /** Each action's cancel_goal service: a request with a zero goal id and stamp cancels every goal, whoever sent it. */
  readonly #cancelAll: readonly RclServiceClient[];
  readonly #cmdVel: RclPublisher;
  readonly #speedLimit: RclPublisher;
  readonly #lock: RclPublisher | null;
  readonly #clock: TimerClock;
  /** The repeating timers' current ids, re-armed on each tick; cleared on close. */
  readonly #timers = new Map<string, unknown>();
  readonly #listeners = new Set<(event: BaseEvent) => void>();
  readonly #tf = new TfTree();
  readonly #tracked = new Set<string>();
  readonly #confidence = new Map<string, number>();
  readonly #confidenceSubs = new Map<string, RclSubscription>();
  readonly #problems = new Map<string, Problem>();
  /**
   * When silence starts to count: the first heartbeat check, not construction, since with
   * simulated time the clock reads 0 until the first /clock message.
   */
  #startedMs: number | null = null;
  #active: ActiveGoal | null = null;
  #held = false;
  #closing: Promise<void> | null = null;
  #amcl: { pose: Pose2D; odomAt: Pose2D | null } | null = null;
  #odomPose: Pose2D | null = null;
  #velocity = { linearMps: 0, angularRadps: 0 };
  #lastOdomMs: number | null = null;
  #lastBatteryMs: number | null = null;
  #lastPoseEventMs = Number.NEGATIVE_INFINITY;
  #fresh = true;

  constructor(options: Ros2BaseOptions) {
    const { rcl, config } = options;
    this.#rcl = rcl;
    this.#config = config;
    this.#places = options.places;
    this.robotId = options.robotId ?? config.nodeName;
    this.#shutdown = options.shutdown ?? (() => rcl.shutdown());
    this.#now = options.nowMs ?? Date.now;
    this.#clock = options.clock ?? NODE_CLOCK;

    const node = new rcl.Node(config.nodeName, config.namespace);
    this.#node = node;
    const q = (profile: keyof Ros2Config['qos']) => ({ qos: qosFor(rcl, config.qos[profile]) });
    this.#nav = new rcl.ActionClient(node, 'nav2_msgs/action/NavigateToPose', config.actions.navigateToPose);
    this.#dock = new rcl.ActionClient(node, 'nav2_msgs/action/DockRobot', config.actions.dockRobot);
    this.#undock = new rcl.ActionClient(node, 'nav2_msgs/action/UndockRobot', config.actions.undockRobot);
    const a = config.actions;
    this.#cancelAll = [a.navigateToPose, a.dockRobot, a.undockRobot].map((action) => node.createClient('action_msgs/srv/CancelGoal', `${action}/_action/cancel_goal`));
    this.#cmdVel = node.createPublisher('geometry_msgs/msg/Twist', config.topics.cmdVel, q('cmdVel'));
    this.#speedLimit = node.createPublisher('nav2_msgs/msg/SpeedLimit', config.topics.speedLimit, q('speedLimit'));
    this.#lock = config.topics.twistMuxLock === null ? null : node.createPublisher('std_msgs/msg/Bool', config.topics.twistMuxLock, q('twistMuxLock'));

    const t = config.topics;
    node.createSubscription('geometry_msgs/msg/PoseWithCovarianceStamped', t.amclPose, q('amclPose'), (m) => this.#onAmcl(m as PoseWithCovarianceStamped));
    node.createSubscription('nav_msgs/msg/Odometry', t.odom, q('odom'), (m) => this.#onOdom(m as Odometry));
    node.createSubscription('sensor_msgs/msg/BatteryState', t.battery, q('battery'), (m) => this.#onBattery(m as BatteryState));
    node.createSubscription('nav_msgs/msg/Path', t.plan, q('plan'), (m) => this.#onPlan(m as NavPath));
    node.createSubscription('tf2_msgs/msg/TFMessage', t.tf, q('tf'), (m) => this.#tf.add((m as TFMessage).transforms));
    node.createSubscription('tf2_msgs/msg/TFMessage', t.tfStatic, q('tfStatic'), (m) => this.#tf.add((m as TFMessage).transforms));
    node.createSubscription('hri_msgs/msg/IdsList', t.personsTracked, q('humans'), (m) => this.#onPersonsTracked(m as IdsList));
    node.spin();

    const p = config.periodsMs;
    this.#every('hold', p.hold, () => this.#holdTick());
    this.#every('heartbeat', p.heartbeatCheck, () => this.#checkHeartbeat());
    this.#every('people', p.events, () => this.#emit({ type: 'people', people: this.#people() }));
  }

  #every(name: string, periodMs: number, tick: () => void): void {
    const arm = (): void => {
      this.#timers.set(
        name,
        this.#clock.setTimeout(() => {
          if (!this.#timers.has(name)) return;
          arm();
          tick();
        }, periodMs),
      );
    };
    arm();
  }

  places(): readonly Place[] {
    return this.#places;
  }

  navigate(goal: NavGoal, options: NavOptions): Promise<NavResult> {
    const refused = this.#refusal();
    if (refused !== null) return Promise.resolve(refused);
    let target: Pose2D;
    if (goal.kind === 'place') {
      const place = this.#places.find((p) => p.id === goal.placeId);
      if (place === undefined) return Promise.resolve(failed('unknown_place', `no place "${goal.placeId}" in the places file`));
      target = place.pose;
    } else {
      target = goal.pose;
    }
    const message: NavigateToPoseGoal = { pose: this.#stamped(target), behavior_tree: this.#config.nav.behaviorTree };
    return this.#runGoal(
      {
        kind: 'navigate',
        client: this.#nav,
        actionName: this.#config.actions.navigateToPose,
        message,
        resultTimeoutMs: this.#config.timeoutsMs.navResult,
        feedback: (raw) => {
          const fb = raw as NavigateToPoseFeedback;
          return { distanceRemainingM: fb.distance_remaining, etaS: secondsOf(fb.estimated_time_remaining), recoveries: fb.number_of_recoveries };
        },
        result: (handle, raw) => this.#navResult(handle, raw as NavigateToPoseResult | undefined),
      },
      options,
    );
  }

  /**
   * Holds the base still and cancels every goal of the navigation and docking actions, not only
   * this client's: one a previous controller process left running (it was killed mid-escort), or
   * one sent from RViz, must not drive the robot on after a stop.
   */
  async stop(reason: string): Promise<void> {
    this.#held = true;
    this.#problems.set('held', { id: 'held', severity: 'warn', message: `held still: ${reason}` });
    const canceling = this.#cancelActive({ kind: 'canceled' });
    this.#holdTick();
    this.#cancelEveryGoal();
    await canceling;
  }

  #cancelEveryGoal(): void {
    const everyGoal = { goal_info: { goal_id: { uuid: new Array<number>(16).fill(0) }, stamp: { sec: 0, nanosec: 0 } } };
    for (const client of this.#cancelAll) {
      try {
        if (client.isServiceServerAvailable()) client.sendRequest(everyGoal, () => undefined);
      } catch (cause) {
        this.#problems.set('cancel', { id: 'cancel', severity: 'warn', message: `cancelling every goal failed: ${cause instanceof Error ? cause.message : String(cause)}` });
      }
    }
  }

  async release(): Promise<void> {
    this.#held = false;
    this.#problems.delete('held');
    if (this.#closing === null) this.#lock?.publish({ data: false });
  }

  async setSpeedLimit(maxSpeedMps: number | null): Promise<void> {
    if (maxSpeedMps !== null && !(Number.isFinite(maxSpeedMps) && maxSpeedMps > 0)) {
      // Nav2 reads 0 as "no limit": a caller meaning "do not move" must use stop().
      throw new TiepdanError('invalid_argument', `speed limit must be a positive number of m/s or null, not ${String(maxSpeedMps)} (stop() holds the base still)`);
    }
    if (this.#closing !== null) return;
    const message: SpeedLimit = { header: { stamp: rosTimeFromMs(this.#now()), frame_id: '' }, percentage: false, speed_limit: maxSpeedMps ?? 0 };
    this.#speedLimit.publish(message);
  }

  dock(options: NavOptions): Promise<NavResult> {
    const refused = this.#refusal();
    if (refused !== null) return Promise.resolve(refused);
    const d = this.#config.dock;
    const place = this.#places.find((p) => p.kind === 'dock');
    if (d.dockId === '' && place === undefined) return Promise.resolve(failed('unknown_place', 'no dock in the places file and no dock.dockId configured'));
    const message: DockRobotGoal = {
      use_dock_id: d.dockId !== '',
      dock_id: d.dockId,
      dock_pose: this.#stamped(place?.pose ?? { xM: 0, yM: 0, yawRad: 0 }),
      dock_type: d.dockType,
      max_staging_time: d.maxStagingTimeS,
      navigate_to_staging_pose: d.navigateToStagingPose,
    };
    return this.#runGoal(this.#dockingSpec('dock', this.#dock, this.#config.actions.dockRobot, message), options);
  }

  undock(options: NavOptions): Promise<NavResult> {
    const refused = this.#refusal();
    if (refused !== null) return Promise.resolve(refused);
    const message: UndockRobotGoal = { dock_type: this.#config.dock.dockType, max_undocking_time: this.#config.dock.maxUndockingTimeS };
    return this.#runGoal(this.#dockingSpec('undock', this.#undock, this.#config.actions.undockRobot, message), options);
  }

  subscribe(listener: (event: BaseEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  health(): Health {
    const problems = [...this.#problems.values()];
    if (this.#closing !== null) return { presence: 'error', problems: [...problems, { id: 'closed', severity: 'error', message: 'the ROS 2 base is closed' }] };
    if (!this.#fresh) return { presence: 'reconnecting', problems };
    if (this.#lastOdomMs === null) return { presence: 'initializing', problems };
    return { presence: 'present', problems };
  }

  /**
   * Cancels the goal and stops the base before the node goes: cancel request, zero twist (and the
   * lock), wait for the cancel answer (bounded), destroy the node, shut rclnodejs down.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#held = true;
    const canceling = this.#cancelActive({ kind: 'canceled' });
    this.#publishHold();
    await canceling;
    for (const timer of this.#timers.values()) this.#clock.clearTimeout(timer);
    this.#timers.clear();
    this.#listeners.clear();
    this.#node.destroy();
    this.#shutdown();
  }

  // ---- goals ----------------------------------------------------------------------------------

  #refusal(): NavResult | null {
    if (this.#closing !== null) return failed('aborted', 'the ROS 2 base is closed');
    if (this.#held) return failed('stopped', 'the base is held still; release it first');
    return null;
  }

  #stamped(pose: Pose2D): NavigateToPoseGoal['pose'] {
    // Stamp 0: tf2 uses the latest transform, so a goal is never "in the future" of TF.
    return { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: this.#config.frames.map }, pose: pose2DToPose(pose) };
  }

  #dockingSpec(kind: 'dock' | 'undock', client: RclActionClient, actionName: string, message: object): GoalSpec {
    return {
      kind,
      client,
      actionName,
      message,
      resultTimeoutMs: this.#config.timeoutsMs.dockResult,
      result: (handle, raw) => {
        const r = (raw ?? {}) as DockingResult;
        if (handle.isSucceeded() && r.success !== false) return { kind: 'arrived' };
        if (handle.isCanceled()) return { kind: 'canceled' };
        const code = r.error_code ?? 0;
        const msg = r.error_msg ? `: ${r.error_msg}` : '';
        return failed(DOCK_ERROR_REASONS[code] ?? 'aborted', `${actionName} failed (error_code ${code}${msg})`);
      },
    };
  }

  #navResult(handle: RclGoalHandle, result: NavigateToPoseResult | undefined): NavResult {
    const action = this.#config.actions.navigateToPose;
    if (handle.isSucceeded()) return { kind: 'arrived' };
    if (handle.isCanceled()) return { kind: 'canceled' };
    if (!handle.isAborted()) return failed('aborted', `${action} ended with goal status ${handle.status}`);
    // Humble's result is std_msgs/Empty: the status is all there is.
    if (this.#config.distro === 'humble') return failed('aborted', `Nav2 aborted ${action} (Humble reports no reason)`);
    const code = result?.error_code ?? 0;
    const msg = result?.error_msg ? `: ${result.error_msg}` : '';
    return failed(this.#config.nav.errorCodeReasons[String(code)] ?? 'aborted', `Nav2 aborted ${action} (error_code ${code}${msg})`);
  }

  #runGoal(spec: GoalSpec, options: NavOptions): Promise<NavResult> {
    if (options.signal.aborted) return Promise.resolve({ kind: 'canceled' });
    void this.#cancelActive({ kind: 'canceled' });
    let resolve!: (result: NavResult) => void;
    const done = new Promise<NavResult>((r) => (resolve = r));
    const goal: ActiveGoal = {
      kind: spec.kind,
      handle: null,
      ended: new AbortController(),
      finish: (result) => {
        if (goal.ended.signal.aborted) return;
        goal.ended.abort();
        if (this.#active === goal) this.#active = null;
        options.signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
    };
    const onAbort = (): void => void this.#cancelGoal(goal, { kind: 'canceled' });
    options.signal.addEventListener('abort', onAbort, { once: true });
    this.#active = goal;
    this.#drive(goal, spec, options).then(goal.finish, (cause: unknown) => {
      goal.finish(failed('aborted', `${spec.actionName}: ${cause instanceof Error ? cause.message : String(cause)}`));
    });
    return done;
  }

  async #drive(goal: ActiveGoal, spec: GoalSpec, options: NavOptions): Promise<NavResult> {
    const t = this.#config.timeoutsMs;
    const ready = await this.#race(spec.client.waitForServer(t.serverWait), goal, t.serverWait + t.cancel);
    if (ready === ENDED) return { kind: 'canceled' };
    if (ready !== true) {
      const message = `Nav2 action server ${spec.actionName} is not available after ${t.serverWait} ms (is Nav2 up, and is the action name right?)`;
      this.#problems.set(`server:${spec.actionName}`, { id: `server:${spec.actionName}`, severity: 'warn', message });
      return failed('link_down', message);
    }
    this.#problems.delete(`server:${spec.actionName}`);
    const feedback = spec.feedback;
    const onFeedback =
      feedback && options.onFeedback
        ? (raw: unknown) => {
            if (!goal.ended.signal.aborted) options.onFeedback?.(feedback(raw));
          }
        : undefined;
    const sent = spec.client.sendGoal(spec.message, onFeedback);
    const handle = await this.#race(sent, goal, t.goalAccept);
    if (handle === ENDED) {
      // Canceled while the goal request was in flight: cancel it once it is known.
      void sent.then((h) => (h.isAccepted() ? this.#requestCancel(h) : undefined)).catch(() => undefined);
      return { kind: 'canceled' };
    }
    if (handle === TIMED_OUT) return failed('timeout', `${spec.actionName} did not answer the goal request within ${t.goalAccept} ms`);
    if (!handle.isAccepted()) return failed('aborted', `${spec.actionName} rejected the goal`);
    goal.handle = handle;
    const result = await this.#race(handle.getResult(), goal, spec.resultTimeoutMs);
    if (result === ENDED) return { kind: 'canceled' };
    if (result === TIMED_OUT) {
      await this.#requestCancel(handle);
      return failed('timeout', `no result from ${spec.actionName} within ${spec.resultTimeoutMs} ms; the goal was canceled`);
    }
    return spec.result(handle, result);
  }

  /** Settles with the promise, or ENDED when the goal ends first, or TIMED_OUT; never leaves a timer. */
  #race<T>(promise: Promise<T>, goal: ActiveGoal, timeoutMs: number): Promise<T | typeof ENDED | typeof TIMED_OUT> {
    const ended = goal.ended.signal;
    if (ended.aborted) return Promise.resolve(ENDED);
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => settle(() => resolve(TIMED_OUT)), timeoutMs);
      const onEnded = (): void => settle(() => resolve(ENDED));
      const settle = (then: () => void): void => {
        this.#clock.clearTimeout(timer);
        ended.removeEventListener('abort', onEnded);
        then();
      };
      ended.addEventListener('abort', onEnded, { once: true });
      promise.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  #cancelActive(result: NavResult): Promise<void> {
    const goal = this.#active;
    return goal === null ? Promise.resolve() : this.#cancelGoal(goal, result);
  }

  /** Resolves the goal's promise at once (feedback stops counting), then asks the server to cancel. */
  #cancelGoal(goal: ActiveGoal, result: NavResult): Promise<void> {
    if (goal.ended.signal.aborted) return Promise.resolve();
    goal.finish(result);
    return goal.handle === null ? Promise.resolve() : this.#requestCancel(goal.handle);
  }

  /** Sends the cancel request now; resolves on the answer or after `timeoutsMs.cancel`. */
  #requestCancel(handle: RclGoalHandle): Promise<void> {
    const limitMs = this.#config.timeoutsMs.cancel;
    let request: Promise<unknown>;
    try {
      request = handle.cancelGoal();
    } catch (cause) {
      request = Promise.reject(cause);
    }
    return new Promise<void>((resolve) => {
      // Wall time, not the controller's clock: a cancel answer is the middleware's business, and a
      // simulated clock that has stopped (its simulator gone) must not keep close() waiting for ever.
      const timer = NODE_CLOCK.setTimeout(() => {
        this.#problems.set('cancel', { id: 'cancel', severity: 'warn', message: `no answer to a goal cancel within ${limitMs} ms` });
        resolve();
      }, limitMs);
      request.then(
        () => {
          NODE_CLOCK.clearTimeout(timer);
          this.#problems.delete('cancel');
          resolve();
        },
        (cause: unknown) => {
          NODE_CLOCK.clearTimeout(timer);
          this.#problems.set('cancel', { id: 'cancel', severity: 'warn', message: `goal cancel failed: ${cause instanceof Error ? cause.message : String(cause)}` });
          resolve();
        },
      );
    });
  }

  // ---- holding still --------------------------------------------------------------------------

  #holdTick(): void {
    if (this.#held) this.#publishHold();
    else this.#lock?.publish({ data: false });
  }

  /** With a twist_mux lock the mux blocks every lower-priority input; else zero twists out-talk nothing but keep the base still once Nav2's goal is canceled. */
  #publishHold(): void {
    if (this.#lock !== null) this.#lock.publish({ data: true });
    else this.#cmdVel.publish(ZERO_TWIST);
  }

  // ---- what the base perceives ----------------------------------------------------------------

  #onAmcl(msg: PoseWithCovarianceStamped): void {
    const pose = poseToPose2D(msg.pose.pose);
    if (!isFinitePose(pose)) return;
    this.#amcl = { pose, odomAt: this.#odomPose };
    this.#problems.delete('localization');
    this.#emitPose(pose, true);
  }

  /**
   * AMCL publishes only after the robot moves, so odometry carries the pose between its updates
   * (dead reckoning from the last AMCL fix) and is what freshness is measured on.
   */
  #onOdom(msg: Odometry): void {
    this.#lastOdomMs = this.#now();
    const odomPose = poseToPose2D(msg.pose.pose);
    if (!isFinitePose(odomPose)) return;
    this.#odomPose = odomPose;
    const twist = msg.twist.twist;
    this.#velocity = { linearMps: Number.isFinite(twist.linear.x) ? twist.linear.x : 0, angularRadps: Number.isFinite(twist.angular.z) ? twist.angular.z : 0 };
    const amcl = this.#amcl;
    if (amcl === null) {
      this.#problems.set('localization', { id: 'localization', severity: 'warn', message: `no pose on ${this.#config.topics.amclPose} yet (is AMCL localised?)` });
      return;
    }
    if (amcl.odomAt === null) amcl.odomAt = odomPose;
    this.#emitPose(composePose2D(amcl.pose, relativePose2D(amcl.odomAt, odomPose)), false);
  }

  #emitPose(pose: Pose2D, always: boolean): void {
    const now = this.#now();
    if (!always && now - this.#lastPoseEventMs < this.#config.periodsMs.events) return;
    this.#lastPoseEventMs = now;
    this.#emit({ type: 'pose', pose, ...this.#velocity });
  }

  #onBattery(msg: BatteryState): void {
    this.#lastBatteryMs = this.#now();
    if (!Number.isFinite(msg.percentage)) {
      this.#problems.set('battery', { id: 'battery', severity: 'warn', message: `${this.#config.topics.battery} reports no percentage` });
      return;
    }
    this.#problems.delete('battery');
    const charging = msg.power_supply_status === POWER_SUPPLY_STATUS_CHARGING || msg.power_supply_status === POWER_SUPPLY_STATUS_FULL;
    this.#emit({ type: 'battery', battery: { percent: Math.min(100, Math.max(0, msg.percentage * 100)), charging } });
  }

  #onPlan(msg: NavPath): void {
    this.#emit({ type: 'path', path: msg.poses.map((p) => ({ xM: p.pose.position.x, yM: p.pose.position.y })) });
  }

  #onPersonsTracked(msg: IdsList): void {
    const ids = new Set(msg.ids.filter((id) => ROS_ID.test(id)));
    for (const id of [...this.#tracked]) {
      if (ids.has(id)) continue;
      this.#tracked.delete(id);
      this.#confidence.delete(id);
      const sub = this.#confidenceSubs.get(id);
      this.#confidenceSubs.delete(id);
      if (sub !== undefined) this.#node.destroySubscription(sub);
    }
    for (const id of ids) {
      if (this.#tracked.has(id)) continue;
      this.#tracked.add(id);
      const topic = `${this.#config.topics.personsPrefix}/${id}/location_confidence`;
      const qos = { qos: qosFor(this.#rcl, this.#config.qos.humans) };
      const sub = this.#node.createSubscription('std_msgs/msg/Float32', topic, qos, (m) => {
        const value = (m as Float32Msg).data;
        if (this.#tracked.has(id) && Number.isFinite(value)) this.#confidence.set(id, Math.min(1, Math.max(0, value)));
      });
      this.#confidenceSubs.set(id, sub);
    }
  }

  /**
   * Tracked persons whose location_confidence is at least the threshold and whose TF frame reaches
   * the map. Below the threshold (ROS4HRI: 1 seen now, less = last known place, 0 = unknown) a person
   * is left out: lost, as far as the escort is concerned. Above it, the confidence goes on as it came:
   * the controller tells seen now from remembered by SEEN_NOW_FROM_CONFIDENCE.
   */
  #people(): TrackedPerson[] {
    const people: TrackedPerson[] = [];
    const { map, personPrefix } = this.#config.frames;
    for (const id of this.#tracked) {
      const confidence = this.#confidence.get(id);
      if (confidence === undefined || confidence <= 0 || confidence < this.#config.people.lostBelowConfidence) continue;
      const at = this.#tf.positionIn(map, `${personPrefix}${id}`);
      if (at === null || !Number.isFinite(at.x) || !Number.isFinite(at.y)) continue;
      people.push({ id, position: { xM: at.x, yM: at.y }, confidence });
    }
    return people;
  }

  #checkHeartbeat(): void {
    const now = this.#now();
    const t = this.#config.timeoutsMs;
    const startedMs = (this.#startedMs ??= now);
    const odomAgeMs = now - (this.#lastOdomMs ?? startedMs);
    const batteryAgeMs = now - (this.#lastBatteryMs ?? startedMs);
    const stale: string[] = [];
    if (odomAgeMs > t.poseStale) stale.push(`no odometry on ${this.#config.topics.odom} for ${odomAgeMs} ms`);
    if (batteryAgeMs > t.batteryStale) stale.push(`no ${this.#config.topics.battery} for ${batteryAgeMs} ms`);
    if (stale.length > 0) this.#problems.set('link', { id: 'link', severity: 'error', message: stale.join('; ') });
    else this.#problems.delete('link');
    const fresh = stale.length === 0;
    if (fresh !== this.#fresh) {
      this.#fresh = fresh;
      this.#emit({ type: 'heartbeat', fresh });
    }
  }

  #emit(event: BaseEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}

function failed(reason: NavFailureReason, detail: string): NavResult {
  return { kind: 'failed', reason, detail };
}

function isFinitePose(p: Pose2D): boolean {
  return Number.isFinite(p.xM) && Number.isFinite(p.yM) && Number.isFinite(p.yawRad);
}
