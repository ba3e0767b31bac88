/**
 * The ROS 2 interface definitions the project's nodes exchange, transcribed from their .msg and
 * .action files, so the fake graph can refuse a field the real message does not have. rclnodejs
 * itself drops unknown fields without a word (rosidl_gen/message_translator.cjs, copyMsgObject),
 * so on a real graph a misspelt field is silently lost; here it fails the test.
 *
 * Sources: rcl_interfaces (rosgraph_msgs, action_msgs), unique_identifier_msgs, common_interfaces (std_msgs, geometry_msgs, nav_msgs, sensor_msgs), geometry2
 * (tf2_msgs), builtin_interfaces, navigation2 nav2_msgs (NavigateToPose.action, DockRobot.action,
 * UndockRobot.action, SpeedLimit.msg), hri_msgs 2.1 (IdsList.msg, LiveSpeech.msg with `locale`).
 * Where a newer release added a field (NavigateToPose `error_msg`, DockRobot/UndockRobot
 * `error_msg`) it is listed: a Jazzy build without it drops it, which is harmless.
 */

export type FieldType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'float32'
  | 'float64'
  | 'string'
  | `${string}/${string}`
  | `${string}[]`
  | `${string}[36]`
  | `${string}[16]`;

export type MessageDefinition = Readonly<Record<string, FieldType>>;

export const MESSAGES: Readonly<Record<string, MessageDefinition>> = {
  'builtin_interfaces/msg/Time': { sec: 'int32', nanosec: 'uint32' },
  'builtin_interfaces/msg/Duration': { sec: 'int32', nanosec: 'uint32' },
  'std_msgs/msg/Header': { stamp: 'builtin_interfaces/msg/Time', frame_id: 'string' },
  'std_msgs/msg/Bool': { data: 'bool' },
  'std_msgs/msg/Float32': { data: 'float32' },
  'std_msgs/msg/String': { data: 'string' },
  'rosgraph_msgs/msg/Clock': { clock: 'builtin_interfaces/msg/Time' },
  'unique_identifier_msgs/msg/UUID': { uuid: 'uint8[16]' },
  'action_msgs/msg/GoalInfo': { goal_id: 'unique_identifier_msgs/msg/UUID', stamp: 'builtin_interfaces/msg/Time' },
  'action_msgs/srv/CancelGoal_Request': { goal_info: 'action_msgs/msg/GoalInfo' },
  'std_msgs/msg/Empty': {},
  'geometry_msgs/msg/Vector3': { x: 'float64', y: 'float64', z: 'float64' },
  'geometry_msgs/msg/Point': { x: 'float64', y: 'float64', z: 'float64' },
  'geometry_msgs/msg/Quaternion': { x: 'float64', y: 'float64', z: 'float64', w: 'float64' },
  'geometry_msgs/msg/Pose': { position: 'geometry_msgs/msg/Point', orientation: 'geometry_msgs/msg/Quaternion' },
  'geometry_msgs/msg/PoseStamped': { header: 'std_msgs/msg/Header', pose: 'geometry_msgs/msg/Pose' },
  'geometry_msgs/msg/PoseWithCovariance': { pose: 'geometry_msgs/msg/Pose', covariance: 'float64[36]' },
  'geometry_msgs/msg/PoseWithCovarianceStamped': { header: 'std_msgs/msg/Header', pose: 'geometry_msgs/msg/PoseWithCovariance' },
  'geometry_msgs/msg/Twist': { linear: 'geometry_msgs/msg/Vector3', angular: 'geometry_msgs/msg/Vector3' },
  'geometry_msgs/msg/TwistWithCovariance': { twist: 'geometry_msgs/msg/Twist', covariance: 'float64[36]' },
  'geometry_msgs/msg/Transform': { translation: 'geometry_msgs/msg/Vector3', rotation: 'geometry_msgs/msg/Quaternion' },
  'geometry_msgs/msg/TransformStamped': { header: 'std_msgs/msg/Header', child_frame_id: 'string', transform: 'geometry_msgs/msg/Transform' },
  'tf2_msgs/msg/TFMessage': { transforms: 'geometry_msgs/msg/TransformStamped[]' },
  'nav_msgs/msg/Odometry': {
    header: 'std_msgs/msg/Header',
    child_frame_id: 'string',
    pose: 'geometry_msgs/msg/PoseWithCovariance',
    twist: 'geometry_msgs/msg/TwistWithCovariance',
  },
  'nav_msgs/msg/Path': { header: 'std_msgs/msg/Header', poses: 'geometry_msgs/msg/PoseStamped[]' },
  'nav_msgs/msg/MapMetaData': {
    map_load_time: 'builtin_interfaces/msg/Time',
    resolution: 'float32',
    width: 'uint32',
    height: 'uint32',
    origin: 'geometry_msgs/msg/Pose',
  },
  'nav_msgs/msg/OccupancyGrid': { header: 'std_msgs/msg/Header', info: 'nav_msgs/msg/MapMetaData', data: 'int8[]' },
  'sensor_msgs/msg/BatteryState': {
    header: 'std_msgs/msg/Header',
    voltage: 'float32',
    temperature: 'float32',
    current: 'float32',
    charge: 'float32',
    capacity: 'float32',
    design_capacity: 'float32',
    percentage: 'float32',
    power_supply_status: 'uint8',
    power_supply_health: 'uint8',
    power_supply_technology: 'uint8',
    present: 'bool',
    cell_voltage: 'float32[]',
    cell_temperature: 'float32[]',
    location: 'string',
    serial_number: 'string',
  },
  'nav2_msgs/msg/SpeedLimit': { header: 'std_msgs/msg/Header', percentage: 'bool', speed_limit: 'float64' },
  'hri_msgs/msg/IdsList': { header: 'std_msgs/msg/Header', ids: 'string[]' },
  'hri_msgs/msg/LiveSpeech': { header: 'std_msgs/msg/Header', incremental: 'string', final: 'string', confidence: 'float64', locale: 'string' },
};

export interface ActionDefinition {
  readonly goal: MessageDefinition;
  /** Per distro where they differ: Humble's NavigateToPose result is one `std_msgs/Empty` field. */
  readonly result: MessageDefinition;
  readonly humbleResult?: MessageDefinition;
  readonly feedback: MessageDefinition;
}

export const ACTIONS: Readonly<Record<string, ActionDefinition>> = {
  'nav2_msgs/action/NavigateToPose': {
    goal: { pose: 'geometry_msgs/msg/PoseStamped', behavior_tree: 'string' },
    result: { error_code: 'uint16', error_msg: 'string' },
    humbleResult: { result: 'std_msgs/msg/Empty' },
    feedback: {
      current_pose: 'geometry_msgs/msg/PoseStamped',
      navigation_time: 'builtin_interfaces/msg/Duration',
      estimated_time_remaining: 'builtin_interfaces/msg/Duration',
      number_of_recoveries: 'int16',
      distance_remaining: 'float32',
    },
  },
  'nav2_msgs/action/DockRobot': {
    goal: {
      use_dock_id: 'bool',
      dock_id: 'string',
      dock_pose: 'geometry_msgs/msg/PoseStamped',
      dock_type: 'string',
      max_staging_time: 'float32',
      navigate_to_staging_pose: 'bool',
    },
    result: { success: 'bool', error_code: 'uint16', num_retries: 'uint16', error_msg: 'string' },
    feedback: { state: 'uint16', docking_time: 'builtin_interfaces/msg/Duration', num_retries: 'uint16' },
  },
  'nav2_msgs/action/UndockRobot': {
    goal: { dock_type: 'string', max_undocking_time: 'float32' },
    result: { success: 'bool', error_code: 'uint16', error_msg: 'string' },
    feedback: {},
  },
};

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * Checks a plain-object message against a definition the way the wire would: every field it sets
 * must exist and hold a value of the field's type. Fields left out take their defaults (as in
 * rclnodejs), so they are not required. Returns the problems, empty when it conforms.
 */
export function checkMessage(definition: MessageDefinition, value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path || 'message'}: not an object`];
  const problems: string[] = [];
  for (const [name, fieldValue] of Object.entries(value)) {
    const at = path === '' ? name : `${path}.${name}`;
    const type = definition[name];
    if (type === undefined) {
      problems.push(`${at}: no such field`);
      continue;
    }
    problems.push(...checkField(type, fieldValue, at));
  }
  return problems;
}

function checkField(type: FieldType, value: unknown, at: string): string[] {
  const fixed = /^(.*)\[(\d+)\]$/.exec(type);
  if (type.endsWith('[]') || fixed !== null) {
    const element = (fixed !== null ? fixed[1] : type.slice(0, -2)) as FieldType;
    const items: unknown[] | null = Array.isArray(value) ? value : ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : null;
    if (items === null) return [`${at}: not an array`];
    if (fixed !== null && items.length !== Number(fixed[2])) return [`${at}: ${items.length} elements, the field has ${fixed[2]}`];
    return items.flatMap((item, i) => checkField(element, item, `${at}[${i}]`));
  }
  if (type === 'bool') return typeof value === 'boolean' ? [] : [`${at}: not a bool`];
  if (type === 'string') return typeof value === 'string' ? [] : [`${at}: not a string`];
  if (type === 'float32' || type === 'float64') return typeof value === 'number' ? [] : [`${at}: not a number`];
  const range = INTEGER_RANGES[type];
  if (range !== undefined) {
    return typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1] ? [] : [`${at}: not a ${type}`];
  }
  const nested = MESSAGES[type];
  if (nested === undefined) return [`${at}: unknown type ${type}`];
  return checkMessage(nested, value, at);
}
