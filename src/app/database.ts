import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { projectPath } from '../paths.js';

/** The controller's one SQLite file (queue tickets today): `--db`, else $TIEPDAN_DB, else var/tiepdan.db. */
export function databaseFile(option: string | undefined): string {
  const file = option ?? process.env['TIEPDAN_DB'] ?? projectPath('var', 'tiepdan.db');
  // Created on first start, with its folder.
  mkdirSync(dirname(file), { recursive: true });
  return file;
}
