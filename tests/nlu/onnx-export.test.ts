import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { bagModelToOnnx, forward, ONNX_INPUT_IDS, ONNX_INPUT_WEIGHTS, type BagWeights, type Features } from '../../src/nlu/bag-model.js';
import { Random } from '../../src/util/random.js';

function randomModel(seed: number): BagWeights {
  const random = new Random(seed);
  const fill = (n: number) => Float32Array.from({ length: n }, () => random.between(-1, 1));
  const dim = 16;
  const buckets = 500;
  const head = (name: string, labels: number) => ({
    name,
    labels: Array.from({ length: labels }, (_, i) => `${name}${i}`),
    weight: fill(dim * labels),
    bias: fill(labels),
  });
  return { dim, buckets, embedding: fill(buckets * dim), heads: [head('intent', 18), head('procedure', 21), head('lang', 3)] };
}

function features(ids: number[]): Features {
  return { ids: Int32Array.from(ids), weights: Float32Array.from(ids, () => 1 / ids.length) };
}

describe('ONNX export of the bag-of-features network', () => {
  it('runs in onnxruntime-node and gives the TypeScript forward pass to 1e-5', async () => {
    const model = randomModel(42);
    const bytes = bagModelToOnnx(model, { labels: 'test' });
    const session = await ort.InferenceSession.create(bytes);
    try {
      expect(session.inputNames).toEqual([ONNX_INPUT_IDS, ONNX_INPUT_WEIGHTS]);
      for (const ids of [[0], [1, 2, 3], [499, 7, 7, 12, 250], Array.from({ length: 200 }, (_, i) => (i * 37) % 500)]) {
        const f = features(ids);
        const out = await session.run({
          [ONNX_INPUT_IDS]: new ort.Tensor('int32', ids, [ids.length]),
          [ONNX_INPUT_WEIGHTS]: new ort.Tensor('float32', f.weights, [1, ids.length]),
        });
        const expected = forward(model, f);
        for (const head of model.heads) {
          const got = out[`${head.name}_probs`]!.data as Float32Array;
          expect(got.length).toBe(head.labels.length);
          for (let j = 0; j < got.length; j += 1) expect(Math.abs(got[j]! - expected[head.name]![j]!)).toBeLessThan(1e-5);
        }
      }
    } finally {
      await session.release();
    }
  });

  it('serialises the same model to the same bytes', () => {
    expect(Buffer.from(bagModelToOnnx(randomModel(1), { a: '1' })).equals(Buffer.from(bagModelToOnnx(randomModel(1), { a: '1' })))).toBe(true);
  });

  it('loads with metadata attached and names one output per head', async () => {
    const session = await ort.InferenceSession.create(bagModelToOnnx(randomModel(3), { thresholds: '{"intent":0.5}' }));
    expect(session.outputNames).toEqual(['intent_probs', 'procedure_probs', 'lang_probs']);
    await session.release();
  });
});
