import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TiepdanError } from '../../ports/errors.js';
import { endOfServiceDay } from '../service-day.js';
import { databasePath, type Database } from '../../store/database.js';

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
  readonly action: 'stored' | 'read' | 'handed_over' | 'discarded' | 'ticket_done' | 'purged';
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
  /** The citizen said the data is not right, or scanned again, or left without a ticket: the request is deleted before any counter sees it. */
  discard(requestId: string, actor: string): void;
  /** The ticket was served (its counter called the next one): its request, if any, is deleted; audited. */
  ticketDone(ticketNumber: string, actor: string): void;
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

function keyFrom(text: string, where: string): Buffer {
  // Base64 decoding skips whitespace, so the newline an editor leaves at the end of a key file needs no trimming.
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new TiepdanError('config_invalid', `the data key must be 32 bytes in base64 (${where} holds ${key.length})`);
  return key;
}

/** Reads a key file, refusing one others can read: the key opens every request in the database. */
function readKeyFile(file: string): Buffer {
  const key = keyFrom(readFileSync(file, 'utf8'), file);
  // Tightened rather than refused: a copy restored from a backup often comes back 0644.
  chmodSync(file, 0o600);
  return key;
}

/** Where a key is generated when none is configured: beside the database, as `tiepdan.key`. */
export function defaultKeyFile(databaseFile: string): string {
  return join(dirname(databaseFile), 'tiepdan.key');
}

/**
 * The data key from the file $TIEPDAN_DATA_KEY_FILE names, else $TIEPDAN_DATA_KEY (base64), else the
 * file `defaultFile` (default: the one beside the default database) if it exists; null when there is
 * none. Never creates a key: see `resolveDataKey`.
 */
export function dataKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env, defaultFile: string = defaultKeyFile(databasePath(undefined))): Buffer | null {
  const fromFile = env['TIEPDAN_DATA_KEY_FILE'];
  if (fromFile !== undefined && fromFile !== '') return readKeyFile(fromFile);
  const text = env['TIEPDAN_DATA_KEY'];
  if (text !== undefined && text !== '') return keyFrom(text, '$TIEPDAN_DATA_KEY');
  return existsSync(defaultFile) ? readKeyFile(defaultFile) : null;
}

export interface DataKeyOptions {
  /** `--data-key-file`: wins over the environment. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Used, and generated on first start, when neither the option nor the environment names a key. */
  readonly defaultFile: string;
  /** Where the notices go (the key's origin, a generated file, the environment warning). */
  readonly notice: (message: string) => void;
}

export interface DataKey {
  readonly key: Buffer;
  readonly source: 'option' | 'env-file' | 'env' | 'default-file' | 'generated';
  /** The file it came from; null for $TIEPDAN_DATA_KEY. */
  readonly file: string | null;
}

/**
 * The controller's data key: `--data-key-file`, else $TIEPDAN_DATA_KEY_FILE, else $TIEPDAN_DATA_KEY
 * (accepted with a warning: a process's environment is readable in /proc/PID/environ by its user and
 * root, and is inherited by every child), else `defaultFile`, generated 0600 on first start.
 */
export function resolveDataKey(options: DataKeyOptions): DataKey {
  const env = options.env ?? process.env;
  if (options.file !== undefined) return { key: readKeyFile(options.file), source: 'option', file: options.file };
  const envFile = env['TIEPDAN_DATA_KEY_FILE'];
  if (envFile !== undefined && envFile !== '') return { key: readKeyFile(envFile), source: 'env-file', file: envFile };
  const text = env['TIEPDAN_DATA_KEY'];
  if (text !== undefined && text !== '') {
    options.notice('warning: the data key comes from $TIEPDAN_DATA_KEY, which any process of this user can read in /proc/PID/environ and every child inherits; put it in a file (--data-key-file or $TIEPDAN_DATA_KEY_FILE, mode 0600) instead');
    return { key: keyFrom(text, '$TIEPDAN_DATA_KEY'), source: 'env', file: null };
  }
  const file = options.defaultFile;
  if (existsSync(file)) return { key: readKeyFile(file), source: 'default-file', file };
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(32);
  // `wx`: two processes starting at once must not each write a different key.
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  options.notice(`data key: generated ${file} (mode 0600) on this first start; keep it with the database, and back it up apart from it`);
  return { key, source: 'generated', file };
}

interface Sealed {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly data: Buffer;
}

/**
 * What a seal is bound to: the request id, and the ticket number once it is known. The card is read
 * before the ticket exists, so a request is sealed to its id alone, then sealed again to id and
 * ticket when the ticket is attached; a blob moved to another row or another ticket then fails to open.
 */
function associatedData(requestId: string, ticket: string | null): Buffer {
  return Buffer.from(`${requestId}\n${ticket ?? ''}`);
}

/**
 * Pre-filled requests with personal data, sealed with AES-256-GCM (the associated data binds each
 * blob to its request id and ticket number), in the controller's SQLite file; without a key they stay
 * in this process's memory and are gone on restart. They are deleted when handed over to the counter,
 * when their ticket is done, when the citizen rejects or re-scans the card, and purged at the end of
 * their service day. The audit log records who read or handed over which procedure's request, never
 * the data.
 */
export function openRequestStore(database: Database, options: StoreOptions): RequestStore {
  const now = options.now ?? Date.now;
  const db = database.connection;
  const memory = new Map<string, { request: PrefilledRequest; expiresAt: number; ticket: string | null }>();
  const key = options.key;
  const expiry = () => (options.retentionMs !== undefined ? now() + options.retentionMs : endOfServiceDay(now()));
  const log = db.prepare('INSERT INTO audit (at, actor, action, procedure_id, ticket) VALUES (?, ?, ?, ?, ?)');
  const audit = (actor: string, action: AuditEntry['action'], procedureId: string | null, ticket: string | null) => log.run(now(), actor, action, procedureId, ticket);

  const seal = (request: PrefilledRequest, ticket: string | null): Sealed => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key!, iv);
    cipher.setAAD(associatedData(request.requestId, ticket));
    const data = Buffer.concat([cipher.update(JSON.stringify(request), 'utf8'), cipher.final()]);
    return { iv, tag: cipher.getAuthTag(), data };
  };
  const tryOpen = (aad: Buffer, sealed: Sealed): PrefilledRequest | null => {
    const decipher = createDecipheriv('aes-256-gcm', key!, sealed.iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    try {
      return JSON.parse(Buffer.concat([decipher.update(sealed.data), decipher.final()]).toString('utf8')) as PrefilledRequest;
    } catch {
      return null;
    }
  };
  const open = (ticket: string | null, requestId: string, sealed: Sealed): PrefilledRequest => {
    // Requests sealed before the ticket was bound (request id alone) open too, until they expire at
    // the end of the day they were written.
    const request = tryOpen(associatedData(requestId, ticket), sealed) ?? tryOpen(Buffer.from(requestId), sealed);
    if (request === null || request.requestId !== requestId) {
      throw new TiepdanError('request_unreadable', `the stored request ${ticket !== null ? `for ticket ${ticket}` : requestId} cannot be opened with this key`);
    }
    return request;
  };
  const selectRow = db.prepare<[string, number], { request_id: string; ticket: string | null; procedure_id: string; iv: Buffer; tag: Buffer; data: Buffer }>(
    'SELECT * FROM requests WHERE ticket = ? AND expires_at > ?',
  );
  const find = (ticket: string): PrefilledRequest | null => {
    if (key === null) {
      const entry = [...memory.values()].find((e) => e.ticket === ticket);
      return entry !== undefined && entry.expiresAt > now() ? entry.request : null;
    }
    const row = selectRow.get(ticket, now());
    return row === undefined ? null : open(row.ticket, row.request_id, row);
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
        const sealed = seal(request, null);
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
      if (key === null) return;
      const row = db.prepare<[string], { ticket: string | null; iv: Buffer; tag: Buffer; data: Buffer }>('SELECT ticket, iv, tag, data FROM requests WHERE request_id = ?').get(requestId);
      if (row === undefined) return;
      const resealed = seal(open(row.ticket, requestId, row), ticketNumber);
      db.prepare('UPDATE requests SET ticket = ?, iv = ?, tag = ?, data = ? WHERE request_id = ?').run(ticketNumber, resealed.iv, resealed.tag, resealed.data, requestId);
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
    ticketDone(ticket, actor) {
      const inMemory = [...memory.values()].filter((e) => e.ticket === ticket);
      for (const e of inMemory) memory.delete(e.request.requestId);
      const rows = db.prepare<[string], { procedure_id: string }>('SELECT procedure_id FROM requests WHERE ticket = ?').all(ticket);
      db.prepare('DELETE FROM requests WHERE ticket = ?').run(ticket);
      for (const procedureId of [...inMemory.map((e) => e.request.procedureId), ...rows.map((r) => r.procedure_id)]) audit(actor, 'ticket_done', procedureId, ticket);
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
