import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { projectPath } from '../paths.js';

/** Where the controller's one SQLite file is: `--db`, else $TIEPDAN_DB, else var/tiepdan.db. */
export function databasePath(option: string | undefined): string {
  return option ?? process.env['TIEPDAN_DB'] ?? projectPath('var', 'tiepdan.db');
}

/** The controller's SQLite file (tickets, requests, accounts, audit), its folder created on first use. */
export function databaseFile(option: string | undefined): string {
  const file = databasePath(option);
  // Created on first start, with its folder.
  mkdirSync(dirname(file), { recursive: true });
  return file;
}
