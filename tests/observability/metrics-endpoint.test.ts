import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isLoopbackAddress, startConsoleServer, type AuditRecord, type ConsoleMetrics, type ConsoleServer } from '../../src/console/server.js';
import { openUserStore, type UserStore } from '../../src/console/users.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { createControllerMetrics, type ControllerMetrics } from '../../src/observability/metrics.js';
import { parsePrometheusText, valueOf } from './prom-text.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-metrics-'));
let database: Database;
let users: UserStore;
const audit: AuditRecord[] = [];
const backend = {
  robotId: 'robot-1',
  command: () => ({ ok: true as const }),
  snapshot: () => ({ starting: false, active: ['interaction', 'interaction.idle'], queue: null, alerts: [] }),
  lobby: () => null,
};

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

async function withServer<T>(host: string, metrics: ConsoleMetrics | undefined, run: (server: ConsoleServer, port: number) => Promise<T>): Promise<T> {
  const server = await startConsoleServer({ host, port: 0, users, backend, audit: (r) => audit.push(r), ...(metrics !== undefined ? { metrics } : {}) });
  try {
    return await run(server, Number(new URL(server.url).port));
  } finally {
    await server.close();
  }
}

function consoleMetrics(metrics: ControllerMetrics, allowFrom?: (address: string) => boolean): ConsoleMetrics {
  return { registry: metrics.registry, observeEstopSeconds: metrics.observeEstopSeconds, ...(allowFrom !== undefined ? { allowFrom } : {}) };
}

/** An address of this machine that is not loopback, to connect from something other than 127.0.0.1. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

describe('GET /metrics on the console server', () => {
  it('serves the text format to this machine without a session, and times an e-stop from the console', async () => {
    const metrics = createControllerMetrics();
    await withServer('127.0.0.1', consoleMetrics(metrics), async (server) => {
      metrics.setConsoleClients(() => server.clients());
      const login = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'op', password: 'operator password' }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: server.url } });
      const messages: Record<string, unknown>[] = [];
      ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(JSON.stringify({ v: 1, robotId: 'robot-1', requestId: 'r1', type: 'robot.estop' }));
      while (!messages.some((m) => m['type'] === 'command.result')) await new Promise((resolve) => setTimeout(resolve, 5));

      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const families = parsePrometheusText(await res.text());
      for (const name of [
        'tiepdan_citizens_served_total',
        'tiepdan_intents_understood_total',
        'tiepdan_escorts_total',
        'tiepdan_navigation_failures_total',
        'tiepdan_queue_waiting_tickets',
        'tiepdan_queue_estimated_wait_seconds',
        'tiepdan_console_clients',
        'tiepdan_understand_latency_seconds',
        'tiepdan_reply_latency_seconds',
        'tiepdan_estop_latency_seconds',
      ]) {
        expect(families.has(name), name).toBe(true);
      }
      expect(valueOf(families, 'tiepdan_console_clients', 'tiepdan_console_clients')).toBe(1);
      expect(valueOf(families, 'tiepdan_estop_latency_seconds', 'tiepdan_estop_latency_seconds_count')).toBe(1);
      expect(valueOf(families, 'tiepdan_estop_latency_seconds', 'tiepdan_estop_latency_seconds_sum')).toBeLessThan(1);
      ws.close();
    });
  });

  it('is not there unless enabled', async () => {
    await withServer('127.0.0.1', undefined, async (server) => {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    });
  });

  it('refuses (403) an address that allowFrom does not accept, and audits it', async () => {
    await withServer('127.0.0.1', consoleMetrics(createControllerMetrics(), () => false), async (server) => {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain('tiepdan_');
      expect(audit.at(-1)).toMatchObject({ action: 'metrics', ok: false, address: '127.0.0.1' });
      // A scraper that keeps trying is audited once an hour, not at every scrape.
      const rows = audit.length;
      expect((await fetch(`${server.url}/metrics`)).status).toBe(403);
      expect(audit.length).toBe(rows);
    });
  });

  it.skipIf(outside === undefined)('refuses a connection from a non-loopback address by default, and serves it when public', async () => {
    await withServer('0.0.0.0', consoleMetrics(createControllerMetrics()), async (_server, port) => {
      expect((await fetch(`http://${outside}:${port}/metrics`)).status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    });
    await withServer('0.0.0.0', consoleMetrics(createControllerMetrics(), () => true), async (_server, port) => {
      expect((await fetch(`http://${outside}:${port}/metrics`)).status).toBe(200);
    });
  });
});

describe('the loopback predicate', () => {
  it('accepts this machine only', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of [undefined, '', 'unknown', '10.0.0.1', '192.168.1.20', '::ffff:10.0.0.1', 'fe80::1', '::', '0.0.0.0', '127.0.0.1.evil', '::2']) {
      expect(isLoopbackAddress(a), String(a)).toBe(false);
    }
  });
});
