/**
 * Speech-recognition figures for `npm run bench`: pocketsphinx with the domain language model on the
 * synthesized English lobby requests, per espeak-ng voice: word error rate, how many transcripts the
 * shipped intent model understands, and the time per utterance (transcribe alone; synthesis excluded).
 * The default en-us voice is reported beside the Klatt voices the test asserts on.
 */
import { existsSync } from 'node:fs';
import { createPocketsphinxRecognizer, POCKETSPHINX_DEFAULTS } from '../../src/adapters/asr/pocketsphinx.js';
import { loadIntentModel, SHIPPED_MODEL_DIR } from '../../src/app/intent-model.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { percentile } from '../../src/stats.js';
import { DEFAULT_VOICE, ESPEAK, LOBBY_REQUESTS, SOX, TEST_VOICES, measureRecognition, synthesize } from '../adapters/asr/lobby-requests.js';

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

export async function asrBench(voices: readonly string[] = [...TEST_VOICES, DEFAULT_VOICE]): Promise<Row[]> {
  const missing = [POCKETSPHINX_DEFAULTS.binary, POCKETSPHINX_DEFAULTS.hmmDir, ESPEAK, SOX].filter((path) => !existsSync(path));
  if (missing.length > 0) return [{ name: 'asr pocketsphinx', cells: [`skipped: ${missing.join(', ')} not found (apt-get install pocketsphinx pocketsphinx-en-us espeak-ng sox)`] }];
  const catalog = loadCatalog();
  const warnings: string[] = [];
  const model = await loadIntentModel(SHIPPED_MODEL_DIR, catalog, (message) => warnings.push(message));
  const recognizer = await createPocketsphinxRecognizer({ catalog });
  try {
    // One untimed utterance first: the first child pays for cold file caches.
    await recognizer.transcribe({ samples: synthesize(LOBBY_REQUESTS[0]!.text, TEST_VOICES[0]), sampleRate: 16_000 }, { signal: new AbortController().signal });
    const rows: Row[] = [
      {
        name: 'asr domain LM',
        cells: [`${recognizer.lm.vocabularySize} words`, `${recognizer.lm.sentences} sentences`, `${recognizer.lm.droppedWords.length} words not in cmudict dropped`],
      },
    ];
    for (const voice of voices) {
      const result = await measureRecognition(recognizer, model, [voice]);
      const ms = result.rows.map((r) => r.ms);
      rows.push({
        name: `asr pocketsphinx ${voice.padEnd(13)} (${LOBBY_REQUESTS.length})`,
        cells: [
          `WER ${pct(result.wordErrorRate)}%`,
          `intent ${pct(result.intentAccuracy)}%`,
          `mean ${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(0)} ms`,
          `p95 ${percentile(ms, 0.95).toFixed(0)} ms`,
        ],
      });
    }
    if (warnings.length > 0) rows.push({ name: 'asr intent model', cells: warnings });
    return rows;
  } finally {
    await recognizer.close();
    await model.close();
  }
}
