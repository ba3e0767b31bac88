import { createCipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataKeyFromEnvironment, defaultKeyFile, openRequestStore, resolveDataKey, type PrefilledRequest } from '../../src/civic/requests/sealed-store.js';
import { TiepdanError } from '../../src/ports/errors.js';
import { openDatabase } from '../../src/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** A key file of `bytes` random bytes in base64, as an operator writes it (with a newline), mode `mode`. */
function keyFile(bytes = 32, mode = 0o600): { file: string; key: Buffer } {
  const key = randomBytes(bytes);
  const file = join(dir, `key-${(files += 1)}`);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode });
  chmodSync(file, mode);
  return { file, key };
}
const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);
const request: PrefilledRequest = { requestId: 'r-1', procedureId: 'birth_registration', fields: { 'card1.fullName': 'Trần Thị Mai' } };

describe('the data key from the environment', () => {
  it('is read from $TIEPDAN_DATA_KEY_FILE before $TIEPDAN_DATA_KEY, a copy others can read tightened to 0600', () => {
    const { file, key } = keyFile(32, 0o644);
    expect(dataKeyFromEnvironment({ TIEPDAN_DATA_KEY_FILE: file, TIEPDAN_DATA_KEY: randomBytes(32).toString('base64') }, join(dir, 'none'))).toEqual(key);
    expect(modeOf(file)).toBe('600');
  });

  it('reads a key with blanks or line breaks around it, as a file or a pasted variable has them', () => {
    const key = randomBytes(32);
    expect(dataKeyFromEnvironment({ TIEPDAN_DATA_KEY: ` ${key.toString('base64')}\r\n` }, join(dir, 'none'))).toEqual(key);
  });

  it('empty variables count as unset; then the default file is used if there is one, else there is no key', () => {
    const { file, key } = keyFile();
    expect(dataKeyFromEnvironment({ TIEPDAN_DATA_KEY_FILE: '', TIEPDAN_DATA_KEY: '' }, file)).toEqual(key);
    expect(dataKeyFromEnvironment({ TIEPDAN_DATA_KEY_FILE: '', TIEPDAN_DATA_KEY: '' }, join(dir, 'none'))).toBeNull();
  });

  it('refuses a key of the wrong length as config_invalid, saying where it was and how long, never what', () => {
    const { file, key } = keyFile(16);
    let error: unknown;
    try {
      dataKeyFromEnvironment({ TIEPDAN_DATA_KEY_FILE: file }, join(dir, 'none'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TiepdanError);
    expect((error as TiepdanError).code).toBe('config_invalid');
    expect((error as TiepdanError).message).toBe(`tiepdan config_invalid: the data key must be 32 bytes in base64 (${file} holds 16)`);
    expect((error as TiepdanError).message).not.toContain(key.toString('base64'));
    expect(() => dataKeyFromEnvironment({ TIEPDAN_DATA_KEY: randomBytes(33).toString('base64') }, join(dir, 'none'))).toThrow(
      'the data key must be 32 bytes in base64 ($TIEPDAN_DATA_KEY holds 33)',
    );
  });

  it('lives beside the database by default, as tiepdan.key', () => {
    expect(defaultKeyFile(join('var', 'lib', 'tiepdan', 'tiepdan.db'))).toBe(join('var', 'lib', 'tiepdan', 'tiepdan.key'));
  });
});

describe('resolving the controller\'s data key', () => {
  const silent = (notices: string[]) => (message: string) => void notices.push(message);

  it('takes --data-key-file over everything, then $TIEPDAN_DATA_KEY_FILE, naming where it came from', () => {
    const option = keyFile(32, 0o640);
    const fromEnv = keyFile();
    const notices: string[] = [];
    const env = { TIEPDAN_DATA_KEY_FILE: fromEnv.file, TIEPDAN_DATA_KEY: randomBytes(32).toString('base64') };
    expect(resolveDataKey({ file: option.file, env, defaultFile: join(dir, 'none'), notice: silent(notices) })).toEqual({ key: option.key, source: 'option', file: option.file });
    expect(modeOf(option.file)).toBe('600');
    expect(resolveDataKey({ env, defaultFile: join(dir, 'none'), notice: silent(notices) })).toEqual({ key: fromEnv.key, source: 'env-file', file: fromEnv.file });
    expect(notices).toEqual([]);
  });

  it('accepts $TIEPDAN_DATA_KEY with a warning about who can read it', () => {
    const key = randomBytes(32);
    const notices: string[] = [];
    expect(resolveDataKey({ env: { TIEPDAN_DATA_KEY_FILE: '', TIEPDAN_DATA_KEY: key.toString('base64') }, defaultFile: join(dir, 'none'), notice: silent(notices) })).toEqual({ key, source: 'env', file: null });
    expect(notices).toEqual([
      'warning: the data key comes from $TIEPDAN_DATA_KEY, which any process of this user can read in /proc/PID/environ and every child inherits; put it in a file (--data-key-file or $TIEPDAN_DATA_KEY_FILE, mode 0600) instead',
    ]);
  });

  it('uses the default file when it exists, and generates it 0600 (folders too) on the first start, once', () => {
    const existing = keyFile();
    const notices: string[] = [];
    expect(resolveDataKey({ env: { TIEPDAN_DATA_KEY: '' }, defaultFile: existing.file, notice: silent(notices) })).toEqual({ key: existing.key, source: 'default-file', file: existing.file });
    expect(notices).toEqual([]);
    const fresh = join(dir, 'first', 'start', 'tiepdan.key');
    const generated = resolveDataKey({ env: {}, defaultFile: fresh, notice: silent(notices) });
    expect(generated).toMatchObject({ source: 'generated', file: fresh });
    expect(generated.key).toHaveLength(32);
    expect(readFileSync(fresh, 'utf8')).toBe(`${generated.key.toString('base64')}\n`);
    expect(modeOf(fresh)).toBe('600');
    expect(notices).toEqual([`data key: generated ${fresh} (mode 0600) on this first start; keep it with the database, and back it up apart from it`]);
    expect(resolveDataKey({ env: {}, defaultFile: fresh, notice: silent(notices) })).toEqual({ key: generated.key, source: 'default-file', file: fresh });
  });
});

describe('requests through their whole life', () => {
  it('kept in memory: read, handed over, done or discarded, each audited once with the actor and the time', () => {
    let now = Date.UTC(2026, 10, 27, 2, 0);
    const database = openDatabase(':memory:');
    const store = openRequestStore(database, { key: null, now: () => now });
    expect(store.mode).toBe('memory');
    store.put(request, 'robot-1');
    store.put({ ...request, requestId: 'r-2', procedureId: 'marriage_registration' }, 'robot-1');
    store.put({ ...request, requestId: 'r-3', procedureId: 'copy_certification' }, 'robot-2');
    store.attachTicket('r-1', 'A001');
    store.attachTicket('r-2', 'A002');
    store.attachTicket('no-such-request', 'A009');
    now += 1_000;
    expect(store.read('A009', 'counter-1')).toBeNull();
    expect(store.handOver('A009', 'counter-1')).toBeNull();
    expect(store.handOver('A001', 'counter-1')).toEqual(request);
    expect(store.handOver('A001', 'counter-1')).toBeNull();
    store.ticketDone('A002', 'counter-2');
    expect(store.read('A002', 'counter-2')).toBeNull();
    store.ticketDone('A002', 'counter-2');
    store.discard('r-3', 'robot-2');
    store.discard('r-3', 'robot-2');
    store.discard('never-stored', 'robot-2');
    expect(store.audit()).toEqual([
      { atMs: now - 1_000, actor: 'robot-1', action: 'stored', procedureId: 'birth_registration', ticketNumber: null },
      { atMs: now - 1_000, actor: 'robot-1', action: 'stored', procedureId: 'marriage_registration', ticketNumber: null },
      { atMs: now - 1_000, actor: 'robot-2', action: 'stored', procedureId: 'copy_certification', ticketNumber: null },
      { atMs: now, actor: 'counter-1', action: 'handed_over', procedureId: 'birth_registration', ticketNumber: 'A001' },
      { atMs: now, actor: 'counter-2', action: 'ticket_done', procedureId: 'marriage_registration', ticketNumber: 'A002' },
      { atMs: now, actor: 'robot-2', action: 'discarded', procedureId: 'copy_certification', ticketNumber: null },
    ]);
    store.close();
    database.close();
  });

  it('sealed: done with its ticket, deleted from the file and audited; a ticket with no request leaves no line', () => {
    const database = openDatabase(':memory:');
    const store = openRequestStore(database, { key: randomBytes(32), now: () => 1_000 });
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A001');
    store.ticketDone('A001', 'counter-1');
    store.ticketDone('A404', 'counter-1');
    expect(database.connection.prepare('SELECT COUNT(*) AS n FROM requests').get()).toEqual({ n: 0 });
    expect(store.read('A001', 'counter-1')).toBeNull();
    store.discard('r-1', 'robot-1');
    expect(store.audit().map((a) => [a.actor, a.action, a.procedureId, a.ticketNumber])).toEqual([
      ['robot-1', 'stored', 'birth_registration', null],
      ['counter-1', 'ticket_done', 'birth_registration', 'A001'],
    ]);
    database.close();
  });

  it('sealed before tickets were bound into the seal (request id alone): still opened, until it expires', () => {
    const key = randomBytes(32);
    const database = openDatabase(':memory:');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from('r-1'));
    const data = Buffer.concat([cipher.update(JSON.stringify(request), 'utf8'), cipher.final()]);
    database.connection
      .prepare('INSERT INTO requests (request_id, ticket, procedure_id, iv, tag, data, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('r-1', 'A001', request.procedureId, iv, cipher.getAuthTag(), data, 2_000);
    const store = openRequestStore(database, { key, now: () => 1_000 });
    expect(store.read('A001', 'counter-1')).toEqual(request);
    // Sealed to another request's id, it does not open, and the error names the ticket, not the data.
    database.connection.prepare("UPDATE requests SET request_id = 'r-2'").run();
    expect(() => store.read('A001', 'counter-1')).toThrow(new TiepdanError('request_unreadable', 'the stored request for ticket A001 cannot be opened with this key'));
    expect(() => store.attachTicket('r-2', 'A002')).toThrow(new TiepdanError('request_unreadable', 'the stored request for ticket A001 cannot be opened with this key'));
    database.close();
  });

  it('a sealed request whose content names another request than its row is refused', () => {
    const key = randomBytes(32);
    const database = openDatabase(':memory:');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // Sealed to r-1's id, but holding r-2's request.
    cipher.setAAD(Buffer.from('r-1'));
    const data = Buffer.concat([cipher.update(JSON.stringify({ ...request, requestId: 'r-2' }), 'utf8'), cipher.final()]);
    database.connection
      .prepare('INSERT INTO requests (request_id, ticket, procedure_id, iv, tag, data, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run('r-1', 'A001', request.procedureId, iv, cipher.getAuthTag(), data, 2_000);
    const store = openRequestStore(database, { key, now: () => 1_000 });
    expect(() => store.read('A001', 'counter-1')).toThrow(new TiepdanError('request_unreadable', 'the stored request for ticket A001 cannot be opened with this key'));
    database.close();
  });

  it('kept in memory, leaves alone the sealed requests an earlier run with a key left in the file', () => {
    const database = openDatabase(':memory:');
    openRequestStore(database, { key: randomBytes(32), now: () => 1_000 }).put(request, 'robot-1');
    const store = openRequestStore(database, { key: null, now: () => 1_000 });
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A001');
    expect(store.read('A001', 'counter-1')).toEqual(request);
    store.close();
    database.close();
  });

  it('a sealed request without a ticket that another key cannot open is named by its request id', () => {
    const database = openDatabase(':memory:');
    openRequestStore(database, { key: randomBytes(32) }).put(request, 'robot-1');
    const other = openRequestStore(database, { key: randomBytes(32) });
    expect(() => other.attachTicket('r-1', 'A001')).toThrow(new TiepdanError('request_unreadable', 'the stored request r-1 cannot be opened with this key'));
    // One that is not there is nothing to attach.
    expect(() => other.attachTicket('r-9', 'A001')).not.toThrow();
    database.close();
  });
});
