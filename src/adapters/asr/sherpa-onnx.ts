/**
 * Speech recognition with sherpa-onnx (next-gen Kaldi on onnxruntime) for every language the config
 * gives a model directory for: the Vietnamese and Korean zipformer transducers, for instance. The
 * native module `sherpa-onnx-node` is an optional dependency, imported only when a recognizer is
 * created; the model directories are checked before that, so a wrong path fails at start-up with the
 * missing file's name, not at the first citizen.
 *
 * Which files a model directory needs, from the sherpa-onnx pretrained-model pages and releases:
 *  - every kind: `tokens.txt`;
 *  - `transducer` (zipformer, conformer): one `encoder*.onnx`, one `decoder*.onnx`, one `joiner*.onnx`;
 *    releases name them `encoder-epoch-99-avg-1.onnx` (Korean, 2024-06-24) or `encoder.int8.onnx`
 *    (Vietnamese, 2026-02-09), often with an int8 and a float version side by side;
 *  - `zipformer-ctc`, `nemo-ctc`, `sense-voice`, `paraformer`: one `model*.onnx`.
 * When both `X.int8.onnx` and `X.onnx` are there, `preferInt8` picks which (default int8: smaller, and
 * the speed a CPU-only robot needs).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Cancellable, Lang } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import { ASR_SAMPLE_RATE_HZ, type SpeechRecognizer, type SpeechSegment, type Transcript } from '../../ports/speech-recognizer.js';

export type SherpaModelKind = 'transducer' | 'zipformer-ctc' | 'nemo-ctc' | 'sense-voice' | 'paraformer';

export interface SherpaModelConfig {
  readonly lang: Lang;
  /** The unpacked model directory, as released by sherpa-onnx. */
  readonly dir: string;
  /** Default `transducer`. */
  readonly kind?: SherpaModelKind;
}

/** The part of `sherpa-onnx-node` this adapter uses (the package ships no type declarations). */
export interface SherpaModule {
  readonly OfflineRecognizer: {
    new (config: object): SherpaOfflineRecognizer;
    createAsync?(config: object): Promise<SherpaOfflineRecognizer>;
  };
}
export interface SherpaOfflineRecognizer {
  createStream(): { acceptWaveform(wave: { samples: Float32Array; sampleRate: number }): void };
  decodeAsync?(stream: ReturnType<SherpaOfflineRecognizer['createStream']>): Promise<SherpaResult>;
  decode(stream: ReturnType<SherpaOfflineRecognizer['createStream']>): void;
  getResult(stream: ReturnType<SherpaOfflineRecognizer['createStream']>): SherpaResult;
}
export interface SherpaResult {
  readonly text: string;
  /** Per-token log probabilities, when the model and decoding method give them. */
  readonly ys_log_probs?: readonly number[];
  readonly ys_probs?: readonly number[];
}

export interface SherpaOnnxOptions {
  /** One model per language; the first is used for segments that name no language. */
  readonly models: readonly SherpaModelConfig[];
  /** onnxruntime threads per model; default 2. */
  readonly numThreads?: number;
  /** Default true. */
  readonly preferInt8?: boolean;
  /** The confidence of a non-empty transcript when the result carries no token probabilities; default 0.8. */
  readonly fallbackConfidence?: number;
  /** How the native module is loaded; default `import('sherpa-onnx-node')`. Tests pass a fake or a failing loader. */
  readonly loadModule?: () => Promise<SherpaModule>;
}

export const SHERPA_ONNX_DEFAULTS = { numThreads: 2, preferInt8: true, fallbackConfidence: 0.8 } as const;

const MODULE_NAME = 'sherpa-onnx-node';

/** The model files found in a directory, as sherpa-onnx's `modelConfig` wants them. */
export interface SherpaModelFiles {
  readonly tokens: string;
  readonly kind: SherpaModelKind;
  /** kind `transducer`: encoder, decoder, joiner; other kinds: model. */
  readonly files: Readonly<Record<string, string>>;
}

const ROLES: Record<SherpaModelKind, readonly string[]> = {
  transducer: ['encoder', 'decoder', 'joiner'],
  'zipformer-ctc': ['model'],
  'nemo-ctc': ['model'],
  'sense-voice': ['model'],
  paraformer: ['model'],
};

function missing(model: SherpaModelConfig, what: string): TiepdanError {
  return new TiepdanError('asr_unavailable', `sherpa-onnx ${model.lang} model (${model.kind ?? 'transducer'}) in ${model.dir}: ${what}`);
}

/**
 * Finds the files a model of `kind` needs in `dir`; throws `asr_unavailable` naming the directory or
 * every missing file. `encoder*.onnx` matches `encoder.onnx`, `encoder.int8.onnx` and `encoder-epoch-99-avg-1.onnx`.
 */
export function findSherpaModelFiles(model: SherpaModelConfig, preferInt8: boolean = SHERPA_ONNX_DEFAULTS.preferInt8): SherpaModelFiles {
  const kind = model.kind ?? 'transducer';
  if (!existsSync(model.dir) || !statSync(model.dir).isDirectory()) throw missing(model, 'the directory does not exist');
  const names = readdirSync(model.dir).sort();
  const absent: string[] = [];
  if (!names.includes('tokens.txt')) absent.push('tokens.txt');
  const files: Record<string, string> = {};
  for (const role of ROLES[kind]) {
    const candidates = names.filter((name) => name.startsWith(role) && name.endsWith('.onnx'));
    const int8 = candidates.filter((name) => name.endsWith('.int8.onnx'));
    const float = candidates.filter((name) => !name.endsWith('.int8.onnx'));
    const pick = (preferInt8 ? [...int8, ...float] : [...float, ...int8])[0];
    if (pick === undefined) absent.push(`${role}*.onnx`);
    else files[role] = join(model.dir, pick);
  }
  if (absent.length > 0) throw missing(model, `missing ${absent.join(', ')}`);
  return { tokens: join(model.dir, 'tokens.txt'), kind, files };
}

/** sherpa-onnx's `OfflineRecognizerConfig` for the files found. */
export function recognizerConfig(found: SherpaModelFiles, numThreads: number): object {
  const model = found.files['model'];
  const byKind: Record<SherpaModelKind, object> = {
    transducer: { transducer: { encoder: found.files['encoder'], decoder: found.files['decoder'], joiner: found.files['joiner'] } },
    'zipformer-ctc': { zipformerCtc: { model } },
    'nemo-ctc': { nemoCtc: { model } },
    'sense-voice': { senseVoice: { model, useInverseTextNormalization: 1 } },
    paraformer: { paraformer: { model } },
  };
  return {
    featConfig: { sampleRate: ASR_SAMPLE_RATE_HZ, featureDim: 80 },
    modelConfig: { ...byKind[found.kind], tokens: found.tokens, numThreads, provider: 'cpu', debug: 0 },
    decodingMethod: 'greedy_search',
  };
}

/** exp(mean token log-probability) when the result has them; else the fallback for non-empty text. */
export function sherpaConfidence(result: SherpaResult, fallback: number): number {
  if (result.text.trim() === '') return 0;
  const logProbs = result.ys_log_probs ?? result.ys_probs;
  if (!logProbs || logProbs.length === 0) return fallback;
  const mean = logProbs.reduce((sum, p) => sum + p, 0) / logProbs.length;
  return Math.min(1, Math.max(0, Math.exp(mean)));
}

/**
 * Imports the native module; `asr_unavailable` when it is absent or does not load. The specifier is a
 * parameter (a variable keeps TypeScript from resolving the optional, untyped package at build time).
 */
export async function importSherpaModule(specifier: string = MODULE_NAME): Promise<SherpaModule> {
  let loaded: Partial<SherpaModule> & { default?: Partial<SherpaModule> };
  try {
    loaded = (await import(specifier)) as typeof loaded;
  } catch (cause) {
    throw new TiepdanError('asr_unavailable', `${specifier} is not installed or does not load on this platform (npm install ${specifier})`, { cause });
  }
  // CommonJS: Node finds only some of its named exports; the whole object is the default export.
  const module = loaded.OfflineRecognizer ? loaded : loaded.default;
  if (!module?.OfflineRecognizer) throw new TiepdanError('asr_unavailable', `${specifier} has no OfflineRecognizer; is it sherpa-onnx-node?`);
  return module as SherpaModule;
}

/**
 * Checks every model directory, then loads the native module and one recognizer per language.
 * Throws `asr_unavailable` with the missing file or the module's name.
 */
export async function createSherpaOnnxRecognizer(options: SherpaOnnxOptions): Promise<SpeechRecognizer> {
  const o = { ...SHERPA_ONNX_DEFAULTS, ...options };
  if (o.models.length === 0) throw new TiepdanError('asr_unavailable', 'sherpa-onnx: no model directory configured');
  const langs = o.models.map((m) => m.lang);
  const duplicate = langs.find((lang, i) => langs.indexOf(lang) !== i);
  if (duplicate !== undefined) throw new TiepdanError('asr_unavailable', `sherpa-onnx: two models for language ${duplicate}`);
  const found = o.models.map((model) => ({ lang: model.lang, files: findSherpaModelFiles(model, o.preferInt8) }));

  const sherpa = await (o.loadModule ?? (() => importSherpaModule()))();
  const recognizers = new Map<Lang, SherpaOfflineRecognizer>();
  for (const { lang, files } of found) {
    const config = recognizerConfig(files, o.numThreads);
    try {
      recognizers.set(lang, sherpa.OfflineRecognizer.createAsync ? await sherpa.OfflineRecognizer.createAsync(config) : new sherpa.OfflineRecognizer(config));
    } catch (cause) {
      throw new TiepdanError('asr_unavailable', `sherpa-onnx: cannot load the ${lang} model from ${files.tokens.replace(/\/tokens\.txt$/, '')}`, { cause });
    }
  }
  let closed = false;

  const transcribe = async (segment: SpeechSegment, { signal }: Cancellable): Promise<Transcript> => {
    if (closed) throw new TiepdanError('asr_closed', 'sherpa-onnx: the recognizer is closed');
    const lang = segment.lang ?? langs[0]!;
    const recognizer = recognizers.get(lang);
    if (!recognizer) throw new TiepdanError('asr_unsupported', `sherpa-onnx: no model for language ${lang} (configured: ${langs.join(', ')})`);
    if (segment.sampleRate !== ASR_SAMPLE_RATE_HZ) {
      throw new TiepdanError('asr_unsupported', `sherpa-onnx: sample rate ${String(segment.sampleRate)} Hz; resample to ${ASR_SAMPLE_RATE_HZ} Hz first`);
    }
    if (signal.aborted) throw new TiepdanError('asr_canceled', 'sherpa-onnx: canceled before it started', { cause: signal.reason });
    const samples = Float32Array.from(segment.samples, (s) => s / 32768);
    const stream = recognizer.createStream();
    stream.acceptWaveform({ samples, sampleRate: ASR_SAMPLE_RATE_HZ });
    let result: SherpaResult;
    try {
      if (recognizer.decodeAsync) result = await recognizer.decodeAsync(stream);
      else {
        recognizer.decode(stream);
        result = recognizer.getResult(stream);
      }
    } catch (cause) {
      throw new TiepdanError('asr_failed', `sherpa-onnx: decoding failed (${lang})`, { cause });
    }
    // The native decode cannot be interrupted; a canceled call drops its result.
    if (signal.aborted) throw new TiepdanError('asr_canceled', 'sherpa-onnx: canceled', { cause: signal.reason });
    const text = result.text.trim().toLowerCase();
    return { text, confidence: sherpaConfidence(result, o.fallbackConfidence), lang };
  };

  return {
    name: 'sherpa-onnx',
    langs,
    transcribe,
    // The recognizers' native memory is freed by their finalizers once they are unreachable.
    close: async () => {
      closed = true;
      recognizers.clear();
    },
  };
}
