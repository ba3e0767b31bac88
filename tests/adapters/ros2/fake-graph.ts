import type {
  RclEndpointInfo,
  RclActionClient,
  RclActionServer,
  RclGoalHandle,
  RclGraphNode,
  RclNode,
  RclnodejsGraph,
  RclOptions,
  RclPublisher,
  RclServerGoalHandle,
  RclServiceClient,
  RclSubscription,
  RclnodejsServer,
} from '../../../src/adapters/ros2/ros2-client.js';
import type { Ros2Distro } from '../../../src/adapters/ros2/ros2-config.js';
import { ACTIONS, checkMessage, MESSAGES, type MessageDefinition } from './ros-interfaces.js';

/**
 * An in-process ROS 2 graph: several fake rclnodejs modules (one per "process") whose nodes talk
 * through it. It carries what the project's client adapter and its simulated robot exchange, with
 * the rules of the real middleware that matter to them:
 *
 * - names resolve in the node's namespace (`cmd_vel` in `/robot1` is `/robot1/cmd_vel`);
 * - a message is delivered only between endpoints of the same type and compatible QoS
 *   (a best-effort publisher does not reach a reliable subscriber; a volatile publisher does not
 *   reach a transient-local one); mismatches are recorded in `incompatible`;
 * - a transient-local subscriber that joins late gets the last `depth` messages of each
 *   transient-local publisher;
 * - every message, goal, feedback and result is checked against its ROS interface definition
 *   (`ros-interfaces.ts`) and delivered as a copy, a little later (a microtask), never inside the
 *   publisher's call;
 * - actions follow rclnodejs 2.2.0 (lib/action/server.js, server_goal_handle.js, client.js): the
 *   goal callback decides accept or reject, the accepted callback (default `execute()`) starts the
 *   execute callback, whose return value is the result; goal states follow rcl_action's state
 *   machine and an invalid change throws; a cancel request is answered after the cancel callback;
 *   when the server goes away, requests in flight are never answered (as on a real graph).
 *
 * No timers: everything is carried on microtasks, so tests may run on fake timers. The only waiting
 * is `waitForServer`'s polling, with setTimeout as rclnodejs does.
 */

/** action_msgs/msg/GoalStatus */
export const GOAL_STATUS = { UNKNOWN: 0, ACCEPTED: 1, EXECUTING: 2, CANCELING: 3, SUCCEEDED: 4, CANCELED: 5, ABORTED: 6 } as const;
/** action_msgs/srv/CancelGoal response codes */
export const CANCEL_CODE = { NONE: 0, REJECTED: 1, UNKNOWN_GOAL_ID: 2, GOAL_TERMINATED: 3 } as const;
const RESPONSE = { REJECT: 1, ACCEPT: 2 } as const;

interface Qos {
  readonly depth: number;
  readonly reliable: boolean;
  readonly transientLocal: boolean;
}

const RELIABLE = 1;
const BEST_EFFORT = 2;
const TRANSIENT_LOCAL = 1;
const VOLATILE = 2;
/** rclnodejs QoS.profileDefault; the only profile name accepted here is the sensor-data one. */
const DEFAULT_QOS: Qos = { depth: 10, reliable: true, transientLocal: false };
const SENSOR_QOS: Qos = { depth: 5, reliable: false, transientLocal: false };

class FakeQoS {
  static readonly HistoryPolicy = { RMW_QOS_POLICY_HISTORY_KEEP_LAST: 1 };
  static readonly ReliabilityPolicy = { RMW_QOS_POLICY_RELIABILITY_RELIABLE: RELIABLE, RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: BEST_EFFORT };
  static readonly DurabilityPolicy = { RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: TRANSIENT_LOCAL, RMW_QOS_POLICY_DURABILITY_VOLATILE: VOLATILE };
  constructor(
    readonly history: number,
    readonly depth: number,
    readonly reliability: number,
    readonly durability: number,
  ) {}
}

function qosOf(options: RclOptions | undefined): Qos {
  const q = options?.qos;
  if (q === undefined) return DEFAULT_QOS;
  if (q === 'qos_profile_sensor_data') return SENSOR_QOS;
  if (!(q instanceof FakeQoS)) throw new Error(`fake graph: unsupported QoS ${JSON.stringify(q)}`);
  return { depth: q.depth, reliable: q.reliability === RELIABLE, transientLocal: q.durability === TRANSIENT_LOCAL };
}

/** A ROS name resolved in a namespace, as rcl does for relative and private (`~`) names. */
export function resolveName(name: string, namespace: string, nodeName: string): string {
  const ns = namespace === '' || namespace === '/' ? '' : namespace.replace(/\/+$/, '');
  if (name.startsWith('/')) return name;
  if (name.startsWith('~')) return `${ns}/${nodeName}${name.slice(1)}`;
  return `${ns}/${name}`;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}

function definitionOf(type: string): MessageDefinition {
  const definition = MESSAGES[type];
  if (definition === undefined) throw new Error(`fake graph: no interface ${type} (is the package installed?)`);
  return definition;
}

function conform(type: string, definition: MessageDefinition, message: unknown, what: string): void {
  const problems = checkMessage(definition, message);
  if (problems.length > 0) throw new Error(`fake graph: ${what} is not a valid ${type}: ${problems.join('; ')}`);
}

interface Publisher {
  readonly node: FakeNodeState;
  readonly type: string;
  readonly qos: Qos;
  /** The last `depth` messages, kept when transient-local. */
  readonly history: unknown[];
  alive: boolean;
}

interface Subscriber {
  readonly node: FakeNodeState;
  readonly type: string;
  readonly qos: Qos;
  readonly callback: (message: unknown) => void;
  alive: boolean;
}

interface Topic {
  readonly publishers: Publisher[];
  readonly subscribers: Subscriber[];
}

interface FakeNodeState {
  readonly name: string;
  readonly namespace: string;
  alive: boolean;
  readonly destroyers: (() => void)[];
}

export interface Delivery {
  readonly topic: string;
  readonly type: string;
  readonly message: unknown;
}

export class FakeGraph {
  readonly #topics = new Map<string, Topic>();
  readonly #servers = new Map<string, FakeActionServer>();
  /** Every message published, in order (the publisher's copy). */
  readonly published: Delivery[] = [];
  /** Topics whose messages are lost on the way (a hung driver, a broken link): published, never delivered. */
  readonly silenced = new Set<string>();
  /** Publisher/subscriber pairs that matched by name and type but not by QoS. */
  readonly incompatible: string[] = [];
  readonly distro: Ros2Distro;
  /** Interface packages whose messages `require` cannot load (not installed, or not sourced). */
  readonly missingPackages: ReadonlySet<string>;

  constructor(options: { distro?: Ros2Distro; missingPackages?: readonly string[] } = {}) {
    this.distro = options.distro ?? 'jazzy';
    this.missingPackages = new Set(options.missingPackages ?? []);
  }

  // ---- the graph as a node queries it (rcl_get_topic_names_and_types, rcl_get_publishers_info_by_topic) --

  /** Every topic with a live endpoint, with its types; an action server's hidden status and feedback topics too. */
  topicNamesAndTypes(): { name: string; types: string[] }[] {
    const found = new Map<string, Set<string>>();
    const add = (name: string, type: string): void => void (found.get(name) ?? found.set(name, new Set()).get(name)!).add(type);
    for (const [name, topic] of this.#topics) {
      for (const e of [...topic.publishers, ...topic.subscribers]) if (e.alive && e.node.alive) add(name, e.type);
    }
    for (const server of this.#servers.values()) {
      if (!server.alive || !server.node.alive) continue;
      add(`${server.name}/_action/status`, 'action_msgs/msg/GoalStatusArray');
      add(`${server.name}/_action/feedback`, `${server.type}_FeedbackMessage`);
    }
    return [...found].map(([name, types]) => ({ name, types: [...types] }));
  }

  endpointsOf(name: string, kind: 'publishers' | 'subscribers'): RclEndpointInfo[] {
    const info = (node: FakeNodeState, type: string): RclEndpointInfo => ({ node_name: node.name, node_namespace: node.namespace === '' ? '/' : node.namespace, topic_type: type });
    const hidden = /^(.*)\/_action\/(status|feedback)$/.exec(name);
    if (hidden !== null) {
      const server = this.#servers.get(hidden[1]!);
      if (kind === 'subscribers' || server === undefined || !server.alive || !server.node.alive) return [];
      return [info(server.node, hidden[2] === 'status' ? 'action_msgs/msg/GoalStatusArray' : `${server.type}_FeedbackMessage`)];
    }
    const topic = this.#topics.get(name);
    if (topic === undefined) return [];
    return topic[kind].filter((e) => e.alive && e.node.alive).map((e) => info(e.node, e.type));
  }

  /** A fresh rclnodejs-shaped module on this graph: one per process that would load rclnodejs. */
  module(): FakeRclModule {
    return new FakeRclModule(this);
  }

  publishedOn(topic: string): unknown[] {
    return this.published.filter((d) => d.topic === topic).map((d) => d.message);
  }

  subscriberCount(topic: string): number {
    return this.#topic(topic).subscribers.filter((s) => s.alive).length;
  }

  hasActionServer(name: string): boolean {
    return this.#servers.get(name)?.alive === true;
  }

  // ---- topics (used by the module's nodes) ----------------------------------------------------

  #topic(name: string): Topic {
    let topic = this.#topics.get(name);
    if (topic === undefined) {
      topic = { publishers: [], subscribers: [] };
      this.#topics.set(name, topic);
    }
    return topic;
  }

  #checkType(name: string, type: string): void {
    const topic = this.#topic(name);
    const other = [...topic.publishers, ...topic.subscribers].find((e) => e.alive && e.type !== type);
    if (other !== undefined) throw new Error(`fake graph: ${name} is ${other.type} elsewhere, not ${type}`);
  }

  #compatible(name: string, pub: Publisher, sub: Subscriber): boolean {
    const ok = (pub.qos.reliable || !sub.qos.reliable) && (pub.qos.transientLocal || !sub.qos.transientLocal);
    if (!ok) {
      const entry = `${name}: ${pub.node.name} offers ${describe(pub.qos)}, ${sub.node.name} requests ${describe(sub.qos)}`;
      if (!this.incompatible.includes(entry)) this.incompatible.push(entry);
    }
    return ok;
  }

  addPublisher(node: FakeNodeState, type: string, name: string, qos: Qos): Publisher {
    definitionOf(type);
    this.#checkType(name, type);
    const pub: Publisher = { node, type, qos, history: [], alive: true };
    const topic = this.#topic(name);
    topic.publishers.push(pub);
    for (const sub of topic.subscribers) if (sub.alive) this.#compatible(name, pub, sub);
    return pub;
  }

  addSubscriber(node: FakeNodeState, type: string, name: string, qos: Qos, callback: (message: unknown) => void): Subscriber {
    definitionOf(type);
    this.#checkType(name, type);
    const sub: Subscriber = { node, type, qos, callback, alive: true };
    const topic = this.#topic(name);
    topic.subscribers.push(sub);
    for (const pub of topic.publishers) {
      if (!pub.alive || !this.#compatible(name, pub, sub)) continue;
      // Late joiner: a transient-local writer hands over what it kept.
      if (pub.qos.transientLocal && sub.qos.transientLocal) {
        for (const message of pub.history.slice(-sub.qos.depth)) this.#deliver(sub, message);
      }
    }
    return sub;
  }

  publish(name: string, pub: Publisher, message: unknown): void {
    if (!pub.alive) throw new Error(`fake graph: publish on destroyed publisher ${name}`);
    conform(pub.type, definitionOf(pub.type), message, `a message on ${name}`);
    const kept = copy(message);
    this.published.push({ topic: name, type: pub.type, message: kept });
    if (pub.qos.transientLocal) {
      pub.history.push(kept);
      if (pub.history.length > pub.qos.depth) pub.history.shift();
    }
    if (this.silenced.has(name)) return;
    for (const sub of this.#topic(name).subscribers) {
      if (sub.alive && this.#compatible(name, pub, sub)) this.#deliver(sub, kept);
    }
  }

  #deliver(sub: Subscriber, message: unknown): void {
    const delivered = copy(message);
    queueMicrotask(() => {
      if (sub.alive && sub.node.alive) sub.callback(delivered);
    });
  }

  // ---- actions --------------------------------------------------------------------------------

  addActionServer(server: FakeActionServer): void {
    const existing = this.#servers.get(server.name);
    if (existing?.alive) throw new Error(`fake graph: a second action server for ${server.name}`);
    this.#servers.set(server.name, server);
  }

  /** The live server of an action, whatever its type. */
  actionServerNamed(name: string): FakeActionServer | null {
    const server = this.#servers.get(name);
    return server !== undefined && server.alive ? server : null;
  }

  /** The live server for an action of this type, or null: requests to nobody are never answered. */
  actionServer(name: string, type: string): FakeActionServer | null {
    const server = this.#servers.get(name);
    return server !== undefined && server.alive && server.type === type ? server : null;
  }
}

function describe(q: Qos): string {
  return `${q.reliable ? 'reliable' : 'best_effort'}/${q.transientLocal ? 'transient_local' : 'volatile'}`;
}

// ---- the module one process sees ------------------------------------------------------------

export class FakeRclModule implements RclnodejsServer, RclnodejsGraph {
  readonly graph: FakeGraph;
  readonly log: string[] = [];
  readonly Node: RclnodejsGraph['Node'];
  readonly ActionClient: RclnodejsServer['ActionClient'];
  readonly ActionServer: RclnodejsServer['ActionServer'];
  readonly QoS: RclnodejsServer['QoS'] = FakeQoS;
  readonly GoalResponse = RESPONSE;
  readonly CancelResponse = RESPONSE;
  readonly #nodes: FakeNodeState[] = [];
  #initialized = false;

  constructor(graph: FakeGraph) {
    this.graph = graph;
    const module = this;

    this.Node = class implements RclGraphNode {
      readonly state: FakeNodeState;
      #spinning = false;
      constructor(name: string, namespace = '') {
        if (!module.#initialized) throw new Error('fake rclnodejs: init() first');
        this.state = { name, namespace, alive: true, destroyers: [] };
        module.#nodes.push(this.state);
      }
      #resolve(name: string): string {
        return resolveName(name, this.state.namespace, this.state.name);
      }
      createPublisher(type: string, topic: string, options?: RclOptions): RclPublisher {
        const name = this.#resolve(topic);
        const pub = graph.addPublisher(this.state, type, name, qosOf(options));
        this.state.destroyers.push(() => (pub.alive = false));
        return { publish: (message: object) => graph.publish(name, pub, message) };
      }
      createSubscription(type: string, topic: string, options: RclOptions, callback: (message: unknown) => void): RclSubscription {
        const sub = graph.addSubscriber(this.state, type, this.#resolve(topic), qosOf(options), callback);
        this.state.destroyers.push(() => (sub.alive = false));
        return sub;
      }
      destroySubscription(subscription: RclSubscription): void {
        (subscription as Subscriber).alive = false;
      }
      spin(): void {
        if (this.#spinning) throw new Error('The node is already spinning.');
        this.#spinning = true;
      }
      destroy(): void {
        if (!this.state.alive) return;
        this.state.alive = false;
        for (const destroy of this.state.destroyers) destroy();
        module.log.push(`destroy ${this.state.name}`);
      }
      get resolvedNamespace(): string {
        return this.state.namespace;
      }
      /** Only an action's `_action/cancel_goal` service is carried: what the project's nodes call. */
      createClient(type: string, service: string): RclServiceClient {
        const name = this.#resolve(service);
        const action = /^(.*)\/_action\/cancel_goal$/.exec(name)?.[1];
        if (action === undefined || type !== 'action_msgs/srv/CancelGoal') throw new Error(`fake graph: no service ${name} of type ${type}`);
        const state = this.state;
        return {
          isServiceServerAvailable: () => graph.actionServerNamed(action) !== null,
          sendRequest: (request: object, callback: (response: unknown) => void) => {
            conform(type, MESSAGES['action_msgs/srv/CancelGoal_Request']!, request, `a request to ${name}`);
            queueMicrotask(() => {
              const server = graph.actionServerNamed(action);
              if (server === null) return;
              void server.receiveCancelAll(request).then((response) => {
                if (state.alive) callback(copy(response));
              });
            });
          },
        };
      }
      getTopicNamesAndTypes(): { name: string; types: string[] }[] {
        return graph.topicNamesAndTypes();
      }
      getPublishersInfoByTopic(topic: string): RclEndpointInfo[] {
        return graph.endpointsOf(this.#resolve(topic), 'publishers');
      }
      getSubscriptionsInfoByTopic(topic: string): RclEndpointInfo[] {
        return graph.endpointsOf(this.#resolve(topic), 'subscribers');
      }
    };

    this.ActionClient = class extends FakeActionClient {
      constructor(node: RclNode, type: string, actionName: string) {
        const state = (node as unknown as { state: FakeNodeState }).state;
        super(graph, state, type, resolveName(actionName, state.namespace, state.name));
      }
    };

    this.ActionServer = class extends FakeActionServer {
      constructor(
        node: RclNode,
        type: string,
        actionName: string,
        execute: ConstructorParameters<RclnodejsServer['ActionServer']>[3],
        goalCallback?: ConstructorParameters<RclnodejsServer['ActionServer']>[4],
        handleAccepted?: ConstructorParameters<RclnodejsServer['ActionServer']>[5],
        cancelCallback?: ConstructorParameters<RclnodejsServer['ActionServer']>[6],
      ) {
        const state = (node as unknown as { state: FakeNodeState }).state;
        super(graph, state, type, resolveName(actionName, state.namespace, state.name), { execute, goalCallback, handleAccepted, cancelCallback });
        state.destroyers.push(() => this.destroy());
        graph.addActionServer(this);
      }
    };
  }

  /** rclnodejs `require`: loads a generated interface, or throws as rclnodejs does when it is not there. */
  require(name: string): unknown {
    const definition = MESSAGES[name] ?? ACTIONS[name] ?? MESSAGES[`${name}_Request`];
    if (definition === undefined || this.graph.missingPackages.has(name.split('/')[0]!)) {
      const [pkg, type, message] = name.split('/');
      throw new Error(`The message required does not exist: ${pkg}, ${type}, ${message} at /generated`);
    }
    return definition;
  }

  async init(): Promise<void> {
    this.#initialized = true;
    this.log.push('init');
  }

  removeSignalHandlers(): void {
    this.log.push('removeSignalHandlers');
  }

  /** Destroys every node this process made, as rclnodejs's context shutdown does. */
  shutdown(): void {
    for (const node of this.#nodes) {
      if (!node.alive) continue;
      node.alive = false;
      for (const destroy of node.destroyers) destroy();
    }
    this.#initialized = false;
    this.log.push('shutdown');
  }
}

// ---- actions --------------------------------------------------------------------------------

interface ServerCallbacks {
  readonly execute: (goalHandle: RclServerGoalHandle) => Promise<object> | object;
  readonly goalCallback?: ((goal: unknown) => number) | undefined;
  readonly handleAccepted?: ((goalHandle: RclServerGoalHandle) => void) | undefined;
  readonly cancelCallback?: ((goalHandle: RclServerGoalHandle) => Promise<number> | number) | undefined;
}

interface GoalOutcome {
  readonly status: number;
  readonly result: unknown;
}

let nextGoalId = 1;

export class FakeActionServer implements RclActionServer {
  readonly graph: FakeGraph;
  readonly node: FakeNodeState;
  readonly type: string;
  readonly name: string;
  readonly goals = new Map<number, FakeServerGoalHandle>();
  alive = true;
  readonly #callbacks: ServerCallbacks;

  constructor(graph: FakeGraph, node: FakeNodeState, type: string, name: string, callbacks: ServerCallbacks) {
    if (ACTIONS[type] === undefined) throw new Error(`fake graph: no action ${type}`);
    if (typeof callbacks.execute !== 'function') throw new TypeError('Invalid argument');
    this.graph = graph;
    this.node = node;
    this.type = type;
    this.name = name;
    this.#callbacks = callbacks;
  }

  get definition() {
    return ACTIONS[this.type]!;
  }

  /** Called by a client's goal request: accept or reject, answer, then the accepted callback. */
  receiveGoal(id: number, goal: unknown, client: FakeClientGoalHandle): void {
    const accepted = (this.#callbacks.goalCallback ?? (() => RESPONSE.ACCEPT))(copy(goal)) === RESPONSE.ACCEPT;
    const answer = (): void => client.answer(accepted);
    if (!accepted) {
      queueMicrotask(answer);
      return;
    }
    const handle = new FakeServerGoalHandle(this, id, copy(goal), client);
    this.goals.set(id, handle);
    queueMicrotask(answer);
    (this.#callbacks.handleAccepted ?? ((h: RclServerGoalHandle) => h.execute()))(handle);
  }

  /** rclnodejs `_executeGoal`: await the callback; a goal left active is aborted; then the result goes out. */
  async runExecute(handle: FakeServerGoalHandle, callback?: (goalHandle: RclServerGoalHandle) => unknown): Promise<void> {
    let result: unknown;
    try {
      result = await (callback ?? this.#callbacks.execute)(handle);
    } catch {
      result = {};
    }
    if (handle.isActive) handle.abort();
    const definition = this.graph.distro === 'humble' && this.definition.humbleResult !== undefined ? this.definition.humbleResult : this.definition.result;
    conform(`${this.type} result`, definition, result ?? {}, `the result of ${this.name}`);
    handle.settle({ status: handle.status, result: copy(result ?? {}) });
  }

  async receiveCancel(id: number): Promise<{ return_code: number; goals_canceling: { goal_id: number }[] }> {
    const handle = this.goals.get(id);
    if (handle === undefined) return { return_code: CANCEL_CODE.UNKNOWN_GOAL_ID, goals_canceling: [] };
    // rcl_action offers only cancelable goals (accepted or executing): one already canceling is not asked again.
    if (!cancelable(handle)) return { return_code: CANCEL_CODE.GOAL_TERMINATED, goals_canceling: [] };
    const answer = await (this.#callbacks.cancelCallback ?? (() => RESPONSE.REJECT))(handle);
    if (answer !== RESPONSE.ACCEPT || !this.alive) return { return_code: CANCEL_CODE.REJECTED, goals_canceling: [] };
    // Ended while the cancel callback was awaited. rclnodejs would try the CANCEL_GOAL event on the
    // ended goal (and fail); answered here as rcl answers a cancel for an ended goal.
    if (!cancelable(handle)) return { return_code: CANCEL_CODE.GOAL_TERMINATED, goals_canceling: [] };
    handle.requestCancel();
    return { return_code: CANCEL_CODE.NONE, goals_canceling: [{ goal_id: id }] };
  }

  /**
   * action_msgs/srv/CancelGoal with a zero goal id and a zero stamp: every active goal, each through
   * the cancel callback, as rcl_action's cancel request processing does.
   */
  async receiveCancelAll(request: object): Promise<{ return_code: number; goals_canceling: { goal_id: number }[] }> {
    const info = (request as { goal_info?: { goal_id?: { uuid?: number[] }; stamp?: { sec?: number; nanosec?: number } } }).goal_info;
    const zeroId = (info?.goal_id?.uuid ?? []).every((b) => b === 0);
    const zeroStamp = (info?.stamp?.sec ?? 0) === 0 && (info?.stamp?.nanosec ?? 0) === 0;
    if (!zeroId || !zeroStamp) throw new Error('fake graph: only cancelling every goal (zero id, zero stamp) is carried');
    const canceling: { goal_id: number }[] = [];
    for (const [id, handle] of [...this.goals]) {
      if (!cancelable(handle)) continue;
      const answer = await this.receiveCancel(id);
      canceling.push(...answer.goals_canceling);
    }
    return { return_code: canceling.length > 0 ? CANCEL_CODE.NONE : CANCEL_CODE.REJECTED, goals_canceling: canceling };
  }

  destroy(): void {
    if (!this.alive) return;
    this.alive = false;
    for (const handle of this.goals.values()) handle.destroy();
    this.goals.clear();
  }
}

const cancelable = (handle: FakeServerGoalHandle): boolean => handle.status === GOAL_STATUS.ACCEPTED || handle.status === GOAL_STATUS.EXECUTING;

const EVENTS = {
  execute: { from: [GOAL_STATUS.ACCEPTED], to: GOAL_STATUS.EXECUTING },
  cancel: { from: [GOAL_STATUS.ACCEPTED, GOAL_STATUS.EXECUTING], to: GOAL_STATUS.CANCELING },
  succeed: { from: [GOAL_STATUS.EXECUTING, GOAL_STATUS.CANCELING], to: GOAL_STATUS.SUCCEEDED },
  abort: { from: [GOAL_STATUS.EXECUTING, GOAL_STATUS.CANCELING], to: GOAL_STATUS.ABORTED },
  canceled: { from: [GOAL_STATUS.CANCELING], to: GOAL_STATUS.CANCELED },
} as const;

export class FakeServerGoalHandle implements RclServerGoalHandle {
  readonly request: unknown;
  readonly id: number;
  readonly #server: FakeActionServer;
  readonly #client: FakeClientGoalHandle;
  #status: number = GOAL_STATUS.ACCEPTED;
  #destroyed = false;
  #outcome: GoalOutcome | null = null;
  readonly #waiting: ((outcome: GoalOutcome) => void)[] = [];

  constructor(server: FakeActionServer, id: number, request: unknown, client: FakeClientGoalHandle) {
    this.#server = server;
    this.id = id;
    this.request = request;
    this.#client = client;
  }

  get status(): number {
    return this.#destroyed ? GOAL_STATUS.UNKNOWN : this.#status;
  }
  get isActive(): boolean {
    const s = this.status;
    return s === GOAL_STATUS.ACCEPTED || s === GOAL_STATUS.EXECUTING || s === GOAL_STATUS.CANCELING;
  }
  get isCancelRequested(): boolean {
    return this.status === GOAL_STATUS.CANCELING;
  }

  execute(callback?: (goalHandle: RclServerGoalHandle) => unknown): void {
    if (!this.isCancelRequested) this.#update('execute');
    void this.#server.runExecute(this, callback);
  }

  publishFeedback(feedback: object): void {
    if (this.#destroyed) return;
    conform(`${this.#server.type} feedback`, this.#server.definition.feedback, feedback, `feedback on ${this.#server.name}`);
    const delivered = copy(feedback);
    queueMicrotask(() => this.#client.feedback(delivered));
  }

  succeed(): void {
    this.#update('succeed');
  }
  abort(): void {
    this.#update('abort');
  }
  canceled(): void {
    this.#update('canceled');
  }

  requestCancel(): void {
    this.#update('cancel');
  }

  destroy(): void {
    this.#destroyed = true;
  }

  #update(event: keyof typeof EVENTS): void {
    if (this.#destroyed) return;
    const transition = EVENTS[event];
    if (!(transition.from as readonly number[]).includes(this.#status)) {
      throw new Error(`goal ${this.id} on ${this.#server.name}: event ${event} is not valid in status ${this.#status}`);
    }
    this.#status = transition.to;
    const status = this.#status;
    queueMicrotask(() => this.#client.statusUpdate(status));
  }

  settle(outcome: GoalOutcome): void {
    if (this.#destroyed || this.#outcome !== null) return;
    this.#outcome = outcome;
    for (const waiter of this.#waiting.splice(0)) waiter(outcome);
  }

  /** A result request: answered when the goal ends; never when the server goes first. */
  outcome(): Promise<GoalOutcome> {
    if (this.#outcome !== null) return Promise.resolve(this.#outcome);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

export class FakeClientGoalHandle implements RclGoalHandle {
  status: number = GOAL_STATUS.UNKNOWN;
  readonly id: number;
  readonly #client: FakeActionClient;
  readonly #onFeedback: ((feedback: unknown) => void) | undefined;
  #accepted = false;
  #resolve: ((handle: RclGoalHandle) => void) | null;

  constructor(client: FakeActionClient, id: number, onFeedback: ((feedback: unknown) => void) | undefined, resolve: (handle: RclGoalHandle) => void) {
    this.#client = client;
    this.id = id;
    this.#onFeedback = onFeedback;
    this.#resolve = resolve;
  }

  answer(accepted: boolean): void {
    this.#accepted = accepted;
    if (accepted && this.status === GOAL_STATUS.UNKNOWN) this.status = GOAL_STATUS.ACCEPTED;
    const resolve = this.#resolve;
    this.#resolve = null;
    if (this.#client.alive) resolve?.(this);
  }

  statusUpdate(status: number): void {
    if (this.#client.alive) this.status = status;
  }

  feedback(message: unknown): void {
    if (this.#client.alive) this.#onFeedback?.(message);
  }

  isAccepted(): boolean {
    return this.#accepted;
  }
  isSucceeded(): boolean {
    return this.status === GOAL_STATUS.SUCCEEDED;
  }
  isCanceled(): boolean {
    return this.status === GOAL_STATUS.CANCELED;
  }
  isAborted(): boolean {
    return this.status === GOAL_STATUS.ABORTED;
  }

  cancelGoal(): Promise<unknown> {
    return this.#client.request((server) => server.receiveCancel(this.id));
  }

  /** As rclnodejs: the status is set from the result response before the promise resolves. */
  getResult(): Promise<unknown> {
    return this.#client.request(async (server) => {
      const handle = server.goals.get(this.id);
      if (handle === undefined) return { status: GOAL_STATUS.UNKNOWN, result: {} };
      return handle.outcome();
    }).then((response) => {
      const { status, result } = response as GoalOutcome;
      this.status = status;
      return result;
    });
  }
}

export class FakeActionClient implements RclActionClient {
  readonly graph: FakeGraph;
  readonly node: FakeNodeState;
  readonly type: string;
  readonly name: string;
  #destroyed = false;

  constructor(graph: FakeGraph, node: FakeNodeState, type: string, name: string) {
    if (ACTIONS[type] === undefined) throw new Error(`fake graph: no action ${type}`);
    this.graph = graph;
    this.node = node;
    this.type = type;
    this.name = name;
    node.destroyers.push(() => this.destroy());
  }

  get alive(): boolean {
    return !this.#destroyed && this.node.alive;
  }

  isActionServerAvailable(): boolean {
    return this.graph.actionServer(this.name, this.type) !== null;
  }

  /** rclnodejs's polling loop: doubling waits up to 1 s, until the deadline. */
  async waitForServer(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let waitMs = 5;
    let available = this.isActionServerAvailable();
    while (!available && Date.now() < deadline) {
      waitMs = Math.min(waitMs * 2, 1000, deadline - Date.now());
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      available = this.isActionServerAvailable();
    }
    return available;
  }

  sendGoal(goal: object, feedbackCallback?: (feedback: unknown) => void): Promise<RclGoalHandle> {
    conform(`${this.type} goal`, ACTIONS[this.type]!.goal, goal, `a goal for ${this.name}`);
    const id = nextGoalId++;
    const sent = copy(goal);
    return new Promise((resolve) => {
      const handle = new FakeClientGoalHandle(this, id, feedbackCallback, resolve);
      queueMicrotask(() => {
        // Nobody serves the action: the request is lost and never answered.
        this.graph.actionServer(this.name, this.type)?.receiveGoal(id, sent, handle);
      });
    });
  }

  /** A service request to the server: answered later, or never when there is no server. */
  request<T>(ask: (server: FakeActionServer) => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      queueMicrotask(() => {
        const server = this.graph.actionServer(this.name, this.type);
        if (server === null) return;
        ask(server).then(
          (answer) => {
            if (this.alive) resolve(copy(answer));
          },
          (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
        );
      });
    });
  }

  destroy(): void {
    this.#destroyed = true;
  }
}
