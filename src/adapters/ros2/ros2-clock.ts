import type { TimerClock } from '../../app/watchdog-alerts.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import type { RclNode, Rclnodejs } from './ros2-client.js';
import type { Ros2Config } from './ros2-config.js';
import { qosFor } from './ros2-qos.js';
import type { RosTime } from './ros2-messages.js';

/** The controller's time on a ROS 2 robot: timers and "now" in milliseconds since the epoch. */
export interface Ros2Time extends TimerClock {
  nowMs(): number;
  close(): void;
}

/** The wall clock: Node's timers and `Date.now`, as on a robot without simulated time. */
export const WALL_TIME: Ros2Time = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  nowMs: () => Date.now(),
  close: () => undefined,
};

export interface Ros2SimTimeOptions {
  readonly rcl: Rclnodejs;
  readonly config: Ros2Config;
  /** Told when the clock went backwards (the simulator restarted): time goes on from where it was. */
  readonly onJump?: (backMs: number) => void;
}

/**
 * ROS time from `/clock` (rosgraph_msgs/msg/Clock), as a node with `use_sim_time` has it: 0 until
 * the first message; then each message moves time on and fires the timers due on the way, in order.
 * Timers therefore keep the simulator's pace whatever its speed-up. A clock that goes backwards
 * (a simulator restarted from its start) is taken as a new origin, so the controller's own time
 * never runs backwards and no timer fires twice or is lost.
 *
 * rclnodejs's own TimeSource (use_sim_time) drives rclnodejs timers and `node.now()`; the
 * controller's timers are its own (XState's clock, the watchdogs), so they follow this instead.
 */
export class Ros2SimTime implements Ros2Time {
  readonly #virtual = new VirtualClock();
  readonly #node: RclNode;
  readonly #onJump: (backMs: number) => void;
  /** ROS time (ms) at virtual time 0; null until the first message. */
  #originMs: number | null = null;
  /** Added to each message's time after the clock went back, so this time goes on from where it was. */
  #shiftMs = 0;
  #closed = false;

  constructor(options: Ros2SimTimeOptions) {
    const { rcl, config } = options;
    this.#onJump = options.onJump ?? (() => undefined);
    this.#node = new rcl.Node(`${config.nodeName}_clock`, config.namespace);
    this.#node.createSubscription('rosgraph_msgs/msg/Clock', config.topics.clock, { qos: qosFor(rcl, config.qos.clock) }, (m) => this.#onClock(m));
    this.#node.spin();
  }

  /** Whether a clock message has arrived. */
  get started(): boolean {
    return this.#originMs !== null;
  }

  nowMs(): number {
    return (this.#originMs ?? 0) + this.#virtual.nowMs;
  }

  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown {
    return this.#virtual.setTimeout(fn, ms);
  }

  clearTimeout(id: unknown): void {
    this.#virtual.clearTimeout(id);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#node.destroy();
  }

  #onClock(message: unknown): void {
    const raw = msOf((message as { clock?: RosTime } | null)?.clock);
    if (raw === null || this.#closed) return;
    if (this.#originMs === null) {
      this.#originMs = raw - this.#virtual.nowMs;
      return;
    }
    const ms = raw + this.#shiftMs;
    const stepMs = ms - this.nowMs();
    if (stepMs >= 0) {
      this.#virtual.advance(stepMs);
      return;
    }
    // Back in time: from now on the clock's messages count from where this time is.
    this.#shiftMs -= stepMs;
    this.#onJump(-stepMs);
  }
}

function msOf(t: RosTime | undefined): number | null {
  if (t === undefined || !Number.isFinite(t.sec) || !Number.isFinite(t.nanosec)) return null;
  return t.sec * 1000 + t.nanosec / 1e6;
}

/** The time the config asks for: `/clock` with `useSimTime`, else the wall clock. */
export function ros2TimeFor(rcl: Rclnodejs, config: Ros2Config, onJump?: (backMs: number) => void): Ros2Time {
  return config.useSimTime ? new Ros2SimTime({ rcl, config, ...(onJump !== undefined ? { onJump } : {}) }) : WALL_TIME;
}
