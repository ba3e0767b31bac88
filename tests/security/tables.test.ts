import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openConsoleAudit } from '../../src/console/audit-log.js';
import { openUserStore } from '../../src/console/users.js';
import { openDatabase } from '../../src/store/database.js';
import { connect, logIn, post, startHarness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DAY_MS = 86_400_000;

describe('the session table', () => {
  it('holds no session token in clear', async () => {
    const h = await startHarness();
    try {
      const cookie = await logIn(h.server, 'op', 'operator secret 7f');
      const token = cookie.split('=')[1]!;
      const rows = h.database.connection.prepare('SELECT * FROM sessions').all();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows), 'the token is stored as it is').not.toContain(token);
      h.database.connection.pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(h.file).includes(Buffer.from(token))).toBe(false);
    } finally {
      await h.close();
    }
  });

  it('loses expired sessions when the store opens', async () => {
    let now = Date.now();
    const file = join(dir, 'expired.db');
    const database = openDatabase(file);
    try {
      const users = openUserStore(database, () => now);
      users.add('op', 'operator', 'operator secret 7f');
      await users.logIn('op', 'operator secret 7f');
      await users.logIn('op', 'operator secret 7f');
      now += 9 * 3600_000;
      openUserStore(database, () => now);
      expect(database.connection.prepare('SELECT COUNT(*) AS n FROM sessions').get(), 'expired sessions were kept').toEqual({ n: 0 });
    } finally {
      database.close();
    }
  });

  it('gains no row from a password check: a refused password change leaves exactly the session that asked', async () => {
    const h = await startHarness();
    try {
      const cookie = await logIn(h.server, 'op', 'operator secret 7f');
      expect((await post(h.server, '/api/password', { password: 'operator secret 7f', newPassword: 'short' }, cookie)).status).toBe(400);
      expect((await post(h.server, '/api/password', { password: 'not it at all', newPassword: 'long enough, new 1' }, cookie)).status).toBe(403);
      expect(h.database.connection.prepare('SELECT COUNT(*) AS n FROM sessions').get(), 'a password check left a session row').toEqual({ n: 1 });
    } finally {
      await h.close();
    }
  });
});

describe('the console audit', () => {
  it('counts repeated refusals from one address in one row a minute instead of a row each', () => {
    const database = openDatabase(join(dir, 'audit.db'));
    try {
      const start = Date.UTC(2025, 0, 6, 8, 0, 0);
      const audit = openConsoleAudit(database, { now: () => start });
      for (let i = 0; i < 3000; i += 1) audit.write({ atMs: start + i * 10, user: null, role: null, action: 'connect', ok: false, reason: 'no valid session', address: '10.0.0.9' });
      audit.write({ atMs: start + 31_000, user: 'op', role: 'operator', action: 'robot.estop', ok: true, reason: null, address: '10.0.0.2' });
      audit.flush();
      const rows = database.connection.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM console_audit').get()!.n;
      expect(rows, `${rows} rows for 3,000 refusals`).toBeLessThanOrEqual(3);
      const refusals = audit.all().filter((r) => r.action === 'connect');
      expect(refusals.reduce((sum, r) => sum + r.count, 0)).toBe(3000);
      // Successful commands are each their own row.
      expect(audit.all().filter((r) => r.action === 'robot.estop')).toHaveLength(1);
      audit.close();
    } finally {
      database.close();
    }
  });

  it('keeps rows for the retention period only (default 90 days)', () => {
    const database = openDatabase(join(dir, 'retention.db'));
    try {
      const now = Date.UTC(2025, 5, 1);
      const write = openConsoleAudit(database, { now: () => now });
      write.write({ atMs: now - 91 * DAY_MS, user: 'op', role: 'operator', action: 'robot.pause', ok: true, reason: null, address: '10.0.0.2' });
      write.write({ atMs: now - 89 * DAY_MS, user: 'op', role: 'operator', action: 'robot.resume', ok: true, reason: null, address: '10.0.0.2' });
      write.close();
      const reopened = openConsoleAudit(database, { now: () => now });
      expect(reopened.all().map((r) => r.action), 'a row older than 90 days was kept').toEqual(['robot.resume']);
      reopened.close();
      const shorter = openConsoleAudit(database, { now: () => now, retentionDays: 30 });
      expect(shorter.all()).toEqual([]);
      shorter.close();
    } finally {
      database.close();
    }
  });

  it('writes a few rows, not one each, for a burst of refused upgrades from one address', async () => {
    const database = openDatabase(join(dir, 'burst.db'));
    const audit = openConsoleAudit(database);
    const h = await startHarness({ audit: (r) => audit.write(r) });
    try {
      for (let i = 0; i < 200; i += 1) expect(await connect(h.server, 'tiepdan_session=forged')).toBe(401);
      audit.flush();
      const rows = database.connection.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM console_audit').get()!.n;
      expect(rows, `${rows} rows for 200 refused upgrades`).toBeLessThanOrEqual(3);
    } finally {
      await h.close();
      audit.close();
      database.close();
    }
  });
});
