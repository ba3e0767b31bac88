import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { TiepdanError } from '../ports/errors.js';
import type { Database } from '../store/database.js';
import { ROLES, type Role } from './protocol.js';

/** scrypt's defaults (N = 2^14, r = 8, p = 1) with a 16-byte salt and a 32-byte key. */
const KEY_BYTES = 32;
const SESSION_MS = 8 * 3600_000;
const NAME = /^[a-z][a-z0-9._-]{1,31}$/;
const MIN_PASSWORD = 10;

export interface User {
  readonly name: string;
  readonly role: Role;
  /** The counter an officer is bound to; null for every other role. */
  readonly counterId: string | null;
  /** A generated password must be changed before the account can do anything else. */
  readonly mustChangePassword: boolean;
}

export interface Session {
  readonly token: string;
  readonly user: User;
  readonly expiresAtMs: number;
}

function hash(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFC'), salt, KEY_BYTES);
}

export interface UserStore {
  add(name: string, role: Role, password: string, options?: { counterId?: string; mustChangePassword?: boolean }): User;
  remove(name: string): boolean;
  list(): readonly User[];
  /** A session for the right password, or null; the same work is done for unknown names. */
  logIn(name: string, password: string): Session | null;
  session(token: string): Session | null;
  logOut(token: string): void;
  changePassword(name: string, password: string): void;
  /** On first start: when there is no admin, one is made with a generated password, returned once. */
  ensureAdmin(): { readonly name: string; readonly password: string } | null;
  close(): void;
}

/** Operator accounts and sessions in the controller's SQLite file; passwords only as scrypt hashes. */
export function openUserStore(database: Database, now: () => number = Date.now): UserStore {
  // Sessions go with their account through the foreign key the handle turns on.
  const db = database.connection;
  type Row = { name: string; role: Role; counter_id: string | null; salt: Buffer; hash: Buffer; must_change: number };
  const userOf = (r: Row): User => ({ name: r.name, role: r.role, counterId: r.counter_id, mustChangePassword: r.must_change === 1 });
  const byName = db.prepare<[string], Row>('SELECT * FROM users WHERE name = ?');
  // Compared against when the name is unknown, so a wrong name costs as long as a wrong password.
  const decoy = { salt: randomBytes(16), hash: randomBytes(KEY_BYTES) };

  const checkPassword = (password: string) => {
    if (typeof password !== 'string' || Array.from(password).length < MIN_PASSWORD) {
      throw new TiepdanError('password_weak', `a password needs at least ${MIN_PASSWORD} characters`);
    }
  };

  const store: UserStore = {
    add(name, role, password, options = {}) {
      if (!NAME.test(name)) throw new TiepdanError('user_invalid', 'a user name is 2–32 lower-case letters, digits, . _ -, starting with a letter');
      if (!ROLES.includes(role)) throw new TiepdanError('user_invalid', `the role must be one of ${ROLES.join(', ')}`);
      if (role === 'officer' && options.counterId === undefined) throw new TiepdanError('user_invalid', 'an officer is bound to a counter (--counter ID)');
      if (role !== 'officer' && options.counterId !== undefined) throw new TiepdanError('user_invalid', 'only officers are bound to a counter');
      checkPassword(password);
      if (byName.get(name) !== undefined) throw new TiepdanError('user_exists', `user ${name} exists already`);
      const salt = randomBytes(16);
      db.prepare('INSERT INTO users (name, role, counter_id, salt, hash, must_change) VALUES (?, ?, ?, ?, ?, ?)').run(
        name,
        role,
        options.counterId ?? null,
        salt,
        hash(password, salt),
        options.mustChangePassword === true ? 1 : 0,
      );
      return userOf(byName.get(name)!);
    },
    remove: (name) => db.prepare('DELETE FROM users WHERE name = ?').run(name).changes > 0,
    list: () => db.prepare<[], Row>('SELECT * FROM users ORDER BY name').all().map(userOf),
    logIn(name, password) {
      const row = typeof name === 'string' ? byName.get(name) : undefined;
      const candidate = hash(typeof password === 'string' ? password : '', row?.salt ?? decoy.salt);
      if (row === undefined || !timingSafeEqual(candidate, row.hash)) return null;
      const token = randomBytes(32).toString('base64url');
      const expiresAtMs = now() + SESSION_MS;
      db.prepare('INSERT INTO sessions (token, name, expires_at) VALUES (?, ?, ?)').run(token, name, expiresAtMs);
      return { token, user: userOf(row), expiresAtMs };
    },
    session(token) {
      if (typeof token !== 'string' || token.length > 100) return null;
      const row = db
        .prepare<[string, number], Row & { token: string; expires_at: number }>(
          'SELECT users.*, sessions.token, sessions.expires_at FROM sessions JOIN users ON users.name = sessions.name WHERE token = ? AND expires_at > ?',
        )
        .get(token, now());
      return row === undefined ? null : { token: row.token, user: userOf(row), expiresAtMs: row.expires_at };
    },
    logOut: (token) => void db.prepare('DELETE FROM sessions WHERE token = ?').run(token),
    changePassword(name, password) {
      checkPassword(password);
      const salt = randomBytes(16);
      const changed = db.prepare('UPDATE users SET salt = ?, hash = ?, must_change = 0 WHERE name = ?').run(salt, hash(password, salt), name).changes;
      if (changed === 0) throw new TiepdanError('user_unknown', `no user ${name}`);
      // Sessions opened with the old password end.
      db.prepare('DELETE FROM sessions WHERE name = ?').run(name);
    },
    ensureAdmin() {
      if (db.prepare("SELECT 1 FROM users WHERE role = 'admin'").get() !== undefined) return null;
      const password = randomBytes(12).toString('base64url');
      store.add('admin', 'admin', password, { mustChangePassword: true });
      return { name: 'admin', password };
    },
    // The connection is the handle's: its owner closes it.
    close: () => {},
  };
  return store;
}
