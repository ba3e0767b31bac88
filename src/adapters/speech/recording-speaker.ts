import type { Cancellable } from '../../ports/common.js';
import type { SpeakResult, Speaker, SpeechRequest } from '../../ports/speaker.js';

/** The subset of a clock this speaker needs: the simulator's virtual clock or Node's timers. */
export interface TimerClock {
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface SpokenRecord extends SpeechRequest {
  readonly startedMs: number;
  readonly durationMs: number;
  outcome: 'speaking' | 'done' | 'canceled';
}

/** About 14 characters a second at normal pace, slower for the elderly; measured on espeak-ng's default voices. */
const MS_PER_CHAR: Record<SpeechRequest['rate'], number> = { normal: 70, slow: 100 };
const MIN_SPEECH_MS = 600;
const MAX_KEPT_RECORDS = 1000;

export function estimateSpeechMs(request: Pick<SpeechRequest, 'text' | 'rate'>): number {
  return Math.max(MIN_SPEECH_MS, request.text.length * MS_PER_CHAR[request.rate]);
}

/**
 * A `Speaker` that produces no sound: it records what was said and takes as long as speaking would,
 * on the given clock. Used by tests and the simulator, where simulated citizens "hear" through `onSpeech`.
 */
export class RecordingSpeaker implements Speaker {
  /** The most recent speech, oldest first; bounded so a robot that talks all week does not grow. */
  readonly spoken: SpokenRecord[] = [];
  readonly #clock: TimerClock;
  readonly #now: () => number;
  readonly #hearers = new Set<(record: SpokenRecord) => void>();

  constructor(clock: TimerClock, now: () => number) {
    this.#clock = clock;
    this.#now = now;
  }

  onSpeech(hearer: (record: SpokenRecord) => void): () => void {
    this.#hearers.add(hearer);
    return () => this.#hearers.delete(hearer);
  }

  speak(request: SpeechRequest, options: Cancellable): Promise<SpeakResult> {
    if (options.signal.aborted) return Promise.resolve({ kind: 'canceled' });
    const record: SpokenRecord = { ...request, startedMs: this.#now(), durationMs: estimateSpeechMs(request), outcome: 'speaking' };
    this.spoken.push(record);
    if (this.spoken.length > MAX_KEPT_RECORDS) this.spoken.shift();
    for (const hearer of this.#hearers) hearer(record);
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        options.signal.removeEventListener('abort', onAbort);
        record.outcome = 'done';
        resolve({ kind: 'done', durationMs: record.durationMs });
      }, record.durationMs);
      const onAbort = (): void => {
        this.#clock.clearTimeout(timer);
        record.outcome = 'canceled';
        resolve({ kind: 'canceled' });
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
