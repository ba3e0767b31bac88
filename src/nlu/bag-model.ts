import { ELEM_FLOAT, ELEM_INT32, encodeOnnxModel, type OnnxNode } from './onnx-writer.js';

/**
 * The intent network: a bag of hashed-feature embeddings averaged into one vector, then a linear
 * softmax head per output (intent, procedure, language). The same arithmetic runs here in TypeScript
 * (training, tests) and as an ONNX graph in onnxruntime-node (the robot).
 */
export interface Head {
  readonly name: string;
  readonly labels: readonly string[];
  /** dim × labels, row-major. */
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

export interface BagWeights {
  readonly dim: number;
  readonly buckets: number;
  /** buckets × dim, row-major. */
  readonly embedding: Float32Array;
  readonly heads: readonly Head[];
}

/** Feature ids and their weights (1/n for a mean), as the featurizer gives them. */
export interface Features {
  readonly ids: Int32Array;
  readonly weights: Float32Array;
}

export function hiddenOf(model: BagWeights, features: Features): Float32Array {
  const hidden = new Float32Array(model.dim);
  for (let i = 0; i < features.ids.length; i += 1) {
    const row = features.ids[i]! * model.dim;
    const w = features.weights[i]!;
    for (let d = 0; d < model.dim; d += 1) hidden[d]! += w * model.embedding[row + d]!;
  }
  return hidden;
}

export function softmaxInPlace(values: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of values) max = Math.max(max, v);
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) {
    values[i] = Math.exp(values[i]! - max);
    sum += values[i]!;
  }
  for (let i = 0; i < values.length; i += 1) values[i]! /= sum;
  return values;
}

export function headProbabilities(head: Head, hidden: Float32Array): Float32Array {
  const k = head.labels.length;
  const logits = new Float32Array(head.bias);
  for (let d = 0; d < hidden.length; d += 1) {
    const h = hidden[d]!;
    if (h === 0) continue;
    const row = d * k;
    for (let j = 0; j < k; j += 1) logits[j]! += h * head.weight[row + j]!;
  }
  return softmaxInPlace(logits);
}

/** The TypeScript forward pass: probabilities per head, keyed by head name. */
export function forward(model: BagWeights, features: Features): Record<string, Float32Array> {
  const hidden = hiddenOf(model, features);
  return Object.fromEntries(model.heads.map((head) => [head.name, headProbabilities(head, hidden)]));
}

export const ONNX_INPUT_IDS = 'feature_ids';
export const ONNX_INPUT_WEIGHTS = 'feature_weights';
export const ONNX_OPSET = 13;

/** The ONNX graph of `forward`: Gather, MatMul (the weighted mean), then MatMul + Add + Softmax per head. */
export function bagModelToOnnx(model: BagWeights, metadata: Readonly<Record<string, string>>): Uint8Array {
  const nodes: OnnxNode[] = [
    { opType: 'Gather', name: 'embed', inputs: ['embedding', ONNX_INPUT_IDS], outputs: ['rows'], attributes: [{ name: 'axis', int: 0 }] },
    { opType: 'MatMul', name: 'mean', inputs: [ONNX_INPUT_WEIGHTS, 'rows'], outputs: ['hidden'] },
  ];
  for (const head of model.heads) {
    nodes.push(
      { opType: 'MatMul', name: `${head.name}_matmul`, inputs: ['hidden', `${head.name}_weight`], outputs: [`${head.name}_scores`] },
      { opType: 'Add', name: `${head.name}_add`, inputs: [`${head.name}_scores`, `${head.name}_bias`], outputs: [`${head.name}_logits`] },
      { opType: 'Softmax', name: `${head.name}_softmax`, inputs: [`${head.name}_logits`], outputs: [`${head.name}_probs`], attributes: [{ name: 'axis', int: -1 }] },
    );
  }
  return encodeOnnxModel({
    graphName: 'tiepdan_intent',
    opset: ONNX_OPSET,
    producer: 'tiepdan',
    nodes,
    initializers: [
      { name: 'embedding', dims: [model.buckets, model.dim], data: model.embedding },
      ...model.heads.flatMap((head) => [
        { name: `${head.name}_weight`, dims: [model.dim, head.labels.length], data: head.weight },
        { name: `${head.name}_bias`, dims: [head.labels.length], data: head.bias },
      ]),
    ],
    inputs: [
      // int32 ids: Gather takes them as they are, with no BigInt conversion per call.
      { name: ONNX_INPUT_IDS, elemType: ELEM_INT32, shape: ['n'] },
      { name: ONNX_INPUT_WEIGHTS, elemType: ELEM_FLOAT, shape: [1, 'n'] },
    ],
    outputs: model.heads.map((head) => ({ name: `${head.name}_probs`, elemType: ELEM_FLOAT, shape: [1, head.labels.length] })),
    metadata,
  });
}
