/** When speech counts as started and ended; times in ms of the stream. */
export interface SegmenterSettings {
  /** A frame at or above this probability is speech. */
  readonly positiveThreshold: number;
  /** Speech goes on until frames fall below this (hysteresis against flicker). */
  readonly negativeThreshold: number;
  /** Shorter bursts (a cough, a door) are dropped. */
  readonly minSpeechMs: number;
  /** Silence this long ends a segment: pauses between words do not split a sentence. */
  readonly hangoverMs: number;
  /** Audio kept before the detected start, so the recogniser hears the first consonant. */
  readonly preSpeechPadMs: number;
  /** A segment is cut here even if the citizen goes on (a recogniser's input is bounded). */
  readonly maxSpeechMs: number;
}

export const DEFAULT_SEGMENTER: SegmenterSettings = {
  positiveThreshold: 0.5,
  negativeThreshold: 0.35,
  minSpeechMs: 250,
  hangoverMs: 300,
  preSpeechPadMs: 200,
  maxSpeechMs: 15_000,
};

export interface SpeechSegment {
  /** First speech frame's start, and last speech frame's end (the hangover not included). */
  readonly startMs: number;
  readonly endMs: number;
  /** From `startMs - preSpeechPadMs` to `endMs`. */
  readonly samples: Int16Array;
}

export type SegmenterEvent =
  | { readonly kind: 'speechStart'; readonly atMs: number }
  /**
   * Speech paused: if the pause lasts the hangover, the segment will be exactly this one. A listener
   * may start recognising it now, and drop the work on `resume`, so the hangover is not lost waiting.
   */
  | { readonly kind: 'pause'; readonly segment: SpeechSegment }
  | { readonly kind: 'resume' }
  | { readonly kind: 'segment'; readonly segment: SpeechSegment }
  | { readonly kind: 'misfire'; readonly startMs: number; readonly endMs: number };

/**
 * Turns per-frame speech probabilities into speech segments. Pure and synchronous: the same frames
 * give the same segments, which is what its tests rely on.
 */
export class Segmenter {
  readonly #settings: SegmenterSettings;
  readonly #sampleRate: number;
  /** Recent audio for the pre-speech pad, and the segment being collected. */
  #history: Int16Array[] = [];
  #historyMs = 0;
  #collected: Int16Array[] = [];
  #inSpeech = false;
  #startMs = 0;
  #lastSpeechEndMs = 0;
  /** Frames between the thresholds keep a segment open, but only confident ones mark where speech ends. */
  #lastLikelyEndMs = 0;
  #collectedStartMs = 0;
  /** A `pause` was announced and no speech has come since. */
  #paused = false;
  /** Start of the run of frames at or above the negative threshold that leads up to now, if any. */
  #risingFromMs: number | null = null;

  constructor(sampleRate: number, settings: SegmenterSettings = DEFAULT_SEGMENTER) {
    if (!(settings.negativeThreshold <= settings.positiveThreshold)) throw new Error('segmenter: the negative threshold must not exceed the positive one');
    this.#settings = settings;
    this.#sampleRate = sampleRate;
  }

  get inSpeech(): boolean {
    return this.#inSpeech;
  }

  /** One frame, starting at `startMs`, with its speech probability. */
  push(frame: Int16Array, startMs: number, probability: number): SegmenterEvent[] {
    const s = this.#settings;
    const frameMs = (frame.length / this.#sampleRate) * 1000;
    const endMs = startMs + frameMs;
    const events: SegmenterEvent[] = [];
    if (!this.#inSpeech) {
      this.#history.push(frame);
      this.#historyMs += frameMs;
      while (this.#history.length > 1 && this.#historyMs - (this.#history[0]!.length / this.#sampleRate) * 1000 >= s.preSpeechPadMs + frameMs) {
        this.#historyMs -= (this.#history.shift()!.length / this.#sampleRate) * 1000;
      }
      // Speech fades in: the start is where the probability first rose past the lower threshold.
      if (probability >= s.negativeThreshold) this.#risingFromMs ??= startMs;
      else this.#risingFromMs = null;
      if (probability >= s.positiveThreshold) {
        this.#inSpeech = true;
        this.#startMs = Math.max(this.#risingFromMs ?? startMs, endMs - this.#historyMs);
        this.#risingFromMs = null;
        this.#lastSpeechEndMs = endMs;
        this.#lastLikelyEndMs = endMs;
        this.#collected = [...this.#history];
        this.#collectedStartMs = endMs - this.#historyMs;
        this.#history = [];
        this.#historyMs = 0;
        events.push({ kind: 'speechStart', atMs: this.#startMs });
      }
      return events;
    }
    this.#collected.push(frame);
    if (probability >= s.negativeThreshold) this.#lastLikelyEndMs = endMs;
    if (probability >= s.positiveThreshold) {
      const grew = endMs > this.#lastSpeechEndMs;
      this.#lastSpeechEndMs = endMs;
      if (this.#paused && grew) {
        this.#paused = false;
        events.push({ kind: 'resume' });
      }
    }
    const silentFor = endMs - this.#lastLikelyEndMs;
    const longFor = endMs - this.#startMs;
    if (silentFor >= s.hangoverMs || longFor >= s.maxSpeechMs) {
      events.push(this.#close());
      return events;
    }
    if (!this.#paused && probability < s.negativeThreshold && this.#lastSpeechEndMs - this.#startMs >= s.minSpeechMs) {
      this.#paused = true;
      events.push({ kind: 'pause', segment: this.#segment() });
    }
    return events;
  }

  /** The stream ended: a segment in progress ends with it. */
  flush(): SegmenterEvent[] {
    return this.#inSpeech ? [this.#close()] : [];
  }

  #close(): SegmenterEvent {
    const s = this.#settings;
    this.#inSpeech = false;
    this.#paused = false;
    const startMs = this.#startMs;
    const endMs = this.#lastSpeechEndMs;
    const segment = endMs - startMs < s.minSpeechMs ? null : this.#segment();
    this.#collected = [];
    return segment === null ? { kind: 'misfire', startMs, endMs } : { kind: 'segment', segment };
  }

  /** The segment as it stands: from the pad before its start to its last confident frame. */
  #segment(): SpeechSegment {
    const s = this.#settings;
    const startMs = this.#startMs;
    const endMs = this.#lastSpeechEndMs;
    const collected = this.#collected;
    const first = Math.max(0, Math.round(((startMs - s.preSpeechPadMs - this.#collectedStartMs) / 1000) * this.#sampleRate));
    const last = Math.round(((endMs - this.#collectedStartMs) / 1000) * this.#sampleRate);
    const all = new Int16Array(collected.reduce((n, f) => n + f.length, 0));
    let offset = 0;
    for (const f of collected) {
      all.set(f, offset);
      offset += f.length;
    }
    return { startMs, endMs, samples: all.slice(first, Math.min(all.length, last)) };
  }
}
