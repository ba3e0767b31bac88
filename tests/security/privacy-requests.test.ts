import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { Controller } from '../../src/app/controller.js';
import type { TextListener } from '../../src/adapters/text/text-listener.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { openRequestStore, resolveDataKey } from '../../src/civic/requests/sealed-store.js';
import { openLog } from '../../src/cli/start.js';
import { controllerBackend } from '../../src/console/controller-backend.js';
import type { User } from '../../src/console/users.js';
import type { Place } from '../../src/ports/robot-base.js';
import { openDatabase } from '../../src/store/database.js';
import { composedRig, MORNING_MS } from './privacy-rig.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-privacy-requests-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const places: Place[] = [{ id: 'counter-1', kind: 'counter', fields: ['civil_status'], pose: { xM: 1, yM: 1, yawRad: 0 } }];
const officer: User = { name: 'hoa', role: 'officer', counterId: 'counter-1', mustChangePassword: false };
const base = { v: 1 as const, robotId: 'robot-1', requestId: 'q1' };
const request = (requestId: string) => ({ requestId, procedureId: 'birth_registration', fields: { 'card1.fullName': 'Trần Thị Mai' } });

describe('sealed requests are erased when their use is over', () => {
  it('expired requests are purged when the controller starts and every minute on its clock', async () => {
    const r = composedRig({
      retentionMs: 5 * 60_000,
      seedRequests: (database) => {
        // Left by yesterday's run, which ended before its purge.
        const yesterday = openRequestStore(database, { key: randomBytes(32), now: () => MORNING_MS - 24 * 3600_000 });
        yesterday.put(request('old-1'), 'robot-1');
      },
    });
    expect(r.rows().map((x) => x.request_id)).toEqual(['old-1']);
    await r.composed.start();
    await r.run(1);
    expect(r.rows().map((x) => x.request_id)).toEqual([]);
    r.requests.put(request('today-1'), 'robot-1');
    await r.run(4 * 60);
    expect(r.rows().map((x) => x.request_id)).toEqual(['today-1']);
    await r.run(2 * 60);
    expect(r.rows().map((x) => x.request_id)).toEqual([]);
    await r.composed.stop();
  });

  it('a re-scan while the citizen confirms discards the first request: no orphan without a ticket', async () => {
    const r = composedRig();
    r.citizenAtHome();
    await r.composed.start();
    for (const text of ['birth certificate for my baby', 'yes', 'yes', 'please scan my id card again', 'yes']) await r.answer(text);
    await r.answer('yes', 'escorting');
    expect(r.rows()).toEqual([{ request_id: expect.any(String), ticket: 'A001' }]);
    await r.composed.stop();
  });

  it('the officer who opens the request takes it: it is deleted once handed over, and audited', () => {
    const database = openDatabase(':memory:');
    const requests = openRequestStore(database, { key: randomBytes(32) });
    const queue = createMemoryQueue();
    const ticket = queue.issue({ field: 'civil_status', procedureId: 'birth_registration' });
    requests.put(request('r1'), 'robot-1');
    requests.attachTicket('r1', ticket.number);
    const idle = { snapshot: () => ({ value: 'idle' }) } as unknown as Controller & TextListener;
    const backend = controllerBackend('robot-1', { controller: idle, listener: idle, queue, places, requests, procedureIds: new Set() });
    expect(backend.command({ ...base, type: 'queue.callNext', counterId: 'counter-1' }, officer)).toMatchObject({ ok: true });
    expect(backend.command({ ...base, type: 'request.open', ticketNumber: ticket.number }, officer)).toMatchObject({ ok: true });
    expect(database.connection.prepare('SELECT COUNT(*) AS n FROM requests').get()).toEqual({ n: 0 });
    expect(requests.audit().map((a) => a.action)).toEqual(['stored', 'handed_over']);
    database.close();
  });

  it('calling the next ticket at a counter ends the previous ticket there, and its request with it', () => {
    const database = openDatabase(':memory:');
    const requests = openRequestStore(database, { key: randomBytes(32) });
    const queue = createMemoryQueue();
    const first = queue.issue({ field: 'civil_status', procedureId: 'birth_registration' });
    queue.issue({ field: 'civil_status', procedureId: 'birth_registration' });
    requests.put(request('r1'), 'robot-1');
    requests.attachTicket('r1', first.number);
    const idle = { snapshot: () => ({ value: 'idle' }) } as unknown as Controller & TextListener;
    const backend = controllerBackend('robot-1', { controller: idle, listener: idle, queue, places, requests, procedureIds: new Set() });
    backend.command({ ...base, type: 'queue.callNext', counterId: 'counter-1' }, officer);
    expect(database.connection.prepare('SELECT COUNT(*) AS n FROM requests').get()).toEqual({ n: 1 });
    backend.command({ ...base, type: 'queue.callNext', counterId: 'counter-1' }, officer);
    expect(database.connection.prepare('SELECT COUNT(*) AS n FROM requests').get()).toEqual({ n: 0 });
    database.close();
  });

  it('a sealed request cannot be moved to another ticket: the ticket number is bound into the seal', () => {
    const database = openDatabase(':memory:');
    const requests = openRequestStore(database, { key: randomBytes(32) });
    requests.put(request('r1'), 'robot-1');
    requests.attachTicket('r1', 'A001');
    requests.put({ ...request('r2'), fields: { 'card1.fullName': 'Lê Văn Bình' } }, 'robot-1');
    requests.attachTicket('r2', 'A002');
    // Someone with write access to the file swaps the clear-text ticket columns.
    database.connection.exec("UPDATE requests SET ticket = CASE ticket WHEN 'A001' THEN 'A002' ELSE 'A001' END");
    expect(() => requests.read('A001', 'hoa')).toThrow(/cannot be opened/);
    database.close();
  });
});

describe('the key and the files that hold personal data', () => {
  it('the database with its WAL and shared-memory files, and the log, are created 0600 whatever the umask', () => {
    // Worker threads (mutation runs use them) cannot set the umask: there the process's own must let others read.
    const old = isMainThread ? process.umask(0o022) : null;
    if (old === null) expect(process.umask() & 0o044).toBe(0);
    try {
      const database = openDatabase(join(dir, 'private.db'));
      database.connection.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      for (const f of ['private.db', 'private.db-wal', 'private.db-shm']) expect((statSync(join(dir, f)).mode & 0o777).toString(8), f).toBe('600');
      database.close();
      const log = openLog(join(dir, 'log', 'tiepdan.log'));
      log.logger.info('hello');
      log.close();
      expect((statSync(join(dir, 'log', 'tiepdan.log')).mode & 0o777).toString(8)).toBe('600');
    } finally {
      if (old !== null) process.umask(old);
    }
  });

  it('without a configured key a key file is generated 0600 and said so; the environment variable is accepted with a warning', () => {
    const messages: string[] = [];
    const generated = resolveDataKey({ env: {}, defaultFile: join(dir, 'var', 'data.key'), notice: (m) => messages.push(m) });
    expect(generated.key).toHaveLength(32);
    expect((statSync(join(dir, 'var', 'data.key')).mode & 0o777).toString(8)).toBe('600');
    expect(messages.join('\n')).toMatch(/generated/);
    // The second start uses the same file.
    const again = resolveDataKey({ env: {}, defaultFile: join(dir, 'var', 'data.key'), notice: (m) => messages.push(m) });
    expect(again.key).toEqual(generated.key);
    expect(readFileSync(join(dir, 'var', 'data.key'), 'utf8').trim()).toBe(generated.key.toString('base64'));
    const warnings: string[] = [];
    const fromEnv = resolveDataKey({ env: { TIEPDAN_DATA_KEY: randomBytes(32).toString('base64') }, defaultFile: join(dir, 'unused.key'), notice: (m) => warnings.push(m) });
    expect(fromEnv.source).toBe('env');
    expect(warnings.join('\n')).toMatch(/warning.*\/proc/);
  });
});
