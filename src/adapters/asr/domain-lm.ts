/**
 * A small English language model for the lobby, built from what citizens say here: the catalog's
 * English names and synonyms, counter, ticket and yes/no phrases, and the English lines of the intent
 * training data. Pocketsphinx with it hears "register my marriage" where its 30 MB generic model hears
 * "reduce the rich", and loads in a fraction of the time.
 *
 * The model is an ARPA file with interpolated absolute discounting (Ney et al. 1994): for n >= 2
 *   p(w | h) = max(c(h w) - D_n, 0) / c(h .) + gamma(h) p(w | h'),  gamma(h) = D_n N1+(h .) / c(h .)
 * with D_n = n1 / (n1 + 2 n2) from the count-of-counts of order n, h' the history without its first
 * word, and maximum-likelihood unigrams (every vocabulary word is seen). In ARPA terms the back-off
 * weight of a history is exactly gamma(h), so the distribution after every history sums to 1.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDataset } from '../../nlu/dataset.js';
import type { Catalog } from '../../ports/catalog.js';
import { TiepdanError } from '../../ports/errors.js';

/** Bump when the output for the same inputs changes, so cached models are rebuilt. */
const GENERATOR_VERSION = 1;

export const SENTENCE_START = '<s>';
export const SENTENCE_END = '</s>';
/** ARPA's stand-in for log10(0): the probability of predicting `<s>`. */
const LOG10_ZERO = -99;

/**
 * What a citizen says around the procedures that neither the catalog nor the training lines are sure
 * to cover: the counters (numbered 1 to 8 in the ward lobby), tickets, the queue, and short answers.
 */
export const LOBBY_PHRASES: readonly string[] = [
  ...['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'].flatMap((n) => [
    `counter ${n}`,
    `counter number ${n}`,
    `take me to counter ${n}`,
    `where is counter ${n}`,
    `my number is ${n}`,
  ]),
  'which counter',
  'which counter do i go to',
  'take me to the counter',
  'show me the counter',
  'where is the counter',
  'queue number',
  'a queue number',
  'where do i get a queue number',
  'can i have a ticket',
  'i need a ticket',
  'give me a ticket please',
  'take a number',
  'my ticket number',
  'how long is the queue',
  'how long do i have to wait',
  'how many people are ahead of me',
  'is it my turn',
  'when is my turn',
  'yes',
  'yes please',
  'yes thank you',
  'yeah',
  'okay',
  'ok',
  'sure',
  'right',
  "that's right",
  'correct',
  'no',
  'no thanks',
  'no thank you',
  'not that',
  "that's wrong",
  'thank you',
  'goodbye',
  'hello',
];

/**
 * Lower-case words as pocketsphinx's dictionary spells them: diacritics folded, apostrophes kept
 * inside words ("don't"), everything else (punctuation, digits, other scripts) a separator.
 */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[^a-z']+/g, ' ')
    .split(' ')
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter((word) => word !== '');
}

/** A CMU-style dictionary: each word with its pronunciation lines as written (`word(2) ...` for variants). */
export function readPronunciations(dictText: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const raw of dictText.split('\n')) {
    const line = raw.replace(/\s#.*$/, '').trim();
    if (line === '' || line.startsWith(';;;')) continue;
    const space = line.search(/\s/);
    if (space <= 0) continue;
    const word = line.slice(0, space).replace(/\(\d+\)$/, '');
    const list = entries.get(word);
    if (list) list.push(line);
    else entries.set(word, [line]);
  }
  return entries;
}

export interface FilteredCorpus {
  readonly sentences: readonly (readonly string[])[];
  /** Distinct words not in the dictionary, sorted. */
  readonly droppedWords: readonly string[];
  /** How many word occurrences that was. */
  readonly droppedTokens: number;
}

/** Keeps only the words the dictionary can pronounce; a sentence left empty is dropped. */
export function filterToDictionary(texts: readonly string[], dictionary: ReadonlyMap<string, unknown>): FilteredCorpus {
  const dropped = new Set<string>();
  let droppedTokens = 0;
  const sentences: string[][] = [];
  for (const text of texts) {
    const kept: string[] = [];
    for (const word of normalizeWords(text)) {
      if (dictionary.has(word)) kept.push(word);
      else {
        dropped.add(word);
        droppedTokens += 1;
      }
    }
    if (kept.length > 0) sentences.push(kept);
  }
  return { sentences, droppedWords: [...dropped].sort(), droppedTokens };
}

const key = (words: readonly string[]): string => words.join(' ');

/** Ney's estimate from the count-of-counts; 0.5 when the counts give none (a tiny corpus). */
function discountFor(counts: ReadonlyMap<string, number>): number {
  let n1 = 0;
  let n2 = 0;
  for (const c of counts.values()) {
    if (c === 1) n1 += 1;
    else if (c === 2) n2 += 1;
  }
  if (n1 === 0 || n2 === 0) return 0.5;
  return n1 / (n1 + 2 * n2);
}

const log10Text = (p: number): string => (p > 0 ? Math.log10(p).toFixed(7) : String(LOG10_ZERO));

/**
 * An ARPA n-gram model (order 2 or 3) of the sentences, deterministic: the same sentences give the
 * same bytes. Sentences are wrapped in `<s>` and `</s>`; the vocabulary is every word seen plus `</s>`.
 */
export function buildArpa(sentences: readonly (readonly string[])[], order: 2 | 3 = 3): string {
  if (sentences.length === 0) throw new TiepdanError('asr_lm_invalid', 'no sentences to build a language model from');
  // counts[n - 1]: n-gram key -> count.
  const counts: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  for (const sentence of sentences) {
    const tokens = [SENTENCE_START, ...sentence, SENTENCE_END];
    for (let n = 1; n <= order; n += 1) {
      const table = counts[n - 1]!;
      for (let i = 0; i + n <= tokens.length; i += 1) {
        const k = key(tokens.slice(i, i + n));
        table.set(k, (table.get(k) ?? 0) + 1);
      }
    }
  }
  // For each history (an (n-1)-gram followed by something): the total count after it and its distinct successors.
  const followers: Map<string, { total: number; distinct: number }>[] = Array.from({ length: order }, () => new Map());
  for (let n = 2; n <= order; n += 1) {
    for (const [k, c] of counts[n - 1]!) {
      const history = k.slice(0, k.lastIndexOf(' '));
      const f = followers[n - 2]!.get(history) ?? { total: 0, distinct: 0 };
      f.total += c;
      f.distinct += 1;
      followers[n - 2]!.set(history, f);
    }
  }
  const discounts = counts.map(discountFor);

  // Probabilities of the stored n-grams, order by order; each lower order is complete before it is used.
  const probs: Map<string, number>[] = Array.from({ length: order }, () => new Map());
  let predicted = 0;
  for (const [k, c] of counts[0]!) if (k !== SENTENCE_START) predicted += c;
  for (const [k, c] of counts[0]!) probs[0]!.set(k, k === SENTENCE_START ? 0 : c / predicted);
  const gamma = (n: number, history: string): number => {
    const f = followers[n - 2]?.get(history);
    return f ? (discounts[n - 1]! * f.distinct) / f.total : 1;
  };
  for (let n = 2; n <= order; n += 1) {
    for (const [k, c] of counts[n - 1]!) {
      const history = k.slice(0, k.lastIndexOf(' '));
      const lower = k.slice(k.indexOf(' ') + 1);
      const f = followers[n - 2]!.get(history)!;
      // Every suffix of a seen n-gram is itself a seen (n-1)-gram, so the lower probability is stored.
      const p = Math.max(c - discounts[n - 1]!, 0) / f.total + gamma(n, history) * probs[n - 2]!.get(lower)!;
      probs[n - 1]!.set(k, p);
    }
  }

  const lines: string[] = ['\\data\\'];
  for (let n = 1; n <= order; n += 1) lines.push(`ngram ${n}=${counts[n - 1]!.size}`);
  for (let n = 1; n <= order; n += 1) {
    lines.push('', `\\${n}-grams:`);
    for (const k of [...counts[n - 1]!.keys()].sort()) {
      const p = log10Text(probs[n - 1]!.get(k)!);
      if (n < order && followers[n - 1]!.has(k)) lines.push(`${p}\t${k}\t${Math.log10(gamma(n + 1, k)).toFixed(7)}`);
      else lines.push(`${p}\t${k}`);
    }
  }
  lines.push('', '\\end\\', '');
  return lines.join('\n');
}

/** The English lines of a training TSV, told apart by the first column (lang) of its meta file. */
export function englishTrainingLines(trainFile: string, metaFile: string): string[] {
  const rows = readDataset(trainFile).rows;
  let meta: string[];
  try {
    meta = readFileSync(metaFile, 'utf8').split('\n').filter((line) => line !== '');
  } catch (cause) {
    throw new TiepdanError('asr_lm_invalid', `${metaFile}: cannot read the file`, { cause });
  }
  if (meta.length !== rows.length) {
    throw new TiepdanError('asr_lm_invalid', `${metaFile} has ${meta.length} lines but ${trainFile} has ${rows.length}; regenerate the data`);
  }
  return rows.filter((_, i) => meta[i]!.split('\t')[0] === 'en').map((row) => row.text);
}

/** Everything the English model is built from, in a fixed order. */
export function domainTexts(catalog: Catalog, trainingLines: readonly string[]): string[] {
  const fromCatalog = catalog.procedures().flatMap((p) => [p.names.en, ...p.synonyms.en]);
  return [...fromCatalog, ...LOBBY_PHRASES, ...trainingLines];
}

export interface DomainLmOptions {
  readonly catalog: Catalog;
  /** `text<TAB>intent<TAB>procedure`; only its English lines are used. */
  readonly trainFile: string;
  /** The same lines' metadata; column 1 is the language. */
  readonly metaFile: string;
  /** The full pronouncing dictionary (cmudict-en-us.dict). */
  readonly dictFile: string;
  /** Where built models are kept, one subdirectory per input hash. */
  readonly cacheDir: string;
  /** Default 3. */
  readonly order?: 2 | 3;
}

export interface DomainLm {
  readonly lmFile: string;
  readonly dictFile: string;
  /** Words in the model (and the reduced dictionary), without `<s>` and `</s>`. */
  readonly vocabularySize: number;
  readonly sentences: number;
  readonly droppedWords: readonly string[];
  readonly droppedTokens: number;
  /** sha256 of the inputs; the cache subdirectory's name ends with its first 16 hex digits. */
  readonly inputHash: string;
  readonly fromCache: boolean;
}

interface Meta {
  readonly vocabularySize: number;
  readonly sentences: number;
  readonly droppedWords: readonly string[];
  readonly droppedTokens: number;
}

/**
 * Builds the model and its reduced dictionary once per distinct input (catalog, training lines,
 * dictionary, order, generator version) into `cacheDir/en-<hash>/`; later calls read it back.
 */
export function ensureDomainLm(options: DomainLmOptions): DomainLm {
  const order = options.order ?? 3;
  let dictText: string;
  try {
    dictText = readFileSync(options.dictFile, 'utf8');
  } catch (cause) {
    throw new TiepdanError('asr_unavailable', `cannot read the pronouncing dictionary ${options.dictFile} (apt-get install pocketsphinx-en-us)`, { cause });
  }
  const texts = domainTexts(options.catalog, englishTrainingLines(options.trainFile, options.metaFile));
  const inputHash = createHash('sha256')
    .update(JSON.stringify({ version: GENERATOR_VERSION, order, texts }))
    .update(createHash('sha256').update(dictText).digest('hex'))
    .digest('hex');
  const dir = join(options.cacheDir, `en-${inputHash.slice(0, 16)}`);
  const files = { lmFile: join(dir, 'domain.lm'), dictFile: join(dir, 'domain.dict') };
  const metaFile = join(dir, 'meta.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
    return { ...files, ...meta, inputHash, fromCache: true };
  }

  const pronunciations = readPronunciations(dictText);
  const corpus = filterToDictionary(texts, pronunciations);
  const vocabulary = [...new Set(corpus.sentences.flat())].sort();
  const meta: Meta = {
    vocabularySize: vocabulary.length,
    sentences: corpus.sentences.length,
    droppedWords: corpus.droppedWords,
    droppedTokens: corpus.droppedTokens,
  };
  // Written beside and renamed into place, so a crash or a concurrent build never leaves half a model.
  mkdirSync(options.cacheDir, { recursive: true });
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  try {
    writeFileSync(join(staging, 'domain.lm'), buildArpa(corpus.sentences, order));
    writeFileSync(join(staging, 'domain.dict'), vocabulary.flatMap((w) => pronunciations.get(w)!).join('\n') + '\n');
    writeFileSync(join(staging, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    if (existsSync(metaFile)) rmSync(staging, { recursive: true, force: true });
    else {
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    }
  } catch (cause) {
    rmSync(staging, { recursive: true, force: true });
    throw new TiepdanError('asr_lm_invalid', `cannot write the language model into ${options.cacheDir}`, { cause });
  }
  return { ...files, ...meta, inputHash, fromCache: false };
}
