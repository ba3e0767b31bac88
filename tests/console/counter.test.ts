import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TextListener } from '../../src/adapters/text/text-listener.js';
import type { Controller } from '../../src/app/controller.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { openRequestStore } from '../../src/civic/requests/sealed-store.js';
import { controllerBackend } from '../../src/console/controller-backend.js';
import { startConsoleServer } from '../../src/console/server.js';
import { openUserStore } from '../../src/console/users.js';
import { openDatabase } from '../../src/store/database.js';
import type { Place } from '../../src/ports/robot-base.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-counter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const places: Place[] = [
  { id: 'counter-1', kind: 'counter', fields: ['civil_status'], pose: { xM: 1, yM: 1, yawRad: 0 } },
  { id: 'counter-3', kind: 'counter', fields: ['certification'], pose: { xM: 3, yM: 1, yawRad: 0 } },
];

describe('the counter view over the console', () => {
  it('lets the officer of the calling counter open the pre-filled request, no one else, and audits the hand-over', async () => {
    const queue = createMemoryQueue();
    const database = openDatabase(join(dir, 'tiepdan.db'));
    const requests = openRequestStore(database, { key: randomBytes(32) });
    const users = openUserStore(database);
    users.add('hoa', 'officer', 'officer one password', { counterId: 'counter-1' });
    users.add('binh', 'officer', 'officer two password', { counterId: 'counter-3' });
    const ticket = queue.issue({ field: 'civil_status', procedureId: 'birth_registration' });
    requests.put({ requestId: 'r1', procedureId: 'birth_registration', fields: { 'card1.fullName': 'Trần Thị Mai' } }, 'robot-1');
    requests.attachTicket('r1', ticket.number);
    // Officers' commands use only the queue and the request store; the controller only reports its state.
    const idle = { snapshot: () => ({ value: 'idle' }) } as unknown as Controller & TextListener;
    const server = await startConsoleServer({
      host: '127.0.0.1',
      port: 0,
      users,
      audit: () => {},
      backend: controllerBackend('robot-1', { controller: idle, listener: idle, queue, places, requests }),
    });
    const session = async (name: string, password: string) => {
      const res = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) });
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { cookie: res.headers.get('set-cookie')!.split(';')[0]!, origin: server.url } });
      const results: Record<string, unknown>[] = [];
      await new Promise<void>((resolve) =>
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as Record<string, unknown>;
          if (m['type'] === 'snapshot') resolve();
          else results.push(m);
        }),
      );
      const ask = async (message: object) => {
        const before = results.length;
        ws.send(JSON.stringify({ v: 1, robotId: 'robot-1', requestId: `q${before}`, ...message }));
        while (results.length === before) await new Promise((resolve) => setTimeout(resolve, 5));
        return results.at(-1)!;
      };
      return { ws, ask };
    };
    const hoa = await session('hoa', 'officer one password');
    const binh = await session('binh', 'officer two password');
    expect(await binh.ask({ type: 'queue.callNext', counterId: 'counter-1' })).toMatchObject({ ok: false, reason: 'not allowed for the officer role' });
    expect(await hoa.ask({ type: 'queue.callNext', counterId: 'counter-1' })).toMatchObject({ ok: true });
    expect(await binh.ask({ type: 'request.open', ticketNumber: ticket.number })).toMatchObject({ ok: false, reason: 'this ticket was not called at your counter' });
    expect(await hoa.ask({ type: 'request.open', ticketNumber: ticket.number })).toMatchObject({
      ok: true,
      data: { ticketNumber: 'A001', procedureId: 'birth_registration', fields: { 'card1.fullName': 'Trần Thị Mai' } },
    });
    // Opening is the hand-over: the request is deleted, so it opens once.
    expect(await hoa.ask({ type: 'request.open', ticketNumber: ticket.number })).toMatchObject({ ok: false, reason: 'no pre-filled request for this ticket' });
    expect(requests.audit().map((a) => [a.actor, a.action])).toEqual([
      ['robot-1', 'stored'],
      ['hoa', 'handed_over'],
    ]);
    hoa.ws.close();
    binh.ws.close();
    await server.close();
    users.close();
    requests.close();
    database.close();
  });
});
