import type { Database } from '../store/database.js';
import type { AuditRecord } from './options.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface ConsoleAuditOptions {
  /** Rows older than this many days are deleted at open and then hourly; default 90. */
  readonly retentionDays?: number;
  /** How often counted refusals are written; default 5000 ms. */
  readonly flushIntervalMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** A row of the audit: a record, and how many times it happened in its minute (refusals are counted, not repeated). */
export interface AuditRow extends AuditRecord {
  readonly count: number;
}

export interface ConsoleAudit {
  write(record: AuditRecord): void;
  all(): AuditRow[];
  /** Writes the counts held in memory. */
  flush(): void;
  /** Deletes rows past the retention period; returns how many. */
  prune(): number;
  /** Flushes and stops the timers; the database stays open. */
  close(): void;
}

/**
 * Console commands and refusals, with who and when, in the controller's SQLite file. Each command
 * and each success is a row of its own. A refusal (ok false) repeated with the same action, reason,
 * user and address within one clock minute adds to the first row's `count` instead: 3,000 refused
 * upgrades from a scanner are one row, written once, and counted in memory until the next flush.
 */
export function openConsoleAudit(database: Database, options: ConsoleAuditOptions = {}): ConsoleAudit {
  const db = database.connection;
  const now = options.now ?? Date.now;
  const retentionMs = (options.retentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS) * DAY_MS;
  const insert = db.prepare('INSERT INTO console_audit (at, user, role, action, ok, reason, address, count) VALUES (?, ?, ?, ?, ?, ?, ?, 1)');
  const addCount = db.prepare<[number, number | bigint]>('UPDATE console_audit SET count = count + ? WHERE rowid = ?');
  const deleteOld = db.prepare<[number]>('DELETE FROM console_audit WHERE at < ?');
  /** Refusals seen this minute: the row they count into and what is not written yet. */
  const counting = new Map<string, { minute: number; rowid: number | bigint; pending: number }>();
  let closed = false;

  const flush = (): void => {
    if (!database.connection.open) return;
    const current = Math.floor(now() / MINUTE_MS);
    db.transaction(() => {
      for (const [key, entry] of counting) {
        if (entry.pending > 0) addCount.run(entry.pending, entry.rowid);
        entry.pending = 0;
        if (entry.minute < current - 1) counting.delete(key);
      }
    })();
  };
  const prune = (): number => (database.connection.open ? deleteOld.run(now() - retentionMs).changes : 0);
  prune();
  const flushTimer = setInterval(flush, options.flushIntervalMs ?? 5000);
  const pruneTimer = setInterval(prune, 3600_000);
  // Housekeeping must not keep a process alive that is otherwise done.
  flushTimer.unref();
  pruneTimer.unref();

  return {
    write(r) {
      if (!r.ok && !closed) {
        const key = JSON.stringify([r.action, r.reason, r.user, r.address]);
        const minute = Math.floor(r.atMs / MINUTE_MS);
        const entry = counting.get(key);
        if (entry !== undefined && entry.minute === minute) {
          entry.pending += 1;
          return;
        }
        const rowid = insert.run(r.atMs, r.user, r.role, r.action, 0, r.reason, r.address).lastInsertRowid;
        counting.set(key, { minute, rowid, pending: 0 });
        // A scan from many addresses must not grow this without bound.
        if (counting.size > 10_000) {
          flush();
          if (counting.size > 10_000) counting.clear();
        }
        return;
      }
      insert.run(r.atMs, r.user, r.role, r.action, r.ok ? 1 : 0, r.reason, r.address);
    },
    all: () =>
      db
        .prepare<[], { at: number; user: string | null; role: string | null; action: string; ok: number; reason: string | null; address: string; count: number }>(
          'SELECT * FROM console_audit ORDER BY rowid',
        )
        .all()
        .map((r) => ({ atMs: r.at, user: r.user, role: r.role, action: r.action, ok: r.ok === 1, reason: r.reason, address: r.address, count: r.count })),
    flush,
    prune,
    // The connection is the handle's: its owner closes it.
    close: () => {
      if (closed) return;
      closed = true;
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      flush();
    },
  };
}
