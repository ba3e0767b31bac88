import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/civic/catalog.js';
import { DEFAULT_KEYWORDS_DIR, loadKeywordTables, parseKeywordFile } from '../../src/nlu/keyword-model.js';
import { projectPath } from '../../src/paths.js';
import { LANGS } from '../../src/ports/common.js';

const KO_FILE = projectPath('src', 'nlu', 'keywords', 'ko.yaml');

function failure(file: string, source: string): string {
  try {
    parseKeywordFile(file, source);
  } catch (error) {
    expect(error).toMatchObject({ name: 'TiepdanError', code: 'keywords_invalid' });
    return (error as Error).message;
  }
  throw new Error('expected the file to be rejected');
}

describe('shipped phrase tables', () => {
  it('are one valid file per language', () => {
    for (const lang of LANGS) {
      const file = join(DEFAULT_KEYWORDS_DIR, `${lang}.yaml`);
      expect(() => parseKeywordFile(file, readFileSync(file, 'utf8')), lang).not.toThrow();
    }
  });

  it('name only procedures of the shipped catalog, so no term is silently skipped', () => {
    const ids = new Set(loadCatalog().procedures().map((procedure) => procedure.id));
    const tables = loadKeywordTables();
    expect([...tables.procedures.keys()].filter((id) => !ids.has(id))).toEqual([]);
    expect(tables.procedures.size).toBe(ids.size);
  });

  it('give every intent but out_of_scope a cue', () => {
    const intents = new Set(loadKeywordTables().cues.map((cue) => cue.intent));
    expect(intents.has('out_of_scope')).toBe(false);
    expect(intents.size).toBe(17);
  });
});

describe('parseKeywordFile', () => {
  it('EXPECTED FAILURE - a term that is not a string: names the file relative to the project and the key', () => {
    const source = 'intents:\n  ask_fee:\n    - weight: 1\n      terms: [얼마, 수수료, 비용, 3]\n';
    expect(failure(KO_FILE, source)).toBe('tiepdan keywords_invalid: src/nlu/keywords/ko.yaml: intents.ask_fee[0].terms[3]: expected a string');
  });

  it('EXPECTED FAILURE - unknown intent, unknown key, missing weight', () => {
    expect(failure(KO_FILE, 'intents:\n  ask_price:\n    - weight: 1\n      terms: [얼마]\n')).toMatch(/ko\.yaml: intents: unknown key "ask_price"/u);
    expect(failure(KO_FILE, 'procedure:\n  id_card: []\n')).toMatch(/ko\.yaml: unknown key "procedure"/u);
    expect(failure(KO_FILE, 'procedures:\n  id_card:\n    - terms: [신분증]\n')).toMatch(/procedures\.id_card\[0\]\.weight: expected a number/u);
  });

  it('EXPECTED FAILURE - an unknown fragment or an unbalanced template: names the term', () => {
    const vi = projectPath('src', 'nlu', 'keywords', 'vi.yaml');
    expect(failure(vi, 'fragments:\n  pronoun: (tôi|em)\nrequests:\n  - dẫn {pronon}\n')).toBe(
      'tiepdan keywords_invalid: src/nlu/keywords/vi.yaml: requests[0]: unknown fragment {pronon}',
    );
    expect(failure(vi, 'shadows: [ok, (được|phải không]\n')).toMatch(/vi\.yaml: shadows\[1\]: unbalanced/u);
  });

  it('EXPECTED FAILURE - a function word that is not folded could never match', () => {
    expect(failure(KO_FILE, 'function_words: [Tôi]\n')).toMatch(/function_words\[0\]: expected one word, lower case, without diacritics/u);
  });

  it('EXPECTED FAILURE - not YAML, or not a mapping', () => {
    expect(failure(KO_FILE, 'intents: [\n')).toMatch(/ko\.yaml: not valid YAML/u);
    expect(failure(KO_FILE, '')).toMatch(/ko\.yaml: \(root\)/u);
  });

  it('keeps a file outside the project named by its full path', () => {
    expect(failure('/elsewhere/ko.yaml', 'shadows: 3\n')).toMatch(/^tiepdan keywords_invalid: \/elsewhere\/ko\.yaml: shadows: /u);
  });
});

describe('loadKeywordTables', () => {
  it('EXPECTED FAILURE - a missing language file: names it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-keywords-'));
    try {
      writeFileSync(join(dir, 'vi.yaml'), 'shadows: [ok]\n');
      expect(() => loadKeywordTables(dir)).toThrow(/cannot read the en phrase table .*en\.yaml/u);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
