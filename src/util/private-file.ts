import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner read and write only: the files that may hold personal data (database, log, key). */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes `file` exist with mode 0600, its folder created: a new file is created with that mode before
 * anyone opens it (so it is never readable by others, whatever the umask), an existing one is
 * tightened with chmod, which the umask does not touch.
 */
export function ensurePrivateFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Tightens a file to 0600 if it exists (a log rotated by an older version, a database's -wal). */
export function tightenIfPresent(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}
