/**
 * Writes ONNX models (ModelProto, protobuf wire format) from plain TypeScript, without an ONNX library:
 * only what the intent model's graph needs (float and int64 tensors, nodes with int/ints/float attributes).
 * Field numbers are those of onnx/onnx.proto3.
 */

type Bytes = Uint8Array;

class ProtoWriter {
  readonly #chunks: Bytes[] = [];
  #length = 0;

  #push(bytes: Bytes): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  #varint(value: bigint): void {
    // Negative int64 values are written as their 64-bit two's complement, as protobuf does.
    let v = BigInt.asUintN(64, value);
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      out.push(byte);
    } while (v !== 0n);
    this.#push(Uint8Array.from(out));
  }

  #key(field: number, wireType: 0 | 1 | 2 | 5): void {
    this.#varint(BigInt((field << 3) | wireType));
  }

  int(field: number, value: number | bigint): this {
    this.#key(field, 0);
    this.#varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.#key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.#push(b);
    return this;
  }

  bytes(field: number, value: Bytes): this {
    this.#key(field, 2);
    this.#varint(BigInt(value.length));
    this.#push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Bytes {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/** ONNX TensorProto.DataType values used here. */
export const ELEM_FLOAT = 1;
export const ELEM_INT32 = 6;
export const ELEM_INT64 = 7;

export interface FloatTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export type Attribute =
  | { readonly name: string; readonly int: number }
  | { readonly name: string; readonly ints: readonly number[] }
  | { readonly name: string; readonly float: number };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attributes?: readonly Attribute[];
}

export interface ValueInfo {
  readonly name: string;
  readonly elemType: typeof ELEM_FLOAT | typeof ELEM_INT32 | typeof ELEM_INT64;
  /** A number is a fixed size; a string names a dynamic dimension. */
  readonly shape: readonly (number | string)[];
}

export interface OnnxModel {
  readonly graphName: string;
  readonly opset: number;
  readonly producer: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly FloatTensor[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

/** ONNX IR version 8 goes with opsets up to 18 and is read by every current onnxruntime. */
const IR_VERSION = 8;

function writeValueInfo(w: ProtoWriter, info: ValueInfo): void {
  w.string(1, info.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, info.elemType).message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      }),
    ),
  );
}

function writeAttribute(w: ProtoWriter, attribute: Attribute): void {
  w.string(1, attribute.name);
  if ('int' in attribute) w.int(3, attribute.int).int(20, 2);
  else if ('float' in attribute) w.float(2, attribute.float).int(20, 1);
  else {
    for (const v of attribute.ints) w.int(8, v);
    w.int(20, 7);
  }
}

/** Serialises the model; the bytes are the same for the same model, so a hash of them is stable. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, IR_VERSION);
  w.string(2, model.producer);
  w.message(7, (graph) => {
    for (const node of model.nodes) {
      graph.message(1, (n) => {
        for (const input of node.inputs) n.string(1, input);
        for (const output of node.outputs) n.string(2, output);
        n.string(3, node.name).string(4, node.opType);
        for (const attribute of node.attributes ?? []) n.message(5, (a) => writeAttribute(a, attribute));
      });
    }
    graph.string(2, model.graphName);
    for (const tensor of model.initializers) {
      graph.message(5, (t) => {
        for (const dim of tensor.dims) t.int(1, dim);
        t.int(2, ELEM_FLOAT).string(8, tensor.name);
        // raw_data is little-endian; copy so a view into a larger buffer is written exactly.
        const raw = new Uint8Array(tensor.data.length * 4);
        const view = new DataView(raw.buffer);
        tensor.data.forEach((value, i) => view.setFloat32(i * 4, value, true));
        t.bytes(9, raw);
      });
    }
    for (const input of model.inputs) graph.message(11, (v) => writeValueInfo(v, input));
    for (const output of model.outputs) graph.message(12, (v) => writeValueInfo(v, output));
  });
  w.message(8, (opset) => opset.string(1, '').int(2, model.opset));
  for (const [key, value] of Object.entries(model.metadata)) w.message(14, (e) => e.string(1, key).string(2, value));
  return w.finish();
}
