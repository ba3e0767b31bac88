import type { Lang } from '../../ports/common.js';
import type { Listener, Utterance } from '../../ports/listener.js';
import { ASR_SAMPLE_RATE_HZ, type SpeechRecognizer } from '../../ports/speech-recognizer.js';
import type { FrameSource } from './frame-source.js';
import { DEFAULT_SEGMENTER, Segmenter, type SegmenterSettings, type SpeechSegment } from './segmenter.js';
import { VAD_FRAME_SAMPLES, type SileroVad } from './silero-vad.js';
import { SAMPLE_RATE } from './wav.js';

/** What turns a speech segment into words: the ASR port, as far as this listener needs it. */
export type SegmentRecognizer = Pick<SpeechRecognizer, 'transcribe'>;

export interface AudioListenerOptions {
  readonly segmenter?: SegmenterSettings;
  /** The language to recognise when the recogniser needs to be told; else it decides. */
  readonly lang?: Lang;
  /** A failing recogniser or source is reported here; the listener keeps going where it can. */
  readonly onError?: (where: string, error: unknown) => void;
  /** Every segment with the wall-clock moment it was closed and when its text was ready (for benches). */
  readonly onTranscribed?: (segment: SpeechSegment, timing: { readonly closedAtMs: number; readonly transcribedAtMs: number }, text: string) => void;
}

interface Recognition {
  readonly segment: SpeechSegment;
  readonly abort: AbortController;
  readonly result: Promise<{ readonly text: string; readonly confidence: number; readonly lang: Lang }>;
}

export interface AudioListenerStats {
  frames: number;
  segments: number;
  /** Bursts too short to be speech (a cough, a door). */
  misfires: number;
  /** Segments the recogniser returned no words for. */
  empty: number;
  vadMs: number;
  /** Segments whose recognition had already started during the hangover. */
  speculationsUsed: number;
}

/**
 * The audio `Listener`: frames from a source → Silero VAD → segments → the recogniser → utterances.
 * Voice activity is announced as soon as it starts (`onVoiceStart`), so the robot can stop talking
 * when the citizen starts (barge-in) without waiting for the words.
 */
export class AudioListener implements Listener {
  readonly stats: AudioListenerStats = { frames: 0, segments: 0, misfires: 0, empty: 0, vadMs: 0, speculationsUsed: 0 };
  readonly #handlers = new Set<(utterance: Utterance) => void>();
  readonly #voiceHandlers = new Set<(atMs: number) => void>();
  readonly #abort = new AbortController();
  readonly #done: Promise<void>;
  /** Utterances are delivered one at a time, in order, while the VAD keeps listening. */
  #recognizing: Promise<void> = Promise.resolve();
  /** Recognition started at a pause, before the hangover confirmed the end. */
  #speculation: Recognition | null = null;

  constructor(
    source: FrameSource,
    vad: SileroVad,
    recognizer: SegmentRecognizer,
    private readonly options: AudioListenerOptions = {},
  ) {
    this.#done = this.#run(source, vad, recognizer);
  }

  subscribe(handler: (utterance: Utterance) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Called when someone starts speaking, with the stream time in ms. */
  onVoiceStart(handler: (atMs: number) => void): () => void {
    this.#voiceHandlers.add(handler);
    return () => this.#voiceHandlers.delete(handler);
  }

  /** Resolves when the source has ended and every segment has been recognised. */
  finished(): Promise<void> {
    return this.#done;
  }

  async close(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  async #run(source: FrameSource, vad: SileroVad, recognizer: SegmentRecognizer): Promise<void> {
    const segmenter = new Segmenter(SAMPLE_RATE, this.options.segmenter ?? DEFAULT_SEGMENTER);
    vad.reset();
    try {
      for await (const frame of source.frames(this.#abort.signal)) {
        if (frame.samples.length !== VAD_FRAME_SAMPLES) throw new Error(`audio listener: frames must be ${VAD_FRAME_SAMPLES} samples`);
        const t0 = performance.now();
        const probability = await vad.speechProbability(frame.samples);
        this.stats.vadMs += performance.now() - t0;
        this.stats.frames += 1;
        this.#handle(segmenter.push(frame.samples, frame.startMs, probability), recognizer);
      }
      this.#handle(segmenter.flush(), recognizer);
    } catch (error) {
      if (!this.#abort.signal.aborted) this.options.onError?.('audio source', error);
    }
    await this.#recognizing;
  }

  #handle(events: ReturnType<Segmenter['push']>, recognizer: SegmentRecognizer): void {
    for (const event of events) {
      switch (event.kind) {
        case 'speechStart':
          for (const h of this.#voiceHandlers) h(event.atMs);
          break;
        case 'misfire':
          this.stats.misfires += 1;
          break;
        case 'pause':
          // Recognise during the hangover; the result is used only if the segment ends right here.
          this.#speculation?.abort.abort();
          this.#speculation = this.#startRecognition(event.segment, recognizer);
          break;
        case 'resume':
          this.#speculation?.abort.abort();
          this.#speculation = null;
          break;
        case 'segment': {
          this.stats.segments += 1;
          const closedAtMs = performance.now();
          const segment = event.segment;
          const guess = this.#speculation;
          this.#speculation = null;
          const reused = guess !== null && guess.segment.startMs === segment.startMs && guess.segment.endMs === segment.endMs;
          if (reused) this.stats.speculationsUsed += 1;
          else guess?.abort.abort();
          const running = reused ? guess : this.#startRecognition(segment, recognizer);
          this.#recognizing = this.#recognizing.then(() => this.#deliver(segment, closedAtMs, running));
          break;
        }
      }
    }
  }

  #startRecognition(segment: SpeechSegment, recognizer: SegmentRecognizer): Recognition {
    const abort = new AbortController();
    const stop = () => abort.abort();
    this.#abort.signal.addEventListener('abort', stop, { once: true });
    const result = recognizer
      .transcribe({ samples: segment.samples, sampleRate: ASR_SAMPLE_RATE_HZ, ...(this.options.lang !== undefined ? { lang: this.options.lang } : {}) }, { signal: abort.signal })
      .finally(() => this.#abort.signal.removeEventListener('abort', stop));
    // A speculation dropped on `resume` fails with a cancel nobody waits for.
    result.catch(() => {});
    return { segment, abort, result };
  }

  async #deliver(segment: SpeechSegment, closedAtMs: number, running: Recognition): Promise<void> {
    if (this.#abort.signal.aborted) return;
    try {
      const heard = await running.result;
      this.options.onTranscribed?.(segment, { closedAtMs, transcribedAtMs: performance.now() }, heard.text);
      const text = heard.text.trim();
      if (text === '') {
        this.stats.empty += 1;
        return;
      }
      const utterance: Utterance = { text, lang: heard.lang, confidence: heard.confidence, source: 'speech' };
      for (const h of this.#handlers) h(utterance);
    } catch (error) {
      if (!this.#abort.signal.aborted) this.options.onError?.('speech recogniser', error);
    }
  }
}
