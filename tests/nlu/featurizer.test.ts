import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURIZER, featureStrings, featurize, hash32, weightedFeatureStrings } from '../../src/nlu/featurizer.js';

describe('featurizer', () => {
  it('gives the same features with and without Vietnamese diacritics, plus the marked spelling', () => {
    const marked = featureStrings('Làm giấy khai sinh');
    const plain = featureStrings('lam giay khai sinh');
    for (const f of plain) expect(marked).toContain(f);
    expect(marked).toContain('x:giấy');
    expect(plain).toContain('w:khai sinh');
  });

  it('keeps Hangul whole and uses short character n-grams for it', () => {
    const f = featureStrings('혼인신고 하려고요');
    expect(f).toContain('w:혼인신고');
    expect(f).toContain('c:혼인');
    expect(f.some((s) => s.startsWith('x:'))).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['only symbols and emoji', '🙂🙂 !!! ???'],
    ['control characters', '\u0000\u0007\u001b[31m'],
    ['a lone surrogate', 'abc\ud800def'],
    ['10,000 characters', 'khai sinh '.repeat(1000)],
  ])('handles %s without crashing, within the bucket range', (_name, text) => {
    const { ids, weights } = featurize(text);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBe(weights.length);
    for (const id of ids) expect(id >= 0 && id < DEFAULT_FEATURIZER.buckets).toBe(true);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('marks the sentence start and end and weights word features above character n-grams', () => {
    const { features, weights } = weightedFeatureStrings('no thanks');
    expect(features).toContain('w:<s> no');
    expect(features).toContain('w:thanks </s>');
    const weightOf = (f: string) => weights[features.indexOf(f)]!;
    expect(weightOf('w:thanks') / weightOf('c:tha')).toBeCloseTo(DEFAULT_FEATURIZER.wordWeight ?? 1, 5);
    const hangul = weightedFeatureStrings('네 좋아요');
    expect(hangul.weights[hangul.features.indexOf('c:좋')]! / hangul.weights[hangul.features.indexOf('w:좋아요')]!).toBeCloseTo(
      (DEFAULT_FEATURIZER.hangulCharWeight ?? 1) / (DEFAULT_FEATURIZER.wordWeight ?? 1),
      5,
    );
  });

  it('hashes stably (the shipped model depends on these exact values)', () => {
    expect(hash32('')).toBe(0x811c9dc5);
    expect(hash32('a')).toBe(0xe40c292c);
    expect(hash32('w:khai sinh')).toBe(hash32('w:khai sinh'));
  });

  it('hashes features as it builds them, to exactly the ids of featureStrings, in order', () => {
    const words = fc.constantFrom('khai', 'sinh', 'giấy', 'Đăng', 'ký', '혼인신고', '하려고요', 'birth', 'a', 'ở', '🙂', 'x\u0301', '3', 'đ');
    const settings = fc.record({
      buckets: fc.integer({ min: 64, max: 1 << 20 }),
      wordNgrams: fc.integer({ min: 1, max: 3 }),
      charNgramMin: fc.integer({ min: 1, max: 3 }),
      charNgramMax: fc.integer({ min: 3, max: 6 }),
      hangulNgramMax: fc.integer({ min: 1, max: 4 }),
      boundaries: fc.boolean(),
      wordWeight: fc.constantFrom(1, 0.5, 3),
      hangulCharWeight: fc.constantFrom(1, 2, 3),
    });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(words, { maxLength: 12 }).map((w) => w.join(' '))), settings, (text, config) => {
        const expected = weightedFeatureStrings(text, config);
        const got = featurize(text, config);
        expect(Array.from(got.ids)).toEqual(expected.features.map((f) => hash32(f) % config.buckets));
        expect(Array.from(got.weights)).toEqual(Array.from(expected.weights));
      }),
      { numRuns: 400 },
    );
  });
});
