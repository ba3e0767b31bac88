import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { json, readBody, SECURITY_HEADERS } from './http-reply.js';
import type { Audit, ConsoleBackend } from './options.js';
import { clearSessionCookie, cookieToken, requestSession, setSessionCookie } from './session-cookie.js';
import type { UserStore } from './users.js';

const loginSchema = z.strictObject({ name: z.string().max(64), password: z.string().max(256) });
const passwordSchema = z.strictObject({ password: z.string().max(256), newPassword: z.string().max(256) });

export interface ApiDeps {
  readonly users: UserStore;
  readonly backend: ConsoleBackend;
  readonly audit: Audit;
  readonly now: () => number;
}

/** Handles the request and returns true when it is one of `/api/*`; false leaves it to the next route. */
export type Route = (req: IncomingMessage, res: ServerResponse, address: string) => boolean;

/** `/api/login`, `/api/password`, `/api/logout` (audited), and the session-only reads `/api/me`, `/api/lobby`, `/api/map.png`. */
export function apiRoutes({ users, backend, audit, now }: ApiDeps): Route {
  function logIn(req: IncomingMessage, res: ServerResponse, address: string): void {
    void readBody(req, loginSchema).then((body) => {
      if (body === null) return json(res, 400, { ok: false, reason: 'send {"name", "password"} as JSON' });
      const session = users.logIn(body.name, body.password);
      audit(session, 'login', session !== null, session === null ? 'wrong name or password' : null, address);
      if (session === null) return json(res, 401, { ok: false, reason: 'wrong name or password' });
      return json(res, 200, { ok: true, user: session.user, expiresAtMs: session.expiresAtMs }, setSessionCookie(session, now()));
    });
  }

  function changePassword(req: IncomingMessage, res: ServerResponse, address: string): void {
    void readBody(req, passwordSchema).then((body) => {
      const session = requestSession(req, users);
      if (session === null) return json(res, 401, { ok: false, reason: 'log in first' });
      if (body === null) return json(res, 400, { ok: false, reason: 'send {"password", "newPassword"} as JSON' });
      if (users.logIn(session.user.name, body.password) === null) {
        audit(session, 'password', false, 'wrong current password', address);
        return json(res, 403, { ok: false, reason: 'wrong current password' });
      }
      try {
        users.changePassword(session.user.name, body.newPassword);
      } catch (error) {
        return json(res, 400, { ok: false, reason: (error as Error).message.replace(/^tiepdan \w+: /, '') });
      }
      audit(session, 'password', true, null, address);
      return json(res, 200, { ok: true, reason: 'password changed; log in again' });
    });
  }

  function logOut(req: IncomingMessage, res: ServerResponse, address: string): void {
    const token = cookieToken(req);
    const session = token === null ? null : users.session(token);
    if (token !== null) users.logOut(token);
    audit(session, 'logout', true, null, address);
    json(res, 200, { ok: true }, clearSessionCookie());
  }

  function read(req: IncomingMessage, res: ServerResponse): void {
    const session = requestSession(req, users);
    if (session === null) return json(res, 401, { ok: false, reason: 'log in first' });
    if (req.url === '/api/me') return json(res, 200, { ok: true, user: session.user, robotId: backend.robotId });
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
    else if (req.method === 'GET' && (req.url === '/api/me' || req.url === '/api/lobby' || req.url === '/api/map.png')) read(req, res);
    else return false;
    return true;
  };
}
