import { normalizeAngle, yawFromQuaternion } from '../../src/adapters/ros2/ros2-geometry.js';
import type { Pose2D } from '../../src/ports/common.js';

/**
 * What the simulated robot reads from the graph, checked before it moves anything: anyone on the
 * graph can publish, so a message is used only when every number it needs is finite.
 */

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const field = (v: unknown, name: string): unknown => (isObject(v) ? v[name] : undefined);

/**
 * rclnodejs hands a server the goal as a message object with `toPlainObject()` (server.js keeps
 * `request.goal` itself on the goal handle); subscriptions already get plain objects.
 */
export function plainOf(message: unknown): unknown {
  const toPlain = field(message, 'toPlainObject');
  return typeof toPlain === 'function' ? (toPlain as (this: unknown) => unknown).call(message) : message;
}

/** geometry_msgs/Pose → planar pose; null unless position x, y and a non-zero quaternion are finite. */
export function planarPose(pose: unknown): Pose2D | null {
  const position = field(pose, 'position');
  const q = field(pose, 'orientation');
  const [x, y] = [field(position, 'x'), field(position, 'y')];
  const [qx, qy, qz, qw] = [field(q, 'x'), field(q, 'y'), field(q, 'z'), field(q, 'w')];
  if (!finite(x) || !finite(y) || !finite(qx) || !finite(qy) || !finite(qz) || !finite(qw)) return null;
  if (qx * qx + qy * qy + qz * qz + qw * qw < 1e-6) return null;
  return { xM: x, yM: y, yawRad: normalizeAngle(yawFromQuaternion({ x: qx, y: qy, z: qz, w: qw })) };
}

/** The frame a stamped message is in, without tf1's leading slash. */
export function frameOf(stamped: unknown): string | null {
  const id = field(field(stamped, 'header'), 'frame_id');
  return typeof id === 'string' ? id.replace(/^\/+/, '') : null;
}

/** A PoseStamped (goals) in the given frame; '' counts as that frame, as Nav2's default. */
export function poseStampedIn(stamped: unknown, frame: string): Pose2D | null {
  const at = frameOf(stamped);
  if (at === null || (at !== '' && at !== frame)) return null;
  return planarPose(field(stamped, 'pose'));
}

/** A PoseWithCovarianceStamped (initialpose) in the given frame. */
export function poseWithCovarianceIn(stamped: unknown, frame: string): Pose2D | null {
  const at = frameOf(stamped);
  if (at === null || (at !== '' && at !== frame)) return null;
  return planarPose(field(field(stamped, 'pose'), 'pose'));
}

/** geometry_msgs/Twist → the planar part a differential drive can follow. */
export function planarTwist(twist: unknown): { linearMps: number; angularRadps: number } | null {
  const linear = field(field(twist, 'linear'), 'x');
  const angular = field(field(twist, 'angular'), 'z');
  return finite(linear) && finite(angular) ? { linearMps: linear, angularRadps: angular } : null;
}

export function boolData(message: unknown): boolean | null {
  const data = field(message, 'data');
  return typeof data === 'boolean' ? data : null;
}

/**
 * nav2_msgs/SpeedLimit → an absolute limit in m/s, or null for none. Nav2 reads 0 (and, as a
 * percentage, 100) as "no limit". undefined when the message is unusable.
 */
export function speedLimitOf(message: unknown, maxLinearMps: number): number | null | undefined {
  const limit = field(message, 'speed_limit');
  const percentage = field(message, 'percentage');
  if (!finite(limit) || limit < 0 || typeof percentage !== 'boolean') return undefined;
  if (limit === 0) return null;
  if (percentage) return limit >= 100 ? null : (maxLinearMps * limit) / 100;
  return limit;
}

export function stringField(message: unknown, name: string): string | null {
  const value = field(message, name);
  return typeof value === 'string' ? value : null;
}

export function boolField(message: unknown, name: string): boolean | null {
  const value = field(message, name);
  return typeof value === 'boolean' ? value : null;
}
