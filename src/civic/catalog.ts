import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog, Procedure } from '../ports/catalog.js';
import { TiepdanError } from '../ports/errors.js';
import { procedureSchema } from './catalog-schema.js';
import { projectPath } from '../paths.js';
import { describeIssues, parseYamlText } from '../validation.js';

/** The catalog shipped with tiepdan: one YAML file per procedure. */
export const DEFAULT_CATALOG_DIR = projectPath('src', 'civic', 'catalog');

/** Validates one parsed procedure file; throws `catalog_invalid` naming the file, the path in it and the reason. */
export function parseProcedure(file: string, source: string): Procedure {
  let raw: unknown;
  try {
    raw = parseYamlText(source);
  } catch (cause) {
    throw new TiepdanError('catalog_invalid', `${file}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  const parsed = procedureSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TiepdanError('catalog_invalid', `${file}: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data as Procedure;
}

export function catalogFromProcedures(list: readonly Procedure[]): Catalog {
  const byId = new Map<string, Procedure>();
  for (const procedure of list) {
    if (byId.has(procedure.id)) throw new TiepdanError('catalog_invalid', `duplicate procedure id ${procedure.id}`);
    byId.set(procedure.id, procedure);
  }
  const ordered = [...byId.values()];
  return {
    procedures: () => ordered,
    get: (id) => byId.get(id),
  };
}

/** Loads every `*.yaml` in `dir`; the file name must be the procedure id. */
export function loadCatalog(dir: string = DEFAULT_CATALOG_DIR): Catalog {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort();
  } catch (cause) {
    throw new TiepdanError('catalog_invalid', `cannot read catalog directory ${dir}`, { cause });
  }
  if (names.length === 0) throw new TiepdanError('catalog_invalid', `no procedure files (*.yaml) in ${dir}`);
  const procedures = names.map((name) => {
    const file = join(dir, name);
    const procedure = parseProcedure(file, readFileSync(file, 'utf8'));
    if (`${procedure.id}.yaml` !== name) {
      throw new TiepdanError('catalog_invalid', `${file}: id: "${procedure.id}" does not match the file name`);
    }
    return procedure;
  });
  return catalogFromProcedures(procedures);
}
