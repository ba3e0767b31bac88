import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bagModelToOnnx, forward } from '../../src/nlu/bag-model.js';
import { featurize } from '../../src/nlu/featurizer.js';
import { trainBagModel, type Example } from '../../src/nlu/train.js';

const DATA: [string, number][] = [
  ['làm giấy khai sinh cho con', 0],
  ['dang ky khai sinh', 0],
  ['register my baby birth', 0],
  ['출생신고 하려고요', 0],
  ['đăng ký kết hôn', 1],
  ['lam giay ket hon', 1],
  ['we want to get married', 1],
  ['혼인신고 어디서 해요', 1],
  ['thời tiết hôm nay thế nào', 2],
  ['what is the weather like', 2],
  ['배고파요', 2],
];
const examples: Example[] = DATA.map(([text, label]) => ({ features: featurize(text), labels: [label] }));
const options = { dim: 8, buckets: 32_768, epochs: 100, seed: 7, learningRate: 0.5, heads: [{ name: 'intent', labels: ['birth', 'marriage', 'other'] }] };

describe('training', () => {
  it('learns a small trilingual set', () => {
    const model = trainBagModel(examples, options);
    for (const [text, label] of DATA) {
      const probs = forward(model, featurize(text))['intent']!;
      expect(probs.indexOf(Math.max(...probs))).toBe(label);
    }
  });

  it('gives the same bytes for the same data and seed, and different ones for another seed', () => {
    const bytes = (seed: number) => createHash('sha256').update(bagModelToOnnx(trainBagModel(examples, { ...options, seed }), {})).digest('hex');
    expect(bytes(7)).toBe(bytes(7));
    expect(bytes(8)).not.toBe(bytes(7));
  });
});
