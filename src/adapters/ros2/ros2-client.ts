/**
 * The parts of rclnodejs the adapters use, typed locally: the adapters take an object of this
 * shape (the real module, or a fake in tests), never import rclnodejs themselves.
 * Checked against rclnodejs `index.js`, `types/node.d.ts`, `types/action_client.d.ts`,
 * `types/qos.d.ts` and `lib/action/client.js`; the server side (below `RclServerGoalHandle`)
 * against rclnodejs 2.2.0's `lib/action/server.js`, `lib/action/server_goal_handle.js`,
 * `lib/action/response.js`, `types/action_server.d.ts`, `lib/node.js` (createPublisher,
 * createSubscription, destroy), `lib/publisher.js` (plain objects are converted, unknown fields
 * are dropped without a word) and `rosidl_gen/message_translator.cjs`.
 */

/** A QoS object or one of rclnodejs's profile names (`qos_profile_sensor_data`...). */
export type RclQoSArg = object | string;

export interface RclQoSClass {
  new (history: number, depth: number, reliability: number, durability: number): object;
  readonly HistoryPolicy: { readonly RMW_QOS_POLICY_HISTORY_KEEP_LAST: number };
  readonly ReliabilityPolicy: {
    readonly RMW_QOS_POLICY_RELIABILITY_RELIABLE: number;
    readonly RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: number;
  };
  readonly DurabilityPolicy: {
    readonly RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: number;
    readonly RMW_QOS_POLICY_DURABILITY_VOLATILE: number;
  };
}

export interface RclOptions {
  readonly qos?: RclQoSArg;
}

export interface RclPublisher {
  publish(message: object): void;
}

/** rclnodejs `Client` (lib/client.js), as far as cancelling every goal of an action goes. */
export interface RclServiceClient {
  isServiceServerAvailable(): boolean;
  /** The callback gets the response; a request to a server that is gone is never answered. */
  sendRequest(request: object, callback: (response: unknown) => void): void;
}

/** Opaque: only handed back to `destroySubscription`. */
export type RclSubscription = object;

export interface RclNode {
  createPublisher(type: string, topic: string, options?: RclOptions): RclPublisher;
  /** The 4-argument overload; the callback gets the message as a plain object. */
  createSubscription(type: string, topic: string, options: RclOptions, callback: (message: unknown) => void): RclSubscription;
  destroySubscription(subscription: RclSubscription): void;
  createClient(type: string, service: string, options?: RclOptions): RclServiceClient;
  /** Non-blocking: hooks the node into Node's event loop. */
  spin(timeoutMs?: number): void;
  destroy(): void;
}

/** rclnodejs `ClientGoalHandle`; `getResult()` sets `status` before it resolves. */
export interface RclGoalHandle {
  isAccepted(): boolean;
  isSucceeded(): boolean;
  isCanceled(): boolean;
  isAborted(): boolean;
  readonly status: number;
  cancelGoal(): Promise<unknown>;
  getResult(): Promise<unknown>;
}

export interface RclActionClient {
  /** Polls; without a timeout it waits for ever, so always pass one (ms). */
  waitForServer(timeoutMs: number): Promise<boolean>;
  /** The feedback callback receives the Feedback message itself (`.feedback` already taken). */
  sendGoal(goal: object, feedbackCallback?: (feedback: unknown) => void): Promise<RclGoalHandle>;
  destroy(): void;
}

/**
 * rclnodejs `ServerGoalHandle` (2.2.0). `isActive`, `isCancelRequested` and `status` are getters,
 * not methods. State changes follow rcl_action's goal state machine and throw when invalid:
 * `execute()` only from ACCEPTED; `succeed()` and `abort()` from EXECUTING or CANCELING;
 * `canceled()` only from CANCELING (that is, after the cancel callback accepted a cancel request).
 */
export interface RclServerGoalHandle {
  /** The goal message; in rclnodejs a message object (it has `toPlainObject()`), in fakes a plain object. */
  readonly request: unknown;
  readonly isActive: boolean;
  readonly isCancelRequested: boolean;
  readonly status: number;
  /** ACCEPTED → EXECUTING (unless a cancel is already requested), then runs the execute callback. */
  execute(callback?: (goalHandle: RclServerGoalHandle) => unknown): void;
  publishFeedback(feedback: object): void;
  succeed(): void;
  abort(): void;
  canceled(): void;
}

/**
 * rclnodejs `GoalResponse` / `CancelResponse` (lib/action/response.js): REJECT 1, ACCEPT 2.
 * The goal callback is called synchronously and its return value compared with `===`, so it must
 * not be async; the cancel callback is awaited and may be.
 */
export interface RclGoalResponses {
  readonly REJECT: number;
  readonly ACCEPT: number;
}

/** rclnodejs `ActionServer`: the execute callback's return value is the Result message sent to clients. */
export interface RclActionServer {
  destroy(): void;
}

export type RclActionServerClass = new (
  node: RclNode,
  typeClass: string,
  actionName: string,
  executeCallback: (goalHandle: RclServerGoalHandle) => Promise<object> | object,
  /** Gets the goal as a plain object; returns GoalResponse.ACCEPT or REJECT (synchronously). */
  goalCallback?: (goal: unknown) => number,
  /** Default: `goalHandle.execute()`. */
  handleAcceptedCallback?: (goalHandle: RclServerGoalHandle) => void,
  /** Default: reject every cancel request. */
  cancelCallback?: (goalHandle: RclServerGoalHandle) => Promise<number> | number,
) => RclActionServer;

/** The rclnodejs module, as far as the adapters use it. */
export interface Rclnodejs {
  init(): Promise<void>;
  readonly Node: new (nodeName: string, namespace?: string) => RclNode;
  readonly ActionClient: new (node: RclNode, typeClass: string, actionName: string) => RclActionClient;
  readonly QoS: RclQoSClass;
  /** rclnodejs shuts every context down on SIGINT unless this is called. */
  removeSignalHandlers(): void;
  shutdown(): void;
}

/** rclnodejs's TopicEndpointInfo (types/action_endpoint_info.d.ts), as far as a check reads it. */
export interface RclEndpointInfo {
  readonly node_name: string;
  readonly node_namespace: string;
  readonly topic_type: string;
}

/** A node's view of the graph (lib/node.js): topics with their types, and who publishes and subscribes. */
export interface RclGraphNode extends RclNode {
  /** Every topic on the graph (hidden ones, like an action's `_action/status`, included). */
  getTopicNamesAndTypes(noDemangle?: boolean): { readonly name: string; readonly types: readonly string[] }[];
  /** Fully qualified or relative names (expanded in the node's namespace). */
  getPublishersInfoByTopic(topic: string, noDemangle: boolean): RclEndpointInfo[];
  getSubscriptionsInfoByTopic(topic: string, noDemangle: boolean): RclEndpointInfo[];
}

/** What `tiepdan ros2 check` needs besides the client: the graph, and whether an interface loads. */
export interface RclnodejsGraph extends Rclnodejs {
  readonly Node: new (nodeName: string, namespace?: string) => RclGraphNode;
  /** Loads a generated interface (`nav2_msgs/action/NavigateToPose`); throws when it is not there. */
  require(name: string): unknown;
}

/** What the simulated robot also needs: action servers. */
export interface RclnodejsServer extends Rclnodejs {
  readonly ActionServer: RclActionServerClass;
  readonly GoalResponse: RclGoalResponses;
  readonly CancelResponse: RclGoalResponses;
}
