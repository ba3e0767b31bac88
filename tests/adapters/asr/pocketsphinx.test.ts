import { encodeWav } from '../../../src/adapters/audio/wav.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  POCKETSPHINX_DEFAULTS,
  createPocketsphinxRecognizer,
  parseContinuousOutput,
  transcriptOf,
  type PocketsphinxRecognizer,
} from '../../../src/adapters/asr/pocketsphinx.js';
import { loadIntentModel, SHIPPED_MODEL_DIR, type OwnedIntentModel } from '../../../src/app/intent-model.js';
import { loadCatalog } from '../../../src/civic/catalog.js';
import { percentile } from '../../../src/stats.js';
import { systemTool } from '../../system.js';
import { ESPEAK, LOBBY_REQUESTS, SOX, TEST_VOICES, measureRecognition, synthesize } from './lobby-requests.js';

const binary = systemTool(POCKETSPHINX_DEFAULTS.binary, 'pocketsphinx');
const acoustic = systemTool(join(POCKETSPHINX_DEFAULTS.hmmDir, 'mdef'), 'pocketsphinx-en-us');
const espeak = systemTool(ESPEAK, 'espeak-ng');
const sox = systemTool(SOX, 'sox');
const pocketsphinxReady = binary.available && acoustic.available;
const synthesisReady = espeak.available && sox.available;

const catalog = loadCatalog();
const never = () => new AbortController().signal;
const coded = (code: string) => expect.objectContaining({ name: 'TiepdanError', code });

// What pocketsphinx_continuous -time yes printed for "take me to the counter" (espeak-ng en-us voice).
const CONTINUOUS_OUTPUT = `the counter
<s> 0.000 0.080 0.999900
the(2) 0.090 0.430 0.543312
<sil> 0.440 0.660 0.761830
counter 0.670 1.170 0.477073
</s> 1.180 1.450 1.000000
yes
<s> 1.500 1.600 1.000000
yes 1.610 1.900 1.000100
[NOISE] 1.900 2.000 0.500000
</s> 2.000 2.100 1.000000
`;

describe('pocketsphinx output and input formats', () => {
  it('reads words and posteriors from every utterance, without fillers or pronunciation marks, clamped to 0..1', () => {
    expect(parseContinuousOutput(CONTINUOUS_OUTPUT)).toEqual([
      { word: 'the', posterior: 0.543312 },
      { word: 'counter', posterior: 0.477073 },
      { word: 'yes', posterior: 1 },
    ]);
  });

  it('makes the transcript the words joined, its confidence their mean posterior, 0 when nothing was heard', () => {
    const t = transcriptOf(parseContinuousOutput(CONTINUOUS_OUTPUT));
    expect(t.text).toBe('the counter yes');
    expect(t.confidence).toBeCloseTo((0.543312 + 0.477073 + 1) / 3, 6);
    expect(transcriptOf([])).toEqual({ text: '', confidence: 0 });
  });

  it('hands pocketsphinx a 16-bit mono WAV: header, then the data', () => {
    const wav = encodeWav(Int16Array.from([1, -2, 32767]), 16_000);
    expect(wav.length).toBe(44 + 6);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(16_000);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.readUInt32LE(40)).toBe(6);
    expect(wav.readInt16LE(46)).toBe(-2);
  });
});

describe('pocketsphinx adapter: missing pieces', () => {
  it('EXPECTED FAILURE - a missing binary names the Debian packages', async () => {
    await expect(createPocketsphinxRecognizer({ catalog, binary: '/nonexistent/pocketsphinx_continuous' })).rejects.toThrow(
      /asr_unavailable: pocketsphinx: the binary \/nonexistent\/pocketsphinx_continuous not found \(apt-get install pocketsphinx pocketsphinx-en-us\)/,
    );
  });

  it('EXPECTED FAILURE - a missing acoustic model names the file and the packages', async () => {
    await expect(createPocketsphinxRecognizer({ catalog, binary: process.execPath, hmmDir: '/nonexistent/en-us' })).rejects.toThrow(
      /asr_unavailable: pocketsphinx: the acoustic model \/nonexistent\/en-us\/mdef not found \(apt-get install pocketsphinx pocketsphinx-en-us\)/,
    );
  });
});

describe.skipIf(!pocketsphinxReady)(`pocketsphinx adapter${binary.skipReason}${acoustic.skipReason}`, () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'tiepdan-asr-cache-'));
  let recognizer: PocketsphinxRecognizer;
  beforeAll(async () => {
    recognizer = await createPocketsphinxRecognizer({ catalog, cacheDir });
  });
  afterAll(async () => {
    await recognizer.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('hears English only, from 16 kHz audio', async () => {
    expect(recognizer.langs).toEqual(['en']);
    const samples = new Int16Array(16_000);
    await expect(recognizer.transcribe({ samples, sampleRate: 16_000, lang: 'vi' }, { signal: never() })).rejects.toThrow(coded('asr_unsupported'));
    await expect(recognizer.transcribe({ samples, sampleRate: 8000 as 16_000 }, { signal: never() })).rejects.toThrow(coded('asr_unsupported'));
  });

  it('gives an empty transcript with confidence 0 for silence', async () => {
    const t = await recognizer.transcribe({ samples: new Int16Array(16_000), sampleRate: 16_000 }, { signal: never() });
    expect(t).toEqual({ text: '', confidence: 0, lang: 'en' });
  });

  it('EXPECTED FAILURE - an aborted signal cancels: before the start, and while the child runs', async () => {
    const samples = new Int16Array(5 * 16_000);
    await expect(recognizer.transcribe({ samples, sampleRate: 16_000 }, { signal: AbortSignal.abort() })).rejects.toThrow(coded('asr_canceled'));
    const controller = new AbortController();
    const pending = recognizer.transcribe({ samples, sampleRate: 16_000 }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow(coded('asr_canceled'));
  });

  it('EXPECTED FAILURE - close stops calls in flight and refuses new ones', async () => {
    const other = await createPocketsphinxRecognizer({ catalog, cacheDir });
    expect(other.lm.fromCache).toBe(true);
    const pending = other.transcribe({ samples: new Int16Array(5 * 16_000), sampleRate: 16_000 }, { signal: never() });
    await other.close();
    await expect(pending).rejects.toThrow(coded('asr_closed'));
    await expect(other.transcribe({ samples: new Int16Array(160), sampleRate: 16_000 }, { signal: never() })).rejects.toThrow(coded('asr_closed'));
  });

  describe.skipIf(!synthesisReady)(`recognition of synthesized lobby requests${espeak.skipReason}${sox.skipReason}`, () => {
    let model: OwnedIntentModel;
    beforeAll(async () => {
      model = await loadIntentModel(SHIPPED_MODEL_DIR, catalog, (message) => {
        throw new Error(`the shipped intent model did not load: ${message}`);
      });
    });
    afterAll(async () => model.close());

    it('transcribes a short request', async () => {
      const t = await recognizer.transcribe({ samples: synthesize('I want to register my marriage', 'en-us+klatt'), sampleRate: 16_000 }, { signal: never() });
      expect(t.text).toBe('i want to register my marriage');
      expect(t.confidence).toBeGreaterThan(0.5);
    });

    // Measured (pocketsphinx 0.8+5prealpha, espeak-ng 1.51, the domain LM at -lw 10), 20 requests in 2 voices:
    // WER 15.2 to 16.4 % and 34 or 35 of 40 transcripts (85 to 87.5 %) understood by the shipped intent model
    // over five runs (pocketsphinx's output varies a little from run to run; the clean texts: 20 of 20);
    // 0.2 to 0.26 s per utterance. espeak-ng's default en-us voice gives about 55 %
    // WER and 50 % understood (tests/bench/asr.ts reports it); that voice is not what the test asserts on. The misses are short
    // polite phrases ("no thank you" heard as "well sorry can"). The bars leave room for a different
    // espeak-ng build, not for a real regression.
    it(`transcribes ${LOBBY_REQUESTS.length} requests in ${TEST_VOICES.length} voices well enough for the intent model`, async () => {
      const result = await measureRecognition(recognizer, model, TEST_VOICES);
      for (const r of result.rows) {
        process.stdout.write(
          `${r.understood ? 'ok  ' : 'MISS'} ${r.voice.padEnd(13)} ${r.request.text} => "${r.transcript}" (${r.confidence.toFixed(2)}, ${r.ms.toFixed(0)} ms) -> ${r.intent}${r.procedure ? ` ${r.procedure}` : ''}\n`,
        );
      }
      const ms = result.rows.map((r) => r.ms);
      process.stdout.write(
        `pocketsphinx on ${result.rows.length} synthesized requests: WER ${(100 * result.wordErrorRate).toFixed(1)} %, ` +
          `intent ${(100 * result.intentAccuracy).toFixed(1)} %, mean ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(0)} ms, ` +
          `p95 ${percentile(ms, 0.95).toFixed(0)} ms per utterance\n`,
      );
      expect(result.wordErrorRate).toBeLessThanOrEqual(0.25);
      expect(result.intentAccuracy).toBeGreaterThanOrEqual(0.8);
    });
  });
});
