import type { Lang } from './common.js';

export type UtteranceSource = 'speech' | 'kiosk' | 'console' | 'sim';

export interface Utterance {
  readonly text: string;
  /** Set when the source knows the language (an ASR model per language, a kiosk button). */
  readonly lang?: Lang;
  /** 0..1; 1 for typed text. */
  readonly confidence: number;
  readonly source: UtteranceSource;
}

/** Anything that hears citizens. Returns an unsubscribe. */
export interface Listener {
  subscribe(handler: (utterance: Utterance) => void): () => void;
  close(): Promise<void>;
}
