import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startConsoleServer, type AuditRecord, type ConsoleServer, type ConsoleServerOptions } from '../../src/console/server.js';
import { openUserStore, type UserStore } from '../../src/console/users.js';
import { openDatabase, type Database } from '../../src/store/database.js';

/** A backend that takes every command and draws a one-pixel lobby, so reads answer 200 when allowed. */
export const backend: ConsoleServerOptions['backend'] = {
  robotId: 'robot-1',
  command: () => ({ ok: true }),
  snapshot: () => ({ starting: false, active: ['interaction', 'interaction.idle'], queue: null, alerts: [] }),
  lobby: () => ({ info: { places: [] }, mapPng: Buffer.from([0x89, 0x50, 0x4e, 0x47]) }),
};

export interface Harness {
  readonly dir: string;
  readonly file: string;
  readonly database: Database;
  readonly users: UserStore;
  readonly server: ConsoleServer;
  readonly audit: AuditRecord[];
  close(): Promise<void>;
}

/** A console server on 127.0.0.1, port 0, over a fresh SQLite file; `accounts` are added before it starts. */
export async function startHarness(
  options: Partial<ConsoleServerOptions> = {},
  accounts: (users: UserStore) => void = (users) => void users.add('op', 'operator', 'operator secret 7f'),
  now?: () => number,
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-security-'));
  const file = join(dir, 'tiepdan.db');
  const database = openDatabase(file);
  const users = openUserStore(database, now);
  accounts(users);
  const audit: AuditRecord[] = [];
  let server: ConsoleServer;
  try {
    server = await startConsoleServer({ host: '127.0.0.1', port: 0, users, backend, audit: (r) => audit.push(r), ...(now !== undefined ? { now } : {}), ...options });
  } catch (error) {
    database.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    file,
    database,
    users,
    server,
    audit,
    async close() {
      await server.close();
      users.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON POST as the console's own pages send it: JSON content type, the server's origin, the cookie if any. */
export function post(server: ConsoleServer, path: string, body: unknown, cookie: string | null = null, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, ...(cookie !== null ? { cookie } : {}), ...headers },
    body: JSON.stringify(body),
  });
}

export async function logIn(server: ConsoleServer, name: string, password: string): Promise<string> {
  const res = await post(server, '/api/login', { name, password });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 200 || cookie === undefined) throw new Error(`login as ${name} failed with ${res.status}`);
  return cookie;
}

export interface Client {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[];
  /** Resolves with the close code. */
  readonly closed: Promise<number>;
}

/** The open socket once its snapshot arrived, or the HTTP status that refused the upgrade. */
export function connect(server: ConsoleServer, cookie: string, headers: Record<string, string> = { origin: server.url }): Promise<Client | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { cookie, ...headers } });
    const messages: Record<string, unknown>[] = [];
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.on('message', (d) => {
      messages.push(JSON.parse(String(d)) as Record<string, unknown>);
      if (messages.length === 1) resolve({ ws, messages, closed });
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

export async function connected(server: ConsoleServer, cookie: string): Promise<Client> {
  const client = await connect(server, cookie);
  if (typeof client === 'number') throw new Error(`the socket was refused with ${client}`);
  return client;
}

/** The event, or a failure naming what did not happen after `ms`. */
export function within<T>(ms: number, what: string, event: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([event, timeout]).finally(() => clearTimeout(timer));
}

export const command = (type: string, requestId: string): string => JSON.stringify({ v: 1, robotId: 'robot-1', requestId, type });
