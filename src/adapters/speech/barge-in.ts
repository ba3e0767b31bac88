import type { Cancellable } from '../../ports/common.js';
import type { SpeakResult, Speaker, SpeechRequest } from '../../ports/speaker.js';

/**
 * Barge-in: the robot stops talking as soon as the citizen starts. Wraps a speaker; `voiceStarted`
 * (wired to the audio listener's voice activity) cancels whatever is being said, which the
 * statechart sees as a speech that ended, and the citizen's words arrive as an utterance.
 */
export class BargeInSpeaker implements Speaker {
  #current: AbortController | null = null;
  interruptions = 0;

  constructor(private readonly inner: Speaker) {}

  voiceStarted(): void {
    if (this.#current === null) return;
    this.interruptions += 1;
    this.#current.abort();
  }

  async speak(request: SpeechRequest, options: Cancellable): Promise<SpeakResult> {
    const own = new AbortController();
    this.#current = own;
    try {
      return await this.inner.speak(request, { signal: AbortSignal.any([options.signal, own.signal]) });
    } finally {
      if (this.#current === own) this.#current = null;
    }
  }
}
