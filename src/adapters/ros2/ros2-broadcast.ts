import { maskPersonalText } from '../../civic/privacy/text-mask.js';
import type { Cancellable, Lang } from '../../ports/common.js';
import type { SpeakResult, Speaker, SpeechRequest } from '../../ports/speaker.js';
import { estimateSpeechMs } from '../speech/recording-speaker.js';
import type { RclNode, RclPublisher, Rclnodejs } from './ros2-client.js';
import type { Ros2Config } from './ros2-config.js';
import { qosFor } from './ros2-qos.js';

/**
 * What the robot says, as published on `topics.robotSpeech` (std_msgs/msg/String, this as JSON):
 * for whoever else on the robot's graph wants to show or react to it (a screen, a logger, the
 * simulated lobby's citizens, who answer what they hear).
 */
export interface RobotSpeechMessage {
  /** The words, with ID numbers and learned names masked as in the log. */
  readonly text: string;
  readonly lang: Lang;
  /** The message-catalogue key, and the ids the words refer to (procedure, counter, ticket). */
  readonly messageId: string;
  readonly slots: Readonly<Record<string, string>>;
  /** When the robot started saying it, ms since the epoch on the controller's clock (ROS time with useSimTime). */
  readonly startedMs: number;
  /** How long saying it takes, estimated from its length and pace when it starts. */
  readonly durationMs: number;
}

export interface Ros2BroadcastOptions {
  /** rclnodejs (or a fake of its shape), already `init()`ed. */
  readonly rcl: Rclnodejs;
  readonly config: Ros2Config;
  /** The controller's clock, for `startedMs`. */
  readonly nowMs: () => number;
  /** Runs last in `close()`, after the node is destroyed. Default none. */
  readonly shutdown?: () => void;
}

/**
 * Publishes on the robot's graph what the robot says (`topics.robotSpeech`) and the alerts it
 * raises for operators (`topics.robotAlerts`, std_msgs/msg/String, the alert's name). Either topic
 * set to null in the config is not published. A line is published when the robot starts saying it.
 */
export class Ros2Broadcast {
  readonly #node: RclNode;
  readonly #speech: RclPublisher | null;
  readonly #alerts: RclPublisher | null;
  readonly #nowMs: () => number;
  readonly #shutdown: () => void;
  #closed = false;

  constructor(options: Ros2BroadcastOptions) {
    const { rcl, config } = options;
    this.#nowMs = options.nowMs;
    this.#shutdown = options.shutdown ?? (() => undefined);
    this.#node = new rcl.Node(`${config.nodeName}_broadcast`, config.namespace);
    const t = config.topics;
    this.#speech = t.robotSpeech === null ? null : this.#node.createPublisher('std_msgs/msg/String', t.robotSpeech, { qos: qosFor(rcl, config.qos.robotSpeech) });
    this.#alerts = t.robotAlerts === null ? null : this.#node.createPublisher('std_msgs/msg/String', t.robotAlerts, { qos: qosFor(rcl, config.qos.robotAlerts) });
    this.#node.spin();
  }

  /** `inner`, with each line published as it starts. */
  speaker(inner: Speaker): Speaker {
    return {
      speak: (request: SpeechRequest, options: Cancellable): Promise<SpeakResult> => {
        if (!options.signal.aborted) this.said(request);
        return inner.speak(request, options);
      },
    };
  }

  said(request: SpeechRequest): void {
    if (this.#speech === null || this.#closed) return;
    const message: RobotSpeechMessage = {
      text: maskPersonalText(request.text),
      lang: request.lang,
      messageId: request.messageId,
      slots: { ...request.slots },
      startedMs: this.#nowMs(),
      durationMs: estimateSpeechMs(request),
    };
    this.#speech.publish({ data: JSON.stringify(message) });
  }

  alert(kind: string): void {
    if (this.#alerts === null || this.#closed) return;
    this.#alerts.publish({ data: kind });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#node.destroy();
    this.#shutdown();
  }
}
