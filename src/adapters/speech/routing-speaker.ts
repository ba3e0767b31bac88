import type { Cancellable, Lang } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import type { SpeakResult, Speaker, SpeechRequest } from '../../ports/speaker.js';

/** A `Speaker` that hands each request to the speaker configured for its language. */
export class RoutingSpeaker implements Speaker {
  readonly #routes: Readonly<Partial<Record<Lang, Speaker>>>;

  constructor(routes: Readonly<Partial<Record<Lang, Speaker>>>) {
    this.#routes = routes;
  }

  speak(request: SpeechRequest, options: Cancellable): Promise<SpeakResult> {
    const speaker = Object.hasOwn(this.#routes, request.lang) ? this.#routes[request.lang] : undefined;
    if (speaker === undefined) return Promise.reject(new TiepdanError('speech_lang_unsupported', `no speaker configured for ${String(request.lang)}`));
    return speaker.speak(request, options);
  }
}
