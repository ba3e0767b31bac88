import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../src/nlu/dataset.js';
import { IntentRuntime, trainIntentPackage, writeIntentPackage } from '../../src/nlu/intent-package.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-nlu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = [
  ['làm giấy khai sinh cho con', 'ask_procedure', 'birth_registration'],
  ['dang ky khai sinh', 'ask_procedure', 'birth_registration'],
  ['register my baby birth', 'ask_procedure', 'birth_registration'],
  ['출생신고 하려고요', 'ask_procedure', 'birth_registration'],
  ['kết hôn cần giấy gì', 'ask_documents', 'marriage_registration'],
  ['what papers to get married', 'ask_documents', 'marriage_registration'],
  ['혼인신고 서류 뭐예요', 'ask_documents', 'marriage_registration'],
  ['thời tiết hôm nay thế nào', 'out_of_scope', ''],
  ['what is the weather like', 'out_of_scope', ''],
  ['배고파요', 'out_of_scope', ''],
];

function tsv(name: string, lines: string[][]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.map((l) => l.join('\t')).join('\n')}\n`);
  return file;
}

describe('intent model package', () => {
  it('trains, writes model.onnx and model.json, loads once and predicts intent, procedure and language', async () => {
    const data = readDataset(tsv('train.tsv', LINES));
    const pkg = trainIntentPackage(data, data, { seed: 3, epochs: 120, dim: 8, buckets: 4096, learningRate: 0.5 });
    expect(pkg.metadata.training.trainSha256).toBe(data.sha256);
    expect(pkg.metadata.thresholds.outOfScopeLabel).toBe('out_of_scope');
    writeIntentPackage(join(dir, 'model'), pkg);
    const runtime = await IntentRuntime.load(join(dir, 'model'));
    try {
      const p = await runtime.predict('dang ky khai sinh');
      expect(p).toMatchObject({ intent: 'ask_procedure', slot: 'birth_registration', lang: 'vi' });
      expect((await runtime.predict('혼인신고 서류 뭐예요')).slot).toBe('marriage_registration');
    } finally {
      await runtime.close();
    }
  });

  it.each([
    ['one column', [['only text']], /expected 2 or 3 tab-separated columns, found 1/],
    ['mixed column counts', [['a', 'b'], ['c', 'd', 'e']], /:2: 3 columns where earlier lines have 2/],
    ['empty text', [[' ', 'greet']], /:1: the text is empty/],
    ['a label with spaces', [['hi', 'two words']], /:1: the label must be one word/],
  ])('EXPECTED FAILURE - a TSV with %s is refused naming the file and line', (_name, lines, reason) => {
    expect(() => readDataset(tsv('bad.tsv', lines))).toThrow(reason);
  });

  it('EXPECTED FAILURE - a model file that does not match its metadata is refused', async () => {
    const data = readDataset(tsv('train2.tsv', LINES));
    const pkg = trainIntentPackage(data, data, { seed: 1, epochs: 2, dim: 4, buckets: 1024, learningRate: 0.5 });
    writeIntentPackage(join(dir, 'broken'), pkg);
    writeFileSync(join(dir, 'broken', 'model.onnx'), 'not a model');
    await expect(IntentRuntime.load(join(dir, 'broken'))).rejects.toThrow(/model\.onnx: does not match the sha256/);
    await expect(IntentRuntime.load(join(dir, 'missing'))).rejects.toThrow(/cannot read model\.json and model\.onnx/);
  });
});
