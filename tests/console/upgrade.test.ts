import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startConsoleServer, type AuditRecord, type ConsoleServer, type ConsoleServerOptions } from '../../src/console/server.js';
import { openUserStore, type UserStore } from '../../src/console/users.js';
import { openDatabase, type Database } from '../../src/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-upgrade-'));
let database: Database;
let users: UserStore;

beforeAll(() => {
  database = openDatabase(join(dir, 'users.db'));
  users = openUserStore(database);
  users.add('op', 'operator', 'operator password');
});
afterAll(() => {
  users.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const backend: ConsoleServerOptions['backend'] = {
  robotId: 'robot-1',
  command: () => ({ ok: true }),
  snapshot: () => ({ starting: false, active: ['interaction', 'interaction.idle'], queue: null, alerts: [] }),
  lobby: () => null,
};

async function withServer(options: Partial<ConsoleServerOptions>, run: (server: ConsoleServer, audit: AuditRecord[]) => Promise<void>): Promise<void> {
  const audit: AuditRecord[] = [];
  const server = await startConsoleServer({ host: '127.0.0.1', port: 0, users, backend, audit: (r) => audit.push(r), ...options });
  try {
    await run(server, audit);
  } finally {
    await server.close();
  }
}

async function logIn(server: ConsoleServer): Promise<string> {
  const res = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'op', password: 'operator password' }) });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (cookie === undefined) throw new Error(`login failed with ${res.status}`);
  return cookie;
}

/**
 * Resolves with the open socket once its snapshot arrived, or with the HTTP status that refused it.
 * `prepare` sees the socket before any frame can arrive: a ping may come in the same read as the snapshot.
 */
function connect(server: ConsoleServer, cookie: string, options: WebSocket.ClientOptions = {}, prepare?: (ws: WebSocket) => void): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { ...options, headers: { cookie, origin: server.url } });
    prepare?.(ws);
    ws.once('message', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

/** The event, or a failure after `ms`: a broken heartbeat fails the test instead of hanging it. */
function within<T>(ms: number, what: string, event: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([event, timeout]).finally(() => clearTimeout(timer));
}

async function until(ms: number, what: string, condition: () => boolean): Promise<void> {
  await within(
    ms,
    what,
    (async () => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
    })(),
  );
}

describe('the websocket shell', () => {
  it('terminates a client that stops answering pings and frees its per-address slot; one that answers stays', async () => {
    await withServer({ heartbeatIntervalMs: 50, limits: { connectionsPerAddress: 2 } }, async (server, audit) => {
      const cookie = await logIn(server);
      const answering = await connect(server, cookie);
      // autoPong: false is a peer whose network went away: pings reach it and nothing comes back.
      // It answers by hand until the limit is seen to hold, however slowly the refused handshake goes.
      let answer = true;
      const silent = await connect(server, cookie, { autoPong: false }, (ws) =>
        ws.on('ping', () => {
          if (answer) ws.pong();
        }),
      );
      if (typeof answering === 'number' || typeof silent === 'number') throw new Error('could not connect');
      try {
        expect(await connect(server, cookie)).toBe(429);
        const silentClosed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
        answer = false;

        expect(await within(2000, 'the silent client was never terminated', silentClosed)).toBe(1006);
        await until(2000, 'the server never let go of the silent client', () => server.clients() < 2);
        expect(answering.readyState).toBe(WebSocket.OPEN);
        expect(server.clients()).toBe(1);
        expect(audit).toContainEqual(expect.objectContaining({ user: 'op', action: 'disconnect', ok: false, reason: 'no answer to the heartbeat ping', address: '127.0.0.1' }));

        const again = await within(2000, 'no answer to a connection after the slot was freed', connect(server, cookie));
        expect(again).toBeInstanceOf(WebSocket);
        if (again instanceof WebSocket) again.terminate();
      } finally {
        answering.terminate();
        silent.terminate();
      }
    });
  });

  it('EXPECTED FAILURE - a heartbeat interval that is not a usable number of milliseconds', async () => {
    for (const heartbeatIntervalMs of [0, -5, Number.NaN, 2 ** 31]) {
      await expect(startConsoleServer({ host: '127.0.0.1', port: 0, users, backend, audit: () => {}, heartbeatIntervalMs })).rejects.toMatchObject({
        name: 'TiepdanError',
        code: 'invalid_option',
      });
    }
  });
});
