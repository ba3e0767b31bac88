import type { Cancellable, Lang } from './common.js';

/** The only sample rate recognizers take; the audio pipeline resamples before this port. */
export const ASR_SAMPLE_RATE_HZ = 16_000;

/** One utterance cut out by the voice-activity detector. */
export interface SpeechSegment {
  /** 16-bit signed PCM, mono. */
  readonly samples: Int16Array;
  readonly sampleRate: typeof ASR_SAMPLE_RATE_HZ;
  /** The language to hear it in, when known (the conversation's language); else the recognizer's first. */
  readonly lang?: Lang;
}

export interface Transcript {
  /** Lower-case words, no punctuation; empty when nothing was recognised. */
  readonly text: string;
  /** 0..1, how the adapter documents it; 0 for an empty transcript. */
  readonly confidence: number;
  readonly lang: Lang;
}

/**
 * Speech to text for one segment at a time. Faults are `TiepdanError`s: `asr_unavailable` (binary,
 * model or module missing), `asr_unsupported` (language or sample rate), `asr_failed` (the engine
 * failed), `asr_canceled` (the signal was aborted; the work is stopped), `asr_closed` (after `close`).
 */
export interface SpeechRecognizer {
  readonly name: string;
  /** The languages it has a model for. */
  readonly langs: readonly Lang[];
  transcribe(segment: SpeechSegment, options: Cancellable): Promise<Transcript>;
  close(): Promise<void>;
}
