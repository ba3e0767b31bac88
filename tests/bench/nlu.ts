/** Intent figures for `npm run bench`: the ONNX model beside the keyword model, per language, and the public benchmarks. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHIPPED_MODEL_DIR } from '../../src/app/intent-model.js';
import { createOnnxIntentModel } from '../../src/adapters/onnx/onnx-intent-model.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { readDataset, type Dataset } from '../../src/nlu/dataset.js';
import { evaluate } from '../../src/nlu/evaluate.js';
import { DEFAULT_TRAIN_SETTINGS, IntentRuntime, trainIntentPackage, writeIntentPackage } from '../../src/nlu/intent-package.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { PROJECT_ROOT, projectPath } from '../../src/paths.js';
import type { IntentModel } from '../../src/ports/intent-model.js';
import { trainNlpjsModel } from './nlpjs-model.js';

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

async function modelRows(name: string, model: IntentModel, test: Dataset): Promise<Row[]> {
  // One untimed pass first, so the timed one measures a warm process, as a robot that runs all day is.
  for (const row of test.rows.slice(0, 500)) await model.classify(row.text);
  const result = await evaluate(test.rows, true, async (text) => {
    const c = await model.classify(text);
    return { label: c.intent, slot: c.procedure ?? '' };
  });
  const rows = Object.entries(result.byLanguage).map(([lang, g]) => ({
    name: `${name.padEnd(8)} ${lang.padEnd(9)} (${g.examples})`,
    cells: [`intent ${pct(g.intentAccuracy)}%`, `procedure ${pct(g.slotAccuracy ?? 0)}%`],
  }));
  rows.push({
    name: `${name.padEnd(8)} all       (${result.examples})`,
    cells: [`intent ${pct(result.intentAccuracy)}%`, `procedure ${pct(result.slotAccuracy ?? 0)}%`, `p50 ${result.latencyMs.p50.toFixed(3)} ms`, `p99 ${result.latencyMs.p99.toFixed(3)} ms`],
  });
  return rows;
}

/** The template (with its procedure) each line of a split comes from: the third column of models/data/meta/. */
function templatesOf(split: string): string[] {
  return readFileSync(projectPath('models', 'data', 'meta', `${split}.tsv`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t')[2] ?? '');
}

/**
 * The harder figure: the same settings retrained without any line of a template that a test line
 * comes from, so every test sentence is a new way of saying it, not only a new sentence.
 */
async function unseenTemplates(scratch: string, train: Dataset, test: Dataset): Promise<Row[]> {
  const trainTemplates = templatesOf('train');
  const testTemplates = new Set(templatesOf('test'));
  if (trainTemplates.length !== train.rows.length) return [{ name: 'unseen templates', cells: ['models/data/meta/ does not match the data; regenerate it'] }];
  const kept = train.rows.filter((_, i) => !testTemplates.has(trainTemplates[i]!));
  const dir = join(scratch, 'unseen');
  writeIntentPackage(dir, trainIntentPackage({ ...train, rows: kept }, readDataset(projectPath('models', 'data', 'dev.tsv')), DEFAULT_TRAIN_SETTINGS));
  const model = await createOnnxIntentModel(dir, loadCatalog());
  try {
    return (await modelRows('unseen', model, test)).map((r) => ({ ...r, cells: [...r.cells, `(trained on ${kept.length} of ${train.rows.length} lines)`] }));
  } finally {
    await model.close();
  }
}

export async function intentBench(): Promise<Row[]> {
  const catalog = loadCatalog();
  const scratch = mkdtempSync(join(tmpdir(), 'tiepdan-bench-'));
  try {
    const train = readDataset(projectPath('models', 'data', 'train.tsv'));
    let modelDir = SHIPPED_MODEL_DIR;
    if (!existsSync(modelDir)) {
      modelDir = join(scratch, 'intent');
      writeIntentPackage(modelDir, trainIntentPackage(train, readDataset(projectPath('models', 'data', 'dev.tsv')), DEFAULT_TRAIN_SETTINGS));
    }
    const test = readDataset(projectPath('models', 'data', 'test.tsv'));
    const onnx = await createOnnxIntentModel(modelDir, catalog);
    const models: [string, IntentModel][] = [
      ['onnx', onnx],
      ['keyword', createKeywordIntentModel(catalog)],
      ['nlp.js', await trainNlpjsModel(train.rows)],
    ];
    const rows: Row[] = [];
    for (const [name, model] of models) rows.push(...(await modelRows(name, model, test)));
    await onnx.close();
    rows.push(...(await unseenTemplates(scratch, train, test)));
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
