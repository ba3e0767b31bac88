import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConsoleServer, ConsoleServerOptions } from '../../src/console/server.js';
import { logIn, post, startHarness, type Harness } from './harness.js';

/**
 * Issue 17, finding 10: behind a reverse proxy every client had the proxy's address, so the
 * per-address limits became one global limit and /metrics, loopback only, was public through a
 * proxy on the same machine. With `trustProxy` the client's address comes from X-Forwarded-For,
 * and only when the connection comes from a listed proxy. Every request here comes from 127.0.0.1,
 * so 127.0.0.1 plays the proxy and the header says who stands behind it.
 */

const metrics: ConsoleServerOptions['metrics'] = { registry: { metrics: async () => 'tiepdan_up 1\n', contentType: 'text/plain; version=0.0.4' } };

let harness: Harness | null = null;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await harness?.close();
  harness = null;
});

const scrape = (server: ConsoleServer, forwardedFor?: string) =>
  fetch(`${server.url}/metrics`, { headers: forwardedFor !== undefined ? { 'x-forwarded-for': forwardedFor } : {} });

/** Resolves with the socket once its snapshot arrived, or the refusal's status. */
function socket(server: ConsoleServer, cookie: string, forwardedFor: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: server.url, 'x-forwarded-for': forwardedFor } });
    ws.once('message', () => {
      sockets.push(ws);
      resolve(ws);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

describe('without trustProxy (the default)', () => {
  it('ignores a forged X-Forwarded-For: the address is the connection\'s own', async () => {
    harness = await startHarness({ metrics });
    const { server, audit } = harness;
    expect((await scrape(server, '203.0.113.9')).status).toBe(200);
    const res = await post(server, '/api/login', { name: 'op', password: 'wrong password 1' }, null, { 'x-forwarded-for': '203.0.113.9' });
    expect(res.status).toBe(401);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'login', ok: false, address: '127.0.0.1' }));
    expect(audit.some((r) => r.address.includes('203.0.113.9'))).toBe(false);
  });
});

describe('with trustProxy', () => {
  it('judges /metrics by the client behind the proxy: refused for a lobby address, even one that forged loopback in front', async () => {
    harness = await startHarness({ metrics, trustProxy: ['127.0.0.1'] });
    const { server, audit } = harness;
    expect((await scrape(server, '203.0.113.9')).status).toBe(403);
    // The client wrote 127.0.0.1 itself; the proxy appended the address it really came from.
    expect((await scrape(server, '127.0.0.1, 203.0.113.9')).status).toBe(403);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'metrics', ok: false, address: '203.0.113.9' }));
    // A scraper on this machine, straight to the port or through the proxy, is still served.
    expect((await scrape(server)).status).toBe(200);
    expect((await scrape(server, '127.0.0.1')).status).toBe(200);
  });

  it('counts sockets per client behind the proxy, not for the proxy as a whole', async () => {
    harness = await startHarness({ trustProxy: ['127.0.0.1'] });
    const { server, audit } = harness;
    const cookies = [await logIn(server, 'op', 'operator secret 7f'), await logIn(server, 'op', 'operator secret 7f')];
    for (const cookie of cookies) for (let i = 0; i < 4; i += 1) expect(await socket(server, cookie, '198.51.100.1')).toBeInstanceOf(WebSocket);
    const third = await logIn(server, 'op', 'operator secret 7f');
    expect(await socket(server, third, '198.51.100.1')).toBe(429);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'connect', ok: false, address: '198.51.100.1' }));
    // Another browser behind the same proxy is not locked out by the first one.
    expect(await socket(server, third, '198.51.100.2')).toBeInstanceOf(WebSocket);
  });

  it('throttles failed logins per client behind the proxy', async () => {
    harness = await startHarness({ trustProxy: ['127.0.0.1'], loginLimits: { freeFailures: 1, backoffBaseMs: 600_000 } });
    const { server, audit } = harness;
    const from = (address: string, name: string, password: string) => post(server, '/api/login', { name, password }, null, { 'x-forwarded-for': address });
    expect((await from('198.51.100.7', 'nobody', 'wrong password 1')).status).toBe(401);
    // That client now waits; an operator at another desk behind the same proxy does not.
    expect((await from('198.51.100.7', 'op', 'operator secret 7f')).status).toBe(429);
    expect((await from('198.51.100.8', 'op', 'operator secret 7f')).status).toBe(200);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'login', ok: true, address: '198.51.100.8' }));
  });

  it('believes X-Forwarded-For only from a listed proxy', async () => {
    harness = await startHarness({ metrics, trustProxy: ['192.0.2.1'] });
    const { server, audit } = harness;
    expect((await scrape(server, '203.0.113.9')).status).toBe(200);
    await post(server, '/api/login', { name: 'op', password: 'wrong password 1' }, null, { 'x-forwarded-for': '203.0.113.9' });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'login', ok: false, address: '127.0.0.1' }));
  });
});
