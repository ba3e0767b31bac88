import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { json, readBody, SECURITY_HEADERS } from './http-reply.js';
import { hashGate } from './password-hash.js';
import { loginThrottle, type LoginLimits, type LoginThrottle, type Lockout } from './login-throttle.js';
import type { Audit, ConsoleBackend } from './options.js';
import { refusePost } from './origins.js';
import { passwordProblem } from './password-strength.js';
import { clearSessionCookie, cookieToken, requestSession, setSessionCookie } from './session-cookie.js';
import type { Session, UserStore } from './users.js';

const loginSchema = z.strictObject({ name: z.string().max(64), password: z.string().max(256) });
const passwordSchema = z.strictObject({ password: z.string().max(256), newPassword: z.string().max(256) });
const anySchema = z.unknown();

export interface ApiDeps {
  readonly users: UserStore;
  readonly backend: ConsoleBackend;
  readonly audit: Audit;
  readonly now: () => number;
  /** Who may POST; read on every request, since the server's own origins are known only once it listens. */
  readonly allowedOrigins: () => ReadonlySet<string>;
  readonly loginLimits: LoginLimits;
  /** Called when sessions were ended here (logout, password change), so their sockets close now. */
  readonly sessionsEnded: () => void;
}

/** Handles the request and returns true when it is one of `/api/*`; false leaves it to the next route. */
export type Route = (req: IncomingMessage, res: ServerResponse, address: string) => boolean;

const retryAfter = (ms: number): Record<string, string> => ({ 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) });

/**
 * `/api/login`, `/api/password`, `/api/logout` (audited), and the session-only reads `/api/me`,
 * `/api/lobby`, `/api/map.png`, and for admins `/api/lockouts`.
 *
 * Password hashes run off the event loop, at most `concurrentHashes` at once and `queuedHashes`
 * waiting; beyond that, and for an address or account in backoff or locked out, the answer is 429
 * with Retry-After, before any hashing. So a login flood costs the process a few cheap refusals
 * and never delays an operator's command.
 */
export function apiRoutes(deps: ApiDeps): Route {
  const { users, backend, audit, now } = deps;
  const gate = hashGate(deps.loginLimits.concurrentHashes, deps.loginLimits.queuedHashes);
  const throttle: LoginThrottle = loginThrottle(deps.loginLimits);
  const keys = (address: string, name: string) => [`address:${address}`, `account:${name}`];

  /** False when the POST may go on; true when it has been refused, answered and audited. */
  function refused(req: IncomingMessage, res: ServerResponse, action: string, session: Session | null, address: string): boolean {
    const refusal = refusePost(req, deps.allowedOrigins());
    if (refusal === null) return false;
    audit(session, action, false, refusal.reason, address);
    // The body is not read: the connection closes rather than parsing what was not asked for.
    json(res, refusal.status, { ok: false, reason: refusal.reason }, { connection: 'close' });
    return true;
  }

  /** Answers 429 when the address or account is in backoff or locked out. */
  function throttled(res: ServerResponse, action: string, session: Session | null, address: string, name: string): boolean {
    const t = now();
    for (const key of keys(address, name)) {
      const verdict = throttle.check(key, t);
      if (verdict.allowed) continue;
      const what = key.startsWith('address:') ? 'this address' : 'this account';
      const reason = verdict.locked ? `${what} is locked out after too many failed logins` : `too many failed logins from ${what}; wait`;
      audit(session, action, false, reason, address);
      json(res, 429, { ok: false, reason, retryAfterMs: verdict.retryAfterMs }, retryAfter(verdict.retryAfterMs));
      return true;
    }
    return false;
  }

  function failed(session: Session | null, address: string, name: string): void {
    const t = now();
    for (const key of keys(address, name)) {
      const lockout = throttle.failed(key, t);
      if (lockout !== null) audit(session, 'login.lockout', false, describeLockout(lockout, t), address);
    }
  }

  /** A store that fails (the database closed at shutdown, a disk error) answers 500, never an unhandled rejection. */
  const failSafe = (res: ServerResponse) => () => {
    if (!res.headersSent) json(res, 500, { ok: false, reason: 'the server could not complete the request; try again' });
  };

  const busy = (res: ServerResponse, action: string, session: Session | null, address: string) => {
    audit(session, action, false, 'too many logins at once', address);
    json(res, 429, { ok: false, reason: 'too many logins at once; try again in a second' }, retryAfter(1000));
  };

  function logIn(req: IncomingMessage, res: ServerResponse, address: string): void {
    if (refused(req, res, 'login', null, address)) return;
    void readBody(req, loginSchema).then(async (body) => {
      if (body === null) return json(res, 400, { ok: false, reason: 'send {"name", "password"} as JSON' });
      if (throttled(res, 'login', null, address, body.name)) return;
      const verifying = gate.run(() => users.verify(body.name, body.password));
      if (verifying === null) return busy(res, 'login', null, address);
      const user = await verifying;
      if (user === null) {
        failed(null, address, body.name);
        audit(null, 'login', false, 'wrong name or password', address);
        return json(res, 401, { ok: false, reason: 'wrong name or password' });
      }
      for (const key of keys(address, body.name)) throttle.succeeded(key);
      const session = users.openSession(user);
      audit(session, 'login', true, null, address);
      return json(res, 200, { ok: true, user: session.user, expiresAtMs: session.expiresAtMs }, setSessionCookie(session, now()));
    }).catch(failSafe(res));
  }

  function changePassword(req: IncomingMessage, res: ServerResponse, address: string): void {
    const session = requestSession(req, users);
    if (refused(req, res, 'password', session, address)) return;
    void readBody(req, passwordSchema).then(async (body) => {
      if (session === null) return json(res, 401, { ok: false, reason: 'log in first' });
      if (body === null) return json(res, 400, { ok: false, reason: 'send {"password", "newPassword"} as JSON' });
      const name = session.user.name;
      const problem = passwordProblem(body.newPassword, name);
      if (problem !== null) return json(res, 400, { ok: false, reason: problem });
      if (throttled(res, 'password', session, address, name)) return;
      const verifying = gate.run(() => users.verify(name, body.password));
      if (verifying === null) return busy(res, 'password', session, address);
      if ((await verifying) === null) {
        failed(session, address, name);
        audit(session, 'password', false, 'wrong current password', address);
        return json(res, 403, { ok: false, reason: 'wrong current password' });
      }
      const changing = gate.run(() => users.changePassword(name, body.newPassword));
      if (changing === null) return busy(res, 'password', session, address);
      try {
        await changing;
      } catch (error) {
        return json(res, 400, { ok: false, reason: (error as Error).message.replace(/^tiepdan \w+: /, '') });
      }
      audit(session, 'password', true, null, address);
      deps.sessionsEnded();
      return json(res, 200, { ok: true, reason: 'password changed; log in again' }, clearSessionCookie());
    }).catch(failSafe(res));
  }

  function logOut(req: IncomingMessage, res: ServerResponse, address: string): void {
    const token = cookieToken(req);
    const session = token === null ? null : users.session(token);
    if (refused(req, res, 'logout', session, address)) return;
    void readBody(req, anySchema).then(() => {
      if (token !== null) users.logOut(token);
      audit(session, 'logout', true, null, address);
      deps.sessionsEnded();
      json(res, 200, { ok: true }, clearSessionCookie());
    }).catch(failSafe(res));
  }

  function read(req: IncomingMessage, res: ServerResponse): void {
    const session = requestSession(req, users);
    if (session === null) return json(res, 401, { ok: false, reason: 'log in first' });
    if (req.url === '/api/me') return json(res, 200, { ok: true, user: session.user, robotId: backend.robotId });
    // A generated password is known to whoever read the terminal: nothing is shown until it is changed.
    if (session.user.mustChangePassword) return json(res, 403, { ok: false, reason: 'change the generated password first' });
    if (req.url === '/api/lockouts') {
      if (session.user.role !== 'admin') return json(res, 403, { ok: false, reason: 'for admins only' });
      const t = now();
      return json(res, 200, {
        ok: true,
        lockouts: throttle.lockouts(t).map((l) => ({ kind: l.key.startsWith('address:') ? 'address' : 'account', id: l.key.slice(l.key.indexOf(':') + 1), failures: l.failures, untilMs: l.untilMs })),
      });
    }
    let lobby: ReturnType<ConsoleBackend['lobby']>;
    try {
      lobby = backend.lobby();
    } catch {
      // A failing backend reads as one still starting: the page retries rather than breaking.
      lobby = null;
    }
    if (lobby === null) return json(res, 503, { ok: false, reason: 'the controller is starting' }, { 'retry-after': '1' });
    if (req.url === '/api/lobby') return json(res, 200, { ok: true, robotId: backend.robotId, ...lobby.info });
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store', ...SECURITY_HEADERS });
    res.end(lobby.mapPng);
  }

  return (req, res, address) => {
    if (req.method === 'POST' && req.url === '/api/login') logIn(req, res, address);
    else if (req.method === 'POST' && req.url === '/api/password') changePassword(req, res, address);
    else if (req.method === 'POST' && req.url === '/api/logout') logOut(req, res, address);
    else if (req.method === 'GET' && (req.url === '/api/me' || req.url === '/api/lobby' || req.url === '/api/map.png' || req.url === '/api/lockouts')) read(req, res);
    else return false;
    return true;
  };
}

function describeLockout(lockout: Lockout, nowMs: number): string {
  const seconds = Math.round((lockout.untilMs - nowMs) / 1000);
  const what = lockout.key.startsWith('address:') ? 'the address' : `the account ${JSON.stringify(lockout.key.slice('account:'.length))}`;
  return `${what} is locked out for ${seconds} s after ${lockout.failures} failed logins`;
}
