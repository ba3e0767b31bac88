import type { Features } from './bag-model.js';
import { foldDiacritics, normalizeText, tokenize } from './normalize.js';

/** How text becomes hashed features; saved with the model so training and inference agree. */
export interface FeaturizerSettings {
  readonly buckets: number;
  /** Word n-grams up to this length (1 = unigrams only). */
  readonly wordNgrams: number;
  /** Character n-gram lengths for Latin-script words, with `<` `>` word boundaries. */
  readonly charNgramMin: number;
  readonly charNgramMax: number;
  /** Hangul syllables carry more per character: shorter n-grams. */
  readonly hangulNgramMax: number;
}

export const DEFAULT_FEATURIZER: FeaturizerSettings = {
  buckets: 32_768,
  wordNgrams: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  hangulNgramMax: 3,
};

const HANGUL = /[\uAC00-\uD7AF\u1100-\u11FF\u3130-\u318F]/;

/** FNV-1a over UTF-16 code units: fast, stable across platforms and versions. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function charNgrams(word: string, min: number, max: number, out: string[]): void {
  const padded = `<${word}>`;
  const chars = Array.from(padded);
  for (let n = min; n <= max; n += 1) {
    for (let i = 0; i + n <= chars.length; i += 1) out.push(`c:${chars.slice(i, i + n).join('')}`);
  }
}

/** The feature strings of a text, before hashing (for tests and debugging). */
export function featureStrings(text: string, settings: FeaturizerSettings = DEFAULT_FEATURIZER): string[] {
  const exact = tokenize(normalizeText(text));
  const folded = exact.map((w) => foldDiacritics(w));
  // A bias feature keeps the bag non-empty for empty or symbol-only input.
  const out: string[] = ['<bias>'];
  for (let i = 0; i < folded.length; i += 1) {
    const word = folded[i]!;
    out.push(`w:${word}`);
    // The marked spelling adds what folding loses ("bán" vs "bạn") when the citizen typed it.
    if (exact[i] !== word) out.push(`x:${exact[i]}`);
    for (let n = 2; n <= settings.wordNgrams && i + n <= folded.length; n += 1) out.push(`w:${folded.slice(i, i + n).join(' ')}`);
    if (HANGUL.test(word)) charNgrams(word, 1, settings.hangulNgramMax, out);
    else if (word.length > 2) charNgrams(word, settings.charNgramMin, settings.charNgramMax, out);
  }
  return out;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * Hashed feature ids with equal weights (their mean is the text's vector): the ids of
 * `featureStrings`, in the same order, hashed as they are built instead of as strings, since this
 * runs for every utterance the robot hears.
 */
export function featurize(text: string, settings: FeaturizerSettings = DEFAULT_FEATURIZER): Features {
  const exact = tokenize(normalizeText(text));
  const folded = exact.map((w) => foldDiacritics(w));
  const ids: number[] = [];
  const push = (h: number) => ids.push((h >>> 0) % settings.buckets);
  const W = fnv(FNV_OFFSET, 'w:');
  const C = fnv(FNV_OFFSET, 'c:');
  push(fnv(FNV_OFFSET, '<bias>'));
  for (let i = 0; i < folded.length; i += 1) {
    const word = folded[i]!;
    const wordHash = fnv(W, word);
    push(wordHash);
    if (exact[i] !== word) push(fnv(fnv(FNV_OFFSET, 'x:'), exact[i]!));
    let gram = wordHash;
    for (let n = 2; n <= settings.wordNgrams && i + n <= folded.length; n += 1) {
      gram = fnv(fnv(gram, ' '), folded[i + n - 1]!);
      push(gram);
    }
    const hangul = HANGUL.test(word);
    if (!hangul && word.length <= 2) continue;
    const min = hangul ? 1 : settings.charNgramMin;
    const max = hangul ? settings.hangulNgramMax : settings.charNgramMax;
    const chars = Array.from(`<${word}>`);
    for (let n = min; n <= max; n += 1) {
      for (let start = 0; start + n <= chars.length; start += 1) {
        let h = C;
        for (let k = start; k < start + n; k += 1) h = fnv(h, chars[k]!);
        push(h);
      }
    }
  }
  return { ids: Int32Array.from(ids), weights: new Float32Array(ids.length).fill(1 / ids.length) };
}
