import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOBBY_PHRASES,
  buildArpa,
  domainTexts,
  ensureDomainLm,
  filterToDictionary,
  normalizeWords,
  readPronunciations,
} from '../../../src/adapters/asr/domain-lm.js';
import { loadCatalog } from '../../../src/civic/catalog.js';
import { projectPath } from '../../../src/paths.js';
import { systemTool } from '../../system.js';
import { parseArpa, predictedVocabulary, probability, type ArpaModel } from './arpa.js';

const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const cmudict = systemTool(CMUDICT, 'pocketsphinx-en-us');

const SENTENCES = [
  ['i', 'want', 'a', 'ticket'],
  ['i', 'want', 'to', 'register', 'my', 'marriage'],
  ['where', 'is', 'counter', 'three'],
  ['i', 'want', 'a', 'birth', 'certificate'],
  ['yes', 'please'],
  ['no', 'thank', 'you'],
  ['thank', 'you'],
  ['where', 'is', 'the', 'counter'],
];

/** Every history the model can be asked about: each stored (n-1)-gram prefix, plus unseen ones built from the vocabulary. */
function histories(model: ArpaModel, extra: readonly (readonly string[])[]): string[][] {
  const seen = new Set<string>();
  for (let n = 2; n <= model.order; n += 1) {
    for (const k of model.grams[n - 1]!.keys()) seen.add(k.split(' ').slice(0, -1).join(' '));
  }
  return [[], ...[...seen].map((h) => h.split(' ')), ...extra.map((h) => [...h])];
}

function expectDistributionsSumToOne(model: ArpaModel, hs: readonly (readonly string[])[]): number {
  const vocabulary = predictedVocabulary(model);
  let worst = 0;
  for (const h of hs) {
    const sum = vocabulary.reduce((s, w) => s + probability(model, h, w), 0);
    worst = Math.max(worst, Math.abs(sum - 1));
    expect(sum, `sum of p(w | ${h.join(' ') || '(empty)'})`).toBeCloseTo(1, 5);
  }
  return worst;
}

describe('normalizeWords', () => {
  it('lower-cases, keeps in-word apostrophes, turns punctuation, digits and symbols into separators, folds diacritics', () => {
    expect(normalizeWords("Don’t STOP—now! Counter 6, 'please'... Xin chào")).toEqual(["don't", 'stop', 'now', 'counter', 'please', 'xin', 'chao']);
  });
});

describe('readPronunciations', () => {
  it('groups pronunciation variants under their word and skips comments and blank lines', () => {
    const dict = readPronunciations(";;; comment\nto T UW\nto(2) T IH\nto(3) T AH\n\nqueue K Y UW # a note\n");
    expect(dict.get('to')).toEqual(['to T UW', 'to(2) T IH', 'to(3) T AH']);
    expect(dict.get('queue')).toEqual(['queue K Y UW']);
    expect(dict.size).toBe(2);
  });
});

describe('filterToDictionary', () => {
  it('drops out-of-dictionary words and reports them, and drops sentences left empty', () => {
    const dict = new Map([['i', 1], ['need', 1], ['a', 1], ['ticket', 1]]);
    const corpus = filterToDictionary(['I need a CCCD ticket', 'cccd qr', 'I need a ticket'], dict);
    expect(corpus.sentences).toEqual([['i', 'need', 'a', 'ticket'], ['i', 'need', 'a', 'ticket']]);
    expect(corpus.droppedWords).toEqual(['cccd', 'qr']);
    expect(corpus.droppedTokens).toBe(3);
  });
});

describe('buildArpa', () => {
  it('writes a well-formed ARPA file: header counts match the sections, every n-gram has its prefix and suffix', () => {
    const model = parseArpa(buildArpa(SENTENCES, 3));
    expect(model.order).toBe(3);
    model.grams.forEach((grams, i) => expect(grams.size, `${i + 1}-grams`).toBe(model.declared[i]));
    for (let n = 2; n <= 3; n += 1) {
      for (const k of model.grams[n - 1]!.keys()) {
        const words = k.split(' ');
        expect(model.grams[n - 2]!.has(words.slice(0, -1).join(' ')), `prefix of ${k}`).toBe(true);
        expect(model.grams[n - 2]!.has(words.slice(1).join(' ')), `suffix of ${k}`).toBe(true);
      }
    }
    // <s> is a context, never predicted; </s> is predicted.
    expect(model.grams[0]!.get('<s>')).toMatchObject({ logProb: -99, hasBackoff: true });
    expect(model.grams[0]!.get('</s>')!.logProb).toBeGreaterThan(-99);
    // Highest order carries no back-off weight.
    for (const gram of model.grams[2]!.values()) expect(gram.hasBackoff).toBe(false);
    // Every log probability is a probability.
    for (const grams of model.grams) for (const [k, gram] of grams) if (k !== '<s>') expect(gram.logProb).toBeLessThanOrEqual(0);
  });

  it('gives distributions that sum to 1 after every history, seen or not (trigram and bigram)', () => {
    for (const order of [2, 3] as const) {
      const model = parseArpa(buildArpa(SENTENCES, order));
      const unseen = [['ticket', 'yes'], ['please', 'where'], ['marriage'], ['<s>', 'counter'], ['three', 'three']];
      expectDistributionsSumToOne(model, histories(model, unseen));
    }
  });

  it('backs off: an unseen continuation still gets probability, less than a seen one', () => {
    const model = parseArpa(buildArpa(SENTENCES, 3));
    const seen = probability(model, ['i', 'want'], 'a');
    const unseen = probability(model, ['i', 'want'], 'counter');
    expect(unseen).toBeGreaterThan(0);
    expect(seen).toBeGreaterThan(unseen);
  });

  it('is deterministic: the same sentences in any order give the same bytes', () => {
    const a = buildArpa(SENTENCES, 3);
    expect(buildArpa([...SENTENCES].reverse(), 3)).toBe(a);
    expect(buildArpa(SENTENCES, 3)).toBe(a);
  });

  it('EXPECTED FAILURE - refuses an empty corpus with a coded error', () => {
    expect(() => buildArpa([], 3)).toThrow(expect.objectContaining({ name: 'TiepdanError', code: 'asr_lm_invalid' }));
  });
});

describe('ensureDomainLm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-domain-lm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const catalog = loadCatalog();
  // A small dictionary: most catalog words are missing from it, and must be reported as dropped.
  const dictFile = join(dir, 'small.dict');
  writeFileSync(dictFile, ['birth B ER TH', 'registration R EH JH IH S T R EY SH AH N', 'i AY', 'want W AA N T', 'want(2) W AO N T', 'a AH', 'ticket T IH K IH T', 'yes Y EH S', 'please P L IY Z', 'unused AH N Y UW Z D'].join('\n') + '\n');
  const trainFile = join(dir, 'train.tsv');
  const metaFile = join(dir, 'meta.tsv');
  const TRAIN = 'I want a ticket\trequest_ticket\t\nTôi muốn lấy số\trequest_ticket\t\nYes please\taffirm\t\n';
  writeFileSync(trainFile, TRAIN);
  writeFileSync(metaFile, 'en\tc1\tt1\nvi\tc2\tt2\nen\tc3\tt3\n');
  const options = { catalog, trainFile, metaFile, dictFile, cacheDir: join(dir, 'cache') };

  it('builds once into a directory named by the input hash, then reads it from the cache', () => {
    const first = ensureDomainLm(options);
    expect(first.fromCache).toBe(false);
    expect(first.lmFile).toContain(`en-${first.inputHash.slice(0, 16)}`);
    const second = ensureDomainLm(options);
    expect(second).toEqual({ ...first, fromCache: true });
    writeFileSync(trainFile, 'I want a ticket\trequest_ticket\t\nTôi muốn lấy số\trequest_ticket\t\nYes\taffirm\t\n');
    const third = ensureDomainLm(options);
    expect(third.fromCache).toBe(false);
    expect(third.inputHash).not.toBe(first.inputHash);
    writeFileSync(trainFile, TRAIN);
  });

  it('keeps only English training lines and dictionary words; the reduced dictionary has exactly the vocabulary, with variants', () => {
    const lm = ensureDomainLm(options);
    const model = parseArpa(readFileSync(lm.lmFile, 'utf8'));
    const vocabulary = predictedVocabulary(model).filter((w) => w !== '</s>').sort();
    expect(vocabulary).toEqual(['a', 'birth', 'i', 'please', 'registration', 'ticket', 'want', 'yes']);
    expect(lm.vocabularySize).toBe(8);
    expect(readFileSync(lm.dictFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => l.split(' ')[0])).toEqual([
      'a', 'birth', 'i', 'please', 'registration', 'ticket', 'want', 'want(2)', 'yes',
    ]);
    // The Vietnamese line's words never reach the model, not even as dropped words.
    expect(lm.droppedWords).not.toContain('toi');
    expect(lm.droppedWords).toContain('marriage');
    expect(lm.droppedTokens).toBeGreaterThan(lm.droppedWords.length - 1);
  });

  it('EXPECTED FAILURE - a missing dictionary names the Debian package', () => {
    expect(() => ensureDomainLm({ ...options, dictFile: join(dir, 'absent.dict') })).toThrow(/asr_unavailable.*pocketsphinx-en-us/);
  });

  it('EXPECTED FAILURE - training data and metadata of different lengths', () => {
    writeFileSync(metaFile, 'en\tc1\tt1\n');
    expect(() => ensureDomainLm(options)).toThrow(/asr_lm_invalid.*regenerate/);
  });
});

describe.skipIf(!cmudict.available)(`the shipped English domain model${cmudict.skipReason}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-domain-lm-real-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('covers the lobby vocabulary, reports the words cmudict lacks, and sums to 1 after sampled histories', () => {
    const catalog = loadCatalog();
    const lm = ensureDomainLm({
      catalog,
      trainFile: projectPath('models', 'data', 'train.tsv'),
      metaFile: projectPath('models', 'data', 'meta', 'train.tsv'),
      dictFile: CMUDICT,
      cacheDir: dir,
    });
    process.stdout.write(
      `domain LM: ${lm.sentences} sentences, ${lm.vocabularySize} words; dropped ${lm.droppedWords.length} distinct words ` +
        `(${lm.droppedTokens} occurrences) not in cmudict, e.g. ${lm.droppedWords.slice(0, 12).join(', ')}\n`,
    );
    const model = parseArpa(readFileSync(lm.lmFile, 'utf8'));
    const vocabulary = new Set(predictedVocabulary(model));
    const pronounceable = readPronunciations(readFileSync(CMUDICT, 'utf8'));
    for (const text of [...LOBBY_PHRASES, ...catalog.procedures().map((p) => p.names.en)]) {
      for (const word of normalizeWords(text)) if (pronounceable.has(word)) expect(vocabulary.has(word), word).toBe(true);
    }
    expect(domainTexts(catalog, []).length).toBeGreaterThan(catalog.procedures().length);
    // Every 97th stored history, so the check stays a few seconds on ~30 000 n-grams.
    const sampled = histories(model, [['counter', 'marriage'], ['yes', 'ticket']]).filter((_, i) => i % 97 === 0);
    const worst = expectDistributionsSumToOne(model, sampled);
    process.stdout.write(`domain LM: ${sampled.length} histories checked, worst |sum - 1| = ${worst.toExponential(2)}\n`);
  });
});
