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
  /** Sentence start and end markers in the word n-grams ("<s> no", "thanks </s>"); off when absent. */
  readonly boundaries?: boolean;
  /**
   * Weight in the mean of a word-level feature (bias, word, marked spelling, word n-gram) relative to
   * a character n-gram of a Latin-script word; 1 when absent. A long word has many character n-grams,
   * which would otherwise drown the few word features that tell "no, thanks" from "ok, thanks".
   */
  readonly wordWeight?: number;
  /** Weight of a character n-gram of a Hangul word, on the same scale; 1 when absent. */
  readonly hangulCharWeight?: number;
}

export const DEFAULT_FEATURIZER: FeaturizerSettings = {
  buckets: 32_768,
  wordNgrams: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  hangulNgramMax: 3,
  // Chosen on the dev split of models/data, mean of seeds 1–3 (see DEFAULT_TRAIN_SETTINGS).
  boundaries: true,
  wordWeight: 3,
  hangulCharWeight: 3,
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

const START = '<s>';
const END = '</s>';

/** The word sequence that word n-grams run over: the words, between sentence markers when asked for. */
function gramSequence(folded: readonly string[], settings: FeaturizerSettings): readonly string[] {
  return settings.boundaries === true ? [START, ...folded, END] : folded;
}

/** Feature weights: each feature's relative weight divided by their sum, so the bag stays a (weighted) mean. */
function normalizeWeights(relative: readonly number[]): Float32Array {
  let total = 0;
  for (const r of relative) total += r;
  return Float32Array.from(relative, (r) => r / total);
}

/**
 * The feature strings of a text, before hashing, with their weights (for tests and debugging):
 * `featurize` gives the hashes of these strings, in this order, with these weights.
 */
export function weightedFeatureStrings(text: string, settings: FeaturizerSettings = DEFAULT_FEATURIZER): { readonly features: string[]; readonly weights: Float32Array } {
  const exact = tokenize(normalizeText(text));
  const folded = exact.map((w) => foldDiacritics(w));
  const seq = gramSequence(folded, settings);
  const offset = settings.boundaries === true ? 1 : 0;
  const wordWeight = settings.wordWeight ?? 1;
  const features: string[] = [];
  const relative: number[] = [];
  const add = (feature: string, weight: number) => {
    features.push(feature);
    relative.push(weight);
  };
  const grams = (j: number) => {
    for (let n = 2; n <= settings.wordNgrams && j + n <= seq.length; n += 1) add(`w:${seq.slice(j, j + n).join(' ')}`, wordWeight);
  };
  // A bias feature keeps the bag non-empty for empty or symbol-only input.
  add('<bias>', wordWeight);
  if (offset === 1) grams(0);
  for (let i = 0; i < folded.length; i += 1) {
    const word = folded[i]!;
    add(`w:${word}`, wordWeight);
    // The marked spelling adds what folding loses ("bán" vs "bạn") when the citizen typed it.
    if (exact[i] !== word) add(`x:${exact[i]}`, wordWeight);
    grams(i + offset);
    const chars: string[] = [];
    const hangul = HANGUL.test(word);
    if (hangul) charNgrams(word, 1, settings.hangulNgramMax, chars);
    else if (word.length > 2) charNgrams(word, settings.charNgramMin, settings.charNgramMax, chars);
    for (const c of chars) add(c, hangul ? (settings.hangulCharWeight ?? 1) : 1);
  }
  return { features, weights: normalizeWeights(relative) };
}

/** The feature strings of a text, before hashing (for tests and debugging). */
export function featureStrings(text: string, settings: FeaturizerSettings = DEFAULT_FEATURIZER): string[] {
  return weightedFeatureStrings(text, settings).features;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

const W = fnv(FNV_OFFSET, 'w:');
const C = fnv(FNV_OFFSET, 'c:');
const X = fnv(FNV_OFFSET, 'x:');
const BIAS = fnv(FNV_OFFSET, '<bias>');

/**
 * Hashed feature ids and their weights: the ids and weights of `weightedFeatureStrings`, in the same
 * order, hashed as they are built instead of as strings, since this runs for every utterance the
 * robot hears.
 */
export function featurize(text: string, settings: FeaturizerSettings = DEFAULT_FEATURIZER): Features {
  const exact = tokenize(normalizeText(text));
  const folded = exact.map((w) => foldDiacritics(w));
  const seq = gramSequence(folded, settings);
  const offset = settings.boundaries === true ? 1 : 0;
  const wordWeight = settings.wordWeight ?? 1;
  const hangulCharWeight = settings.hangulCharWeight ?? 1;
  const ids: number[] = [];
  const relative: number[] = [];
  const push = (h: number, weight: number) => {
    ids.push((h >>> 0) % settings.buckets);
    relative.push(weight);
  };
  const grams = (j: number) => {
    let gram = fnv(W, seq[j]!);
    for (let n = 2; n <= settings.wordNgrams && j + n <= seq.length; n += 1) {
      gram = fnv(fnv(gram, ' '), seq[j + n - 1]!);
      push(gram, wordWeight);
    }
  };
  push(BIAS, wordWeight);
  if (offset === 1) grams(0);
  for (let i = 0; i < folded.length; i += 1) {
    const word = folded[i]!;
    push(fnv(W, word), wordWeight);
    if (exact[i] !== word) push(fnv(X, exact[i]!), wordWeight);
    grams(i + offset);
    const hangul = HANGUL.test(word);
    if (!hangul && word.length <= 2) continue;
    const min = hangul ? 1 : settings.charNgramMin;
    const max = hangul ? settings.hangulNgramMax : settings.charNgramMax;
    const charWeight = hangul ? hangulCharWeight : 1;
    const chars = Array.from(`<${word}>`);
    for (let n = min; n <= max; n += 1) {
      for (let start = 0; start + n <= chars.length; start += 1) {
        let h = C;
        for (let k = start; k < start + n; k += 1) h = fnv(h, chars[k]!);
        push(h, charWeight);
      }
    }
  }
  return { ids: Int32Array.from(ids), weights: normalizeWeights(relative) };
}
