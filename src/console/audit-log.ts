import type { Database } from '../store/database.js';
import type { AuditRecord } from './server.js';

/** Console commands and refusals, with who and when, in the controller's SQLite file. */
export function openConsoleAudit(database: Database): { write(record: AuditRecord): void; all(): AuditRecord[]; close(): void } {
  const db = database.connection;
  const insert = db.prepare('INSERT INTO console_audit (at, user, role, action, ok, reason, address) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return {
    write: (r) => void insert.run(r.atMs, r.user, r.role, r.action, r.ok ? 1 : 0, r.reason, r.address),
    all: () =>
      db
        .prepare<[], { at: number; user: string | null; role: string | null; action: string; ok: number; reason: string | null; address: string }>('SELECT * FROM console_audit ORDER BY rowid')
        .all()
        .map((r) => ({ atMs: r.at, user: r.user, role: r.role, action: r.action, ok: r.ok === 1, reason: r.reason, address: r.address })),
    // The connection is the handle's: its owner closes it.
    close: () => {},
  };
}
