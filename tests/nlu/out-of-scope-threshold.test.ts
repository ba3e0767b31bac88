import { describe, expect, it } from 'vitest';
import { predictionFrom, type IntentMetadata } from '../../src/nlu/intent-package.js';

/** Only the heads and thresholds matter to reading a prediction; the rest is a well-formed stand-in. */
function metadata(thresholds: IntentMetadata['thresholds']): IntentMetadata {
  return {
    format: 'tiepdan-intent/1',
    heads: [
      { name: 'intent', labels: ['ask_procedure', 'ask_fee', 'out_of_scope'] },
      { name: 'slot', labels: ['', 'birth_registration'] },
      { name: 'lang', labels: ['vi', 'en', 'ko'] },
    ],
    featurizer: { buckets: 16, wordNgrams: 1, charNgramMin: 2, charNgramMax: 3, hangulNgramMax: 2 },
    thresholds,
    training: { seed: 1, epochs: 1, dim: 2, learningRate: 1, trainExamples: 1, trainSha256: '', devSha256: '' },
    onnx: { file: 'model.onnx', sha256: '', opset: 13 },
  };
}

const probs = (intent: number[]) => ({ intent: Float32Array.from(intent), slot: Float32Array.from([0.2, 0.8]), lang: Float32Array.from([0.7, 0.2, 0.1]) });

describe('the out-of-scope threshold', () => {
  it('turns a top intent less sure than the threshold into the out-of-scope label, keeping its probability and ranking', () => {
    const p = predictionFrom(probs([0.45, 0.35, 0.2]), metadata({ outOfScope: 0.6, outOfScopeLabel: 'out_of_scope' }));
    expect(p.intent).toBe('out_of_scope');
    expect(p.intentProbability).toBeCloseTo(0.45, 6);
    expect(p.top.map((t) => t.label)).toEqual(['ask_procedure', 'ask_fee', 'out_of_scope']);
    expect([p.slot, p.lang]).toEqual(['birth_registration', 'vi']);
  });

  it('leaves a top intent at or above the threshold alone', () => {
    expect(predictionFrom(probs([0.7, 0.2, 0.1]), metadata({ outOfScope: 0.6, outOfScopeLabel: 'out_of_scope' })).intent).toBe('ask_procedure');
    expect(predictionFrom(probs([0.6, 0.3, 0.1]), metadata({ outOfScope: 0.6, outOfScopeLabel: 'out_of_scope' })).intent).toBe('ask_procedure');
  });

  it('has nothing to turn to when the data had no out-of-scope label', () => {
    expect(predictionFrom(probs([0.45, 0.35, 0.2]), metadata({ outOfScope: 0.6, outOfScopeLabel: null })).intent).toBe('ask_procedure');
  });
});
