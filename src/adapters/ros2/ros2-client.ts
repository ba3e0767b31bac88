/**
 * The parts of rclnodejs the adapters use, typed locally: the adapters take an object of this
 * shape (the real module, or a fake in tests), never import rclnodejs themselves.
 * Checked against rclnodejs `index.js`, `types/node.d.ts`, `types/action_client.d.ts`,
 * `types/qos.d.ts` and `lib/action/client.js`.
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

/** Opaque: only handed back to `destroySubscription`. */
export type RclSubscription = object;

export interface RclNode {
  createPublisher(type: string, topic: string, options?: RclOptions): RclPublisher;
  /** The 4-argument overload; the callback gets the message as a plain object. */
  createSubscription(type: string, topic: string, options: RclOptions, callback: (message: unknown) => void): RclSubscription;
  destroySubscription(subscription: RclSubscription): void;
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
