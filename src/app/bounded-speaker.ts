import type { Cancellable } from '../ports/common.js';
import type { SpeakResult, Speaker, SpeechRequest } from '../ports/speaker.js';
import type { TimerClock } from './watchdog-alerts.js';

/** How long an utterance may take before the speaker counts as hung; generous, as a slow voice is not a hang. */
export interface SpeakerBound {
  readonly baseMs: number;
  readonly perCharMs: number;
  /** Applied to the whole bound for `rate: 'slow'`. */
  readonly slowFactor: number;
}

export const DEFAULT_SPEAKER_BOUND: SpeakerBound = { baseMs: 3_000, perCharMs: 120, slowFactor: 1.5 };

export function speakBoundMs(request: SpeechRequest, bound: SpeakerBound = DEFAULT_SPEAKER_BOUND): number {
  const ms = bound.baseMs + bound.perCharMs * request.text.length;
  return request.rate === 'slow' ? ms * bound.slowFactor : ms;
}

export interface BoundedSpeakerOptions {
  readonly clock: TimerClock;
  /** Called once per utterance that overran its bound; raises the `speakerHung` alert. */
  readonly onHung: (info: { readonly messageId: string; readonly boundMs: number }) => void;
  readonly bound?: Partial<SpeakerBound>;
}

/**
 * A `Speaker` whose every utterance ends: one that overruns its bound is aborted and reported.
 * It then resolves `canceled`, which is what the inner speaker owes for an aborted utterance: the
 * controller's `speak` actor turns it into `spokenMs: 0` and the statechart goes on through the
 * invoke's `onDone` exactly as after an utterance cut short, without waiting for its own 45 s
 * `speakTimeout`. A `done` would claim the citizen heard it; an error would be a fault, not a hang.
 */
export class BoundedSpeaker implements Speaker {
  readonly #inner: Speaker;
  readonly #options: BoundedSpeakerOptions;
  readonly #bound: SpeakerBound;

  constructor(inner: Speaker, options: BoundedSpeakerOptions) {
    this.#inner = inner;
    this.#options = options;
    this.#bound = { ...DEFAULT_SPEAKER_BOUND, ...options.bound };
  }

  async speak(request: SpeechRequest, options: Cancellable): Promise<SpeakResult> {
    const { clock } = this.#options;
    const boundMs = speakBoundMs(request, this.#bound);
    const own = new AbortController();
    const forward = (): void => own.abort();
    if (options.signal.aborted) own.abort();
    else options.signal.addEventListener('abort', forward, { once: true });
    let timer: unknown = null;
    const hung = new Promise<'hung'>((resolve) => {
      timer = clock.setTimeout(() => resolve('hung'), boundMs);
    });
    const spoken = this.#inner.speak(request, { signal: own.signal });
    // A hung call may still settle (or fail) after it was abandoned; nobody waits for it then.
    spoken.catch(() => {});
    try {
      const outcome = await Promise.race([spoken, hung]);
      if (outcome !== 'hung') return outcome;
      own.abort();
      this.#options.onHung({ messageId: request.messageId, boundMs });
      return { kind: 'canceled' };
    } finally {
      clock.clearTimeout(timer);
      options.signal.removeEventListener('abort', forward);
    }
  }
}
