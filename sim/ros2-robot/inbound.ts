import type { RobotSpeechMessage } from '../../src/adapters/ros2/ros2-broadcast.js';
import { normalizeAngle, yawFromQuaternion } from '../../src/adapters/ros2/ros2-geometry.js';
import { LANGS, type Pose2D } from '../../src/ports/common.js';

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

/** Longer than anything the robot says (its longest message with every slot filled). */
const MAX_SPEECH_CHARS = 2000;
const MAX_SPEECH_MS = 120_000;
const ID = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;

/** std_msgs/String with the robot's speech as JSON (src/adapters/ros2/ros2-broadcast.ts); null unless every field is sound. */
export function robotSpeechOf(message: unknown): RobotSpeechMessage | null {
  const data = field(message, 'data');
  if (typeof data !== 'string' || data.length > 4 * MAX_SPEECH_CHARS) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  const text = field(parsed, 'text');
  const lang = field(parsed, 'lang');
  const messageId = field(parsed, 'messageId');
  const slots = field(parsed, 'slots');
  const startedMs = field(parsed, 'startedMs');
  const durationMs = field(parsed, 'durationMs');
  if (typeof text !== 'string' || text.length > MAX_SPEECH_CHARS) return null;
  const language = LANGS.find((l) => l === lang);
  if (language === undefined || typeof messageId !== 'string' || !ID.test(messageId)) return null;
  if (!finite(startedMs) || !finite(durationMs) || durationMs < 0 || durationMs > MAX_SPEECH_MS) return null;
  if (!isObject(slots) || Array.isArray(slots)) return null;
  const entries = Object.entries(slots);
  if (entries.length > 16 || !entries.every(([key, value]) => ID.test(key) && typeof value === 'string' && value.length <= 128)) return null;
  return { text, lang: language, messageId, slots: Object.fromEntries(entries) as Record<string, string>, startedMs, durationMs };
}

/** std_msgs/String with an alert's name (helpRequested, personLost...); null for anything else. */
export function alertOf(message: unknown): string | null {
  const data = field(message, 'data');
  return typeof data === 'string' && ID.test(data) ? data : null;
}
