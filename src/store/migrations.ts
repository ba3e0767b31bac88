/** One step of the controller's schema: applied once, in order, in its own transaction. */
export interface Migration {
  /** 1, 2, 3…: the database's version once this step has run. */
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The controller's schema, oldest first. Append only: a step that has shipped is never edited, since
 * databases in the field have already run it; a change is a new step.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    // `IF NOT EXISTS` throughout: files made before migrations existed already hold some of these
    // tables, exactly in this layout, and are taken as already at this step.
    name: 'tickets, checkpoint, sealed requests, accounts, audits',
    sql: `
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
      CREATE TABLE IF NOT EXISTS controller_checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        interaction TEXT NOT NULL, lang TEXT NOT NULL, procedure_id TEXT, counter_id TEXT, ticket_number TEXT, at_ms INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS requests (request_id TEXT PRIMARY KEY, ticket TEXT, procedure_id TEXT NOT NULL, iv BLOB NOT NULL, tag BLOB NOT NULL, data BLOB NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS audit (at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, procedure_id TEXT, ticket TEXT);
      CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, counter_id TEXT, salt BLOB NOT NULL, hash BLOB NOT NULL, must_change INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS console_audit (at INTEGER NOT NULL, user TEXT, role TEXT, action TEXT NOT NULL, ok INTEGER NOT NULL, reason TEXT, address TEXT NOT NULL);
    `,
  },
  {
    id: 2,
    // Tokens were kept in clear: those sessions are dropped (everyone logs in again), and from now
    // on a session row holds only the token's SHA-256. Refusals are counted into one row a minute.
    name: 'session tokens as hashes, expiry and audit-time indexes, counted audit rows',
    sql: `
      DROP TABLE sessions;
      CREATE TABLE sessions (token_hash BLOB PRIMARY KEY, name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
      CREATE INDEX sessions_by_expiry ON sessions (expires_at);
      CREATE INDEX sessions_by_name ON sessions (name);
      ALTER TABLE console_audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX console_audit_by_time ON console_audit (at);
    `,
  },
];
