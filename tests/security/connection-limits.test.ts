import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConsoleServer } from '../../src/console/server.js';
import type { UserStore } from '../../src/console/users.js';
import { connect, logIn, startHarness, within, type Client, type Harness } from './harness.js';

/**
 * Issue 17, finding 10: eight kiosk sockets from one address locked the operator out. Sockets are
 * now limited per session, per role and per address, and the per-address limit keeps room for
 * operators and admins. Every socket here comes from 127.0.0.1.
 */

const PASSWORD = 'lobby secret 7f';

function accounts(users: UserStore): void {
  users.add('op', 'operator', PASSWORD);
  users.add('boss', 'admin', PASSWORD);
  users.add('watch', 'viewer', PASSWORD);
  for (let i = 1; i <= 4; i += 1) users.add(`kiosk${i}`, 'kiosk', PASSWORD);
}

type Attempt = { readonly client: Client } | { readonly status: number; readonly reason: string };

/** A socket, or the refusal's status and the reason in its body. */
function attempt(server: ConsoleServer, cookie: string): Promise<Attempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: server.url } });
    const messages: Record<string, unknown>[] = [];
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.on('message', (d) => {
      messages.push(JSON.parse(String(d)) as Record<string, unknown>);
      if (messages.length === 1) resolve({ client: { ws, messages, closed } });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => {
        let reason = '';
        try {
          reason = String((JSON.parse(body) as { reason?: unknown }).reason ?? '');
        } catch {
          reason = '';
        }
        resolve({ status: res.statusCode ?? 0, reason });
      });
    });
    ws.on('error', () => {});
  });
}

let harness: Harness | null = null;
const open: Client[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) c.ws.terminate();
  await harness?.close();
  harness = null;
});

async function opened(server: ConsoleServer, cookie: string): Promise<Client> {
  const result = await attempt(server, cookie);
  if (!('client' in result)) throw new Error(`the socket was refused with ${result.status}: ${result.reason}`);
  open.push(result.client);
  return result.client;
}

/** The server sees a socket end a moment after the client does: its slot is back within `ms`. */
async function openedWithin(ms: number, what: string, server: ConsoleServer, cookie: string): Promise<Client> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = await attempt(server, cookie);
    if ('client' in result) {
      open.push(result.client);
      return result.client;
    }
    if (Date.now() > deadline) throw new Error(`${what}: still refused with ${result.status} (${result.reason}) after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function refused(server: ConsoleServer, cookie: string): Promise<{ status: number; reason: string }> {
  const result = await attempt(server, cookie);
  if ('client' in result) {
    open.push(result.client);
    throw new Error('the socket was opened, expected a refusal');
  }
  return result;
}

describe('connection limits per address, session and role', () => {
  it('kiosk sockets filling an address leave room for an operator and an admin', async () => {
    harness = await startHarness({}, accounts);
    const { server, audit } = harness;
    // Eight kiosk sockets from one address, two per kiosk login, as in the finding.
    const kiosks = [];
    for (let i = 1; i <= 4; i += 1) kiosks.push(await logIn(server, `kiosk${i}`, PASSWORD));
    const outcomes: Attempt[] = [];
    for (const cookie of kiosks) {
      for (let j = 0; j < 2; j += 1) {
        const result = await attempt(server, cookie);
        if ('client' in result) open.push(result.client);
        outcomes.push(result);
      }
    }
    // The operator still gets in, and so does an admin, up to the address's eight.
    const op = await logIn(server, 'op', PASSWORD);
    await opened(server, op);
    await opened(server, await logIn(server, 'boss', PASSWORD));

    const kioskRefusals = outcomes.filter((o): o is { status: number; reason: string } => !('client' in o));
    expect(outcomes.length - kioskRefusals.length).toBe(6);
    expect(kioskRefusals.map((r) => r.status)).toEqual([429, 429]);
    expect(kioskRefusals[0]!.reason).toMatch(/kept for operators and admins/);
    expect(audit).toContainEqual(expect.objectContaining({ user: 'kiosk4', role: 'kiosk', action: 'connect', ok: false, address: '127.0.0.1', reason: expect.stringMatching(/kept for operators and admins/) }));
    const full = await refused(server, op);
    expect(full.status).toBe(429);
    expect(full.reason).toMatch(/too many connections from this address \(8\)/);
  });

  it('one login cannot hold more sockets than its cap; another login of the same account can', async () => {
    harness = await startHarness({}, accounts);
    const { server, audit } = harness;
    const first = await logIn(server, 'op', PASSWORD);
    for (let i = 0; i < 4; i += 1) await opened(server, first);
    const over = await refused(server, first);
    expect(over.status).toBe(429);
    expect(over.reason).toMatch(/too many connections for this login \(4\)/);
    expect(audit).toContainEqual(expect.objectContaining({ user: 'op', action: 'connect', ok: false, reason: over.reason }));
    await opened(server, await logIn(server, 'op', PASSWORD));
  });

  it('a role\'s sockets together stop at the role\'s cap, and other roles still connect', async () => {
    harness = await startHarness({ limits: { connectionsPerRole: { kiosk: 3 } } }, accounts);
    const { server } = harness;
    for (let i = 1; i <= 3; i += 1) await opened(server, await logIn(server, `kiosk${i}`, PASSWORD));
    const over = await refused(server, await logIn(server, 'kiosk4', PASSWORD));
    expect(over.status).toBe(429);
    expect(over.reason).toMatch(/too many kiosk connections \(3\)/);
    await opened(server, await logIn(server, 'watch', PASSWORD));
  });

  it('gives every slot back however the socket ends: close, dropped TCP, or an ended session', async () => {
    harness = await startHarness({ limits: { connectionsPerSession: 2, connectionsPerRole: { operator: 2 } } }, accounts);
    const { server } = harness;
    const cookie = await logIn(server, 'op', PASSWORD);
    const a = await opened(server, cookie);
    const b = await opened(server, cookie);
    expect((await refused(server, cookie)).status).toBe(429);

    a.ws.close();
    await within(2000, 'the closed socket never closed', a.closed);
    const c = await openedWithin(2000, 'no slot after a close', server, cookie);

    // A peer that drops the TCP connection without a closing handshake.
    b.ws.terminate();
    await within(2000, 'the dropped socket never closed', b.closed);
    await openedWithin(2000, 'no slot after a dropped connection', server, cookie);

    // Logging out ends the session: its sockets close and their slots count for the role no more.
    const res = await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url, cookie }, body: '{}' });
    expect(res.status).toBe(200);
    expect(await within(3000, 'the ended session\'s socket stayed open', c.closed)).toBe(4001);
    const again = await logIn(server, 'op', PASSWORD);
    await openedWithin(2000, 'no slot after the session ended', server, again);
    await openedWithin(2000, 'no second slot after the session ended', server, again);
  });

  it('audits every refused socket', async () => {
    harness = await startHarness({ limits: { connectionsPerSession: 1 } }, accounts);
    const { server, audit } = harness;
    const cookie = await logIn(server, 'watch', PASSWORD);
    await opened(server, cookie);
    for (let i = 0; i < 3; i += 1) expect(await connect(server, cookie)).toBe(429);
    expect(audit.filter((r) => r.action === 'connect' && !r.ok && r.user === 'watch')).toHaveLength(3);
  });
});
