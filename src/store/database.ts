import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TiepdanError } from '../ports/errors.js';
import { projectPath } from '../paths.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { ensurePrivateFile, tightenIfPresent } from '../util/private-file.js';

/**
 * How long a statement waits for a lock another process holds (a console, the soak's checker, a
 * second robot) before it fails with SQLITE_BUSY.
 */
export const BUSY_TIMEOUT_MS = 10_000;

export interface DatabaseOptions {
  /** The schema, oldest first; default MIGRATIONS. Tests pass their own to exercise an upgrade. */
  readonly migrations?: readonly Migration[];
}

/**
 * The controller's one SQLite connection in this process. Every store is opened on it and prepares
 * its statements on `connection`; no store closes it: whoever opened the handle closes it, last.
 */
export interface Database {
  /** The file, or `:memory:`. */
  readonly file: string;
  readonly connection: BetterSqlite3.Database;
  /** The id of the last migration applied: the schema this file is at. */
  readonly version: number;
  /** Closes the connection; every store opened on it stops working. Safe to call twice. */
  close(): void;
}

/** Where the controller's one SQLite file is: `--db`, else $TIEPDAN_DB, else var/tiepdan.db. */
export function databasePath(option: string | undefined): string {
  return option ?? process.env['TIEPDAN_DB'] ?? projectPath('var', 'tiepdan.db');
}

/** The controller's SQLite file (tickets, requests, accounts, audit), its folder created on first use. */
export function databaseFile(option: string | undefined): string {
  const file = databasePath(option);
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new TiepdanError('database_schema_invalid', `migration ${i + 1} has id ${m.id}: ids run 1, 2, 3… in order`);
  });
}

/** Brings the file up to the last migration, one transaction a step; returns its version. */
function migrate(connection: BetterSqlite3.Database, file: string, migrations: readonly Migration[]): number {
  const versionOf = (): number => connection.pragma('user_version', { simple: true }) as number;
  const refuseNewer = (version: number): void => {
    if (version > migrations.length) {
      throw new TiepdanError(
        'database_too_new',
        `${file} is at schema version ${version}, newer than this tiepdan knows (${migrations.length}): run the tiepdan that wrote it, or a copy of the file from before the upgrade`,
      );
    }
  };
  const start = versionOf();
  refuseNewer(start);
  for (const migration of migrations.slice(start)) {
    // IMMEDIATE takes the write lock before reading the version: two processes opening an old file
    // at once apply each step once between them.
    connection
      .transaction(() => {
        const version = versionOf();
        refuseNewer(version);
        if (version >= migration.id) return;
        try {
          connection.exec(migration.sql);
        } catch (cause) {
          throw new TiepdanError('database_migration_failed', `${file}: migration ${migration.id} (${migration.name}) failed; the file is left at version ${version}`, { cause });
        }
        connection.pragma(`user_version = ${migration.id}`);
      })
      .immediate();
  }
  return versionOf();
}

/**
 * Opens the controller's SQLite file (`:memory:` for a private, throw-away one), with its pragmas set
 * once: WAL on files, so readers in other processes never block the writer; synchronous FULL, so a
 * committed ticket survives a power cut; foreign keys on. Then brings the schema up to date, and
 * refuses a file whose schema is newer than this code. The file is readable by its owner only (0600).
 */
export function openDatabase(file: string, options: DatabaseOptions = {}): Database {
  const migrations = options.migrations ?? MIGRATIONS;
  checkOrder(migrations);
  if (file !== ':memory:' && file !== '') {
    // Private to its owner whatever the umask: made 0600 before SQLite opens it, and SQLite gives the
    // -wal and -shm files it creates the main file's permissions; ones left by an older version are tightened.
    ensurePrivateFile(file);
    for (const suffix of ['-wal', '-shm', '-journal']) tightenIfPresent(`${file}${suffix}`);
  }
  const connection = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    if (file !== ':memory:' && file !== '') connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
    connection.pragma('foreign_keys = ON');
    const version = migrate(connection, file, migrations);
    return {
      file,
      connection,
      version,
      close: () => {
        if (connection.open) connection.close();
      },
    };
  } catch (error) {
    connection.close();
    throw error;
  }
}
