import { pose2DToPose, quaternionFromYaw, rosTimeFromMs } from '../../src/adapters/ros2/ros2-geometry.js';
import type { Header, Pose, PoseStamped, RosDuration, TransformStamped } from '../../src/adapters/ros2/ros2-messages.js';
import type { OccupancyMap } from '../../src/maps/map.js';
import type { Lang, Point2D, Pose2D } from '../../src/ports/common.js';

/**
 * The messages the simulated robot publishes, built with the field names of their ROS 2
 * definitions (Jazzy): nav_msgs/Odometry, OccupancyGrid, Path; sensor_msgs/BatteryState;
 * geometry_msgs/PoseWithCovarianceStamped; tf2_msgs/TFMessage; hri_msgs/IdsList, LiveSpeech;
 * std_msgs/Float32. rclnodejs drops a field the definition lacks without a word, so the test graph
 * (tests/adapters/ros2/ros-interfaces.ts) checks each one against the definition.
 */

export const header = (nowMs: number, frameId: string): Header => ({ stamp: rosTimeFromMs(nowMs), frame_id: frameId });

/** A diagonal 6×6 covariance (x, y, z, roll, pitch, yaw), row-major as ROS has it. */
export function diagonalCovariance(xy: number, yaw: number): number[] {
  const c = new Array<number>(36).fill(0);
  c[0] = xy;
  c[7] = xy;
  c[14] = 1e6; // z, roll and pitch are not estimated: large, as AMCL and diff-drive odometry give them
  c[21] = 1e6;
  c[28] = 1e6;
  c[35] = yaw;
  return c;
}

export function durationOfSeconds(seconds: number): RosDuration {
  const s = Math.max(0, Number.isFinite(seconds) ? seconds : 0);
  const sec = Math.floor(s);
  return { sec, nanosec: Math.min(999_999_999, Math.round((s - sec) * 1e9)) };
}

export function stampedPose(nowMs: number, frameId: string, pose: Pose2D): PoseStamped {
  return { header: header(nowMs, frameId), pose: pose2DToPose(pose) };
}

export function odometry(nowMs: number, odomFrame: string, baseFrame: string, pose: Pose2D, linearMps: number, angularRadps: number): object {
  return {
    header: header(nowMs, odomFrame),
    child_frame_id: baseFrame,
    pose: { pose: pose2DToPose(pose), covariance: diagonalCovariance(0.001, 0.001) },
    twist: { twist: { linear: { x: linearMps, y: 0, z: 0 }, angular: { x: 0, y: 0, z: angularRadps } }, covariance: diagonalCovariance(0.001, 0.001) },
  };
}

export function poseWithCovariance(nowMs: number, mapFrame: string, pose: Pose2D): object {
  return { header: header(nowMs, mapFrame), pose: { pose: pose2DToPose(pose), covariance: diagonalCovariance(0.0025, 0.0025) } };
}

export function transform(nowMs: number, parent: string, child: string, pose: Pose2D): TransformStamped {
  return {
    header: header(nowMs, parent),
    child_frame_id: child,
    transform: { translation: { x: pose.xM, y: pose.yM, z: 0 }, rotation: quaternionFromYaw(pose.yawRad) },
  };
}

/** sensor_msgs/BatteryState power_supply_status */
export const POWER_SUPPLY = { CHARGING: 1, DISCHARGING: 2, FULL: 4 } as const;
/** sensor_msgs/BatteryState power_supply_technology LION */
const TECHNOLOGY_LION = 2;
const HEALTH_GOOD = 1;

export function batteryState(nowMs: number, baseFrame: string, percent: number, docked: boolean): object {
  return {
    header: header(nowMs, baseFrame),
    // Unmeasured quantities are NaN, as the message definition asks.
    voltage: Number.NaN,
    temperature: Number.NaN,
    current: Number.NaN,
    charge: Number.NaN,
    capacity: Number.NaN,
    design_capacity: Number.NaN,
    percentage: Math.min(1, Math.max(0, percent / 100)),
    power_supply_status: docked ? (percent >= 99.9 ? POWER_SUPPLY.FULL : POWER_SUPPLY.CHARGING) : POWER_SUPPLY.DISCHARGING,
    power_supply_health: HEALTH_GOOD,
    power_supply_technology: TECHNOLOGY_LION,
    present: true,
    cell_voltage: [],
    cell_temperature: [],
    location: '',
    serial_number: '',
  };
}

/** nav_msgs/Path through the robot's pose and the waypoints left, each facing the next. */
export function path(nowMs: number, mapFrame: string, from: Pose2D, waypoints: readonly Point2D[]): object {
  const points: Point2D[] = [from, ...waypoints];
  const poses = points.map((p, i) => {
    const next = points[i + 1];
    const yaw = next === undefined ? (i === 0 ? from.yawRad : Math.atan2(p.yM - points[i - 1]!.yM, p.xM - points[i - 1]!.xM)) : Math.atan2(next.yM - p.yM, next.xM - p.xM);
    return stampedPose(nowMs, mapFrame, { xM: p.xM, yM: p.yM, yawRad: yaw });
  });
  return { header: header(nowMs, mapFrame), poses };
}

/** OccupancyGrid values: free 0, occupied 100. The project's maps fold unknown into occupied. */
export function occupancyGrid(nowMs: number, mapFrame: string, map: OccupancyMap): object {
  const data = new Int8Array(map.occupied.length);
  for (let i = 0; i < data.length; i += 1) data[i] = map.occupied[i] === 0 ? 0 : 100;
  const origin: Pose = pose2DToPose(map.origin);
  return {
    header: header(nowMs, mapFrame),
    info: { map_load_time: rosTimeFromMs(nowMs), resolution: map.resolutionM, width: map.width, height: map.height, origin },
    data,
  };
}

export const idsList = (nowMs: number, ids: readonly string[]): object => ({ header: header(nowMs, ''), ids: [...ids] });

const LOCALES: Readonly<Record<Lang, string>> = { vi: 'vi_VN', en: 'en_US', ko: 'ko_KR' };

/** A final ASR result, as a recogniser publishes it once the speaker stops. */
export function liveSpeech(nowMs: number, text: string, lang: Lang, confidence: number): object {
  return { header: header(nowMs, ''), incremental: '', final: text, confidence, locale: LOCALES[lang] };
}
