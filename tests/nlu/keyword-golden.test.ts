import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { projectPath } from '../../src/paths.js';

/** Every utterance of the held-out sets: the first column of each TSV line. */
function utterances(file: string): string[] {
  return readFileSync(projectPath('models', 'data', file), 'utf8')
    .split('\n')
    .map((line) => line.split('\t')[0] ?? '')
    .filter((text) => text.trim() !== '');
}

describe('keyword model on the held-out sets', () => {
  const model = createKeywordIntentModel(loadCatalog());

  it('gives the pinned classification, confidences and alternatives included, for every dev and test utterance', async () => {
    const lines: string[] = [];
    for (const text of [...utterances('dev.tsv'), ...utterances('test.tsv')]) {
      lines.push(`${text}\t${JSON.stringify(await model.classify(text))}`);
    }
    // The whole output is pinned by its digest; every 25th line is written out so a change can be read.
    const digest = createHash('sha256').update(lines.join('\n')).digest('hex');
    const sample = lines.filter((_, index) => index % 25 === 0);
    await expect(`${[`sha256 ${digest} over ${lines.length} utterances`, ...sample].join('\n')}\n`).toMatchFileSnapshot(
      './fixtures/keyword-held-out.txt',
    );
  });
});
