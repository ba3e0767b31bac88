import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** `places[3].fields[0]`, as a person would point into the file. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The first few validation problems, each with where it is in the file; unknown keys are named. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      if (issue.code !== 'unrecognized_keys') return `${formatIssuePath(issue.path)}: ${issue.message}`;
      const where = issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
      return `${where}unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    })
    .join('; ');
}

/**
 * YAML from a file the project reads (config, scenario, map, catalog): errors are thrown for the
 * caller to name the file; warnings (ambiguous but parseable text) are not printed to stderr, since
 * the schema that follows decides what is acceptable.
 */
export function parseYamlText(text: string): unknown {
  return parseYaml(text, { logLevel: 'error' });
}
