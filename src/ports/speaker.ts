import type { Cancellable, Lang } from './common.js';

export type SpeechRate = 'normal' | 'slow';

export interface SpeechRequest {
  readonly text: string;
  readonly lang: Lang;
  /** The message-catalogue key the text came from, for transcripts and tests. */
  readonly messageId: string;
  readonly rate: SpeechRate;
  /** What the words refer to (procedure, counter, ticket ids), for transcripts and simulated listeners. */
  readonly slots?: Readonly<Record<string, string>>;
}

export type SpeakResult = { readonly kind: 'done'; readonly durationMs: number } | { readonly kind: 'canceled' };

export interface Speaker {
  /** Resolves when the speech ends; aborting the signal stops it and resolves `canceled`. */
  speak(request: SpeechRequest, options: Cancellable): Promise<SpeakResult>;
}
