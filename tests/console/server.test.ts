import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { OutgoingPolicy } from '../../src/console/outgoing.js';
import type { ClientMessage } from '../../src/console/protocol.js';
import { startConsoleServer, type AuditRecord, type ConsoleServer } from '../../src/console/server.js';
import { openUserStore, type UserStore } from '../../src/console/users.js';
import { openDatabase, type Database } from '../../src/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-console-'));
let now = Date.now();
let database: Database;
let users: UserStore;
let server: ConsoleServer;
const received: ClientMessage[] = [];
const audit: AuditRecord[] = [];

beforeAll(async () => {
  database = openDatabase(join(dir, 'users.db'));
  users = openUserStore(database, () => now);
  users.add('op', 'operator', 'operator password');
  users.add('view', 'viewer', 'viewer password');
  server = await startConsoleServer({
    host: '127.0.0.1',
    port: 0,
    users,
    audit: (r) => audit.push(r),
    now: () => now,
    limits: { messagesPerSecond: 20, connectionsPerAddress: 4, maxStrikes: 5 },
    backend: {
      robotId: 'robot-1',
      command: (m) => {
        received.push(m);
        return { ok: true };
      },
      snapshot: () => ({ starting: false, active: ['interaction', 'interaction.idle'], queue: null, alerts: [] }),
      lobby: () => null,
    },
  });
});
afterAll(async () => {
  await server.close();
  users.close();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function logIn(name: string, password: string): Promise<string | null> {
  const res = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
  return res.headers.get('set-cookie')?.split(';')[0] ?? null;
}

/** Opens a socket; resolves with it and its messages once the snapshot arrived, or with the HTTP refusal. */
function connect(cookie: string | null, origin = server.url): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] } | { refused: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { ...(cookie !== null ? { cookie } : {}), origin } });
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (d) => {
      messages.push(JSON.parse(String(d)) as Record<string, unknown>);
      if (messages.length === 1) resolve({ ws, messages });
    });
    ws.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.on('error', () => {});
  });
}

const next = (messages: Record<string, unknown>[], count: number) =>
  new Promise<void>((resolve) => {
    const check = () => (messages.length >= count ? resolve() : setTimeout(check, 5));
    check();
  });
const cmd = (type: string, extra: object = {}) => JSON.stringify({ v: 1, robotId: 'robot-1', requestId: `r${Math.random().toString(36).slice(2, 8)}`, type, ...extra });

describe('the console server', () => {
  it('refuses a socket without a session, with an expired one, or from another origin, and audits each refusal', async () => {
    expect(await connect(null)).toEqual({ refused: 401 });
    expect(await connect('tiepdan_session=forged')).toEqual({ refused: 401 });
    const cookie = await logIn('op', 'operator password');
    expect(await connect(cookie, 'http://evil.example')).toEqual({ refused: 403 });
    expect(await logIn('op', 'wrong password!')).toBeNull();
    now += 9 * 3600_000;
    expect(await connect(cookie)).toEqual({ refused: 401 });
    now = Date.now();
    expect(audit.filter((a) => !a.ok).map((a) => a.reason)).toEqual(
      expect.arrayContaining(['no valid session', 'origin not allowed', 'wrong name or password']),
    );
  });

  it('takes an operator\'s e-stop to the backend and acknowledges it; a viewer\'s forged command is refused', async () => {
    const op = await connect(await logIn('op', 'operator password'));
    if (!('ws' in op)) throw new Error('operator could not connect');
    expect(op.messages[0]).toMatchObject({ type: 'snapshot', robotId: 'robot-1', state: { active: ['interaction', 'interaction.idle'] } });
    op.ws.send(cmd('robot.estop'));
    await next(op.messages, 2);
    expect(op.messages[1]).toMatchObject({ type: 'command.result', ok: true });
    expect(received.at(-1)?.type).toBe('robot.estop');
    const viewer = await connect(await logIn('view', 'viewer password'));
    if (!('ws' in viewer)) throw new Error('viewer could not connect');
    const before = received.length;
    viewer.ws.send(cmd('robot.resume'));
    await next(viewer.messages, 2);
    expect(viewer.messages[1]).toMatchObject({ type: 'command.result', ok: false, reason: 'not allowed for the viewer role' });
    expect(received.length).toBe(before);
    op.ws.close();
    viewer.ws.close();
  });

  it('answers malformed and oversized messages with errors, never reaches the backend, and stays up', async () => {
    const op = await connect(await logIn('op', 'operator password'));
    if (!('ws' in op)) throw new Error('no connection');
    const before = received.length;
    const frames = fc.sample(fc.oneof(fc.string(), fc.json(), fc.constant('{"v":1,"type":"robot.estop"}')), 4);
    frames.forEach((f) => op.ws.send(f));
    await next(op.messages, 1 + frames.length);
    expect(op.messages.slice(1).every((m) => m['type'] === 'error')).toBe(true);
    expect(received.length).toBe(before);
    // Oversized: the socket is closed by the size limit, the server carries on.
    const closed = new Promise<number>((resolve) => op.ws.on('close', (code) => resolve(code)));
    op.ws.send('x'.repeat(10_000));
    expect(await closed).toBe(1009);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('closes a flooding or abusive connection and limits connections per address', async () => {
    const op = await connect(await logIn('op', 'operator password'));
    if (!('ws' in op)) throw new Error('no connection');
    const closed = new Promise<number>((resolve) => op.ws.on('close', (code) => resolve(code)));
    for (let i = 0; i < 100; i += 1) op.ws.send(cmd('alert.ack', { alertId: 'a1' }));
    expect(await closed).toBe(1008);
    const cookie = await logIn('op', 'operator password');
    const open = [];
    for (let i = 0; i < 4; i += 1) open.push(await connect(cookie));
    expect(open.every((c) => 'ws' in c)).toBe(true);
    expect(await connect(cookie)).toEqual({ refused: 429 });
    for (const c of open) if ('ws' in c) c.ws.close();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('a slow client', () => {
  it('loses telemetry, never alerts or command results, and is disconnected when it stays stuck', () => {
    const policy = new OutgoingPolicy({ skipTelemetryAboveBytes: 1000, disconnectAboveBytes: 10_000, stuckForMs: 5000 });
    expect(policy.decide('telemetry', 10, 0)).toBe('send');
    expect(policy.decide('telemetry', 2000, 100)).toBe('skip');
    expect(policy.decide('essential', 2000, 200)).toBe('send');
    expect(policy.decide('telemetry', 500, 300)).toBe('send');
    expect(policy.decide('telemetry', 2000, 400)).toBe('skip');
    expect(policy.decide('essential', 2000, 6000)).toBe('disconnect');
    expect(policy.decide('essential', 20_000, 0)).toBe('disconnect');
    expect(policy.skipped).toBe(2);
  });
});
