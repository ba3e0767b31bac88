import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openUserStore } from '../../src/console/users.js';
import { openDatabase, type Database } from '../../src/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-users-'));
const opened: Database[] = [];
const database = (file: string): Database => {
  const db = openDatabase(file);
  opened.push(db);
  return db;
};
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('operator accounts', () => {
  it('keeps passwords only as scrypt hashes and opens a session for the right one only', async () => {
    const file = join(dir, 'a.db');
    const users = openUserStore(database(file));
    users.add('lan.nguyen', 'operator', 'correct horse battery');
    expect(readFileSync(file).includes(Buffer.from('correct horse battery'))).toBe(false);
    expect(await users.logIn('lan.nguyen', 'wrong password!!')).toBeNull();
    expect(await users.logIn('nobody', 'correct horse battery')).toBeNull();
    const s = (await users.logIn('lan.nguyen', 'correct horse battery'))!;
    expect(s.user).toEqual({ name: 'lan.nguyen', role: 'operator', counterId: null, mustChangePassword: false });
    expect(users.session(s.token)?.user.name).toBe('lan.nguyen');
    users.logOut(s.token);
    expect(users.session(s.token)).toBeNull();
    users.close();
  });

  it('ends sessions when they expire, when the password changes and when the user is removed', async () => {
    let now = 0;
    const users = openUserStore(database(join(dir, 'b.db')), () => now);
    users.add('minh', 'viewer', 'long enough pw');
    const a = (await users.logIn('minh', 'long enough pw'))!;
    now += 8 * 3600_000 + 1;
    expect(users.session(a.token)).toBeNull();
    const b = (await users.logIn('minh', 'long enough pw'))!;
    await users.changePassword('minh', 'another long one');
    expect(users.session(b.token)).toBeNull();
    const c = (await users.logIn('minh', 'another long one'))!;
    users.remove('minh');
    expect(users.session(c.token)).toBeNull();
    users.close();
  });

  it('binds officers to a counter and refuses bad names, roles and short passwords with clear errors', () => {
    const users = openUserStore(database(join(dir, 'c.db')));
    expect(users.add('hoa', 'officer', 'officer password', { counterId: 'counter-3' }).counterId).toBe('counter-3');
    expect(() => users.add('hoa2', 'officer', 'officer password')).toThrow(/bound to a counter/);
    expect(() => users.add('Bad Name', 'viewer', 'long enough pw')).toThrow(/user name/);
    expect(() => users.add('x1', 'root' as 'viewer', 'long enough pw')).toThrow(/role must be one of/);
    expect(() => users.add('x2', 'viewer', 'short')).toThrow(/at least 10 characters/);
    expect(() => users.add('hoa', 'viewer', 'long enough pw')).toThrow(/exists already/);
    users.close();
  });

  it('creates an admin with a generated password on first start, once, to be changed', async () => {
    const users = openUserStore(database(join(dir, 'd.db')));
    const first = users.ensureAdmin()!;
    expect(first.password.length).toBeGreaterThanOrEqual(16);
    expect(users.ensureAdmin()).toBeNull();
    const s = (await users.logIn('admin', first.password))!;
    expect(s.user.mustChangePassword).toBe(true);
    await users.changePassword('admin', 'a new admin password');
    expect((await users.logIn('admin', 'a new admin password'))!.user.mustChangePassword).toBe(false);
    users.close();
  });
});
