import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOnnxIntentModel } from '../../src/adapters/onnx/onnx-intent-model.js';
import { loadIntentModel } from '../../src/app/intent-model.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { readDataset } from '../../src/nlu/dataset.js';
import { trainIntentPackage, writeIntentPackage } from '../../src/nlu/intent-package.js';
import { intentModelContract } from './ports.contract.js';

const catalog = loadCatalog();
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-onnx-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trainTiny(lines: string[][], out: string): void {
  const file = join(dir, `${out}.tsv`);
  writeFileSync(file, lines.map((l) => l.join('\t')).join('\n'));
  const data = readDataset(file);
  writeIntentPackage(join(dir, out), trainIntentPackage(data, data, { seed: 1, epochs: 40, dim: 8, buckets: 2048, learningRate: 0.5 }));
}

trainTiny(
  [
    ['làm giấy khai sinh', 'ask_procedure', 'birth_registration'],
    ['birth certificate please', 'ask_procedure', 'birth_registration'],
    ['혼인신고 하려고요', 'ask_procedure', 'marriage_registration'],
    ['what a nice day', 'out_of_scope', ''],
  ],
  'good',
);
trainTiny([['hello', 'say_hello', ''], ['bye', 'say_bye', '']], 'foreign');

intentModelContract('onnx', async () => ({ model: await createOnnxIntentModel(join(dir, 'good'), catalog), catalog }));

describe('loading the intent model', () => {
  it('EXPECTED FAILURE - a model trained on other labels is refused, naming the label', async () => {
    await expect(createOnnxIntentModel(join(dir, 'foreign'), catalog)).rejects.toThrow(/intent label "say_bye" is not one of this controller's intents/);
  });

  it('falls back to the keyword model with a warning when the model is missing or unusable', async () => {
    const warnings: string[] = [];
    expect((await loadIntentModel(join(dir, 'nothing-here'), catalog, (m) => warnings.push(m))).name).toBe('keyword');
    expect((await loadIntentModel(join(dir, 'foreign'), catalog, (m) => warnings.push(m))).name).toBe('keyword');
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/say_bye.*using the keyword model/);
    expect((await loadIntentModel(join(dir, 'good'), catalog, (m) => warnings.push(m))).name).toBe('onnx');
  });
});
