import type { Point2D, Pose2D } from '../src/ports/common.js';
import type { NavFeedback, NavResult, Place, TrackedPerson } from '../src/ports/robot-base.js';
import { isFree, type OccupancyMap } from '../src/maps/map.js';
import type { Circle, Planner } from './planner.js';
import type { Random } from '../src/util/random.js';

/** Differential-drive limits of the simulated base, close to a typical lobby robot. */
export interface RobotLimits {
  readonly maxLinearMps: number;
  readonly maxAngularRadps: number;
  readonly linearAccelMps2: number;
  readonly angularAccelRadps2: number;
  /** Braking when stopped or e-stopped: harder than normal deceleration. */
  readonly brakeDecelMps2: number;
  readonly radiusM: number;
}

export const DEFAULT_LIMITS: RobotLimits = {
  maxLinearMps: 0.8,
  maxAngularRadps: 1.2,
  linearAccelMps2: 0.6,
  angularAccelRadps2: 2.0,
  brakeDecelMps2: 2.5,
  radiusM: 0.3,
};

const PERSON_RADIUS_M = 0.25;
const MAX_KEPT_EVENTS = 200_000;
/** The tracker's confidence in someone it sees now: ROS4HRI's 1, at or above SEEN_NOW_FROM_CONFIDENCE. */
const SEEN_CONFIDENCE = 1;
/**
 * The confidence in a remembered place the moment the person goes out of sight: below
 * SEEN_NOW_FROM_CONFIDENCE, so a memory is never taken for a sighting.
 */
const REMEMBERED_CONFIDENCE = 0.9;
/** How long the tracker keeps someone it no longer sees, their confidence falling from REMEMBERED_CONFIDENCE to 0. */
const TRACK_MEMORY_S = 3;
/** How often the line of sight to a person (walls, other people's bodies) is looked at again. */
const SIGHT_RECHECK_S = 0.5;
/** Someone this close is seen whatever stands around: no wall or body fits between them and the robot. */
const ALWAYS_SEEN_WITHIN_M = 1;
const ARRIVE_TOLERANCE_M = 0.2;
const WAYPOINT_TOLERANCE_M = 0.25;
/** How long the robot waits for a person in its way before planning around them. */
const WAIT_FOR_PERSON_S = 2;
/** How long it keeps trying when no path exists before the goal fails as blocked. */
const GIVE_UP_BLOCKED_S = 30;
const REPLAN_EVERY_S = 2;
const PROGRESS_M = 0.25;
const NO_PROGRESS_S = 45;
/** When people stand on the goal, this close counts as there, after this long a wait. */
const CROWDED_GOAL_TOLERANCE_M = 1.0;
const CROWDED_GOAL_WAIT_S = 10;
/** People standing still this close are planned around, not through. */
const STILL_PEOPLE_RANGE_M = 8;
/** Allowed speed per metre of clearance to the nearest person ahead. */
const SLOWDOWN_MPS_PER_M = 0.6;
/** How far ahead the slowdown zone looks at where people are walking. */
const LOOKAHEAD_S = 0.7;
/** People move after the robot decides within a step: look one step and a bit ahead. */
const TICK_LOOKAHEAD_S = 0.2;
const BATTERY_IDLE_PCT_PER_S = 0.0015;
const BATTERY_MOVING_PCT_PER_S = 0.004;
const BATTERY_CHARGE_PCT_PER_S = 0.06;

export type AgentKind = 'walker' | 'citizen';

/** A person in the lobby. The world moves them along `route`; citizens' minds (citizens.ts) set the route. */
export interface Agent {
  readonly id: string;
  readonly kind: AgentKind;
  position: Point2D;
  speedMps: number;
  route: Point2D[];
  /** Gone through the door: no longer simulated or seen. */
  left: boolean;
}

type GoalKind = 'navigate' | 'dock' | 'undock';

interface ActiveGoal {
  readonly id: number;
  readonly kind: GoalKind;
  readonly target: Pose2D;
  readonly finish: (result: NavResult) => void;
  readonly onFeedback: ((feedback: NavFeedback) => void) | undefined;
  path: Point2D[];
  blockedSinceS: number | null;
  lastPlanS: number;
  waitingForPersonS: number;
  recoveries: number;
  bestRemainingM: number;
  lastProgressS: number;
}

/** Every fault the simulated lobby can inject. */
export const FAULT_KINDS = ['blocked_corridor', 'nav_abort', 'localization_loss', 'battery_drain', 'link_loss'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface WorldEvent {
  readonly tS: number;
  readonly kind: string;
  readonly detail: string;
}

export interface WorldStats {
  safetyViolations: number;
  replans: number;
  distanceM: number;
  goalsArrived: number;
  goalsFailed: number;
}

/**
 * What the robot's people tracker can see. The default is a lidar leg tracker: all round, 8 m. A
 * camera-based tracker sees a narrower cone ahead of the robot.
 */
export interface PeopleSensor {
  readonly rangeM: number;
  /** The whole angle of the cone, centred on the robot's heading; 2π: all round. */
  readonly fieldOfViewRad: number;
}

export const DEFAULT_PEOPLE_SENSOR: PeopleSensor = { rangeM: 8, fieldOfViewRad: 2 * Math.PI };

function checkedSensor(sensor: PeopleSensor): PeopleSensor {
  if (!(Number.isFinite(sensor.rangeM) && sensor.rangeM > 0)) throw new Error(`world: people sensor rangeM must be a positive number of metres, got ${sensor.rangeM}`);
  if (!(Number.isFinite(sensor.fieldOfViewRad) && sensor.fieldOfViewRad > 0 && sensor.fieldOfViewRad <= 2 * Math.PI)) {
    throw new Error(`world: people sensor fieldOfViewRad must be in (0, 2π], got ${sensor.fieldOfViewRad}`);
  }
  return { ...sensor };
}

export interface WorldOptions {
  readonly map: OccupancyMap;
  readonly places: readonly Place[];
  readonly planner: Planner;
  /** The planner people route with first, at the robot's clearance (so they keep out of its way); default `planner`. */
  readonly routePlanner?: Planner;
  /** The planner people fall back on where the robot's clearance leaves no way: a person's clearance; default `planner`. */
  readonly walkPlanner?: Planner;
  readonly random: Random;
  readonly limits?: RobotLimits;
  readonly startPlaceId?: string;
  readonly batteryPercent?: number;
  /** Default DEFAULT_PEOPLE_SENSOR. */
  readonly peopleSensor?: PeopleSensor;
}

function wrapAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

function distance(a: Point2D, b: Point2D): number {
  return Math.hypot(a.xM - b.xM, a.yM - b.yM);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * The simulated lobby: a differential-drive robot following planned paths, people walking,
 * faults. Everything advances only in `step`, driven by the virtual clock: no timers, no randomness
 * but the seeded generator, so a seed replays to the byte.
 */
export class World {
  readonly map: OccupancyMap;
  readonly places: readonly Place[];
  readonly planner: Planner;
  readonly routePlanner: Planner;
  readonly walkPlanner: Planner;
  readonly limits: RobotLimits;
  readonly random: Random;
  #peopleSensor: PeopleSensor;
  readonly agents = new Map<string, Agent>();
  /** Where and when the people tracker last saw each person it still keeps. */
  readonly #lastSeen = new Map<string, { readonly position: Point2D; readonly tS: number }>();
  /** Whether each person was in sight when last looked at. */
  readonly #sight = new Map<string, { readonly visible: boolean; readonly tS: number }>();
  /** The first events of the run, for reports; a week-long live run must not grow without bound. */
  readonly events: WorldEvent[] = [];
  /** Every event counted by kind, however long the run. */
  readonly eventCounts = new Map<string, number>();
  readonly stats: WorldStats = { safetyViolations: 0, replans: 0, distanceM: 0, goalsArrived: 0, goalsFailed: 0 };

  timeS = 0;
  pose: Pose2D;
  linearMps = 0;
  angularRadps = 0;
  batteryPercent: number;
  docked = false;
  latched = false;
  /** When the hold began, to tell braking from moving while held. */
  latchedAtS = 0;
  speedLimitMps: number | null = null;
  /**
   * Wheel speeds commanded from outside the navigation (a twist_mux input of higher priority than
   * the controller: teleop, or zero twists to hold still). While set, it replaces what the goal's
   * controller wants; the goal itself keeps running, as Nav2's would under twist_mux.
   */
  velocityOverride: { readonly linearMps: number; readonly angularRadps: number } | null = null;
  obstacles: { circle: Circle; untilS: number; label: string }[] = [];
  linkDownUntilS = -1;
  localizationLostUntilS = -1;

  #goal: ActiveGoal | null = null;
  #planVersion = 0;
  #nextGoalId = 1;
  #agentSeq = 0;

  constructor(options: WorldOptions) {
    this.map = options.map;
    this.places = options.places;
    this.planner = options.planner;
    this.routePlanner = options.routePlanner ?? options.planner;
    this.walkPlanner = options.walkPlanner ?? options.planner;
    this.random = options.random;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    const start = this.place(options.startPlaceId ?? this.places.find((p) => p.kind === 'home')?.id ?? '');
    if (start === undefined) throw new Error('world: no home place to start from');
    this.pose = start.pose;
    this.batteryPercent = options.batteryPercent ?? 100;
    this.#peopleSensor = checkedSensor(options.peopleSensor ?? DEFAULT_PEOPLE_SENSOR);
  }

  get peopleSensor(): PeopleSensor {
    return this.#peopleSensor;
  }

  /** Another tracker on the same robot; what was seen through the old one is looked at again. */
  set peopleSensor(sensor: PeopleSensor) {
    this.#peopleSensor = checkedSensor(sensor);
    this.#sight.clear();
  }

  place(id: string): Place | undefined {
    return this.places.find((p) => p.id === id);
  }

  log(kind: string, detail: string): void {
    this.eventCounts.set(kind, (this.eventCounts.get(kind) ?? 0) + 1);
    if (this.events.length < MAX_KEPT_EVENTS) this.events.push({ tS: Math.round(this.timeS * 10) / 10, kind, detail });
  }

  get linkUp(): boolean {
    return this.timeS >= this.linkDownUntilS;
  }

  get localized(): boolean {
    return this.timeS >= this.localizationLostUntilS;
  }

  /** Counts the plans made for goals, so a base can publish each new one (as Nav2 publishes `/plan`). */
  get planVersion(): number {
    return this.#planVersion;
  }

  get currentPath(): readonly Point2D[] {
    return this.#goal?.path ?? [];
  }

  get hasGoal(): boolean {
    return this.#goal !== null;
  }

  // ---- people -------------------------------------------------------------------------------

  addAgent(kind: AgentKind, position: Point2D, speedMps: number): Agent {
    this.#agentSeq += 1;
    const agent: Agent = { id: `${kind === 'citizen' ? 'c' : 'w'}${this.#agentSeq}`, kind, position, speedMps, route: [], left: false };
    this.agents.set(agent.id, agent);
    return agent;
  }

  removeAgent(id: string): void {
    const agent = this.agents.get(id);
    if (agent !== undefined) agent.left = true;
    this.agents.delete(id);
  }

  /** A free spot for a person to stand, or null. */
  standable(p: Point2D): boolean {
    return this.planner.segmentFree(p, p);
  }

  /** Plans a walking route for a person, around the robot; false when there is none. */
  routeAgent(agent: Agent, to: Point2D): boolean {
    const aroundRobot = distance(agent.position, this.pose) < 6 ? [{ center: { xM: this.pose.xM, yM: this.pose.yM }, radiusM: this.limits.radiusM }] : [];
    let plan = this.routePlanner.plan(agent.position, to, aroundRobot);
    if (!plan.ok && aroundRobot.length > 0) plan = this.routePlanner.plan(agent.position, to);
    // Where only a person fits (beside a pillar, close to the robot standing by a wall), they still go:
    // keeping to the robot's clearance there left followers standing still a few metres behind it.
    if (!plan.ok && this.walkPlanner !== this.planner) plan = this.walkPlanner.plan(agent.position, to, aroundRobot);
    if (!plan.ok) return false;
    agent.route = plan.path.slice(1);
    return true;
  }

  /**
   * What the robot's people tracker reports, as a ROS4HRI tracker does: everyone it sees (within
   * sensor range and field of view, no wall and no other person's body between) at their place with
   * confidence 1; someone it saw lately but no longer sees (round a corner, behind a pillar, behind
   * someone else in a crowd) at their last seen place, with a confidence that starts below the
   * seen-now mark and falls to 0 over TRACK_MEMORY_S; after that, nobody.
   */
  trackedPeople(): TrackedPerson[] {
    const seen: TrackedPerson[] = [];
    for (const agent of this.agents.values()) {
      if (this.#inView(agent) && this.#inSight(agent)) {
        this.#lastSeen.set(agent.id, { position: { ...agent.position }, tS: this.timeS });
        seen.push({ id: agent.id, position: agent.position, confidence: SEEN_CONFIDENCE });
        continue;
      }
      const last = this.#lastSeen.get(agent.id);
      if (last === undefined) continue;
      const ageS = this.timeS - last.tS;
      if (ageS >= TRACK_MEMORY_S) {
        this.#lastSeen.delete(agent.id);
        continue;
      }
      seen.push({ id: agent.id, position: last.position, confidence: REMEMBERED_CONFIDENCE * (1 - ageS / TRACK_MEMORY_S) });
    }
    // People who left the lobby are forgotten with it.
    for (const id of this.#lastSeen.keys()) if (!this.agents.has(id)) this.#lastSeen.delete(id);
    for (const id of this.#sight.keys()) if (!this.agents.has(id)) this.#sight.delete(id);
    return seen;
  }

  /** Within range and inside the field of view: looked at every time, as turning on the spot changes it at once. */
  #inView(agent: Agent): boolean {
    const dx = agent.position.xM - this.pose.xM;
    const dy = agent.position.yM - this.pose.yM;
    const { rangeM, fieldOfViewRad } = this.#peopleSensor;
    if (dx * dx + dy * dy > rangeM * rangeM) return false;
    if (fieldOfViewRad >= 2 * Math.PI) return true;
    return Math.abs(wrapAngle(Math.atan2(dy, dx) - this.pose.yawRad)) <= fieldOfViewRad / 2;
  }

  /**
   * No wall and no other person's body between the robot and the person. Looked at again every
   * SIGHT_RECHECK_S, as walking changes it slowly: the tracker runs every step, and a fresh look is a
   * grid raycast plus a pass over everyone.
   */
  #inSight(agent: Agent): boolean {
    if (distance(agent.position, this.pose) <= ALWAYS_SEEN_WITHIN_M) return true;
    const known = this.#sight.get(agent.id);
    if (known !== undefined && this.timeS - known.tS < SIGHT_RECHECK_S) return known.visible;
    const visible = this.planner.lineOfSight(this.pose, agent.position) && !this.#hiddenByBody(agent);
    this.#sight.set(agent.id, { visible, tS: this.timeS });
    return visible;
  }

  /** Someone else stands across the line from the robot to this person, in front of them: "in a crowd". */
  #hiddenByBody(agent: Agent): boolean {
    const dx = agent.position.xM - this.pose.xM;
    const dy = agent.position.yM - this.pose.yM;
    const lengthM = Math.hypot(dx, dy);
    const ux = dx / lengthM;
    const uy = dy / lengthM;
    for (const other of this.agents.values()) {
      if (other === agent) continue;
      const ox = other.position.xM - this.pose.xM;
      const oy = other.position.yM - this.pose.yM;
      const alongM = ox * ux + oy * uy;
      // Beside the person or behind them, a body hides nothing of them.
      if (alongM <= 0 || alongM >= lengthM - PERSON_RADIUS_M) continue;
      if (Math.abs(ox * uy - oy * ux) < PERSON_RADIUS_M) return true;
    }
    return false;
  }

  // ---- goals --------------------------------------------------------------------------------

  startGoal(kind: GoalKind, target: Pose2D, onFeedback?: (feedback: NavFeedback) => void): { id: number; done: Promise<NavResult> } {
    this.#endGoal({ kind: 'canceled' });
    const id = this.#nextGoalId++;
    let finish!: (result: NavResult) => void;
    const done = new Promise<NavResult>((resolve) => {
      finish = resolve;
    });
    const refuse = (result: NavResult): { id: number; done: Promise<NavResult> } => {
      this.stats.goalsFailed += 1;
      this.log('nav.failed', result.kind === 'failed' ? `${result.reason}: ${result.detail}` : result.kind);
      finish(result);
      return { id, done };
    };
    if (this.latched) return refuse({ kind: 'failed', reason: 'stopped', detail: 'the base is held still; release it first' });
    if (!this.linkUp) return refuse({ kind: 'failed', reason: 'link_down', detail: 'no link to the base' });
    if (!this.localized) return refuse({ kind: 'failed', reason: 'localization_lost', detail: 'the robot does not know where it is' });
    if (kind === 'navigate' && this.docked) {
      return refuse({ kind: 'failed', reason: 'aborted', detail: 'the robot is on its dock; undock first' });
    }
    const goal: ActiveGoal = {
      id,
      kind,
      target,
      finish,
      onFeedback,
      path: [],
      blockedSinceS: null,
      lastPlanS: -Infinity,
      waitingForPersonS: 0,
      recoveries: 0,
      bestRemainingM: Infinity,
      lastProgressS: this.timeS,
    };
    if (kind === 'undock') {
      // Undocking is a short reverse off the charger: modelled as instant.
      this.docked = false;
      this.log('nav.undocked', '');
      finish({ kind: 'arrived' });
      return { id, done };
    }
    this.#goal = goal;
    this.log('nav.goal', `${kind} to (${target.xM.toFixed(1)}, ${target.yM.toFixed(1)})`);
    this.#plan(goal);
    return { id, done };
  }

  cancelGoal(id: number): void {
    if (this.#goal?.id === id) this.#endGoal({ kind: 'canceled' });
  }

  hold(reason: string): void {
    if (!this.latched) {
      this.latched = true;
      this.latchedAtS = this.timeS;
      this.log('base.hold', reason);
    }
    this.#endGoal({ kind: 'canceled' });
  }

  /**
   * Puts the robot at `pose` at once, standing still and off any dock, as a simulator's "set pose"
   * does. A goal in progress ends as failed: the navigation it was doing no longer applies.
   */
  teleport(pose: Pose2D): void {
    this.#endGoal({ kind: 'failed', reason: 'aborted', detail: 'the robot was placed elsewhere' });
    this.pose = { ...pose };
    this.linearMps = 0;
    this.angularRadps = 0;
    this.docked = false;
    this.log('base.teleport', `to (${pose.xM.toFixed(1)}, ${pose.yM.toFixed(1)})`);
  }

  releaseHold(): void {
    if (this.latched) this.log('base.release', '');
    this.latched = false;
  }

  #endGoal(result: NavResult): void {
    const goal = this.#goal;
    if (goal === null) return;
    this.#goal = null;
    if (result.kind === 'arrived') this.stats.goalsArrived += 1;
    if (result.kind === 'failed') {
      this.stats.goalsFailed += 1;
      this.log('nav.failed', `${result.reason}: ${result.detail}, at (${this.pose.xM.toFixed(1)}, ${this.pose.yM.toFixed(1)}) going to (${goal.target.xM.toFixed(1)}, ${goal.target.yM.toFixed(1)})`);
    }
    if (result.kind === 'canceled') this.log('nav.canceled', '');
    goal.finish(result);
  }

  /** People near the robot are obstacles too when it plans around them. */
  #blockers(withPeople: boolean, goal: Point2D | null = null): Circle[] {
    const circles = this.obstacles.map((o) => o.circle);
    for (const agent of this.agents.values()) {
      const away = distance(agent.position, this.pose);
      if (withPeople) {
        if (away < 3) circles.push({ center: agent.position, radiusM: PERSON_RADIUS_M });
        continue;
      }
      // People sitting or standing still are in the costmap, as a robot's obstacle layer sees them:
      // planning through a row of seated citizens only ends in a stand-off. Not those right beside the
      // robot (it must be able to leave) nor those at the goal (the crowded-goal rule handles them).
      const still = agent.route.length === 0;
      const nearGoal = goal !== null && distance(agent.position, goal) < CROWDED_GOAL_TOLERANCE_M + PERSON_RADIUS_M;
      if (still && away < STILL_PEOPLE_RANGE_M && away > this.limits.radiusM + PERSON_RADIUS_M + 0.3 && !nearGoal) {
        circles.push({ center: agent.position, radiusM: PERSON_RADIUS_M });
      }
    }
    return circles;
  }

  #plan(goal: ActiveGoal, aroundPeople = false): boolean {
    goal.lastPlanS = this.timeS;
    const plan = this.planner.plan(this.pose, goal.target, this.#blockers(aroundPeople, goal.target));
    if (plan.ok) {
      goal.path = plan.path.slice(1);
      this.#planVersion += 1;
      goal.blockedSinceS = null;
      return true;
    }
    // Blocked only by people or a temporary obstacle: wait and retry; they move.
    if (plan.reason === 'unreachable' || plan.reason === 'start_occupied' || this.planner.plan(this.pose, goal.target).ok) {
      goal.path = [];
      goal.blockedSinceS ??= this.timeS;
      return false;
    }
    this.#endGoal({ kind: 'failed', reason: 'unreachable', detail: plan.detail });
    return false;
  }

  // ---- faults -------------------------------------------------------------------------------

  inject(kind: FaultKind, options: { durationS?: number; at?: Point2D; radiusM?: number; percent?: number }): void {
    const durationS = options.durationS ?? 60;
    switch (kind) {
      case 'blocked_corridor': {
        const center = options.at ?? { xM: this.pose.xM, yM: this.pose.yM };
        this.obstacles.push({ circle: { center, radiusM: options.radiusM ?? 1 }, untilS: this.timeS + durationS, label: 'blocked corridor' });
        this.log('fault.blocked_corridor', `at (${center.xM.toFixed(1)}, ${center.yM.toFixed(1)}) for ${durationS} s`);
        break;
      }
      case 'nav_abort':
        this.log('fault.nav_abort', this.#goal === null ? 'no goal active' : 'current goal aborted');
        this.#endGoal({ kind: 'failed', reason: 'aborted', detail: 'the navigation server aborted the goal' });
        break;
      case 'localization_loss':
        this.localizationLostUntilS = this.timeS + durationS;
        this.log('fault.localization_loss', `for ${durationS} s`);
        this.#endGoal({ kind: 'failed', reason: 'localization_lost', detail: 'localisation lost' });
        break;
      case 'battery_drain': {
        const drop = options.percent ?? 50;
        this.batteryPercent = Math.max(0, this.batteryPercent - drop);
        this.log('fault.battery_drain', `battery fell by ${drop}%`);
        break;
      }
      case 'link_loss':
        this.linkDownUntilS = this.timeS + durationS;
        this.log('fault.link_loss', `for ${durationS} s`);
        this.#endGoal({ kind: 'failed', reason: 'link_down', detail: 'link to the base lost' });
        break;
    }
  }

  // ---- the step -----------------------------------------------------------------------------

  step(dtS: number): void {
    this.timeS += dtS;
    this.obstacles = this.obstacles.filter((o) => {
      if (o.untilS > this.timeS) return true;
      this.log('fault.cleared', o.label);
      return false;
    });
    this.#stepRobot(dtS);
    this.#stepAgents(dtS);
    this.#stepBattery(dtS);
    this.#checkSafety();
  }

  #stepRobot(dtS: number): void {
    const goal = this.#goal;
    let wantLinear = 0;
    let wantAngular = 0;
    const held = this.latched || !this.linkUp;
    if (!held && goal !== null) {
      [wantLinear, wantAngular] = this.#drive(goal, dtS);
    }
    const override = this.velocityOverride;
    if (override !== null) {
      wantLinear = override.linearMps;
      wantAngular = override.angularRadps;
    }
    if (held) {
      // Braking: the base sheds speed at its brake limit, whatever it was doing.
      const dv = this.limits.brakeDecelMps2 * dtS;
      this.linearMps = Math.sign(this.linearMps) * Math.max(0, Math.abs(this.linearMps) - dv);
      this.angularRadps = 0;
    } else {
      const maxLinear = Math.min(this.limits.maxLinearMps, this.speedLimitMps ?? Infinity);
      // The controller only drives forward; an outside command may reverse.
      wantLinear = clamp(wantLinear, override !== null ? -maxLinear : 0, maxLinear);
      wantAngular = clamp(wantAngular, -this.limits.maxAngularRadps, this.limits.maxAngularRadps);
      const slowing = override === null ? wantLinear < this.linearMps : Math.abs(wantLinear) < Math.abs(this.linearMps) || wantLinear * this.linearMps < 0;
      const dvMax = (slowing ? this.limits.brakeDecelMps2 : this.limits.linearAccelMps2) * dtS;
      this.linearMps += clamp(wantLinear - this.linearMps, -dvMax, dvMax);
      const dwMax = this.limits.angularAccelRadps2 * dtS;
      this.angularRadps += clamp(wantAngular - this.angularRadps, -dwMax, dwMax);
    }
    if (this.linearMps !== 0 || this.angularRadps !== 0) {
      const yaw = this.pose.yawRad + this.angularRadps * dtS * 0.5;
      const next: Pose2D = {
        xM: this.pose.xM + this.linearMps * Math.cos(yaw) * dtS,
        yM: this.pose.yM + this.linearMps * Math.sin(yaw) * dtS,
        yawRad: wrapAngle(this.pose.yawRad + this.angularRadps * dtS),
      };
      this.stats.distanceM += Math.abs(this.linearMps) * dtS;
      this.pose = next;
    }
  }

  /** Pure pursuit toward the next waypoint; returns the wanted (linear, angular) speeds. */
  #drive(goal: ActiveGoal, dtS: number): [number, number] {
    if (distance(this.pose, goal.target) <= ARRIVE_TOLERANCE_M) {
      if (goal.kind === 'dock') {
        this.docked = true;
        this.log('nav.docked', '');
      }
      this.#endGoal({ kind: 'arrived' });
      return [0, 0];
    }
    if (goal.path.length === 0) {
      if (goal.blockedSinceS !== null && this.#arrivedNear(goal, goal.blockedSinceS)) return [0, 0];
      if (this.timeS - goal.lastPlanS >= REPLAN_EVERY_S) {
        goal.recoveries += 1;
        this.stats.replans += 1;
        this.#plan(goal, true);
      }
      if (goal.path.length === 0) {
        if (goal.blockedSinceS !== null && this.timeS - goal.blockedSinceS >= GIVE_UP_BLOCKED_S) {
          this.#endGoal({ kind: 'failed', reason: 'blocked', detail: `no way through for ${GIVE_UP_BLOCKED_S} s` });
        }
        return [0, 0];
      }
    }
    // A new obstacle on the way ahead: plan around it now.
    const ahead = goal.path[0]!;
    if (this.obstacles.length > 0 && !this.planner.segmentFree(this.pose, ahead, this.obstacles.map((o) => o.circle))) {
      this.stats.replans += 1;
      goal.recoveries += 1;
      if (!this.#plan(goal)) return [0, 0];
    }
    let waypoint = goal.path[0]!;
    while (goal.path.length > 1 && distance(this.pose, waypoint) < WAYPOINT_TOLERANCE_M) {
      goal.path.shift();
      waypoint = goal.path[0]!;
    }
    const heading = Math.atan2(waypoint.yM - this.pose.yM, waypoint.xM - this.pose.xM);
    const error = wrapAngle(heading - this.pose.yawRad);
    const remainingM = this.#remaining(goal);
    // Nav2's progress checker: no real progress for a while means stuck, not waiting.
    if (remainingM < goal.bestRemainingM - PROGRESS_M) {
      goal.bestRemainingM = remainingM;
      goal.lastProgressS = this.timeS;
    } else if (this.#arrivedNear(goal, goal.lastProgressS)) {
      return [0, 0];
    } else if (this.timeS - goal.lastProgressS > NO_PROGRESS_S) {
      this.#endGoal({ kind: 'failed', reason: 'blocked', detail: `no progress for ${NO_PROGRESS_S} s` });
      return [0, 0];
    }
    goal.onFeedback?.({
      distanceRemainingM: remainingM,
      etaS: remainingM / Math.max(0.1, this.limits.maxLinearMps),
      recoveries: goal.recoveries,
    });
    const angular = clamp(2.0 * error, -this.limits.maxAngularRadps, this.limits.maxAngularRadps);
    // Turn on the spot when facing away; slow down for the last metres so the stop is gentle.
    let linear = Math.abs(error) > 0.9 ? 0 : this.limits.maxLinearMps * (1 - Math.abs(error) / 0.9);
    linear = Math.min(linear, Math.sqrt(2 * this.limits.linearAccelMps2 * remainingM));
    // A slowdown zone, as Nav2's collision monitor has: near people ahead, creep.
    if (linear > 0) linear = Math.min(linear, this.#slowdownSpeed(heading), this.#slowdownSpeed(this.pose.yawRad));
    if (linear > 0 && (this.#personInTheWay(heading) || this.#personInTheWay(this.pose.yawRad))) {
      goal.waitingForPersonS += dtS;
      if (goal.waitingForPersonS >= WAIT_FOR_PERSON_S) {
        goal.waitingForPersonS = 0;
        goal.recoveries += 1;
        this.stats.replans += 1;
        this.#plan(goal, true);
      }
      return [0, angular];
    }
    goal.waitingForPersonS = 0;
    return [linear, angular];
  }

  /** Someone stands on the spot: this close, after a wait, the robot has brought the citizen there. */
  #arrivedNear(goal: ActiveGoal, stuckSinceS: number): boolean {
    const awayM = distance(this.pose, goal.target);
    if (this.timeS - stuckSinceS <= CROWDED_GOAL_WAIT_S || awayM > CROWDED_GOAL_TOLERANCE_M) return false;
    this.log('nav.arrivedNear', `spot taken; stopped ${awayM.toFixed(2)} m away`);
    this.#endGoal({ kind: 'arrived' });
    return true;
  }

  #remaining(goal: ActiveGoal): number {
    let total = 0;
    let from: Point2D = this.pose;
    for (const p of goal.path) {
      total += distance(from, p);
      from = p;
    }
    return total;
  }

  /** The highest speed allowed given the nearest person in the half-plane ahead. */
  #slowdownSpeed(headingRad: number): number {
    const contactM = this.limits.radiusM + PERSON_RADIUS_M;
    const cos = Math.cos(headingRad);
    const sin = Math.sin(headingRad);
    // Someone farther than this cannot slow the robot below its top speed, wherever they walk next.
    const mattersWithinM = contactM + this.limits.maxLinearMps / SLOWDOWN_MPS_PER_M;
    let nearest = Infinity;
    for (const agent of this.agents.values()) {
      if (distance(agent.position, this.pose) - agent.speedMps * LOOKAHEAD_S > mattersWithinM) continue;
      // Where the person is and where they will be shortly: people walk into the robot's way.
      for (const p of [agent.position, this.#ahead(agent, LOOKAHEAD_S)]) {
        const dx = p.xM - this.pose.xM;
        const dy = p.yM - this.pose.yM;
        // Behind the robot: more than a right angle off its heading.
        if (dx * cos + dy * sin < 0) continue;
        nearest = Math.min(nearest, Math.hypot(dx, dy));
      }
    }
    return Math.max(0, SLOWDOWN_MPS_PER_M * (nearest - contactM));
  }

  /** A person's position `horizonS` from now along their route, as a tracker's velocity estimate would give. */
  #ahead(agent: Agent, horizonS: number): Point2D {
    const next = agent.route[0];
    if (next === undefined) return agent.position;
    const d = distance(agent.position, next);
    if (d < 1e-6) return agent.position;
    const step = Math.min(d, agent.speedMps * horizonS);
    return { xM: agent.position.xM + ((next.xM - agent.position.xM) / d) * step, yM: agent.position.yM + ((next.yM - agent.position.yM) / d) * step };
  }

  /** Someone within reach in the direction the robot is about to drive. */
  #personInTheWay(headingRad: number): boolean {
    // Stop distance: a person this close ahead, or touching-close at the side, halts the robot.
    const contactM = this.limits.radiusM + PERSON_RADIUS_M;
    const reach = this.limits.radiusM + PERSON_RADIUS_M + 0.2;
    const nearby = this.limits.radiusM + PERSON_RADIUS_M + 0.05;
    for (const agent of this.agents.values()) {
      if (distance(agent.position, this.pose) - agent.speedMps * TICK_LOOKAHEAD_S > reach) continue;
      for (const p of [agent.position, this.#ahead(agent, TICK_LOOKAHEAD_S)]) {
        const dx = p.xM - this.pose.xM;
        const dy = p.yM - this.pose.yM;
        const d = Math.hypot(dx, dy);
        if (d > reach) continue;
        const bearing = Math.abs(wrapAngle(Math.atan2(dy, dx) - headingRad));
        // Touching-close at the side blocks only someone the robot would brush driving on: a person
        // standing just beside its path (served at a counter it passes) does not hold it forever.
        const besidePathM = d * Math.sin(bearing);
        if (bearing < Math.PI / 4 || (d < nearby && bearing < (Math.PI * 5) / 9 && besidePathM < contactM + 0.03)) return true;
      }
    }
    return false;
  }

  #stepAgents(dtS: number): void {
    const personalSpaceM = this.limits.radiusM + PERSON_RADIUS_M + 0.15;
    for (const agent of this.agents.values()) {
      // People do not walk into a moving robot: they wait a moment for it to pass.
      const next = agent.route[0];
      if (next !== undefined && Math.abs(this.linearMps) > 0.01) {
        const now = distance(agent.position, this.pose);
        const d = distance(agent.position, next);
        const step = Math.min(d, agent.speedMps * dtS);
        const after = d < 1e-9 ? agent.position : { xM: agent.position.xM + ((next.xM - agent.position.xM) / d) * step, yM: agent.position.yM + ((next.yM - agent.position.yM) / d) * step };
        if (distance(after, this.pose) < personalSpaceM && distance(after, this.pose) < now) continue;
      }
      let budget = agent.speedMps * dtS;
      while (budget > 0 && agent.route.length > 0) {
        const next = agent.route[0]!;
        const d = distance(agent.position, next);
        if (d <= budget) {
          agent.position = next;
          agent.route.shift();
          budget -= d;
        } else {
          agent.position = {
            xM: agent.position.xM + ((next.xM - agent.position.xM) / d) * budget,
            yM: agent.position.yM + ((next.yM - agent.position.yM) / d) * budget,
          };
          budget = 0;
        }
      }
    }
  }

  #stepBattery(dtS: number): void {
    if (this.docked) {
      this.batteryPercent = Math.min(100, this.batteryPercent + BATTERY_CHARGE_PCT_PER_S * dtS);
      return;
    }
    const drain = BATTERY_IDLE_PCT_PER_S + (Math.abs(this.linearMps) > 0.01 ? BATTERY_MOVING_PCT_PER_S : 0);
    this.batteryPercent = Math.max(0, this.batteryPercent - drain * dtS);
  }

  /** Counts what must never happen: moving while held, touching a wall, running into a person. */
  #checkSafety(): void {
    const moving = Math.abs(this.linearMps) > 0.01;
    if (!moving) return;
    const brakingS = this.limits.maxLinearMps / this.limits.brakeDecelMps2 + 0.2;
    if (this.latched && this.timeS - this.latchedAtS > brakingS) this.#violation('moving while held still');
    for (let i = 0; i < 8; i += 1) {
      const a = (i * Math.PI) / 4;
      const edge = { xM: this.pose.xM + this.limits.radiusM * Math.cos(a), yM: this.pose.yM + this.limits.radiusM * Math.sin(a) };
      if (!isFree(this.map, edge)) {
        this.#violation('touching an obstacle');
        break;
      }
    }
    for (const agent of this.agents.values()) {
      const d = distance(agent.position, this.pose);
      if (d >= this.limits.radiusM + PERSON_RADIUS_M - 0.05) continue;
      // The robot's fault only when it drives into the person: its own speed toward them counts, not theirs.
      const bearing = wrapAngle(Math.atan2(agent.position.yM - this.pose.yM, agent.position.xM - this.pose.xM) - this.pose.yawRad);
      if (this.linearMps * Math.cos(bearing) > 0.15) {
        this.#violation(`contact with person ${agent.id} at ${this.linearMps.toFixed(2)} m/s`);
        break;
      }
    }
  }

  #violation(what: string): void {
    this.stats.safetyViolations += 1;
    this.log('safety.violation', what);
  }
}
