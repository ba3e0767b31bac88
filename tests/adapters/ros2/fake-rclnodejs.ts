import type { RclActionClient, RclGoalHandle, RclNode, RclOptions, RclPublisher, RclServiceClient, RclSubscription, Rclnodejs } from '../../../src/adapters/ros2/ros2-client.js';

/** action_msgs/msg/GoalStatus */
export const STATUS = { ACCEPTED: 1, EXECUTING: 2, CANCELING: 3, SUCCEEDED: 4, CANCELED: 5, ABORTED: 6 } as const;

export type ServerBehaviour = 'accept' | 'reject' | 'silent';

/** A goal as the fake server holds it: the test decides its feedback and result. */
export class FakeGoal implements RclGoalHandle {
  status: number = STATUS.ACCEPTED;
  readonly #accepted: boolean;
  readonly #log: string[];
  readonly #action: string;
  #resolve!: (result: unknown) => void;
  readonly #result = new Promise<unknown>((resolve) => (this.#resolve = resolve));
  readonly message: object;
  readonly feedbackCallback: ((feedback: unknown) => void) | undefined;
  cancelAnswer: 'answer' | 'silent' = 'answer';

  constructor(action: string, message: object, feedback: ((fb: unknown) => void) | undefined, accepted: boolean, log: string[]) {
    this.#action = action;
    this.message = message;
    this.feedbackCallback = feedback;
    this.#accepted = accepted;
    this.#log = log;
  }

  isAccepted(): boolean {
    return this.#accepted;
  }
  isSucceeded(): boolean {
    return this.status === STATUS.SUCCEEDED;
  }
  isCanceled(): boolean {
    return this.status === STATUS.CANCELED;
  }
  isAborted(): boolean {
    return this.status === STATUS.ABORTED;
  }
  cancelGoal(): Promise<unknown> {
    this.#log.push(`cancelGoal ${this.#action}`);
    this.status = STATUS.CANCELING;
    return this.cancelAnswer === 'answer' ? Promise.resolve({ return_code: 0 }) : new Promise(() => undefined);
  }
  getResult(): Promise<unknown> {
    return this.#result;
  }

  /** The server sends feedback (as rclnodejs passes it: the Feedback message itself). */
  feedback(message: object): void {
    this.feedbackCallback?.(message);
  }

  /** The server ends the goal; `getResult()` sets the status first, as rclnodejs does. */
  finish(status: number, result: object): void {
    this.status = status;
    this.#resolve(result);
  }
}

export class FakeActionClient implements RclActionClient {
  readonly type: string;
  readonly name: string;
  available = true;
  behaviour: ServerBehaviour = 'accept';
  readonly goals: FakeGoal[] = [];
  readonly #log: string[];

  constructor(type: string, name: string, log: string[]) {
    this.type = type;
    this.name = name;
    this.#log = log;
  }

  /** Answers at once when up; else after the timeout, like rclnodejs's polling loop. */
  waitForServer(timeoutMs: number): Promise<boolean> {
    if (this.available) return Promise.resolve(true);
    return new Promise((resolve) => setTimeout(() => resolve(this.available), timeoutMs));
  }

  sendGoal(goal: object, feedbackCallback?: (feedback: unknown) => void): Promise<RclGoalHandle> {
    this.#log.push(`sendGoal ${this.name}`);
    const handle = new FakeGoal(this.name, goal, feedbackCallback, this.behaviour !== 'reject', this.#log);
    this.goals.push(handle);
    if (this.behaviour === 'silent') return new Promise(() => undefined);
    return Promise.resolve(handle);
  }

  destroy(): void {}

  get last(): FakeGoal {
    const goal = this.goals.at(-1);
    if (goal === undefined) throw new Error(`no goal sent to ${this.name}`);
    return goal;
  }
}

interface Sub {
  readonly type: string;
  readonly topic: string;
  readonly qos: unknown;
  readonly callback: (message: unknown) => void;
  alive: boolean;
}

/**
 * rclnodejs as far as the adapters use it, in memory. `log` records, in order, the calls whose
 * order matters (publishes, cancels, destroy, shutdown).
 */
export class FakeRclnodejs implements Rclnodejs {
  readonly log: string[] = [];
  readonly published: { topic: string; type: string; message: object }[] = [];
  readonly subs: Sub[] = [];
  readonly actions = new Map<string, FakeActionClient>();
  readonly nodes: string[] = [];
  readonly Node: Rclnodejs['Node'];
  readonly ActionClient: Rclnodejs['ActionClient'];
  readonly QoS: Rclnodejs['QoS'];

  constructor() {
    const fake = this;
    this.QoS = class {
      static readonly HistoryPolicy = { RMW_QOS_POLICY_HISTORY_KEEP_LAST: 1 };
      static readonly ReliabilityPolicy = { RMW_QOS_POLICY_RELIABILITY_RELIABLE: 1, RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT: 2 };
      static readonly DurabilityPolicy = { RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL: 1, RMW_QOS_POLICY_DURABILITY_VOLATILE: 2 };
      constructor(
        readonly history: number,
        readonly depth: number,
        readonly reliability: number,
        readonly durability: number,
      ) {}
    };
    this.Node = class implements RclNode {
      readonly #name: string;
      constructor(name: string) {
        this.#name = name;
        fake.nodes.push(name);
      }
      createPublisher(type: string, topic: string): RclPublisher {
        return {
          publish: (message: object) => {
            fake.published.push({ topic, type, message });
            fake.log.push(`publish ${topic} ${JSON.stringify(message)}`);
          },
        };
      }
      createSubscription(type: string, topic: string, options: RclOptions, callback: (message: unknown) => void): RclSubscription {
        const sub: Sub = { type, topic, qos: options.qos, callback, alive: true };
        fake.subs.push(sub);
        return sub;
      }
      destroySubscription(subscription: RclSubscription): void {
        (subscription as Sub).alive = false;
      }
      createClient(type: string, service: string): RclServiceClient {
        return {
          isServiceServerAvailable: () => true,
          sendRequest: (request: object) => void fake.log.push(`request ${service} ${type} ${JSON.stringify(request)}`),
        };
      }
      spin(): void {
        fake.log.push(`spin ${this.#name}`);
      }
      destroy(): void {
        fake.log.push(`destroy ${this.#name}`);
        for (const sub of fake.subs) sub.alive = false;
      }
    };
    this.ActionClient = class extends FakeActionClient {
      constructor(_node: RclNode, type: string, name: string) {
        super(type, name, fake.log);
        fake.actions.set(name, this);
      }
    };
  }

  async init(): Promise<void> {
    this.log.push('init');
  }
  removeSignalHandlers(): void {
    this.log.push('removeSignalHandlers');
  }
  shutdown(): void {
    this.log.push('shutdown');
  }

  action(name: string): FakeActionClient {
    const client = this.actions.get(name);
    if (client === undefined) throw new Error(`no action client for ${name}`);
    return client;
  }

  /** Delivers a message to every live subscription on the topic; false if there is none. */
  deliver(topic: string, message: object): boolean {
    const live = this.subs.filter((s) => s.alive && s.topic === topic);
    for (const s of live) s.callback(message);
    return live.length > 0;
  }

  publishedOn(topic: string): object[] {
    return this.published.filter((p) => p.topic === topic).map((p) => p.message);
  }
}
