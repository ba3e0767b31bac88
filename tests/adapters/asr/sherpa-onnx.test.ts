import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSherpaOnnxRecognizer,
  findSherpaModelFiles,
  importSherpaModule,
  sherpaConfidence,
  type SherpaModule,
  type SherpaResult,
} from '../../../src/adapters/asr/sherpa-onnx.js';

const root = mkdtempSync(join(tmpdir(), 'tiepdan-sherpa-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A model directory with these (empty) files. */
function modelDir(name: string, files: readonly string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file), '');
  return dir;
}

const VI_FILES = ['tokens.txt', 'encoder.int8.onnx', 'decoder.onnx', 'joiner.int8.onnx', 'bpe.model'];
const KO_FILES = ['tokens.txt', 'encoder-epoch-99-avg-1.int8.onnx', 'encoder-epoch-99-avg-1.onnx', 'decoder-epoch-99-avg-1.onnx', 'joiner-epoch-99-avg-1.onnx'];
const never = () => new AbortController().signal;
const coded = (code: string) => expect.objectContaining({ name: 'TiepdanError', code });

/** A stand-in for sherpa-onnx-node that records what it was given and answers `reply`. */
function fakeSherpa(reply: (samples: Float32Array) => SherpaResult): { module: SherpaModule; configs: object[]; waves: { samples: Float32Array; sampleRate: number }[] } {
  const configs: object[] = [];
  const waves: { samples: Float32Array; sampleRate: number }[] = [];
  class OfflineRecognizer {
    constructor(config: object) {
      configs.push(config);
    }
    createStream() {
      const stream = { wave: undefined as { samples: Float32Array; sampleRate: number } | undefined, acceptWaveform: (w: { samples: Float32Array; sampleRate: number }) => ((stream.wave = w), waves.push(w)) };
      return stream;
    }
    async decodeAsync(stream: { wave?: { samples: Float32Array } }) {
      return reply(stream.wave!.samples);
    }
    decode() {}
    getResult(): SherpaResult {
      return { text: '' };
    }
  }
  return { module: { OfflineRecognizer } as unknown as SherpaModule, configs, waves };
}

describe('sherpa-onnx model directories', () => {
  it('finds a Vietnamese-style transducer (encoder.int8.onnx, decoder.onnx, joiner.int8.onnx)', () => {
    const dir = modelDir('vi', VI_FILES);
    expect(findSherpaModelFiles({ lang: 'vi', dir })).toEqual({
      kind: 'transducer',
      tokens: join(dir, 'tokens.txt'),
      files: { encoder: join(dir, 'encoder.int8.onnx'), decoder: join(dir, 'decoder.onnx'), joiner: join(dir, 'joiner.int8.onnx') },
    });
  });

  it('finds a Korean-style transducer (encoder-epoch-99-avg-1.onnx), int8 first unless told otherwise', () => {
    const dir = modelDir('ko', KO_FILES);
    expect(findSherpaModelFiles({ lang: 'ko', dir }).files['encoder']).toBe(join(dir, 'encoder-epoch-99-avg-1.int8.onnx'));
    expect(findSherpaModelFiles({ lang: 'ko', dir }, false).files['encoder']).toBe(join(dir, 'encoder-epoch-99-avg-1.onnx'));
  });

  it('finds a single-file CTC model', () => {
    const dir = modelDir('ctc', ['tokens.txt', 'model.int8.onnx']);
    expect(findSherpaModelFiles({ lang: 'vi', dir, kind: 'zipformer-ctc' }).files).toEqual({ model: join(dir, 'model.int8.onnx') });
  });

  it('EXPECTED FAILURE - a missing directory is named', () => {
    expect(() => findSherpaModelFiles({ lang: 'vi', dir: join(root, 'absent') })).toThrow(
      `tiepdan asr_unavailable: sherpa-onnx vi model (transducer) in ${join(root, 'absent')}: the directory does not exist`,
    );
  });

  it('EXPECTED FAILURE - every missing file is named', () => {
    const dir = modelDir('partial', ['encoder.onnx']);
    expect(() => findSherpaModelFiles({ lang: 'ko', dir })).toThrow(
      `tiepdan asr_unavailable: sherpa-onnx ko model (transducer) in ${dir}: missing tokens.txt, decoder*.onnx, joiner*.onnx`,
    );
    const ctc = modelDir('ctc-partial', ['tokens.txt']);
    expect(() => findSherpaModelFiles({ lang: 'vi', dir: ctc, kind: 'sense-voice' })).toThrow(/missing model\*\.onnx$/);
  });
});

describe('sherpa-onnx recognizer', () => {
  it('EXPECTED FAILURE - checks the model directories before it loads the module', async () => {
    let loaded = false;
    const loadModule = async () => {
      loaded = true;
      return fakeSherpa(() => ({ text: '' })).module;
    };
    await expect(createSherpaOnnxRecognizer({ models: [{ lang: 'vi', dir: join(root, 'absent') }], loadModule })).rejects.toThrow(coded('asr_unavailable'));
    expect(loaded).toBe(false);
    await expect(createSherpaOnnxRecognizer({ models: [], loadModule })).rejects.toThrow(/no model directory configured/);
  });

  it('EXPECTED FAILURE - a module that is not installed gives asr_unavailable with the install command', async () => {
    await expect(importSherpaModule('sherpa-onnx-node-not-installed')).rejects.toThrow(
      'tiepdan asr_unavailable: sherpa-onnx-node-not-installed is not installed or does not load on this platform (npm install sherpa-onnx-node-not-installed)',
    );
    const models = [{ lang: 'vi' as const, dir: modelDir('vi-2', VI_FILES) }];
    await expect(createSherpaOnnxRecognizer({ models, loadModule: () => importSherpaModule('sherpa-onnx-node-not-installed') })).rejects.toThrow(coded('asr_unavailable'));
  });

  it('routes each segment to its language model, with float samples, and reads the text and confidence', async () => {
    const fake = fakeSherpa((samples) => (samples.length === 2 ? { text: ' Xin chào ', ys_log_probs: [Math.log(0.9), Math.log(0.8)] } : { text: '안녕하세요' }));
    const recognizer = await createSherpaOnnxRecognizer({
      models: [
        { lang: 'vi', dir: modelDir('vi-3', VI_FILES) },
        { lang: 'ko', dir: modelDir('ko-3', KO_FILES) },
      ],
      numThreads: 1,
      loadModule: async () => fake.module,
    });
    expect(recognizer.langs).toEqual(['vi', 'ko']);
    expect(fake.configs).toHaveLength(2);
    expect(fake.configs[0]).toMatchObject({ modelConfig: { transducer: { encoder: expect.stringMatching(/encoder\.int8\.onnx$/) }, numThreads: 1 } });

    const vi = await recognizer.transcribe({ samples: Int16Array.from([16384, -32768]), sampleRate: 16_000 }, { signal: never() });
    expect(fake.waves[0]).toEqual({ samples: Float32Array.from([0.5, -1]), sampleRate: 16_000 });
    expect(vi.text).toBe('xin chào');
    expect(vi.lang).toBe('vi');
    expect(vi.confidence).toBeCloseTo(Math.sqrt(0.9 * 0.8), 6);

    const ko = await recognizer.transcribe({ samples: new Int16Array(3), sampleRate: 16_000, lang: 'ko' }, { signal: never() });
    expect(ko).toEqual({ text: '안녕하세요', confidence: 0.8, lang: 'ko' });

    await expect(recognizer.transcribe({ samples: new Int16Array(3), sampleRate: 16_000, lang: 'en' }, { signal: never() })).rejects.toThrow(/asr_unsupported: sherpa-onnx: no model for language en \(configured: vi, ko\)/);
    await expect(recognizer.transcribe({ samples: new Int16Array(3), sampleRate: 16_000 }, { signal: AbortSignal.abort() })).rejects.toThrow(coded('asr_canceled'));
    await recognizer.close();
    await expect(recognizer.transcribe({ samples: new Int16Array(3), sampleRate: 16_000 }, { signal: never() })).rejects.toThrow(coded('asr_closed'));
  });

  it('scores confidence as exp(mean token log-probability), 0 for no text, the fallback without probabilities', () => {
    expect(sherpaConfidence({ text: 'a', ys_log_probs: [0, Math.log(0.25)] }, 0.8)).toBeCloseTo(0.5, 6);
    expect(sherpaConfidence({ text: '  ', ys_log_probs: [0] }, 0.8)).toBe(0);
    expect(sherpaConfidence({ text: 'a' }, 0.7)).toBe(0.7);
  });
});

// The real native module, when npm could install it here (it is an optional dependency).
const realModule = await importSherpaModule().catch((error: Error) => {
  process.stderr.write(`SKIPPED: sherpa-onnx-node does not load (${error.message})\n`);
  return null;
});

describe.skipIf(realModule === null)(`sherpa-onnx-node${realModule === null ? ' [SKIPPED: sherpa-onnx-node not installed]' : ''}`, () => {
  it('EXPECTED FAILURE - model files that are not ONNX models fail to load with the language and directory', async () => {
    const dir = modelDir('vi-empty', VI_FILES);
    await expect(createSherpaOnnxRecognizer({ models: [{ lang: 'vi', dir }] })).rejects.toThrow(`tiepdan asr_unavailable: sherpa-onnx: cannot load the vi model from ${dir}`);
  });
});
