import type { Health } from '../src/ports/health.js';
import type { BaseEvent, NavGoal, NavOptions, NavResult, Place, RobotBase } from '../src/ports/robot-base.js';
import { LOST_BELOW_CONFIDENCE } from '../src/ports/robot-base.js';
import type { World } from './world.js';

/** Base events are published at this rate, as a ROS base would publish odometry and people. */
export const PUBLISH_PERIOD_S = 0.2;

/**
 * `RobotBase` over the simulated world. The controller sees the same port as on the robot;
 * `tick()` is called by the simulation loop after each world step.
 */
export class SimBase implements RobotBase {
  readonly robotId: string;
  readonly #world: World;
  readonly #listeners = new Set<(event: BaseEvent) => void>();
  #sincePublishS = 0;
  #lastLinkUp = true;
  #lastPlanVersion = 0;
  #closed = false;

  constructor(world: World, robotId = 'robot-1') {
    this.#world = world;
    this.robotId = robotId;
  }

  places(): readonly Place[] {
    return this.#world.places;
  }

  navigate(goal: NavGoal, options: NavOptions): Promise<NavResult> {
    if (this.#closed) return Promise.resolve({ kind: 'failed', reason: 'aborted', detail: 'the base is closed' });
    let target;
    if (goal.kind === 'place') {
      const place = this.#world.place(goal.placeId);
      if (place === undefined) {
        return Promise.resolve({ kind: 'failed', reason: 'unknown_place', detail: `no place "${goal.placeId}" in the places file` });
      }
      target = place.pose;
    } else {
      target = goal.pose;
    }
    return this.#run('navigate', target, options);
  }

  #run(kind: 'navigate' | 'dock' | 'undock', target: Place['pose'], options: NavOptions): Promise<NavResult> {
    if (options.signal.aborted) return Promise.resolve({ kind: 'canceled' });
    const { id, done } = this.#world.startGoal(kind, target, options.onFeedback);
    const onAbort = (): void => this.#world.cancelGoal(id);
    options.signal.addEventListener('abort', onAbort, { once: true });
    return done.finally(() => options.signal.removeEventListener('abort', onAbort));
  }

  async stop(reason: string): Promise<void> {
    this.#world.hold(reason);
  }

  async release(): Promise<void> {
    this.#world.releaseHold();
  }

  async setSpeedLimit(maxSpeedMps: number | null): Promise<void> {
    this.#world.speedLimitMps = maxSpeedMps;
  }

  dock(options: NavOptions): Promise<NavResult> {
    const dock = this.#world.places.find((p) => p.kind === 'dock');
    if (dock === undefined) return Promise.resolve({ kind: 'failed', reason: 'unknown_place', detail: 'no dock in the places file' });
    return this.#run('dock', dock.pose, options);
  }

  undock(options: NavOptions): Promise<NavResult> {
    return this.#run('undock', this.#world.pose, options);
  }

  subscribe(listener: (event: BaseEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  health(): Health {
    const problems = [];
    if (!this.#world.linkUp) problems.push({ id: 'link', severity: 'error' as const, message: 'no heartbeat from the base' });
    if (!this.#world.localized) problems.push({ id: 'localization', severity: 'error' as const, message: 'localisation lost' });
    return { presence: this.#closed ? 'error' : problems.length > 0 ? 'reconnecting' : 'present', problems };
  }

  async close(): Promise<void> {
    this.#world.hold('shutdown');
    this.#closed = true;
    this.#listeners.clear();
  }

  /** Publishes what a real base would: pose and people at 5 Hz, heartbeat changes at once. */
  tick(dtS: number): void {
    const world = this.#world;
    const linkUp = world.linkUp;
    if (linkUp !== this.#lastLinkUp) {
      this.#lastLinkUp = linkUp;
      this.#emit({ type: 'heartbeat', fresh: linkUp });
    }
    this.#sincePublishS += dtS;
    if (this.#sincePublishS + 1e-9 < PUBLISH_PERIOD_S || !linkUp) return;
    this.#sincePublishS = 0;
    this.#emit({ type: 'pose', pose: world.pose, linearMps: world.linearMps, angularRadps: world.angularRadps });
    if (world.planVersion !== this.#lastPlanVersion && world.hasGoal) {
      this.#lastPlanVersion = world.planVersion;
      this.#emit({ type: 'path', path: [{ xM: world.pose.xM, yM: world.pose.yM }, ...world.currentPath] });
    }
    this.#emit({ type: 'battery', battery: { percent: world.batteryPercent, charging: world.docked } });
    // Interpreted as the ROS 2 adapter interprets ROS4HRI: a person the tracker no longer trusts is lost.
    this.#emit({ type: 'people', people: world.trackedPeople().filter((p) => p.confidence >= LOST_BELOW_CONFIDENCE) });
  }

  #emit(event: BaseEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
