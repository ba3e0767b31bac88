import { LANGS, type Lang } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import type { Listener, Utterance, UtteranceSource } from '../../ports/listener.js';

/** Longer than anyone says in one breath; longer input is a paste or an attack. */
export const MAX_UTTERANCE_CHARS = 500;

/** Checks an utterance from outside (kiosk, console, simulator) before anything acts on it. */
export function validateUtterance(input: { text: unknown; lang?: unknown; confidence?: unknown; source: UtteranceSource }): Utterance {
  if (typeof input.text !== 'string') throw new TiepdanError('utterance_invalid', 'text must be a string');
  const text = input.text.normalize('NFC').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (text.length === 0) throw new TiepdanError('utterance_invalid', 'text is empty');
  if (text.length > MAX_UTTERANCE_CHARS) {
    throw new TiepdanError('utterance_invalid', `text is ${text.length} characters; at most ${MAX_UTTERANCE_CHARS}`);
  }
  if (input.lang !== undefined && !LANGS.includes(input.lang as Lang)) {
    throw new TiepdanError('utterance_invalid', 'lang must be one of vi, en, ko');
  }
  const confidence = input.confidence ?? 1;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) {
    throw new TiepdanError('utterance_invalid', 'confidence must be a number from 0 to 1');
  }
  return { text, confidence, source: input.source, ...(input.lang !== undefined ? { lang: input.lang as Lang } : {}) };
}

/** A `Listener` fed with typed text: the kiosk, the console and the simulator's citizens. */
export class TextListener implements Listener {
  readonly #handlers = new Set<(utterance: Utterance) => void>();
  readonly #source: UtteranceSource;

  constructor(source: UtteranceSource) {
    this.#source = source;
  }

  subscribe(handler: (utterance: Utterance) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Validates, then delivers; throws `utterance_invalid` for bad input. */
  push(input: { text: unknown; lang?: unknown; confidence?: unknown }): Utterance {
    const utterance = validateUtterance({ ...input, source: this.#source });
    for (const handler of this.#handlers) handler(utterance);
    return utterance;
  }

  async close(): Promise<void> {
    this.#handlers.clear();
  }
}
