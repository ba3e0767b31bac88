import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { TiepdanError } from '../ports/errors.js';
import { DEFAULT_OUTGOING, OutgoingPolicy, type OutgoingLimits } from './outgoing.js';
import {
  MAX_MESSAGE_BYTES,
  mayDo,
  parseClientMessage,
  PROTOCOL_VERSION,
  serverMessageSchema,
  type ClientMessage,
  type OutgoingMessage,
  type ServerMessage,
} from './protocol.js';
import type { Session, User, UserStore } from './users.js';

/** What the console drives: the controller behind it, reached only with validated, permitted commands. */
export interface ConsoleBackend {
  readonly robotId: string;
  /** `data` goes back to the client that asked, and to no one else (an officer's pre-filled request). */
  command(message: ClientMessage, user: User): { readonly ok: true; readonly data?: unknown } | { readonly ok: false; readonly reason: string };
  /** Sent to every client on connect. */
  snapshot(): Extract<ServerMessage, { type: 'snapshot' }>['state'];
  /** What the web pages draw: the map (a PNG) and the facts about the lobby; null while starting. */
  lobby(): { readonly info: Readonly<Record<string, unknown>>; readonly mapPng: Buffer } | null;
}

export interface AuditRecord {
  readonly atMs: number;
  readonly user: string | null;
  readonly role: string | null;
  readonly action: string;
  readonly ok: boolean;
  readonly reason: string | null;
  readonly address: string;
}

export interface ConsoleLimits {
  readonly messagesPerSecond: number;
  readonly connectionsPerAddress: number;
  /** Refused or malformed messages before the connection is closed as abusive. */
  readonly maxStrikes: number;
  readonly outgoing: OutgoingLimits;
}

export const DEFAULT_LIMITS: ConsoleLimits = { messagesPerSecond: 20, connectionsPerAddress: 8, maxStrikes: 10, outgoing: DEFAULT_OUTGOING };

/** Prometheus metrics at `GET /metrics`: no session, but only for addresses `allowFrom` accepts. */
export interface ConsoleMetrics {
  /** A prom-client registry, or anything that renders the text exposition format. */
  readonly registry: { metrics(): Promise<string>; readonly contentType: string };
  /** Who may scrape, by the connection's remote address; default: loopback only (`isLoopbackAddress`). */
  readonly allowFrom?: (address: string) => boolean;
  /** Seconds from an e-stop command received to the backend having taken it (the controller orders the stop synchronously). */
  readonly observeEstopSeconds?: (seconds: number) => void;
}

/** This machine only: IPv4 127/8, IPv6 ::1, and IPv4 loopback as a dual-stack socket reports it. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export interface ConsoleServerOptions {
  readonly host: string;
  readonly port: number;
  readonly users: UserStore;
  readonly backend: ConsoleBackend;
  readonly audit: (record: AuditRecord) => void;
  readonly limits?: Partial<ConsoleLimits>;
  readonly now?: () => number;
  /** The built web pages (`console/`, `kiosk/`, `counter/`, `assets/`); null serves the API only. */
  readonly webRoot?: string | null;
  /** A broadcast that fails the protocol's schema is dropped and reported here, never sent. */
  readonly onInvalidOutgoing?: (type: string, reason: string) => void;
  /** Absent: no `/metrics` endpoint. */
  readonly metrics?: ConsoleMetrics;
}

export interface ConsoleServer {
  readonly url: string;
  /** To every connected client: telemetry may be skipped for a slow one, anything else is not. */
  broadcast(message: OutgoingMessage, kind: 'telemetry' | 'essential'): void;
  clients(): number;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'tiepdan_session';
const loginSchema = z.strictObject({ name: z.string().max(64), password: z.string().max(256) });
const passwordSchema = z.strictObject({ password: z.string().max(256), newPassword: z.string().max(256) });

/** A small JSON body, or null when it is too large or not JSON matching the schema. */
function readBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T | null> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
      if (body.length > MAX_MESSAGE_BYTES) {
        resolve(null);
        req.destroy();
      }
    });
    req.on('end', () => {
      try {
        const parsed = schema.safeParse(JSON.parse(body));
        resolve(parsed.success ? parsed.data : null);
      } catch {
        resolve(null);
      }
    });
  });
}

function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=');
    if (key === SESSION_COOKIE && value !== undefined) return value;
  }
  return null;
}

/** The pages load only their own scripts and styles and talk only to this server; no one may frame them. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers });
  res.end(JSON.stringify(body));
}

function safely<T>(get: () => T | null): T | null {
  try {
    return get();
  } catch {
    return null;
  }
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};
const PAGES = new Set(['console', 'kiosk', 'counter']);

/** The built pages: `/console`, `/kiosk`, `/counter`, and their hashed assets; nothing outside the root. */
async function serveStatic(root: string | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  if (pathname === '/') {
    res.writeHead(302, { location: '/console', ...SECURITY_HEADERS });
    return void res.end();
  }
  const page = pathname.replace(/^\/|\/$/g, '');
  let file: string;
  if (PAGES.has(page)) file = `${page}/index.html`;
  else if (/^\/assets\/[\w.-]+$/.test(pathname)) file = pathname.slice(1);
  else return json(res, 404, { ok: false, reason: 'not found' });
  if (root === null) return json(res, 404, { ok: false, reason: 'this server has no web pages' });
  const full = normalize(join(root, file));
  if (!full.startsWith(normalize(root) + sep)) return json(res, 404, { ok: false, reason: 'not found' });
  let body: Buffer;
  try {
    body = await readFile(full);
  } catch {
    return json(res, 503, { ok: false, reason: 'the web pages are not built: run npm run build' });
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(full)] ?? 'application/octet-stream',
    // Assets carry a content hash in their name; the pages themselves must always be fresh.
    'cache-control': file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * One HTTP server: `/health`, `/api/login`, and `/ws`, upgraded only with a valid session and an
 * Origin of this server. Every command is validated, checked against the user's role, answered
 * with ack or refusal, and audited; nothing malformed reaches the backend.
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const limits: ConsoleLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  const perAddress = new Map<string, number>();
  const sockets = new Set<{ ws: WebSocket; policy: OutgoingPolicy }>();
  const audit = (session: Session | null, action: string, ok: boolean, reason: string | null, address: string) =>
    options.audit({ atMs: now(), user: session?.user.name ?? null, role: session?.user.role ?? null, action, ok, reason, address });

  const http = createServer((req, res) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    if (req.method === 'GET' && req.url === '/health') return json(res, 200, { ok: true, robotId: options.backend.robotId, clients: sockets.size });
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/metrics') return void serveMetrics(res, address);
    if (req.method === 'POST' && req.url === '/api/login') {
      void readBody(req, loginSchema).then((body) => {
        if (body === null) return json(res, 400, { ok: false, reason: 'send {"name", "password"} as JSON' });
        const session = options.users.logIn(body.name, body.password);
        audit(session, 'login', session !== null, session === null ? 'wrong name or password' : null, address);
        if (session === null) return json(res, 401, { ok: false, reason: 'wrong name or password' });
        return json(
          res,
          200,
          { ok: true, user: session.user, expiresAtMs: session.expiresAtMs },
          { 'set-cookie': `${SESSION_COOKIE}=${session.token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor((session.expiresAtMs - now()) / 1000)}` },
        );
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/api/password') {
      void readBody(req, passwordSchema).then((body) => {
        const token = cookieToken(req);
        const session = token === null ? null : options.users.session(token);
        if (session === null) return json(res, 401, { ok: false, reason: 'log in first' });
        if (body === null) return json(res, 400, { ok: false, reason: 'send {"password", "newPassword"} as JSON' });
        if (options.users.logIn(session.user.name, body.password) === null) {
          audit(session, 'password', false, 'wrong current password', address);
          return json(res, 403, { ok: false, reason: 'wrong current password' });
        }
        try {
          options.users.changePassword(session.user.name, body.newPassword);
        } catch (error) {
          return json(res, 400, { ok: false, reason: (error as Error).message.replace(/^tiepdan \w+: /, '') });
        }
        audit(session, 'password', true, null, address);
        return json(res, 200, { ok: true, reason: 'password changed; log in again' });
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/api/logout') {
      const token = cookieToken(req);
      const session = token === null ? null : options.users.session(token);
      if (token !== null) options.users.logOut(token);
      audit(session, 'logout', true, null, address);
      return json(res, 200, { ok: true }, { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }
    if (req.method === 'GET' && (req.url === '/api/me' || req.url === '/api/lobby' || req.url === '/api/map.png')) {
      const token = cookieToken(req);
      const session = token === null ? null : options.users.session(token);
      if (session === null) return json(res, 401, { ok: false, reason: 'log in first' });
      if (req.url === '/api/me') return json(res, 200, { ok: true, user: session.user, robotId: options.backend.robotId });
      const lobby = safely(() => options.backend.lobby());
      if (lobby === null) return json(res, 503, { ok: false, reason: 'the controller is starting' }, { 'retry-after': '1' });
      if (req.url === '/api/lobby') return json(res, 200, { ok: true, robotId: options.backend.robotId, ...lobby.info });
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store', ...SECURITY_HEADERS });
      return res.end(lobby.mapPng);
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      void serveStatic(options.webRoot ?? null, req, res);
      return;
    }
    json(res, 404, { ok: false, reason: 'not found' });
  });

  /** A scraper refused every 15 s would fill the audit: one row per address an hour is enough to see it. */
  const metricsRefusalAudited = new Map<string, number>();
  async function serveMetrics(res: ServerResponse, address: string): Promise<void> {
    const metrics = options.metrics;
    if (metrics === undefined) return json(res, 404, { ok: false, reason: 'not found' });
    if (!(metrics.allowFrom ?? isLoopbackAddress)(address)) {
      const last = metricsRefusalAudited.get(address);
      if (last === undefined || now() - last >= 3600_000) {
        if (metricsRefusalAudited.size >= 1000) metricsRefusalAudited.clear();
        metricsRefusalAudited.set(address, now());
        audit(null, 'metrics', false, 'address not allowed', address);
      }
      return json(res, 403, { ok: false, reason: 'metrics are served to this machine only (see tiepdan start --metrics-public)' });
    }
    let body: string;
    try {
      body = await metrics.registry.metrics();
    } catch (error) {
      return json(res, 500, { ok: false, reason: `metrics could not be collected (${(error as Error).message})` });
    }
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store', ...SECURITY_HEADERS });
    res.end(body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  http.on('upgrade', (req, socket, head) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const refuse = (status: number, reason: string, session: Session | null) => {
      audit(session, 'connect', false, reason, address);
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 429 ? 'Too Many Requests' : 'Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') return refuse(404, 'no such endpoint', null);
    const token = cookieToken(req);
    const session = token === null ? null : options.users.session(token);
    if (session === null) return refuse(401, 'no valid session', null);
    // Browsers send the page's origin: only this server's own pages may open the socket.
    const host = req.headers.host ?? '';
    if (req.headers.origin !== `http://${host}` && req.headers.origin !== `https://${host}`) return refuse(403, 'origin not allowed', session);
    if ((perAddress.get(address) ?? 0) >= limits.connectionsPerAddress) return refuse(429, 'too many connections from this address', session);
    wss.handleUpgrade(req, socket, head, (ws) => connected(ws, session, address));
  });

  /** Stamps, checks and serialises a message once, however many clients get it. */
  function frame(message: OutgoingMessage): string | null {
    const full = { v: PROTOCOL_VERSION, robotId: options.backend.robotId, ...message };
    const checked = serverMessageSchema.safeParse(full);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      options.onInvalidOutgoing?.(message.type, `${issue?.path.join('.') ?? ''}: ${issue?.code ?? 'invalid'}`);
      return null;
    }
    return JSON.stringify(full);
  }

  function sendFrame(entry: { ws: WebSocket; policy: OutgoingPolicy }, text: string | null, kind: 'telemetry' | 'essential'): void {
    if (text === null) return;
    const decision = entry.policy.decide(kind, entry.ws.bufferedAmount, now());
    if (decision === 'send') entry.ws.send(text);
    else if (decision === 'disconnect') entry.ws.terminate();
  }

  function send(entry: { ws: WebSocket; policy: OutgoingPolicy }, message: OutgoingMessage, kind: 'telemetry' | 'essential'): void {
    sendFrame(entry, frame(message), kind);
  }

  function connected(ws: WebSocket, session: Session, address: string): void {
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    const entry = { ws, policy: new OutgoingPolicy(limits.outgoing) };
    sockets.add(entry);
    audit(session, 'connect', true, null, address);
    let windowStart = now();
    let inWindow = 0;
    let strikes = 0;
    const strike = (reason: string) => {
      strikes += 1;
      if (strikes >= limits.maxStrikes) {
        audit(session, 'disconnect', false, `closed after ${strikes} refused messages (${reason})`, address);
        ws.close(1008, 'too many refused messages');
      }
    };
    // A failing backend must not take the console down: the client learns the state later.
    const state = safely(() => options.backend.snapshot()) ?? { starting: true, active: [], queue: null, alerts: [] };
    const { name, role, counterId, mustChangePassword } = session.user;
    send(entry, { type: 'snapshot', user: { name, role, counterId, mustChangePassword }, state }, 'essential');
    ws.on('message', (data, isBinary) => {
      const receivedAt = performance.now();
      const t = now();
      if (t - windowStart >= 1000) {
        windowStart = t;
        inWindow = 0;
      }
      inWindow += 1;
      if (inWindow > limits.messagesPerSecond) {
        send(entry, { type: 'error', code: 'rate_limited', reason: `at most ${limits.messagesPerSecond} messages a second` }, 'essential');
        return strike('rate');
      }
      if (isBinary) {
        send(entry, { type: 'error', code: 'invalid', reason: 'messages are JSON text' }, 'essential');
        return strike('binary');
      }
      const parsed = parseClientMessage(data as Buffer);
      if (!parsed.ok) {
        send(entry, { type: 'error', code: parsed.code, reason: parsed.reason }, 'essential');
        return strike(parsed.code);
      }
      const message = parsed.message;
      const current = options.users.session(session.token);
      const reply = (ok: boolean, reason: string | null, data?: unknown) => {
        audit(session, message.type, ok, reason, address);
        send(
          entry,
          { type: 'command.result', requestId: message.requestId, ok, ...(reason !== null ? { reason } : {}), ...(data !== undefined ? { data } : {}) },
          'essential',
        );
      };
      if (current === null) return reply(false, 'the session has ended; log in again');
      if (current.user.mustChangePassword) return reply(false, 'change the generated password first');
      if (message.robotId !== options.backend.robotId) return reply(false, 'no such robot here');
      if (!mayDo(current.user.role, message, current.user.counterId)) {
        reply(false, `not allowed for the ${current.user.role} role`);
        return strike('role');
      }
      let result: ReturnType<ConsoleBackend['command']>;
      try {
        result = options.backend.command(message, current.user);
      } catch (error) {
        result = { ok: false, reason: `the controller could not take it (${(error as Error).message})` };
      }
      if (message.type === 'robot.estop' && result.ok) options.metrics?.observeEstopSeconds?.((performance.now() - receivedAt) / 1000);
      if (result.ok) reply(true, null, result.data);
      else reply(false, result.reason);
    });
    ws.on('close', () => {
      sockets.delete(entry);
      perAddress.set(address, (perAddress.get(address) ?? 1) - 1);
    });
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new TiepdanError('port_in_use', `${options.host}:${options.port} is in use; choose another with --port`) : error),
    );
    http.listen(options.port, options.host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    broadcast(message, kind) {
      if (sockets.size === 0) return;
      const text = frame(message);
      for (const entry of sockets) sendFrame(entry, text, kind);
    },
    clients: () => sockets.size,
    async close() {
      for (const { ws } of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
