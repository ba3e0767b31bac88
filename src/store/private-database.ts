import { ensurePrivateFile, tightenIfPresent } from '../util/private-file.js';
import { openDatabase, type Database, type DatabaseOptions } from './database.js';

/**
 * The controller's SQLite file opened as `openDatabase` does, but private to its owner: the file is
 * made 0600 before SQLite opens it, and SQLite gives the -wal and -shm files it creates the main
 * file's permissions. Ones left by an older version are tightened too.
 */
export function openPrivateDatabase(file: string, options: DatabaseOptions = {}): Database {
  if (file === ':memory:' || file === '') return openDatabase(file, options);
  ensurePrivateFile(file);
  for (const suffix of ['-wal', '-shm', '-journal']) tightenIfPresent(`${file}${suffix}`);
  return openDatabase(file, options);
}
