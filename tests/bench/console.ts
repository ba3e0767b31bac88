/**
 * Console figures for `npm run bench`: N clients connected at once receiving 10 Hz telemetry on
 * loopback (delivery latency, the server process's event-loop delay and memory), and the e-stop's
 * latency from a console command to the base's stop call. Measured in this process, side by side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startConsoleServer } from '../../src/console/server.js';
import { openUserStore } from '../../src/console/users.js';
import { percentile } from '../../src/nlu/metrics.js';

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

// A realistic frame: an escort's planned path and a busy lobby.
const PATH = Array.from({ length: 60 }, (_, k) => ({ xM: k * 0.25, yM: 2 + Math.sin(k / 6) }));
const PEOPLE = Array.from({ length: 12 }, (_, k) => ({ id: `p${k}`, xM: k, yM: 3 }));

export async function consoleBench(clientCounts: readonly number[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-bench-console-'));
  const users = openUserStore(join(dir, 'users.db'));
  users.add('bench', 'operator', 'bench password 1');
  let stopCalledAt = 0;
  const server = await startConsoleServer({
    host: '127.0.0.1',
    port: 0,
    users,
    audit: () => {},
    limits: { connectionsPerAddress: 10_000 },
    backend: {
      robotId: 'robot-1',
      snapshot: () => ({ starting: false, active: ['interaction', 'interaction.idle'], queue: null, alerts: [] }),
      lobby: () => null,
      command: (m) => {
        // Where the controller would send operator.estop and the base's stop() would run.
        if (m.type === 'robot.estop') stopCalledAt = performance.now();
        return { ok: true };
      },
    },
  });
  const res = await fetch(`${server.url}/api/login`, { method: 'POST', body: JSON.stringify({ name: 'bench', password: 'bench password 1' }) });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const rows: Row[] = [];
  try {
    for (const count of clientCounts) {
      const latencies: number[] = [];
      const sentAt: number[] = [];
      const clients = await Promise.all(
        Array.from(
          { length: count },
          () =>
            new Promise<WebSocket>((resolve) => {
              const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: server.url } });
              ws.on('message', (data) => {
                const m = JSON.parse(String(data)) as { type: string; pose?: { xM: number } };
                if (m.type === 'snapshot') resolve(ws);
                // The tick number rides in pose.xM: the same process keeps when each tick was sent.
                else if (m.type === 'telemetry' && m.pose !== undefined) latencies.push(performance.now() - sentAt[m.pose.xM]!);
              });
            }),
        ),
      );
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const ticks = 50; // 5 s at 10 Hz
      for (let i = 0; i < ticks; i += 1) {
        sentAt[i] = performance.now();
        server.broadcast({ type: 'telemetry', tS: i / 10, pose: { xM: i, yM: 1, yawRad: 0 }, linearMps: 0.5, batteryPercent: 80, path: PATH, people: PEOPLE }, 'telemetry');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      loop.disable();
      const rssMb = process.memoryUsage().rss / 1e6;
      rows.push({
        name: `${String(count).padStart(3)} clients, 10 Hz`,
        cells: [
          `delivered ${latencies.length}/${count * ticks}`,
          `p50 ${percentile(latencies, 0.5).toFixed(2)} ms`,
          `p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
          `event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(2)} ms`,
          `rss ${rssMb.toFixed(0)} MB`,
        ],
      });
      if (count === clientCounts[0]) {
        const estops: number[] = [];
        const ws = clients[0]!;
        for (let i = 0; i < 50; i += 1) {
          const sent = performance.now();
          ws.send(JSON.stringify({ v: 1, robotId: 'robot-1', requestId: `e${i}`, type: 'robot.estop' }));
          await new Promise((resolve) => setTimeout(resolve, 60));
          estops.push(stopCalledAt - sent);
        }
        rows.push({ name: 'e-stop, command to stop call', cells: [`p50 ${percentile(estops, 0.5).toFixed(2)} ms`, `p99 ${percentile(estops, 0.99).toFixed(2)} ms`] });
      }
      for (const ws of clients) ws.terminate();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await server.close();
    users.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
