import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openCheckpointStore } from '../../src/app/checkpoint.js';
import { openSqliteQueue } from '../../src/civic/queue/sqlite-queue.js';
import { openRequestStore } from '../../src/civic/requests/sealed-store.js';
import { openConsoleAudit } from '../../src/console/audit-log.js';
import { openUserStore } from '../../src/console/users.js';
import { TiepdanError } from '../../src/ports/errors.js';
import { BUSY_TIMEOUT_MS, openDatabase } from '../../src/store/database.js';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-database-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 08:00 on 27 Nov 2026 in Ho Chi Minh City. */
const MORNING_MS = Date.UTC(2026, 10, 27, 1, 0);

/**
 * What each store ran on its own connection before there were migrations, verbatim: a file the
 * controller wrote then holds these tables and user_version 0.
 */
const BEFORE_MIGRATIONS = {
  queue: `
    CREATE TABLE IF NOT EXISTS tickets (
      day TEXT NOT NULL,
      field TEXT NOT NULL,
      seq INTEGER NOT NULL,
      priority TEXT,
      procedure_id TEXT,
      issued_at INTEGER NOT NULL,
      called_at INTEGER,
      counter_id TEXT,
      PRIMARY KEY (day, field, seq)
    );
    CREATE INDEX IF NOT EXISTS tickets_waiting ON tickets (day, called_at, field);
  `,
  checkpoint: `CREATE TABLE IF NOT EXISTS controller_checkpoint (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    interaction TEXT NOT NULL, lang TEXT NOT NULL, procedure_id TEXT, counter_id TEXT, ticket_number TEXT, at_ms INTEGER NOT NULL
  )`,
  requests: `
    CREATE TABLE IF NOT EXISTS requests (request_id TEXT PRIMARY KEY, ticket TEXT, procedure_id TEXT NOT NULL, iv BLOB NOT NULL, tag BLOB NOT NULL, data BLOB NOT NULL, expires_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS audit (at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, procedure_id TEXT, ticket TEXT);
  `,
  users: `
    CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, counter_id TEXT, salt BLOB NOT NULL, hash BLOB NOT NULL, must_change INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
  `,
  consoleAudit: 'CREATE TABLE IF NOT EXISTS console_audit (at INTEGER NOT NULL, user TEXT, role TEXT, action TEXT NOT NULL, ok INTEGER NOT NULL, reason TEXT, address TEXT NOT NULL)',
};

/** A file as the code before migrations left it, with the given stores' tables. */
function oldFile(name: string, stores: readonly (keyof typeof BEFORE_MIGRATIONS)[], fill?: (db: BetterSqlite3.Database) => void): string {
  const file = join(dir, name);
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  for (const store of stores) db.exec(BEFORE_MIGRATIONS[store]);
  fill?.(db);
  db.close();
  return file;
}

/** Every table's columns, keys and indexes: what the schema is, whatever the CREATE text looked like. */
function layout(file: string): unknown {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    return tables.map(({ name }) => ({
      name,
      columns: db.pragma(`table_info(${name})`),
      foreignKeys: db.pragma(`foreign_key_list(${name})`),
      indexes: (db.pragma(`index_list(${name})`) as { name: string }[]).map((index) => ({ ...index, columns: db.pragma(`index_info(${index.name})`) })),
    }));
  } finally {
    db.close();
  }
}

const userVersion = (file: string): number => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

describe('the database', () => {
  it('sets its pragmas once: WAL on a file, synchronous FULL, foreign keys, one busy timeout', () => {
    const database = openDatabase(join(dir, 'pragmas.db'));
    const pragma = (name: string): unknown => database.connection.pragma(name, { simple: true });
    expect([pragma('journal_mode'), pragma('synchronous'), pragma('foreign_keys'), pragma('busy_timeout')]).toEqual(['wal', 2, 1, BUSY_TIMEOUT_MS]);
    database.close();
    const memory = openDatabase(':memory:');
    expect(memory.connection.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(memory.version).toBe(MIGRATIONS.length);
    memory.close();
  });

  it('applies the migrations once: opened again, the version and the schema are unchanged', () => {
    const file = join(dir, 'twice.db');
    const first = openDatabase(file);
    expect(first.version).toBe(MIGRATIONS.length);
    first.close();
    const schema = layout(file);
    const second = openDatabase(file);
    expect(second.version).toBe(MIGRATIONS.length);
    second.close();
    expect(userVersion(file)).toBe(MIGRATIONS.length);
    expect(layout(file)).toEqual(schema);
  });

  it('runs each step of a longer list once, in order, on a file at an older version', () => {
    const file = join(dir, 'steps.db');
    const steps: Migration[] = [
      { id: 1, name: 'a log', sql: 'CREATE TABLE log (step INTEGER NOT NULL)' },
      { id: 2, name: 'first entry', sql: 'INSERT INTO log (step) VALUES (2)' },
    ];
    openDatabase(file, { migrations: steps.slice(0, 1) }).close();
    expect(userVersion(file)).toBe(1);
    for (let i = 0; i < 2; i += 1) {
      const database = openDatabase(file, { migrations: [...steps, { id: 3, name: 'second entry', sql: 'INSERT INTO log (step) VALUES (3)' }] });
      expect(database.version).toBe(3);
      expect(database.connection.prepare('SELECT step FROM log ORDER BY rowid').pluck().all()).toEqual([2, 3]);
      database.close();
    }
  });

  it('opens a file the code before migrations made, as it is, with its data', () => {
    const file = oldFile('old.db', ['queue', 'checkpoint', 'requests', 'users', 'consoleAudit'], (db) => {
      db.prepare('INSERT INTO tickets (day, field, seq, priority, procedure_id, issued_at) VALUES (?, ?, ?, ?, ?, ?)').run('2026-11-27', 'civil_status', 1, null, 'birth_registration', MORNING_MS);
      db.prepare("INSERT INTO controller_checkpoint VALUES (1, 'idle', 'vi', NULL, NULL, NULL, ?)").run(MORNING_MS);
    });
    const database = openDatabase(file);
    expect(database.version).toBe(MIGRATIONS.length);
    const queue = openSqliteQueue(database, () => MORNING_MS + 60_000);
    expect(queue.find('A001')?.procedureId).toBe('birth_registration');
    expect(queue.issue({ field: 'civil_status' }).number).toBe('A002');
    expect(openCheckpointStore(database).load()?.interaction).toBe('idle');
    database.close();
    // The first migration describes exactly the tables the stores used to make.
    const fresh = join(dir, 'fresh.db');
    openDatabase(fresh).close();
    expect(layout(file)).toEqual(layout(fresh));
  });

  it('opens a file with only some of the old tables (accounts made before the first start), adding the rest', () => {
    const file = oldFile('accounts-only.db', ['users']);
    const database = openDatabase(file);
    const users = openUserStore(database);
    users.add('lan.nguyen', 'operator', 'correct horse battery');
    expect(openSqliteQueue(database, () => MORNING_MS).issue({ field: 'land' }).number).toBe('F001');
    database.close();
    const fresh = join(dir, 'fresh-2.db');
    openDatabase(fresh).close();
    expect(layout(file)).toEqual(layout(fresh));
  });

  it('EXPECTED FAILURE - refuses a file whose schema is newer than this code, saying which versions, and leaves it untouched', () => {
    const file = join(dir, 'newer.db');
    openDatabase(file).close();
    const raw = new BetterSqlite3(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    const open = () => openDatabase(file);
    expect(open).toThrow(TiepdanError);
    expect(open).toThrow(expect.objectContaining({ code: 'database_too_new' }));
    expect(open).toThrow(`schema version ${MIGRATIONS.length + 1}, newer than this tiepdan knows (${MIGRATIONS.length})`);
    expect(userVersion(file)).toBe(MIGRATIONS.length + 1);
  });

  it('EXPECTED FAILURE - a step that fails is rolled back whole, and the file stays at the version before it', () => {
    const file = join(dir, 'failing.db');
    const steps: Migration[] = [
      { id: 1, name: 'a table', sql: 'CREATE TABLE a (x INTEGER)' },
      { id: 2, name: 'half a step', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1)' },
    ];
    expect(() => openDatabase(file, { migrations: steps })).toThrow(expect.objectContaining({ code: 'database_migration_failed', message: expect.stringContaining('migration 2 (half a step) failed') }));
    expect(userVersion(file)).toBe(1);
    const database = openDatabase(file, { migrations: steps.slice(0, 1) });
    expect(database.connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['a']);
    database.close();
  });

  it('EXPECTED FAILURE - refuses a migration list whose ids are not 1, 2, 3… in order', () => {
    expect(() => openDatabase(':memory:', { migrations: [{ id: 2, name: 'gap', sql: 'SELECT 1' }] })).toThrow(expect.objectContaining({ code: 'database_schema_invalid' }));
  });
});

describe('the stores on one handle', () => {
  it('share one connection: a ticket and a checkpoint written in one transaction commit or roll back together', () => {
    const file = join(dir, 'shared.db');
    const database = openDatabase(file);
    const queue = openSqliteQueue(database, () => MORNING_MS);
    const checkpoints = openCheckpointStore(database);
    const both = database.connection.transaction((fail: boolean) => {
      const ticket = queue.issue({ field: 'residence' });
      checkpoints.save({ interaction: 'serving.escorting', lang: 'en', procedureId: null, counterId: 'counter-3', ticketNumber: ticket.number, atMs: MORNING_MS });
      if (fail) throw new Error('rolled back on purpose');
    });
    expect(() => both(true)).toThrow('rolled back on purpose');
    expect(queue.waiting()).toEqual([]);
    expect(checkpoints.load()).toBeNull();
    both(false);
    // Another process (here a second handle) sees both.
    const reader = openDatabase(file);
    expect(openSqliteQueue(reader, () => MORNING_MS).find('C001')).not.toBeNull();
    expect(openCheckpointStore(reader).load()?.ticketNumber).toBe('C001');
    reader.close();
    database.close();
  });

  it('closing a store leaves the others working; closing the handle ends them all', () => {
    const database = openDatabase(':memory:');
    const queue = openSqliteQueue(database, () => MORNING_MS);
    const checkpoints = openCheckpointStore(database);
    const users = openUserStore(database);
    const audit = openConsoleAudit(database);
    const requests = openRequestStore(database, { key: null, now: () => MORNING_MS });
    queue.close();
    users.close();
    requests.close();
    checkpoints.save({ interaction: 'idle', lang: 'vi', procedureId: null, counterId: null, ticketNumber: null, atMs: MORNING_MS });
    expect(checkpoints.load()?.interaction).toBe('idle');
    audit.write({ atMs: MORNING_MS, user: 'olga', role: 'operator', action: 'robot.pause', ok: true, reason: null, address: '127.0.0.1' });
    expect(audit.all()).toHaveLength(1);
    expect(openSqliteQueue(database, () => MORNING_MS).issue({ field: 'social' }).number).toBe('H001');
    database.close();
    database.close();
    expect(() => checkpoints.load()).toThrow(/not open/);
  });
});
