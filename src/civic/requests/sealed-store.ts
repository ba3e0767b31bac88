import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TiepdanError } from '../../ports/errors.js';
import { endOfServiceDay } from '../service-day.js';
import type { Database } from '../../store/database.js';

/** A pre-filled request for the counter: which procedure, for which ticket, and the card data it needs. */
export interface PrefilledRequest {
  /** Made when the card is read, before there is a ticket. */
  readonly requestId: string;
  readonly procedureId: string;
  /** Only the fields the procedure's form needs, as read from the card. */
  readonly fields: Readonly<Record<string, string>>;
}

export interface AuditEntry {
  readonly atMs: number;
  readonly actor: string;
  readonly action: 'stored' | 'read' | 'handed_over' | 'discarded' | 'purged';
  readonly procedureId: string | null;
  readonly ticketNumber: string | null;
}

export interface RequestStore {
  /** Where requests live: `encrypted` in the database, or `memory` when no key is configured. */
  readonly mode: 'encrypted' | 'memory';
  put(request: PrefilledRequest, actor: string): void;
  /** The ticket the citizen got: the counter finds the request by it. */
  attachTicket(requestId: string, ticketNumber: string): void;
  /** The counter reads a request; audited. */
  read(ticketNumber: string, actor: string): PrefilledRequest | null;
  /** The counter has it: it is deleted; audited. */
  handOver(ticketNumber: string, actor: string): PrefilledRequest | null;
  /** The citizen said the data is not right: the request is deleted before any counter sees it. */
  discard(requestId: string, actor: string): void;
  /** Deletes every request whose time is up; returns how many. */
  purge(): number;
  audit(): readonly AuditEntry[];
  close(): void;
}

export interface StoreOptions {
  /** 32 bytes; null keeps requests in memory only. */
  readonly key: Buffer | null;
  readonly now?: () => number;
  /** How long a request is kept; default: until the end of its service day (local midnight). */
  readonly retentionMs?: number;
}

/** The data key from $TIEPDAN_DATA_KEY (base64) or the file $TIEPDAN_DATA_KEY_FILE names; null when neither is set. */
export function dataKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): Buffer | null {
  const fromFile = env['TIEPDAN_DATA_KEY_FILE'];
  const text = fromFile !== undefined ? readFileSync(fromFile, 'utf8').trim() : env['TIEPDAN_DATA_KEY'];
  if (text === undefined || text === '') return null;
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new TiepdanError('config_invalid', `the data key must be 32 bytes in base64 (${fromFile !== undefined ? fromFile : '$TIEPDAN_DATA_KEY'} holds ${key.length})`);
  return key;
}

interface Sealed {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly data: Buffer;
}

/**
 * Pre-filled requests with personal data, sealed with AES-256-GCM (the ticket number is the
 * associated data, so a sealed blob cannot be moved to another ticket), in the controller's SQLite
 * file; without a key they stay in this process's memory and are gone on restart. The audit log
 * records who read or handed over which procedure's request, never the data.
 */
export function openRequestStore(database: Database, options: StoreOptions): RequestStore {
  const now = options.now ?? Date.now;
  const db = database.connection;
  const memory = new Map<string, { request: PrefilledRequest; expiresAt: number; ticket: string | null }>();
  const key = options.key;
  const expiry = () => (options.retentionMs !== undefined ? now() + options.retentionMs : endOfServiceDay(now()));
  const log = db.prepare('INSERT INTO audit (at, actor, action, procedure_id, ticket) VALUES (?, ?, ?, ?, ?)');
  const audit = (actor: string, action: AuditEntry['action'], procedureId: string | null, ticket: string | null) => log.run(now(), actor, action, procedureId, ticket);

  const seal = (request: PrefilledRequest): Sealed => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key!, iv);
    cipher.setAAD(Buffer.from(request.requestId));
    const data = Buffer.concat([cipher.update(JSON.stringify(request), 'utf8'), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), data };
  };
  const open = (ticket: string, requestId: string, sealed: Sealed): PrefilledRequest => {
    const decipher = createDecipheriv('aes-256-gcm', key!, sealed.iv);
    decipher.setAAD(Buffer.from(requestId));
    decipher.setAuthTag(sealed.tag);
    try {
      return JSON.parse(Buffer.concat([decipher.update(sealed.data), decipher.final()]).toString('utf8')) as PrefilledRequest;
    } catch (cause) {
      throw new TiepdanError('request_unreadable', `the stored request for ticket ${ticket} cannot be opened with this key`, { cause });
    }
  };
  const selectRow = db.prepare<[string, number], { request_id: string; procedure_id: string; iv: Buffer; tag: Buffer; data: Buffer }>(
    'SELECT * FROM requests WHERE ticket = ? AND expires_at > ?',
  );
  const find = (ticket: string): PrefilledRequest | null => {
    if (key === null) {
      const entry = [...memory.values()].find((e) => e.ticket === ticket);
      return entry !== undefined && entry.expiresAt > now() ? entry.request : null;
    }
    const row = selectRow.get(ticket, now());
    return row === undefined ? null : open(ticket, row.request_id, row);
  };
  const remove = (request: PrefilledRequest) => {
    memory.delete(request.requestId);
    db.prepare('DELETE FROM requests WHERE request_id = ?').run(request.requestId);
  };

  return {
    mode: key === null ? 'memory' : 'encrypted',
    put(request, actor) {
      if (key === null) memory.set(request.requestId, { request, expiresAt: expiry(), ticket: null });
      else {
        const sealed = seal(request);
        db.prepare('INSERT OR REPLACE INTO requests (request_id, procedure_id, iv, tag, data, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
          request.requestId,
          request.procedureId,
          sealed.iv,
          sealed.tag,
          sealed.data,
          expiry(),
        );
      }
      audit(actor, 'stored', request.procedureId, null);
    },
    attachTicket(requestId, ticketNumber) {
      const entry = memory.get(requestId);
      if (entry !== undefined) memory.set(requestId, { ...entry, ticket: ticketNumber });
      db.prepare('UPDATE requests SET ticket = ? WHERE request_id = ?').run(ticketNumber, requestId);
    },
    read(ticket, actor) {
      const request = find(ticket);
      if (request !== null) audit(actor, 'read', request.procedureId, ticket);
      return request;
    },
    handOver(ticket, actor) {
      const request = find(ticket);
      if (request === null) return null;
      remove(request);
      audit(actor, 'handed_over', request.procedureId, ticket);
      return request;
    },
    discard(requestId, actor) {
      const entry = memory.get(requestId);
      memory.delete(requestId);
      const row = db.prepare<[string], { procedure_id: string }>('SELECT procedure_id FROM requests WHERE request_id = ?').get(requestId);
      db.prepare('DELETE FROM requests WHERE request_id = ?').run(requestId);
      const procedureId = entry?.request.procedureId ?? row?.procedure_id ?? null;
      if (procedureId !== null) audit(actor, 'discarded', procedureId, null);
    },
    purge() {
      let count = 0;
      for (const [requestId, entry] of memory) {
        if (entry.expiresAt <= now()) {
          memory.delete(requestId);
          count += 1;
        }
      }
      count += db.prepare('DELETE FROM requests WHERE expires_at <= ?').run(now()).changes;
      if (count > 0) audit('retention', 'purged', null, null);
      return count;
    },
    audit: () =>
      db
        .prepare<[], { at: number; actor: string; action: AuditEntry['action']; procedure_id: string | null; ticket: string | null }>('SELECT * FROM audit ORDER BY rowid')
        .all()
        .map((r) => ({ atMs: r.at, actor: r.actor, action: r.action, procedureId: r.procedure_id, ticketNumber: r.ticket })),
    // Requests kept in memory go with the store; the connection is the handle's, its owner closes it.
    close: () => memory.clear(),
  };
}
