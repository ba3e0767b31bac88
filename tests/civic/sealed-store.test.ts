import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataKeyFromEnvironment, openRequestStore, type PrefilledRequest } from '../../src/civic/requests/sealed-store.js';
import { TiepdanError } from '../../src/ports/errors.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { syntheticCards } from '../../sim/id-cards.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-requests-'));
const opened: Database[] = [];
/** The file's database, closed with the test file (each store is closed on its own by the test). */
const database = (name: string): Database => {
  const db = openDatabase(join(dir, name));
  opened.push(db);
  return db;
};
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});
const card = syntheticCards(1, 3)[0]!;
const request: PrefilledRequest = {
  requestId: 'r-1',
  procedureId: 'birth_registration',
  fields: { idNumber: card.id, fullName: card.name, address: card.address },
};
/** Every byte the store wrote, database and journal files together. */
const bytesIn = (prefix: string) =>
  Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith(prefix))
      .map((f) => readFileSync(join(dir, f))),
  );

describe('pre-filled requests at rest', () => {
  it('are sealed with AES-256-GCM: the database never holds the name, the ID or the address in clear', () => {
    const key = randomBytes(32);
    const store = openRequestStore(database('sealed.db'), { key });
    expect(store.mode).toBe('encrypted');
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A007');
    expect(store.read('A007', 'counter-1')).toEqual(request);
    const bytes = bytesIn('sealed.db');
    for (const secret of [card.id, card.name, card.address, card.name.normalize('NFD')]) {
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
    }
    store.close();
    // Another key cannot open it, and says so without the data.
    const wrong = openRequestStore(database('sealed.db'), { key: randomBytes(32) });
    expect(() => wrong.read('A007', 'counter-1')).toThrow(/cannot be opened with this key/);
    wrong.close();
  });

  it('EXPECTED FAILURE - a sealed request changed at rest is refused, not read: the GCM tag is checked', () => {
    const db = database('tampered.db');
    const store = openRequestStore(db, { key: randomBytes(32) });
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A007');
    const row = db.connection.prepare<[], { tag: Buffer; data: Buffer }>("SELECT tag, data FROM requests WHERE request_id = 'r-1'").get()!;
    const write = (tag: Buffer, data: Buffer) => db.connection.prepare("UPDATE requests SET tag = ?, data = ? WHERE request_id = 'r-1'").run(tag, data);
    const flipped = (bytes: Buffer, at: number, mask: number) => {
      const copy = Buffer.from(bytes);
      copy[at]! ^= mask;
      return copy;
    };
    // One bit of the tag: the data itself is intact and would decrypt to the right request.
    write(flipped(row.tag, 0, 0x01), row.data);
    expect(() => store.read('A007', 'counter-1')).toThrow(expect.objectContaining({ code: 'request_unreadable' }));
    // One bit of the ciphertext over a digit of the ID number: it would decrypt to valid JSON with another ID.
    const digitAt = Buffer.byteLength(JSON.stringify(request).slice(0, JSON.stringify(request).indexOf(card.id)), 'utf8');
    write(row.tag, flipped(row.data, digitAt, 0x01));
    expect(() => store.read('A007', 'counter-1')).toThrow(expect.objectContaining({ code: 'request_unreadable' }));
    // Put back as it was, it reads again.
    write(row.tag, row.data);
    expect(store.read('A007', 'counter-1')).toEqual(request);
    expect(store.audit().filter((a) => a.action === 'read')).toHaveLength(1);
    store.close();
  });

  it('a sealed request moved to another ticket is refused: the seal binds the ticket it was given', () => {
    const db = database('moved.db');
    const store = openRequestStore(db, { key: randomBytes(32) });
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A007');
    db.connection.prepare("UPDATE requests SET ticket = 'A008' WHERE request_id = 'r-1'").run();
    expect(() => store.read('A008', 'counter-2')).toThrow(new TiepdanError('request_unreadable', 'the stored request for ticket A008 cannot be opened with this key'));
    expect(store.audit().map((a) => a.action)).toEqual(['stored']);
    store.close();
  });

  it('hand-over deletes the request; both reads and the hand-over are audited without personal data', () => {
    const store = openRequestStore(database('handover.db'), { key: randomBytes(32) });
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A007');
    store.read('A007', 'counter-1');
    expect(store.handOver('A007', 'counter-1')).toEqual(request);
    expect(store.read('A007', 'counter-1')).toBeNull();
    const audit = store.audit();
    expect(audit.map((a) => [a.actor, a.action, a.procedureId, a.ticketNumber])).toEqual([
      ['robot-1', 'stored', 'birth_registration', null],
      ['counter-1', 'read', 'birth_registration', 'A007'],
      ['counter-1', 'handed_over', 'birth_registration', 'A007'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(card.id);
    store.close();
  });

  it('are discarded when the citizen says the data shown is not right, with an audit line and nothing else', () => {
    const store = openRequestStore(database('discard.db'), { key: randomBytes(32) });
    store.put(request, 'robot-1');
    store.discard('r-1', 'robot-1');
    store.attachTicket('r-1', 'A007');
    expect(store.read('A007', 'counter-1')).toBeNull();
    expect(store.audit().map((a) => a.action)).toEqual(['stored', 'discarded']);
    store.close();
  });

  it('are purged at the end of the service day (midnight in Ho Chi Minh City) or after the configured time', () => {
    let now = Date.UTC(2026, 10, 27, 9, 0); // 16:00 local
    const store = openRequestStore(database('purge.db'), { key: randomBytes(32), now: () => now });
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A007');
    now = Date.UTC(2026, 10, 27, 16, 59); // 23:59 local
    expect(store.purge()).toBe(0);
    expect(store.read('A007', 'c')).not.toBeNull();
    now = Date.UTC(2026, 10, 27, 17, 0); // midnight local
    expect(store.read('A007', 'c')).toBeNull();
    expect(store.purge()).toBe(1);
    store.close();
    const short = openRequestStore(database('short.db'), { key: randomBytes(32), now: () => now, retentionMs: 60_000 });
    short.put(request, 'robot-1');
    short.attachTicket('r-1', 'A007');
    now += 61_000;
    expect(short.purge()).toBe(1);
    short.close();
  });

  it('stay in memory only when no key is configured: nothing of them reaches the file', () => {
    const first = openDatabase(join(dir, 'memory.db'));
    const store = openRequestStore(first, { key: null });
    expect(store.mode).toBe('memory');
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A007');
    expect(store.read('A007', 'counter-1')).toEqual(request);
    store.close();
    // Closing drops what the store held: nothing of it can be read through the store any more.
    expect(store.read('A007', 'counter-1')).toBeNull();
    first.close();
    expect(bytesIn('memory.db').includes(Buffer.from(card.name))).toBe(false);
    const again = openRequestStore(database('memory.db'), { key: null });
    expect(again.read('A007', 'counter-1')).toBeNull();
    again.close();
  });

  it('kept in memory, are gone at their expiry and purged with an audit line; a purge with nothing to do leaves none', () => {
    let now = Date.UTC(2026, 10, 27, 9, 0);
    const store = openRequestStore(database('memory-purge.db'), { key: null, now: () => now, retentionMs: 60_000 });
    store.put(request, 'robot-1');
    store.attachTicket('r-1', 'A007');
    expect(store.purge()).toBe(0);
    now += 59_999;
    expect(store.read('A007', 'counter-1')).toEqual(request);
    now += 1;
    expect(store.read('A007', 'counter-1')).toBeNull();
    expect(store.purge()).toBe(1);
    expect(store.purge()).toBe(0);
    expect(store.audit().map((a) => [a.actor, a.action])).toEqual([
      ['robot-1', 'stored'],
      ['counter-1', 'read'],
      ['retention', 'purged'],
    ]);
    store.close();
  });

  it('takes the key from the environment, refusing one of the wrong length', () => {
    const key = randomBytes(32);
    expect(dataKeyFromEnvironment({ TIEPDAN_DATA_KEY: key.toString('base64') })).toEqual(key);
    expect(dataKeyFromEnvironment({})).toBeNull();
    expect(() => dataKeyFromEnvironment({ TIEPDAN_DATA_KEY: randomBytes(16).toString('base64') })).toThrow(/32 bytes/);
  });
});
