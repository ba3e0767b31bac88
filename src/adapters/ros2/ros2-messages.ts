/**
 * The ROS 2 messages the adapter reads and writes, typed here because rclnodejs generates its
 * types only on a machine with a sourced ROS 2 (`types/interfaces.d.ts` is not in its tarball).
 * Field names are the ROS ones; only the fields used are listed, plus what a publish needs.
 */

export interface RosTime {
  readonly sec: number;
  readonly nanosec: number;
}
export type RosDuration = RosTime;

export interface Header {
  readonly stamp: RosTime;
  readonly frame_id: string;
}

export interface Vector3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export interface Quaternion {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly w: number;
}

export interface Pose {
  readonly position: Vector3;
  readonly orientation: Quaternion;
}

/** geometry_msgs/msg/PoseStamped */
export interface PoseStamped {
  readonly header: Header;
  readonly pose: Pose;
}

/** geometry_msgs/msg/PoseWithCovarianceStamped (amcl_pose) */
export interface PoseWithCovarianceStamped {
  readonly header: Header;
  readonly pose: { readonly pose: Pose };
}

/** geometry_msgs/msg/Twist */
export interface Twist {
  readonly linear: Vector3;
  readonly angular: Vector3;
}

/** nav_msgs/msg/Odometry */
export interface Odometry {
  readonly header: Header;
  readonly pose: { readonly pose: Pose };
  readonly twist: { readonly twist: Twist };
}

/** sensor_msgs/msg/BatteryState; `percentage` is 0..1, NaN when unknown. */
export interface BatteryState {
  readonly percentage: number;
  readonly power_supply_status: number;
}
export const POWER_SUPPLY_STATUS_CHARGING = 1;
export const POWER_SUPPLY_STATUS_FULL = 4;

/** nav_msgs/msg/Path (Nav2 `plan`) */
export interface NavPath {
  readonly header: Header;
  readonly poses: readonly PoseStamped[];
}

/** nav2_msgs/msg/SpeedLimit: 0 means no limit. */
export interface SpeedLimit {
  readonly header: Header;
  readonly percentage: boolean;
  readonly speed_limit: number;
}

/** std_msgs/msg/Bool (a twist_mux lock) */
export interface BoolMsg {
  readonly data: boolean;
}

/** std_msgs/msg/Float32 (ROS4HRI location_confidence) */
export interface Float32Msg {
  readonly data: number;
}

/** hri_msgs/msg/IdsList */
export interface IdsList {
  readonly header?: Header;
  readonly ids: readonly string[];
}

/** hri_msgs/msg/LiveSpeech (hri_msgs 2.1+: `locale` replaced `language`). */
export interface LiveSpeech {
  readonly header?: Header;
  readonly incremental: string;
  readonly final: string;
  readonly confidence: number;
  readonly locale: string;
}

/** geometry_msgs/msg/TransformStamped */
export interface TransformStamped {
  readonly header: Header;
  readonly child_frame_id: string;
  readonly transform: { readonly translation: Vector3; readonly rotation: Quaternion };
}

/** tf2_msgs/msg/TFMessage (/tf, /tf_static) */
export interface TFMessage {
  readonly transforms: readonly TransformStamped[];
}

/** nav2_msgs/action/NavigateToPose */
export interface NavigateToPoseGoal {
  readonly pose: PoseStamped;
  readonly behavior_tree: string;
}
export interface NavigateToPoseFeedback {
  readonly distance_remaining: number;
  readonly estimated_time_remaining: RosDuration;
  readonly number_of_recoveries: number;
}
/** Humble: `{ result: std_msgs/Empty }`; Jazzy on: `error_code`, `error_msg`. */
export interface NavigateToPoseResult {
  readonly error_code?: number;
  readonly error_msg?: string;
}

/** nav2_msgs/action/DockRobot */
export interface DockRobotGoal {
  readonly use_dock_id: boolean;
  readonly dock_id: string;
  readonly dock_pose: PoseStamped;
  readonly dock_type: string;
  readonly max_staging_time: number;
  readonly navigate_to_staging_pose: boolean;
}
/** nav2_msgs/action/UndockRobot */
export interface UndockRobotGoal {
  readonly dock_type: string;
  readonly max_undocking_time: number;
}
/** DockRobot and UndockRobot results; `error_msg` is absent in older nav2_msgs. */
export interface DockingResult {
  readonly success?: boolean;
  readonly error_code?: number;
  readonly error_msg?: string;
}

export type RosMessageType =
  | 'geometry_msgs/msg/PoseWithCovarianceStamped'
  | 'geometry_msgs/msg/Twist'
  | 'nav_msgs/msg/Odometry'
  | 'nav_msgs/msg/Path'
  | 'sensor_msgs/msg/BatteryState'
  | 'nav2_msgs/msg/SpeedLimit'
  | 'std_msgs/msg/Bool'
  | 'std_msgs/msg/Float32'
  | 'hri_msgs/msg/IdsList'
  | 'hri_msgs/msg/LiveSpeech'
  | 'tf2_msgs/msg/TFMessage';

export type RosActionType = 'nav2_msgs/action/NavigateToPose' | 'nav2_msgs/action/DockRobot' | 'nav2_msgs/action/UndockRobot';
