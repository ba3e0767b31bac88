import type { Pose2D } from '../../ports/common.js';
import type { Pose, Quaternion, RosTime, TransformStamped, Vector3 } from './ros2-messages.js';

/** Yaw (rotation about z) of a unit quaternion, in radians, -π..π. */
export function yawFromQuaternion(q: Quaternion): number {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}

export function quaternionFromYaw(yawRad: number): Quaternion {
  return { x: 0, y: 0, z: Math.sin(yawRad / 2), w: Math.cos(yawRad / 2) };
}

export function poseToPose2D(pose: Pose): Pose2D {
  return { xM: pose.position.x, yM: pose.position.y, yawRad: yawFromQuaternion(pose.orientation) };
}

export function pose2DToPose(pose: Pose2D): Pose {
  return { position: { x: pose.xM, y: pose.yM, z: 0 }, orientation: quaternionFromYaw(pose.yawRad) };
}

/** ROS time from milliseconds since the epoch. */
export function rosTimeFromMs(ms: number): RosTime {
  const sec = Math.floor(ms / 1000);
  return { sec, nanosec: Math.round((ms - sec * 1000) * 1e6) };
}

export function secondsOf(t: RosTime | undefined): number {
  return t === undefined ? Number.NaN : t.sec + t.nanosec / 1e9;
}

/** `b` expressed in `a`'s parent frame: the planar pose `a ⊕ b`. */
export function composePose2D(a: Pose2D, b: Pose2D): Pose2D {
  const c = Math.cos(a.yawRad);
  const s = Math.sin(a.yawRad);
  return { xM: a.xM + c * b.xM - s * b.yM, yM: a.yM + s * b.xM + c * b.yM, yawRad: normalizeAngle(a.yawRad + b.yawRad) };
}

/** The planar pose of `b` in `a`'s frame: `a⁻¹ ⊕ b`. */
export function relativePose2D(a: Pose2D, b: Pose2D): Pose2D {
  const c = Math.cos(a.yawRad);
  const s = Math.sin(a.yawRad);
  const dx = b.xM - a.xM;
  const dy = b.yM - a.yM;
  return { xM: c * dx + s * dy, yM: -s * dx + c * dy, yawRad: normalizeAngle(b.yawRad - a.yawRad) };
}

export function normalizeAngle(rad: number): number {
  return Math.atan2(Math.sin(rad), Math.cos(rad));
}

interface Rigid {
  readonly t: Vector3;
  readonly q: Quaternion;
}

function multiply(a: Quaternion, b: Quaternion): Quaternion {
  return {
    w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
    x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
    y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
    z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
  };
}

function rotate(q: Quaternion, v: Vector3): Vector3 {
  const r = multiply(multiply(q, { w: 0, x: v.x, y: v.y, z: v.z }), { w: q.w, x: -q.x, y: -q.y, z: -q.z });
  return { x: r.x, y: r.y, z: r.z };
}

function compose(parent: Rigid, child: Rigid): Rigid {
  const r = rotate(parent.q, child.t);
  return { t: { x: parent.t.x + r.x, y: parent.t.y + r.y, z: parent.t.z + r.z }, q: multiply(parent.q, child.q) };
}

/** Frame ids may carry a leading slash (tf1 habit); tf2 ignores it. */
const frame = (id: string): string => id.replace(/^\/+/, '');

/**
 * The latest transform per child frame from /tf and /tf_static: enough to place ROS4HRI's
 * `person_<id>` frames in the map. rclnodejs has no tf2 buffer; this keeps no history and
 * does no time interpolation (the last transform of each edge is used), which at lobby walking
 * speeds and 10+ Hz TF is centimetres.
 */
export class TfTree {
  readonly #edges = new Map<string, { parent: string; rigid: Rigid }>();
  static readonly MAX_DEPTH = 32;

  add(transforms: readonly TransformStamped[]): void {
    for (const t of transforms) {
      this.#edges.set(frame(t.child_frame_id), { parent: frame(t.header.frame_id), rigid: { t: t.transform.translation, q: t.transform.rotation } });
    }
  }

  /** The origin of `child` in `target`, walking up the tree; null when the chain is broken. */
  positionIn(target: string, child: string): Vector3 | null {
    const goal = frame(target);
    let current = frame(child);
    let acc: Rigid = { t: { x: 0, y: 0, z: 0 }, q: { x: 0, y: 0, z: 0, w: 1 } };
    for (let depth = 0; current !== goal; depth += 1) {
      const edge = this.#edges.get(current);
      if (edge === undefined || depth >= TfTree.MAX_DEPTH) return null;
      acc = compose(edge.rigid, acc);
      current = edge.parent;
    }
    return acc.t;
  }
}
