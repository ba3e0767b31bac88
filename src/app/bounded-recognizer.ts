import type { Cancellable } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import type { SpeechRecognizer, SpeechSegment, Transcript } from '../ports/speech-recognizer.js';
import type { TimerClock } from './watchdog-alerts.js';

/** How long a segment's recognition may take: a fixed allowance plus a multiple of the audio's own length. */
export interface RecognizerBound {
  readonly baseMs: number;
  readonly perAudioMs: number;
}

export const DEFAULT_RECOGNIZER_BOUND: RecognizerBound = { baseMs: 2_000, perAudioMs: 2 };

export function transcribeBoundMs(segment: SpeechSegment, bound: RecognizerBound = DEFAULT_RECOGNIZER_BOUND): number {
  return bound.baseMs + bound.perAudioMs * ((segment.samples.length / segment.sampleRate) * 1000);
}

export interface BoundedRecognizerOptions {
  readonly clock: TimerClock;
  /** Called once per segment that overran its bound; raises the `asrHung` alert. */
  readonly onHung: (info: { readonly boundMs: number }) => void;
  readonly bound?: Partial<RecognizerBound>;
}

/**
 * A `SpeechRecognizer` whose every transcription ends: one that overruns its bound is aborted and
 * fails as `asr_failed`, which the audio listener reports and then goes on to the next segment.
 */
export function boundedRecognizer(inner: SpeechRecognizer, options: BoundedRecognizerOptions): SpeechRecognizer {
  const bound = { ...DEFAULT_RECOGNIZER_BOUND, ...options.bound };
  const { clock } = options;
  return {
    name: inner.name,
    langs: inner.langs,
    close: () => inner.close(),
    async transcribe(segment: SpeechSegment, { signal }: Cancellable): Promise<Transcript> {
      const boundMs = transcribeBoundMs(segment, bound);
      const own = new AbortController();
      const forward = (): void => own.abort();
      if (signal.aborted) own.abort();
      else signal.addEventListener('abort', forward, { once: true });
      let timer: unknown = null;
      const hung = new Promise<'hung'>((resolve) => {
        timer = clock.setTimeout(() => resolve('hung'), boundMs);
      });
      const heard = inner.transcribe(segment, { signal: own.signal });
      heard.catch(() => {});
      try {
        const outcome = await Promise.race([heard, hung]);
        if (outcome !== 'hung') return outcome;
        own.abort();
        options.onHung({ boundMs });
        throw new TiepdanError('asr_failed', `${inner.name} gave no transcript within ${Math.round(boundMs)} ms; it was stopped`);
      } finally {
        clock.clearTimeout(timer);
        signal.removeEventListener('abort', forward);
      }
    },
  };
}
