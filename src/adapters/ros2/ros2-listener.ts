import { LANGS, type Lang } from '../../ports/common.js';
import type { Listener, Utterance } from '../../ports/listener.js';
import { MAX_UTTERANCE_CHARS, validateUtterance } from '../text/text-listener.js';
import type { RclNode, RclSubscription, Rclnodejs } from './ros2-client.js';
import type { Ros2Config } from './ros2-config.js';
import { qosFor } from './ros2-qos.js';
import type { IdsList, LiveSpeech } from './ros2-messages.js';

export interface Ros2ListenerOptions {
  /** rclnodejs (or a fake of its shape), already `init()`ed. */
  readonly rcl: Rclnodejs;
  readonly config: Ros2Config;
  /** Runs last in `close()`, after the node is destroyed. Default `rcl.shutdown()`. */
  readonly shutdown?: () => void;
  /** Told why a transcript was dropped (partial, too long, control characters...). */
  readonly onDrop?: (reason: string, voiceId: string) => void;
}

const VOICE_ID = /^[A-Za-z0-9_]{1,64}$/;
// C0 and C1 controls other than tab, newline and carriage return: never in honest ASR output.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

/** `vi_VN`, `vi-VN`, `vi` → vi; anything not vi/en/ko → undefined (the statechart detects). */
export function langFromLocale(locale: string): Lang | undefined {
  const primary = locale.trim().toLowerCase().split(/[-_.@]/u)[0] ?? '';
  return LANGS.find((lang) => lang === primary);
}

/**
 * A `Listener` over ROS4HRI speech: final transcripts from `/humans/voices/<id>/speech`
 * (hri_msgs/LiveSpeech), voices found on `/humans/voices/tracked` plus the configured extra ids
 * (asr_vosk publishes as `anonymous_speaker`). Partial results are ignored; text is checked here,
 * before it can reach the statechart.
 */
export class Ros2Listener implements Listener {
  readonly #handlers = new Set<(utterance: Utterance) => void>();
  readonly #rcl: Rclnodejs;
  readonly #config: Ros2Config;
  readonly #node: RclNode;
  readonly #shutdown: () => void;
  readonly #onDrop: (reason: string, voiceId: string) => void;
  readonly #voices = new Map<string, RclSubscription>();
  readonly #extra: ReadonlySet<string>;
  #closed = false;

  constructor(options: Ros2ListenerOptions) {
    const { rcl, config } = options;
    this.#rcl = rcl;
    this.#config = config;
    this.#shutdown = options.shutdown ?? (() => rcl.shutdown());
    this.#onDrop = options.onDrop ?? (() => undefined);
    this.#extra = new Set(config.listener.extraVoiceIds);
    this.#node = new rcl.Node(`${config.nodeName}_listener`, config.namespace);
    this.#node.createSubscription('hri_msgs/msg/IdsList', config.topics.voicesTracked, { qos: qosFor(rcl, config.qos.humans) }, (m) =>
      this.#onVoicesTracked(m as IdsList),
    );
    for (const id of this.#extra) this.#listenTo(id);
    this.#node.spin();
  }

  subscribe(handler: (utterance: Utterance) => void): () => void {
    if (this.#closed) return () => undefined;
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#handlers.clear();
    this.#node.destroy();
    this.#shutdown();
  }

  #onVoicesTracked(msg: IdsList): void {
    const ids = new Set(msg.ids.filter((id) => VOICE_ID.test(id)));
    for (const [id, sub] of [...this.#voices]) {
      if (ids.has(id) || this.#extra.has(id)) continue;
      this.#voices.delete(id);
      this.#node.destroySubscription(sub);
    }
    for (const id of ids) this.#listenTo(id);
  }

  #listenTo(id: string): void {
    if (this.#voices.has(id) || this.#closed) return;
    const topic = `${this.#config.topics.voicesPrefix}/${id}/speech`;
    const sub = this.#node.createSubscription('hri_msgs/msg/LiveSpeech', topic, { qos: qosFor(this.#rcl, this.#config.qos.humans) }, (m) =>
      this.#onSpeech(id, m as LiveSpeech),
    );
    this.#voices.set(id, sub);
  }

  #onSpeech(voiceId: string, msg: LiveSpeech): void {
    if (this.#closed) return;
    const text = typeof msg.final === 'string' ? msg.final : '';
    if (text.trim() === '') return this.#onDrop('partial result (no final text)', voiceId);
    if (text.length > MAX_UTTERANCE_CHARS) return this.#onDrop(`${text.length} characters; at most ${MAX_UTTERANCE_CHARS}`, voiceId);
    if (CONTROL.test(text)) return this.#onDrop('control characters in the text', voiceId);
    const lang = typeof msg.locale === 'string' ? langFromLocale(msg.locale) : undefined;
    const confidence = Number.isFinite(msg.confidence) ? Math.min(1, Math.max(0, msg.confidence)) : 0;
    let utterance: Utterance;
    try {
      utterance = validateUtterance({ text, confidence, source: 'speech', ...(lang !== undefined ? { lang } : {}) });
    } catch (cause) {
      return this.#onDrop(cause instanceof Error ? cause.message : String(cause), voiceId);
    }
    for (const handler of this.#handlers) handler(utterance);
  }
}
