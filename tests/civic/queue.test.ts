import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { openSqliteQueue } from '../../src/civic/queue/sqlite-queue.js';
import { serviceDay } from '../../src/civic/service-day.js';
import { FIELD_PREFIX, formatTicketNumber, parseTicketNumber, type Queue } from '../../src/ports/queue.js';
import { FIELDS } from '../../src/ports/robot-base.js';
import { PROJECT_ROOT, projectPath } from '../../src/paths.js';
import { openDatabase } from '../../src/store/database.js';

// Inside the project, so the child processes resolve better-sqlite3 from its node_modules.
mkdirSync(projectPath('.test-tmp'), { recursive: true });
const dir = mkdtempSync(join(PROJECT_ROOT, '.test-tmp', 'queue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The SQLite queue on its own database file, closed with the queue. */
function sqliteQueue(file: string, now?: () => number): Queue {
  const database = openDatabase(file);
  const queue = openSqliteQueue(database, now);
  return {
    ...queue,
    close: () => {
      queue.close();
      database.close();
    },
  };
}

/** 08:00 on 27 Nov 2026 in Ho Chi Minh City, plus some minutes. */
const at = (minutes: number, day = 27) => Date.UTC(2026, 10, day, 1, minutes);

describe('ticket numbers', () => {
  it('are the field\'s prefix and the day\'s sequence, three digits at least, and read back', () => {
    expect(formatTicketNumber('civil_status', 1)).toBe('A001');
    expect(formatTicketNumber('complaints', 42)).toBe('K042');
    expect(formatTicketNumber('land', 1234)).toBe('F1234');
    for (const field of FIELDS) {
      for (const seq of [1, 99, 999, 1000]) expect(parseTicketNumber(formatTicketNumber(field, seq))).toEqual({ field, seq });
    }
    expect(new Set(Object.values(FIELD_PREFIX)).size).toBe(FIELDS.length);
  });

  it('EXPECTED FAILURE - anything not written by formatTicketNumber is not a ticket number', () => {
    for (const text of ['', 'A', 'A1', 'A01', 'A0001', 'A000', 'a001', 'Z001', 'A-01', 'A001 ', ' A001', 'A1e3', 'AB001']) expect(parseTicketNumber(text)).toBeNull();
  });
});

/** The Queue contract: every adapter numbers, orders and estimates the same way. */
describe.each([
  ['sqlite', (name: string, now: () => number): Queue => sqliteQueue(join(dir, `${name}.db`), now)],
  ['memory', (_name: string, now: () => number): Queue => createMemoryQueue(now)],
] as const)('the Queue contract: %s', (_kind, open) => {
  it('numbers tickets per field with its prefix, and counts the service day in Ho Chi Minh City', () => {
    let now = at(0);
    const q = open(`numbering-${_kind}`, () => now);
    expect(q.issue({ field: 'civil_status' }).number).toBe('A001');
    expect(q.issue({ field: 'civil_status' }).number).toBe('A002');
    expect(q.issue({ field: 'land' }).number).toBe('F001');
    expect(serviceDay(Date.UTC(2026, 10, 27, 16, 59))).toBe('2026-11-27');
    expect(serviceDay(Date.UTC(2026, 10, 27, 17, 0))).toBe('2026-11-28');
    now = Date.UTC(2026, 10, 27, 17, 1); // 00:01 on the 28th, local time
    expect(q.issue({ field: 'civil_status' }).number).toBe('A001');
    q.close();
  });

  it('never gives a number twice on one day, however many tickets were called in between', () => {
    let now = at(0);
    const q = open(`unique-${_kind}`, () => now);
    const issued = [1, 2, 3].map(() => q.issue({ field: 'civil_status' }).number);
    now = at(5);
    q.callNext('counter-1', ['civil_status']);
    q.callNext('counter-1', ['civil_status']);
    issued.push(q.issue({ field: 'civil_status' }).number);
    now = at(10);
    while (q.callNext('counter-1', ['civil_status']) !== null);
    issued.push(q.issue({ field: 'civil_status' }).number);
    expect(issued).toEqual(['A001', 'A002', 'A003', 'A004', 'A005']);
    // Each number still names the one ticket it was printed on.
    expect(issued.map((n) => q.find(n)?.issuedAtMs)).toEqual([at(0), at(0), at(0), at(5), at(10)]);
    q.close();
  });

  it('keeps each day, field and counter apart: what waits, what was called last where, and for which procedure', () => {
    let now = at(0, 26);
    const q = open(`apart-${_kind}`, () => now);
    q.issue({ field: 'land', procedureId: 'land_transfer' });
    q.callNext('counter-6', ['land']);
    q.issue({ field: 'land' });
    now = at(0);
    // Yesterday's ticket left waiting is not today's queue, nor is yesterday's call.
    expect(q.waiting()).toEqual([]);
    expect(q.lastCalledAt('counter-6')).toBeNull();
    expect(q.callNext('counter-6', ['land'])).toBeNull();
    const land = q.issue({ field: 'land', procedureId: 'land_transfer', priority: 'elderly' });
    expect(q.find(land.number)).toMatchObject({ procedureId: 'land_transfer', priority: 'elderly', field: 'land' });
    now = at(1);
    q.issue({ field: 'civil_status' });
    expect(q.waiting('land').map((t) => t.number)).toEqual(['F001']);
    expect(q.waiting('civil_status').map((t) => t.number)).toEqual(['A001']);
    expect(q.waiting().map((t) => t.number)).toEqual(['F001', 'A001']);
    now = at(2);
    q.callNext('counter-6', ['land']);
    now = at(3);
    q.callNext('counter-1', ['civil_status']);
    expect(q.lastCalledAt('counter-6')).toMatchObject({ number: 'F001', counterId: 'counter-6', calledAtMs: at(2) });
    expect(q.lastCalledAt('counter-1')).toMatchObject({ number: 'A001', counterId: 'counter-1', calledAtMs: at(3) });
    expect(q.lastCalledAt('counter-9')).toBeNull();
    expect(q.status().find((st) => st.field === 'land')).toMatchObject({ waiting: 0, lastCalled: 'F001' });
    q.close();
  });

  it('finds today\'s ticket by its number as printed, and nothing by another spelling', () => {
    const q = open(`find-${_kind}`, () => at(0));
    q.issue({ field: 'civil_status' });
    const land = q.issue({ field: 'land', procedureId: 'land_transfer' });
    expect(q.find('F001')).toEqual(land);
    expect(q.find('A001')?.field).toBe('civil_status');
    for (const other of ['A002', 'A1', 'A0001', 'a001', 'Z001', '']) expect(q.find(other)).toBeNull();
    q.close();
  });

  it('calls priority tickets first (elderly, disability, pregnant, small children), then in order of issue', () => {
    let now = at(0);
    const q = open(`priority-${_kind}`, () => now);
    q.issue({ field: 'residence' });
    now = at(1);
    q.issue({ field: 'identity' });
    now = at(2);
    q.issue({ field: 'residence', priority: 'elderly' });
    now = at(3);
    q.issue({ field: 'residence', priority: 'pregnant' });
    const order = [1, 2, 3, 4].map(() => q.callNext('counter-5', ['residence', 'identity'])?.number);
    expect(order).toEqual(['C002', 'C003', 'C001', 'D001']);
    expect(q.callNext('counter-5', ['residence', 'identity'])).toBeNull();
    q.close();
  });

  it('calls in order of issue even when the clock was set back between two tickets', () => {
    let now = at(5);
    const q = open(`clock-back-${_kind}`, () => now);
    q.issue({ field: 'civil_status' });
    // The clock is corrected two minutes back: the tickets issued after carry an earlier time.
    now = at(3);
    q.issue({ field: 'land' });
    q.issue({ field: 'civil_status' });
    q.issue({ field: 'civil_status', priority: 'disability' });
    expect(q.waiting().map((t) => t.number)).toEqual(['A003', 'A001', 'F001', 'A002']);
    const order = [1, 2, 3, 4].map(() => q.callNext('counter-1', ['civil_status', 'land'])?.number);
    expect(order).toEqual(['A003', 'A001', 'F001', 'A002']);
    q.close();
  });

  it('gives each field its own status: its waiting tickets, its newest call and its pace, today\'s only', () => {
    let now = at(0, 26);
    const q = open(`status-${_kind}`, () => now);
    // Yesterday the land counter called fast; today's estimate does not know it.
    for (let i = 0; i < 3; i += 1) q.issue({ field: 'land' });
    for (const minute of [1, 2, 3]) {
      now = at(minute, 26);
      q.callNext('counter-6', ['land']);
    }
    now = at(0);
    for (let i = 0; i < 4; i += 1) q.issue({ field: 'land' });
    for (let i = 0; i < 3; i += 1) q.issue({ field: 'civil_status' });
    for (const [minute, field, counter] of [[10, 'land', 'counter-6'], [12, 'civil_status', 'counter-1'], [20, 'land', 'counter-6'], [21, 'civil_status', 'counter-1']] as const) {
      now = at(minute);
      q.callNext(counter, [field]);
    }
    const status = (field: string) => q.status().find((st) => st.field === field);
    // Land: calls 10 minutes apart, two left; civil status: 9 minutes apart, one left.
    expect(status('land')).toEqual({ field: 'land', waiting: 2, lastCalled: 'F002', estimatedWaitS: 2 * 600 });
    expect(status('civil_status')).toEqual({ field: 'civil_status', waiting: 1, lastCalled: 'A002', estimatedWaitS: 540 });
    expect(status('social')).toEqual({ field: 'social', waiting: 0, lastCalled: null, estimatedWaitS: 0 });
    expect(q.status().map((st) => st.field)).toEqual(FIELDS);
    // The newest call at a counter, of several.
    expect(q.lastCalledAt('counter-6')).toMatchObject({ number: 'F002', calledAtMs: at(20) });
    expect(q.waiting('land').map((t) => t.number)).toEqual(['F003', 'F004']);
    q.close();
  });

  it('keeps no procedure for a ticket issued without one', () => {
    const q = open(`no-procedure-${_kind}`, () => at(0));
    expect(q.issue({ field: 'certification' })).toMatchObject({ number: 'B001', procedureId: null, priority: null, calledAtMs: null, counterId: null });
    expect(q.find('B001')).toMatchObject({ procedureId: null, priority: null });
    q.close();
  });

  it('estimates the wait from the last eight gaps between calls of the field, today\'s only', () => {
    let now = at(0);
    const q = open(`recent-calls-${_kind}`, () => now);
    for (let i = 0; i < 12; i += 1) q.issue({ field: 'business' });
    // The oldest call is left out; of the nine after it, the first two came 10 minutes apart, then every 2 minutes.
    for (const minute of [0, 10, 20, 22, 24, 26, 28, 30, 32, 34]) {
      now = at(minute);
      q.callNext('counter-4', ['business']);
    }
    expect(q.status().find((s) => s.field === 'business')).toEqual({ field: 'business', waiting: 2, lastCalled: 'E010', estimatedWaitS: 2 * 180 });
    q.close();
  });

  it('estimates the wait from recent service times', () => {
    let now = at(0);
    const q = open(`wait-${_kind}`, () => now);
    for (let i = 0; i < 6; i += 1) q.issue({ field: 'social' });
    expect(q.status().find((s) => s.field === 'social')).toMatchObject({ waiting: 6, estimatedWaitS: 6 * 300 });
    for (const minute of [10, 14, 18]) {
      now = at(minute);
      q.callNext('counter-8', ['social']);
    }
    // Calls 4 minutes apart, three tickets left.
    expect(q.status().find((s) => s.field === 'social')).toMatchObject({ waiting: 3, lastCalled: 'H003', estimatedWaitS: 3 * 240 });
    q.close();
  });
});

describe('the SQLite queue', () => {
  it('refuses a field it does not know, and writes nothing for it', () => {
    const q = sqliteQueue(join(dir, 'unknown-field.db'), () => at(0));
    expect(() => q.issue({ field: 'weddings' as never })).toThrow(new Error('queue: unknown field weddings'));
    expect(q.waiting()).toEqual([]);
    q.close();
  });


  it('loses nothing and repeats nothing across a restart in the middle of the day', () => {
    const file = join(dir, 'restart.db');
    let now = at(0);
    const first = sqliteQueue(file, () => now);
    for (let i = 0; i < 5; i += 1) first.issue({ field: 'certification' });
    now = at(5);
    expect(first.callNext('counter-3', ['certification'])?.number).toBe('B001');
    first.close();
    const second = sqliteQueue(file, () => now);
    expect(second.waiting('certification').map((t) => t.number)).toEqual(['B002', 'B003', 'B004', 'B005']);
    expect(second.issue({ field: 'certification' }).number).toBe('B006');
    now = at(9);
    expect(second.callNext('counter-3', ['certification'])?.number).toBe('B002');
    second.close();
  });

  it('gives 8 processes issuing at once every number exactly once, with no gap', async () => {
    const file = join(dir, 'concurrent.db');
    sqliteQueue(file).close();
    // The children run the adapter itself, as the build (`npm test` builds before it runs) has it.
    const built = (path: string): string => pathToFileURL(projectPath('dist', 'src', path)).href;
    writeFileSync(
      join(dir, 'issuer.mjs'),
      `import { openDatabase } from '${built('store/database.js')}';
import { openSqliteQueue } from '${built('civic/queue/sqlite-queue.js')}';
const db = openDatabase(process.argv[2]);
const q = openSqliteQueue(db);
const out = [];
for (let i = 0; i < 50; i += 1) out.push(q.issue({ field: i % 3 === 0 ? 'land' : 'civil_status' }).number);
q.close();
db.close();
process.stdout.write(JSON.stringify(out));
`,
    );
    const run = promisify(execFile);
    const results = await Promise.all(Array.from({ length: 8 }, () => run(process.execPath, [join(dir, 'issuer.mjs'), file])));
    const numbers = results.flatMap((r) => JSON.parse(r.stdout) as string[]);
    expect(numbers).toHaveLength(400);
    expect(new Set(numbers).size).toBe(400);
    const seqs = (prefix: string) => numbers.filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(1))).sort((a, b) => a - b);
    expect(seqs('A')).toEqual(Array.from({ length: seqs('A').length }, (_, i) => i + 1));
    expect(seqs('F')).toEqual(Array.from({ length: seqs('F').length }, (_, i) => i + 1));
    const q = sqliteQueue(file);
    expect(q.waiting().length).toBe(400);
    q.close();
  });
});
