import type { RclEndpointInfo, RclGraphNode } from './ros2-client.js';
import type { Ros2Config } from './ros2-config.js';

/**
 * What `tiepdan ros2 check` looks for on a robot's graph: every topic and action the config names,
 * who is at the other end, and the interfaces rclnodejs must be able to load. Data first (what each
 * name is for, who usually serves it), then the check itself, which only reads the graph.
 */

type TopicKey = keyof Ros2Config['topics'];
type ActionKey = keyof Ros2Config['actions'];

/** `robot`: the robot publishes and the controller listens; `controller`: the controller publishes and the robot must listen. */
export type Direction = 'robot' | 'controller';

interface TopicNeed {
  readonly key: TopicKey;
  readonly type: string;
  readonly direction: Direction;
  /** Who normally publishes it (direction robot) or listens (direction controller). */
  readonly who: string;
  /** Only when the config turns it on. */
  readonly when?: (config: Ros2Config) => boolean;
}

const TOPIC_NEEDS: readonly TopicNeed[] = [
  { key: 'amclPose', type: 'geometry_msgs/msg/PoseWithCovarianceStamped', direction: 'robot', who: 'AMCL (nav2_amcl, in the Nav2 bringup)' },
  { key: 'odom', type: 'nav_msgs/msg/Odometry', direction: 'robot', who: "the robot's base driver" },
  { key: 'battery', type: 'sensor_msgs/msg/BatteryState', direction: 'robot', who: "the robot's battery driver" },
  { key: 'plan', type: 'nav_msgs/msg/Path', direction: 'robot', who: "Nav2's planner_server" },
  { key: 'tf', type: 'tf2_msgs/msg/TFMessage', direction: 'robot', who: 'AMCL, odometry and robot_state_publisher' },
  { key: 'personsTracked', type: 'hri_msgs/msg/IdsList', direction: 'robot', who: 'ROS4HRI (hri_person_manager)' },
  { key: 'voicesTracked', type: 'hri_msgs/msg/IdsList', direction: 'robot', who: 'ROS4HRI voice tracking (for --ears ros2)' },
  { key: 'clock', type: 'rosgraph_msgs/msg/Clock', direction: 'robot', who: 'the simulator (useSimTime is set)', when: (c) => c.useSimTime },
  { key: 'cmdVel', type: 'geometry_msgs/msg/Twist', direction: 'controller', who: "the base, twist_mux or Nav2's velocity smoother" },
  { key: 'speedLimit', type: 'nav2_msgs/msg/SpeedLimit', direction: 'controller', who: "Nav2's controller_server" },
  { key: 'twistMuxLock', type: 'std_msgs/msg/Bool', direction: 'controller', who: 'twist_mux (a lock in its config)', when: (c) => c.topics.twistMuxLock !== null },
];

interface ActionNeed {
  readonly key: ActionKey;
  readonly type: string;
  readonly who: string;
}

const ACTION_NEEDS: readonly ActionNeed[] = [
  { key: 'navigateToPose', type: 'nav2_msgs/action/NavigateToPose', who: "Nav2's bt_navigator" },
  { key: 'dockRobot', type: 'nav2_msgs/action/DockRobot', who: 'opennav_docking (docking_server)' },
  { key: 'undockRobot', type: 'nav2_msgs/action/UndockRobot', who: 'opennav_docking (docking_server)' },
];

/** The interfaces the controller loads, and the Debian package of each interface package. */
export function interfacesFor(config: Ros2Config): string[] {
  const types = new Set<string>([
    ...TOPIC_NEEDS.filter((n) => n.when?.(config) ?? true).map((n) => n.type),
    ...ACTION_NEEDS.map((n) => n.type),
    'std_msgs/msg/Float32',
    'hri_msgs/msg/LiveSpeech',
    'geometry_msgs/msg/PoseWithCovarianceStamped',
    // A stop cancels every goal through each action's cancel_goal service.
    'action_msgs/srv/CancelGoal',
  ]);
  if (config.topics.robotSpeech !== null || config.topics.robotAlerts !== null) types.add('std_msgs/msg/String');
  return [...types].sort();
}

export function aptPackageOf(type: string): string {
  return `ros-$ROS_DISTRO-${(type.split('/')[0] ?? '').replace(/_/g, '-')}`;
}

export interface Endpoint {
  readonly node: string;
  readonly type: string;
}

export interface TopicCheck {
  readonly name: string;
  readonly configKey: string;
  readonly type: string;
  readonly direction: Direction;
  readonly present: boolean;
  /** The types the graph has for this name (empty when nobody uses it). */
  readonly typesOnGraph: readonly string[];
  readonly publishers: readonly Endpoint[];
  readonly subscribers: readonly Endpoint[];
  readonly fix?: string;
}

export interface ActionCheck {
  readonly name: string;
  readonly configKey: string;
  readonly type: string;
  readonly present: boolean;
  /** The node(s) serving it. */
  readonly servers: readonly string[];
  readonly fix?: string;
}

/** A name as rcl expands it in a namespace (relative names only; `~` is not used by the config). */
export function resolvedName(name: string, namespace: string): string {
  if (name.startsWith('/')) return name;
  const ns = namespace === '' || namespace === '/' ? '' : namespace.replace(/\/+$/, '');
  return `${ns}/${name}`;
}

const fullNodeName = (e: RclEndpointInfo): string => `${e.node_namespace === '/' ? '' : e.node_namespace}/${e.node_name}`;
const endpoints = (list: readonly RclEndpointInfo[]): Endpoint[] => list.map((e) => ({ node: fullNodeName(e), type: e.topic_type }));

/** The topics and actions of the config, as the graph has them now. */
export function checkGraph(node: RclGraphNode, config: Ros2Config, self: string): { topics: TopicCheck[]; actions: ActionCheck[] } {
  const onGraph = new Map(node.getTopicNamesAndTypes().map((t) => [t.name, [...t.types]]));
  const notSelf = (e: Endpoint): boolean => e.node !== self;
  const topics: TopicCheck[] = [];
  for (const need of TOPIC_NEEDS) {
    if (need.when !== undefined && !need.when(config)) continue;
    const configured = config.topics[need.key];
    if (configured === null) continue;
    const name = resolvedName(configured, config.namespace);
    const typesOnGraph = onGraph.get(name) ?? [];
    const publishers = endpoints(node.getPublishersInfoByTopic(name, false)).filter(notSelf);
    const subscribers = endpoints(node.getSubscriptionsInfoByTopic(name, false)).filter(notSelf);
    const others = need.direction === 'robot' ? publishers : subscribers;
    const rightType = others.filter((e) => e.type === need.type);
    const present = rightType.length > 0;
    let fix: string | undefined;
    if (!present) {
      const role = need.direction === 'robot' ? 'publishes' : 'subscribes to';
      const wrong = others.filter((e) => e.type !== need.type).map((e) => e.type);
      fix =
        wrong.length > 0
          ? `${name} carries ${[...new Set(wrong)].join(', ')}, not ${need.type}: name the robot's ${need.type} topic in the config (topics.${need.key})`
          : `nobody ${role} ${name} (${need.type}): start ${need.who}, or name the robot's topic in the config (topics.${need.key})`;
    }
    topics.push({ name, configKey: `topics.${need.key}`, type: need.type, direction: need.direction, present, typesOnGraph, publishers, subscribers, ...(fix !== undefined ? { fix } : {}) });
  }
  const actions: ActionCheck[] = [];
  for (const need of ACTION_NEEDS) {
    const name = resolvedName(config.actions[need.key], config.namespace);
    // An action server publishes its goals' status and feedback on these hidden topics; clients only subscribe.
    const status = endpoints(node.getPublishersInfoByTopic(`${name}/_action/status`, false)).filter(notSelf);
    const feedbackTypes = onGraph.get(`${name}/_action/feedback`) ?? [];
    const wrongType = feedbackTypes.length > 0 && !feedbackTypes.includes(`${need.type}_FeedbackMessage`);
    const present = status.length > 0 && !wrongType;
    let fix: string | undefined;
    if (!present) {
      fix = wrongType
        ? `${name} is an action of another type (${feedbackTypes.map((t) => t.replace(/_FeedbackMessage$/, '')).join(', ')}), not ${need.type}: name the robot's action in the config (actions.${need.key})`
        : `no server for ${name} (${need.type}): start ${need.who}, or name the robot's action in the config (actions.${need.key})${need.key === 'navigateToPose' ? '' : '; without docking, the robot never docks'}`;
    }
    actions.push({ name, configKey: `actions.${need.key}`, type: need.type, present, servers: [...new Set(status.map((e) => e.node))], ...(fix !== undefined ? { fix } : {}) });
  }
  return { topics, actions };
}
