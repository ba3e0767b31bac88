import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TiepdanError } from '../ports/errors.js';
import type { Database } from '../store/database.js';
import { hashPassword, hashPasswordSync, KEY_BYTES, SALT_BYTES } from './password-hash.js';
import { MAX_PASSWORD_LENGTH, passwordProblem } from './password-strength.js';
import { ROLES, type Role } from './protocol.js';

const SESSION_MS = 8 * 3600_000;
const NAME = /^[a-z][a-z0-9._-]{1,31}$/;
/** A cookie token is 43 base64url characters; anything much longer is not one of ours. */
const MAX_TOKEN_LENGTH = 100;

export interface User {
  readonly name: string;
  readonly role: Role;
  /** The counter an officer is bound to; null for every other role. */
  readonly counterId: string | null;
  /** A generated password must be changed before the account can do anything else. */
  readonly mustChangePassword: boolean;
}

export interface Session {
  /** The cookie's value. Only this process's memory and the browser hold it; the database has its SHA-256. */
  readonly token: string;
  readonly user: User;
  readonly expiresAtMs: number;
}

export interface UserStore {
  /**
   * Adds an account. Hashes on the calling thread: for `tiepdan user add` and the first start,
   * never for a network request.
   */
  add(name: string, role: Role, password: string, options?: { counterId?: string; mustChangePassword?: boolean }): User;
  remove(name: string): boolean;
  list(): readonly User[];
  /**
   * The account when the password is right, else null; the same hashing is done for unknown names.
   * Hashes off the event loop; opens no session.
   */
  verify(name: string, password: string): Promise<User | null>;
  /** A new session for an account `verify` accepted. */
  openSession(user: User): Session;
  /** `verify`, then `openSession`. */
  logIn(name: string, password: string): Promise<Session | null>;
  /** The live session for a cookie token, or null (unknown, expired, ended, or its account removed). */
  session(token: string): Session | null;
  logOut(token: string): void;
  /**
   * Sets a new password, which must pass `passwordProblem` and differ from the current one, and
   * ends every session of the account. Hashes off the event loop.
   */
  changePassword(name: string, password: string): Promise<void>;
  /** On first start: when there is no admin, one is made with a generated password, returned once. */
  ensureAdmin(): { readonly name: string; readonly password: string } | null;
  /** Deletes expired sessions; returns how many. Run at open and then periodically by the server. */
  sweepExpired(): number;
  close(): void;
}

/** What the sessions table keeps of a token. */
function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A random password that passes `passwordProblem`: 16 base64url characters, 96 bits. */
export function generatePassword(): string {
  for (;;) {
    const password = randomBytes(12).toString('base64url');
    if (passwordProblem(password) === null) return password;
  }
}

/** Operator accounts and sessions in the controller's SQLite file; passwords only as scrypt hashes, session tokens only as SHA-256. */
export function openUserStore(database: Database, now: () => number = Date.now): UserStore {
  // Sessions go with their account through the foreign key the handle turns on.
  const db = database.connection;
  type Row = { name: string; role: Role; counter_id: string | null; salt: Buffer; hash: Buffer; must_change: number };
  const userOf = (r: Row): User => ({ name: r.name, role: r.role, counterId: r.counter_id, mustChangePassword: r.must_change === 1 });
  const byName = db.prepare<[string], Row>('SELECT * FROM users WHERE name = ?');
  const sessionByHash = db.prepare<[Buffer, number], Row & { expires_at: number }>(
    'SELECT users.*, sessions.expires_at FROM sessions JOIN users ON users.name = sessions.name WHERE token_hash = ? AND expires_at > ?',
  );
  const deleteExpired = db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?');
  // Compared against when the name is unknown, so a wrong name costs as long as a wrong password.
  const decoy = { salt: randomBytes(SALT_BYTES), hash: randomBytes(KEY_BYTES) };

  const checkPassword = (password: string, name: string) => {
    const problem = typeof password === 'string' ? passwordProblem(password, name) : 'a password is text';
    if (problem !== null) throw new TiepdanError('password_weak', problem);
  };

  const store: UserStore = {
    add(name, role, password, options = {}) {
      if (!NAME.test(name)) throw new TiepdanError('user_invalid', 'a user name is 2–32 lower-case letters, digits, . _ -, starting with a letter');
      if (!ROLES.includes(role)) throw new TiepdanError('user_invalid', `the role must be one of ${ROLES.join(', ')}`);
      if (role === 'officer' && options.counterId === undefined) throw new TiepdanError('user_invalid', 'an officer is bound to a counter (--counter ID)');
      if (role !== 'officer' && options.counterId !== undefined) throw new TiepdanError('user_invalid', 'only officers are bound to a counter');
      checkPassword(password, name);
      if (byName.get(name) !== undefined) throw new TiepdanError('user_exists', `user ${name} exists already`);
      const salt = randomBytes(SALT_BYTES);
      db.prepare('INSERT INTO users (name, role, counter_id, salt, hash, must_change) VALUES (?, ?, ?, ?, ?, ?)').run(
        name,
        role,
        options.counterId ?? null,
        salt,
        hashPasswordSync(password, salt),
        options.mustChangePassword === true ? 1 : 0,
      );
      return userOf(byName.get(name)!);
    },
    remove: (name) => db.prepare('DELETE FROM users WHERE name = ?').run(name).changes > 0,
    list: () => db.prepare<[], Row>('SELECT * FROM users ORDER BY name').all().map(userOf),
    async verify(name, password) {
      const row = typeof name === 'string' ? byName.get(name) : undefined;
      const given = typeof password === 'string' && password.length <= MAX_PASSWORD_LENGTH * 2 ? password : '';
      const candidate = await hashPassword(given, row?.salt ?? decoy.salt);
      if (row === undefined || !timingSafeEqual(candidate, row.hash)) return null;
      // Read again: the account may have been removed or changed while the hash ran.
      const current = byName.get(row.name);
      return current !== undefined && current.hash.equals(row.hash) ? userOf(current) : null;
    },
    openSession(user) {
      const token = randomBytes(32).toString('base64url');
      const expiresAtMs = now() + SESSION_MS;
      db.prepare('INSERT INTO sessions (token_hash, name, expires_at) VALUES (?, ?, ?)').run(tokenHash(token), user.name, expiresAtMs);
      return { token, user, expiresAtMs };
    },
    async logIn(name, password) {
      const user = await store.verify(name, password);
      return user === null ? null : store.openSession(user);
    },
    session(token) {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
      const row = sessionByHash.get(tokenHash(token), now());
      return row === undefined ? null : { token, user: userOf(row), expiresAtMs: row.expires_at };
    },
    logOut: (token) => void db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token)),
    async changePassword(name, password) {
      const row = byName.get(name);
      if (row === undefined) throw new TiepdanError('user_unknown', `no user ${name}`);
      checkPassword(password, name);
      if (timingSafeEqual(await hashPassword(password, row.salt), row.hash)) {
        throw new TiepdanError('password_reused', 'the new password must differ from the current one');
      }
      const salt = randomBytes(SALT_BYTES);
      const hash = await hashPassword(password, salt);
      db.transaction(() => {
        const changed = db.prepare('UPDATE users SET salt = ?, hash = ?, must_change = 0 WHERE name = ?').run(salt, hash, name).changes;
        if (changed === 0) throw new TiepdanError('user_unknown', `no user ${name}`);
        // Sessions opened with the old password end.
        db.prepare('DELETE FROM sessions WHERE name = ?').run(name);
      })();
    },
    ensureAdmin() {
      if (db.prepare("SELECT 1 FROM users WHERE role = 'admin'").get() !== undefined) return null;
      const password = generatePassword();
      store.add('admin', 'admin', password, { mustChangePassword: true });
      return { name: 'admin', password };
    },
    sweepExpired: () => deleteExpired.run(now()).changes,
    // The connection is the handle's: its owner closes it.
    close: () => {},
  };
  store.sweepExpired();
  return store;
}
