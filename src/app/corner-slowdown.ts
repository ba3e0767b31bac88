import type { Point2D, Pose2D } from '../ports/common.js';

/**
 * While escorting, the robot slows where its planned path turns (round a corner, into a door): a
 * citizen a step behind loses sight of a robot that rounds a corner at walking pace. It drives at the
 * corner speed from `aheadM` before such a turn until `behindM` past it, then at the escort speed
 * again. The plan is the base's own (Nav2's `/plan`, the simulator's path), so this works wherever the
 * base publishes one; with no plan the escort speed holds.
 */
export interface CornerSlowdownOptions {
  /** A turn of at least this much counts as a corner. */
  readonly minTurnRad: number;
  readonly aheadM: number;
  readonly behindM: number;
  readonly cornerSpeedMps: number;
  readonly setSpeedLimit: (maxSpeedMps: number) => void;
}

export const DEFAULT_CORNER_SLOWDOWN = { minTurnRad: Math.PI / 4, aheadM: 1.5, behindM: 0.8, cornerSpeedMps: 0.35 } as const;

export class CornerSlowdown {
  readonly #o: CornerSlowdownOptions;
  #path: readonly Point2D[] = [];
  /** The escort's own limit while one is under way; null otherwise. */
  #escortSpeedMps: number | null = null;
  #slow = false;

  constructor(options: CornerSlowdownOptions) {
    this.#o = options;
  }

  /** An escort starts at this speed limit. */
  start(escortSpeedMps: number): void {
    this.#escortSpeedMps = escortSpeedMps;
    this.#slow = false;
  }

  /** The escort ended: nothing more is limited from here. */
  end(): void {
    this.#escortSpeedMps = null;
    this.#slow = false;
  }

  onPath(path: readonly Point2D[]): void {
    this.#path = path;
  }

  onPose(pose: Pose2D): void {
    if (this.#escortSpeedMps === null) return;
    const slow = nearCorner(this.#path, pose, this.#o);
    if (slow === this.#slow) return;
    this.#slow = slow;
    this.#o.setSpeedLimit(slow ? Math.min(this.#o.cornerSpeedMps, this.#escortSpeedMps) : this.#escortSpeedMps);
  }
}

/**
 * Whether a vertex of `path` where it turns by at least `minTurnRad` lies from `behindM` behind to
 * `aheadM` ahead of where `pose` projects onto the path, measured along it.
 */
export function nearCorner(path: readonly Point2D[], pose: Point2D, o: Pick<CornerSlowdownOptions, 'minTurnRad' | 'aheadM' | 'behindM'>): boolean {
  if (path.length < 3) return false;
  // Where along the path the robot is: its projection on the nearest segment.
  let bestD = Infinity;
  let atS = 0;
  let s = 0;
  for (let i = 1; i < path.length; i += 1) {
    const a = path[i - 1]!;
    const b = path[i]!;
    const dx = b.xM - a.xM;
    const dy = b.yM - a.yM;
    const length = Math.hypot(dx, dy);
    const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((pose.xM - a.xM) * dx + (pose.yM - a.yM) * dy) / (length * length)));
    const d = Math.hypot(pose.xM - (a.xM + t * dx), pose.yM - (a.yM + t * dy));
    if (d < bestD) {
      bestD = d;
      atS = s + t * length;
    }
    s += length;
  }
  s = 0;
  for (let i = 1; i < path.length - 1; i += 1) {
    const a = path[i - 1]!;
    const b = path[i]!;
    const c = path[i + 1]!;
    s += Math.hypot(b.xM - a.xM, b.yM - a.yM);
    if (s < atS - o.behindM) continue;
    if (s > atS + o.aheadM) return false;
    if (turn(a, b, c) >= o.minTurnRad) return true;
  }
  return false;
}

/** The change of heading at `b` going from `a` through `b` to `c`, 0..π. */
function turn(a: Point2D, b: Point2D, c: Point2D): number {
  const inRad = Math.atan2(b.yM - a.yM, b.xM - a.xM);
  const outRad = Math.atan2(c.yM - b.yM, c.xM - b.xM);
  return Math.abs(Math.atan2(Math.sin(outRad - inRad), Math.cos(outRad - inRad)));
}
