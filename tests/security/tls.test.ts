import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ConsoleServer } from '../../src/console/server.js';
import { systemTool } from '../system.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 17, finding 13: the console spoke plain HTTP only, so passwords and cookies crossed the
 * lobby network in clear. With a certificate it serves HTTPS and WSS, the cookie is Secure and
 * responses carry Strict-Transport-Security. The certificate is made here, for this run only.
 */

const openssl = systemTool('/usr/bin/openssl', 'openssl');
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-tls-'));
let cert = '';
let key = '';

beforeAll(() => {
  if (!openssl.available) return;
  execFileSync('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request that trusts the throwaway certificate and nothing else. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  const make = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = make(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ...(url.startsWith('https:') ? { ca: cert } : {}) }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const login = (server: ConsoleServer) =>
  send(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ name: 'op', password: 'operator secret 7f' }) });

const sessionCookie = (reply: Reply): string => {
  const header = reply.headers['set-cookie'];
  const cookie = Array.isArray(header) ? header[0] : header;
  if (cookie === undefined) throw new Error(`no cookie (status ${reply.status})`);
  return cookie;
};

describe.skipIf(!openssl.available)(`the console over TLS${openssl.skipReason}`, () => {
  it('serves HTTPS and WSS: a Secure cookie, HSTS on every reply, https origins, and the socket opens', async () => {
    harness = await startHarness({ tls: { cert, key } });
    const { server } = harness;
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.allowedOrigins).toContain(server.url);
    expect(server.allowedOrigins.every((o) => o.startsWith('https://'))).toBe(true);

    const reply = await login(server);
    expect(reply.status).toBe(200);
    const cookie = sessionCookie(reply);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(reply.headers['strict-transport-security']).toBe('max-age=31536000');
    const health = await send(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');

    const ws = new WebSocket(`${server.url.replace('https', 'wss')}/ws`, { ca: cert, headers: { cookie: cookie.split(';')[0]!, origin: server.url } });
    try {
      const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
        ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>));
        ws.once('unexpected-response', (_req, res) => reject(new Error(`the socket was refused with ${res.statusCode}`)));
        ws.once('error', reject);
      });
      expect(first).toMatchObject({ type: 'snapshot' });
    } finally {
      ws.terminate();
    }
  });

  it('answers nothing to plain HTTP on the TLS port', async () => {
    harness = await startHarness({ tls: { cert, key } });
    const plain = harness.server.url.replace('https:', 'http:');
    await expect(send(`${plain}/health`)).rejects.toThrow();
  });

  it('behind a TLS-terminating proxy: plain HTTP here, but the cookie is Secure and HSTS is sent', async () => {
    harness = await startHarness({ behindTlsProxy: true, trustProxy: ['127.0.0.1'], allowedOrigins: ['https://lobby.ward7.example'] });
    const { server } = harness;
    expect(server.url).toMatch(/^http:\/\//);
    const reply = await send(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://lobby.ward7.example', 'x-forwarded-for': '198.51.100.4' },
      body: JSON.stringify({ name: 'op', password: 'operator secret 7f' }),
    });
    expect(reply.status).toBe(200);
    expect(sessionCookie(reply)).toMatch(/; Secure/);
    expect(reply.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('without TLS the cookie is not Secure and no HSTS is sent (a browser would drop a Secure cookie over HTTP)', async () => {
    harness = await startHarness();
    const reply = await login(harness.server);
    expect(reply.status).toBe(200);
    expect(sessionCookie(reply)).not.toMatch(/Secure/);
    expect(reply.headers['strict-transport-security']).toBeUndefined();
  });

  it('EXPECTED FAILURE - a certificate or key that is not PEM stops the start with a clear error', async () => {
    for (const tls of [{ cert: 'not a certificate', key }, { cert, key: 'not a key' }]) {
      await expect(startHarness({ tls })).rejects.toMatchObject({
        name: 'TiepdanError',
        code: 'invalid_option',
        message: expect.stringMatching(/^tiepdan invalid_option: tls: /),
      });
    }
  });
});
