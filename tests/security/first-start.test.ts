import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { userCommand } from '../../src/cli/user.js';
import { openUserStore } from '../../src/console/users.js';
import { openDatabase } from '../../src/store/database.js';
import { connect, logIn, post, startHarness } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-first-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the generated admin password', () => {
  it('cannot be "changed" to itself, and nothing but /api/me and the change itself works before it is changed', async () => {
    let admin = { name: '', password: '' };
    const h = await startHarness({}, (users) => {
      admin = users.ensureAdmin()!;
    });
    try {
      const cookie = await logIn(h.server, admin.name, admin.password);
      expect((await fetch(`${h.server.url}/api/me`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${h.server.url}/api/lobby`, { headers: { cookie } })).status, 'the lobby was readable before the change').toBe(403);
      expect((await fetch(`${h.server.url}/api/map.png`, { headers: { cookie } })).status).toBe(403);
      const ws = await connect(h.server, cookie);
      if (typeof ws !== 'number') ws.ws.close();
      expect(ws, 'the live stream opened before the change').toBe(403);

      const same = await post(h.server, '/api/password', { password: admin.password, newPassword: admin.password }, cookie);
      expect(same.status, 'the generated password was taken as the new one').toBe(400);
      expect(((await same.json()) as { reason: string }).reason).toMatch(/differ/);
      expect((await post(h.server, '/api/password', { password: admin.password, newPassword: 'a ward admin of 2025' }, cookie)).status).toBe(200);
      const fresh = await logIn(h.server, admin.name, 'a ward admin of 2025');
      expect((await fetch(`${h.server.url}/api/lobby`, { headers: { cookie: fresh } })).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('password strength', () => {
  it('EXPECTED FAILURE - refuses repetitive, sequential and common passwords of ten characters or more', () => {
    const database = openDatabase(':memory:');
    try {
      const users = openUserStore(database);
      for (const weak of ['aaaaaaaaaa', 'abababababab', '0123456789', '9876543210', 'abcdefghijk', 'qwertyuiop', 'password123', 'Password1234', 'iloveyou12', '1q2w3e4r5t']) {
        expect(() => users.add('weak', 'viewer', weak), `"${weak}" was accepted`).toThrow(expect.objectContaining({ code: 'password_weak' }));
      }
      expect(users.add('strong', 'viewer', 'lanterns by the river').name).toBe('strong');
    } finally {
      database.close();
    }
  });
});

describe('tiepdan user add', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      return { code: await userCommand(argv), out };
    } finally {
      spy.mockRestore();
    }
  }

  it('makes a --generate account change its password before use', async () => {
    const db = join(dir, 'generate.db');
    expect((await run(['add', 'lan', '--role', 'operator', '--generate', '--db', db])).code).toBe(0);
    const database = openDatabase(db);
    try {
      expect(openUserStore(database).list().find((u) => u.name === 'lan')?.mustChangePassword, 'a generated password need not be changed').toBe(true);
    } finally {
      database.close();
    }
  });

  it('EXPECTED FAILURE - refuses --counter for a counter that is not on the map', async () => {
    const db = join(dir, 'counter.db');
    await expect(run(['add', 'hoa', '--role', 'officer', '--counter', 'counter-99', '--generate', '--db', db])).rejects.toThrow(/counter-99: not a counter/);
    expect((await run(['add', 'hoa', '--role', 'officer', '--counter', 'counter-1', '--generate', '--db', db])).code).toBe(0);
  });
});
