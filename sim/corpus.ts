import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Lang } from '../src/ports/common.js';
import { TiepdanError } from '../src/ports/errors.js';
import { describeIssues, parseYamlText } from '../src/validation.js';
import { projectPath } from '../src/paths.js';

/** Real phrasings of citizens, kept apart from the catalog's synonyms so the simulation is not circular. */
export interface Corpus {
  readonly procedures: Readonly<Record<string, Readonly<Record<Lang, readonly string[]>>>>;
  readonly replies: Readonly<Record<'affirm' | 'deny' | 'greet' | 'goodbye' | 'out_of_scope', Readonly<Record<Lang, readonly string[]>>>>;
}

const lines = z.array(z.string().trim().min(1)).min(1);
const perLang = z.strictObject({ vi: lines, en: lines, ko: lines });
const corpusSchema = z.strictObject({
  procedures: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), perLang),
  replies: z.strictObject({ affirm: perLang, deny: perLang, greet: perLang, goodbye: perLang, out_of_scope: perLang }),
});

export const DEFAULT_CORPUS = projectPath('sim', 'corpus', 'utterances.yaml');

export function loadCorpus(file: string = DEFAULT_CORPUS): Corpus {
  let raw: unknown;
  try {
    raw = parseYamlText(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new TiepdanError('corpus_invalid', `${file}: cannot read it as YAML`, { cause });
  }
  const parsed = corpusSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TiepdanError('corpus_invalid', `${file}: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}
