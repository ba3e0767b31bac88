import { Random } from '../util/random.js';
import { hiddenOf, softmaxInPlace, type BagWeights, type Features, type Head } from './bag-model.js';

/** One training example: the featurised text and the label index per head (same order as the heads). */
export interface Example {
  readonly features: Features;
  readonly labels: readonly number[];
}

export interface TrainOptions {
  readonly dim: number;
  readonly buckets: number;
  readonly epochs: number;
  readonly seed: number;
  /** Starting learning rate, decayed linearly to zero over training, as fastText does. */
  readonly learningRate: number;
  readonly heads: readonly { readonly name: string; readonly labels: readonly string[] }[];
  /**
   * Label smoothing: this share of each target's probability is spread evenly over all labels of the
   * head (0 or absent = one-hot targets). Keeps the model from betting everything on one template's words.
   */
  readonly labelSmoothing?: number;
  readonly onEpoch?: (epoch: number, meanLoss: number) => void;
}

/**
 * Plain SGD on the summed cross-entropy of every head. Single-threaded with a seeded shuffle and
 * float32 weights, so the same data and seed give the same bytes.
 */
export function trainBagModel(examples: readonly Example[], options: TrainOptions): BagWeights {
  const random = new Random(options.seed);
  const { dim, buckets } = options;
  // fastText's initialisation: embeddings uniform in ±1/dim, heads at zero.
  const embedding = Float32Array.from({ length: buckets * dim }, () => random.between(-1 / dim, 1 / dim));
  const heads: Head[] = options.heads.map((h) => ({
    name: h.name,
    labels: h.labels,
    weight: new Float32Array(dim * h.labels.length),
    bias: new Float32Array(h.labels.length),
  }));
  const order = examples.map((_, i) => i);
  const total = Math.max(1, examples.length * options.epochs);
  const gradHidden = new Float32Array(dim);
  let step = 0;
  const smoothing = options.labelSmoothing ?? 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    for (const index of order) {
      const example = examples[index]!;
      const lr = options.learningRate * (1 - step / total);
      step += 1;
      const hidden = hiddenOf({ dim, buckets, embedding, heads }, example.features);
      gradHidden.fill(0);
      heads.forEach((head, h) => {
        const k = head.labels.length;
        const target = example.labels[h]!;
        const probs = new Float32Array(head.bias);
        for (let d = 0; d < dim; d += 1) {
          const hv = hidden[d]!;
          if (hv === 0) continue;
          for (let c = 0; c < k; c += 1) probs[c]! += hv * head.weight[d * k + c]!;
        }
        softmaxInPlace(probs);
        lossSum -= Math.log(Math.max(probs[target]!, 1e-12));
        if (smoothing > 0) for (let c = 0; c < k; c += 1) probs[c]! -= smoothing / k;
        probs[target]! -= 1 - smoothing;
        for (let d = 0; d < dim; d += 1) {
          const row = d * k;
          let g = 0;
          for (let c = 0; c < k; c += 1) {
            g += head.weight[row + c]! * probs[c]!;
            head.weight[row + c]! -= lr * hidden[d]! * probs[c]!;
          }
          gradHidden[d]! += g;
        }
        for (let c = 0; c < k; c += 1) head.bias[c]! -= lr * probs[c]!;
      });
      const { ids, weights } = example.features;
      for (let f = 0; f < ids.length; f += 1) {
        const row = ids[f]! * dim;
        const w = weights[f]!;
        for (let d = 0; d < dim; d += 1) embedding[row + d]! -= lr * w * gradHidden[d]!;
      }
    }
    options.onEpoch?.(epoch + 1, lossSum / Math.max(1, examples.length));
  }
  return { dim, buckets, embedding, heads };
}
