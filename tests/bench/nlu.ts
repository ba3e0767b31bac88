/** Intent figures for `npm run bench`: the ONNX model beside the keyword model, per language, and the public benchmarks. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SHIPPED_MODEL_DIR } from '../../src/app/intent-model.js';
import { createOnnxIntentModel } from '../../src/adapters/onnx/onnx-intent-model.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { readDataset, type LabelledText } from '../../src/nlu/dataset.js';
import { DEFAULT_TRAIN_SETTINGS, IntentRuntime, trainIntentPackage, writeIntentPackage } from '../../src/nlu/intent-package.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { percentile } from '../../src/nlu/metrics.js';
import { detectLanguage, foldDiacritics } from '../../src/nlu/normalize.js';
import { PROJECT_ROOT, projectPath } from '../../src/paths.js';
import type { IntentModel } from '../../src/ports/intent-model.js';

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

async function measure(model: IntentModel, rows: readonly LabelledText[]): Promise<{ intent: number; procedure: number; p50: number; p99: number }> {
  let intent = 0;
  let procedure = 0;
  const ms: number[] = [];
  for (const row of rows) {
    const start = performance.now();
    const c = await model.classify(row.text);
    ms.push(performance.now() - start);
    if (c.intent === row.label) intent += 1;
    if ((c.procedure ?? '') === row.slot) procedure += 1;
  }
  return { intent: intent / rows.length, procedure: procedure / rows.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

export async function intentBench(): Promise<Row[]> {
  const catalog = loadCatalog();
  const scratch = mkdtempSync(join(tmpdir(), 'tiepdan-bench-'));
  try {
    let modelDir = SHIPPED_MODEL_DIR;
    if (!existsSync(modelDir)) {
      modelDir = join(scratch, 'intent');
      const train = readDataset(projectPath('models', 'data', 'train.tsv'));
      writeIntentPackage(modelDir, trainIntentPackage(train, readDataset(projectPath('models', 'data', 'dev.tsv')), DEFAULT_TRAIN_SETTINGS));
    }
    const test = readDataset(projectPath('models', 'data', 'test.tsv')).rows;
    const byLang: Record<string, LabelledText[]> = { vi: [], 'vi folded': [], en: [], ko: [] };
    for (const row of test) {
      const lang = detectLanguage(row.text).lang;
      byLang[lang]!.push(row);
      if (lang === 'vi') byLang['vi folded']!.push({ ...row, text: foldDiacritics(row.text) });
    }
    const models: [string, IntentModel][] = [
      ['onnx', await createOnnxIntentModel(modelDir, catalog)],
      ['keyword', createKeywordIntentModel(catalog)],
    ];
    const rows: Row[] = [];
    for (const [name, model] of models) {
      for (const [lang, set] of Object.entries(byLang)) {
        const m = await measure(model, set);
        rows.push({ name: `${name.padEnd(8)} ${lang.padEnd(9)} (${set.length})`, cells: [`intent ${pct(m.intent)}%`, `procedure ${pct(m.procedure)}%`, `p50 ${m.p50.toFixed(3)} ms`, `p99 ${m.p99.toFixed(3)} ms`] });
      }
    }
    for (const set of ['snips', 'clinc150']) {
      // The public sets live beside the project, in the shared folder, not in the repository.
      const base = join(PROJECT_ROOT, '..', 'shared', 'data', 'nlu-benchmarks', set);
      if (!existsSync(base)) {
        rows.push({ name: set, cells: [`not found at ${base}`] });
        continue;
      }
      const out = join(scratch, set);
      writeIntentPackage(out, trainIntentPackage(readDataset(join(base, 'train.tsv')), readDataset(join(base, 'dev.tsv')), DEFAULT_TRAIN_SETTINGS));
      const runtime = await IntentRuntime.load(out);
      const rowsTest = readDataset(join(base, 'test.tsv')).rows;
      let inScope = 0;
      let inScopeRight = 0;
      let oos = 0;
      let oosRight = 0;
      for (const row of rowsTest) {
        const p = await runtime.predict(row.text);
        if (row.label === 'oos') {
          oos += 1;
          if (p.intent === 'oos') oosRight += 1;
        } else {
          inScope += 1;
          if (p.intent === row.label) inScopeRight += 1;
        }
      }
      await runtime.close();
      rows.push({
        name: set,
        cells: oos > 0 ? [`in-scope ${pct(inScopeRight / inScope)}%`, `oos recall ${pct(oosRight / oos)}%`, 'published: FastText 88.6/28.3, MLP-USE 93.4/49.1, BERT 96.2/52.3'] : [`accuracy ${pct(inScopeRight / inScope)}%`, 'published: Slot-Gated 97.0, Joint BERT 98.6'],
      });
    }
    return rows;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
