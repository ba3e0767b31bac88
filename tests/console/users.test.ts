import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/console/password-strength.js';
import { generatePassword, openUserStore } from '../../src/console/users.js';
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

describe('operator accounts, rule by rule', () => {
  const failure = (run: () => unknown): { code: string; message: string } => {
    try {
      run();
    } catch (error) {
      return error as { code: string; message: string };
    }
    throw new Error('it did not fail');
  };

  it('take names of 2 to 32 lower-case letters, digits and . _ -, starting with a letter', () => {
    const users = openUserStore(database(join(dir, 'names.db')));
    for (const name of ['ab', 'a'.repeat(32), 'lan.nguyen', 'op_2', 'x-1']) expect(users.add(name, 'viewer', 'long enough pw').name).toBe(name);
    for (const name of ['a', 'a'.repeat(33), '1abc', '.abc', 'Abc', 'ab c', 'ab/c', 'ab\n', '']) {
      expect(failure(() => users.add(name, 'viewer', 'long enough pw')), JSON.stringify(name)).toMatchObject({
        code: 'user_invalid',
        message: 'tiepdan user_invalid: a user name is 2–32 lower-case letters, digits, . _ -, starting with a letter',
      });
    }
    users.close();
  });

  it('name the roles, bind only officers to a counter, and refuse weak passwords as password_weak', () => {
    const users = openUserStore(database(join(dir, 'roles.db')));
    expect(failure(() => users.add('x1', 'root' as 'viewer', 'long enough pw'))).toMatchObject({ code: 'user_invalid', message: 'tiepdan user_invalid: the role must be one of viewer, operator, admin, officer, kiosk' });
    expect(failure(() => users.add('x2', 'officer', 'long enough pw'))).toMatchObject({ code: 'user_invalid', message: 'tiepdan user_invalid: an officer is bound to a counter (--counter ID)' });
    expect(failure(() => users.add('x3', 'operator', 'long enough pw', { counterId: 'counter-1' }))).toMatchObject({ code: 'user_invalid', message: 'tiepdan user_invalid: only officers are bound to a counter' });
    expect(failure(() => users.add('x4', 'viewer', 'x4x4x4x4x4x4', {}))).toMatchObject({ code: 'password_weak' });
    expect(failure(() => users.add('x5', 'viewer', 42 as unknown as string))).toMatchObject({ code: 'password_weak', message: 'tiepdan password_weak: a password is text' });
    for (const role of ['viewer', 'operator', 'admin', 'kiosk'] as const) expect(users.add(`${role}1`, role, 'long enough pw').role).toBe(role);
    expect(users.add('hoa', 'officer', 'long enough pw', { counterId: 'counter-3', mustChangePassword: true })).toEqual({ name: 'hoa', role: 'officer', counterId: 'counter-3', mustChangePassword: true });
    expect(failure(() => users.add('hoa', 'officer', 'long enough pw', { counterId: 'counter-3' }))).toMatchObject({ code: 'user_exists', message: 'tiepdan user_exists: user hoa exists already' });
    expect(users.list()).toEqual([
      { name: 'admin1', role: 'admin', counterId: null, mustChangePassword: false },
      { name: 'hoa', role: 'officer', counterId: 'counter-3', mustChangePassword: true },
      { name: 'kiosk1', role: 'kiosk', counterId: null, mustChangePassword: false },
      { name: 'operator1', role: 'operator', counterId: null, mustChangePassword: false },
      { name: 'viewer1', role: 'viewer', counterId: null, mustChangePassword: false },
    ]);
    expect(users.remove('hoa')).toBe(true);
    expect(users.remove('hoa')).toBe(false);
    users.close();
  });

  it('verify only text, and take an overlong password as a wrong one rather than hashing it', async () => {
    const users = openUserStore(database(join(dir, 'verify.db')));
    users.add('lan', 'operator', 'correct horse battery');
    expect(await users.verify('lan', 'correct horse battery')).toEqual({ name: 'lan', role: 'operator', counterId: null, mustChangePassword: false });
    expect(await users.verify(42 as unknown as string, 'correct horse battery')).toBeNull();
    expect(await users.verify('lan', { toString: () => 'correct horse battery' } as unknown as string)).toBeNull();
    expect(await users.verify('lan', 'x'.repeat(513))).toBeNull();
    expect(await users.logIn('nobody', 'correct horse battery')).toBeNull();
    users.close();
  });

  it('refuse a login whose account was removed or replaced while its password was being checked', async () => {
    const users = openUserStore(database(join(dir, 'race.db')));
    users.add('lan', 'operator', 'correct horse battery');
    const removed = users.verify('lan', 'correct horse battery');
    users.remove('lan');
    expect(await removed).toBeNull();
    users.add('lan', 'operator', 'correct horse battery');
    const replaced = users.verify('lan', 'correct horse battery');
    users.remove('lan');
    users.add('lan', 'admin', 'another long passphrase');
    expect(await replaced).toBeNull();
    users.close();
  });

  it('keep sessions for 8 hours, by token, refusing tokens that cannot be ours, and sweep the expired ones', async () => {
    let now = 1_000_000;
    const file = join(dir, 'sessions.db');
    const db = database(file);
    const users = openUserStore(db, () => now);
    users.add('lan', 'operator', 'correct horse battery');
    const s = (await users.logIn('lan', 'correct horse battery'))!;
    expect(s.expiresAtMs).toBe(1_000_000 + 8 * 3600_000);
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The database keeps only the token's hash.
    expect(readFileSync(file).includes(Buffer.from(s.token))).toBe(false);
    expect(users.session(s.token)).toEqual({ token: s.token, user: s.user, expiresAtMs: s.expiresAtMs });
    expect(users.session(`${s.token}x`)).toBeNull();
    expect(users.session('x'.repeat(101))).toBeNull();
    expect(users.session(42 as unknown as string)).toBeNull();
    now = s.expiresAtMs - 1;
    expect(users.session(s.token)).not.toBeNull();
    const second = (await users.logIn('lan', 'correct horse battery'))!;
    expect(users.sweepExpired()).toBe(0);
    now = s.expiresAtMs;
    expect(users.session(s.token)).toBeNull();
    expect(users.sweepExpired()).toBe(1);
    expect(users.session(second.token)?.user.name).toBe('lan');
    // A store opened later sweeps at once.
    now = second.expiresAtMs;
    openUserStore(db, () => now);
    expect(db.connection.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 0 });
    users.close();
  });

  it('change a password only for a known account, to a strong one that differs from the current', async () => {
    const users = openUserStore(database(join(dir, 'change.db')));
    users.add('lan', 'operator', 'correct horse battery', { mustChangePassword: true });
    await expect(users.changePassword('nobody', 'a brand new passphrase')).rejects.toMatchObject({ code: 'user_unknown', message: 'tiepdan user_unknown: no user nobody' });
    await expect(users.changePassword('lan', 'correct horse battery')).rejects.toMatchObject({ code: 'password_reused', message: 'tiepdan password_reused: the new password must differ from the current one' });
    await expect(users.changePassword('lan', 'lan12345678')).rejects.toMatchObject({ code: 'password_weak' });
    expect(users.list()[0]!.mustChangePassword).toBe(true);
    await users.changePassword('lan', 'a brand new passphrase');
    expect(users.list()[0]!.mustChangePassword).toBe(false);
    expect(await users.verify('lan', 'correct horse battery')).toBeNull();
    users.close();
  });

  it('make no admin on first start when an account with the admin role exists under another name', () => {
    const users = openUserStore(database(join(dir, 'admin.db')));
    users.add('chief', 'admin', 'long enough pw');
    expect(users.ensureAdmin()).toBeNull();
    expect(users.list().map((u) => u.name)).toEqual(['chief']);
    users.close();
  });

  it('generate passwords of 16 base64url characters that pass the rules', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const password = generatePassword();
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(passwordProblem(password)).toBeNull();
      seen.add(password);
    }
    expect(seen.size).toBe(20);
  });
});
