/**
 * Console figures for `npm run bench`, from the real thing: the controller on the simulated lobby
 * at real time, its console server, and 0, 200 or 500 clients on loopback receiving its 10 Hz
 * telemetry (delivery latency, the process's event-loop delay and memory, side by side); then the
 * e-stop's latency from a console command to the simulated base's stop call.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { startLiveLobby } from '../../src/cli/live-lobby.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { percentile } from '../../src/stats.js';
import { projectPath } from '../../src/paths.js';
import { openDatabase } from '../../src/store/database.js';
import { loadScenario } from '../../sim/scenario.js';

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

const MEASURE_MS = 5000;
const wallMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function consoleBench(clientCounts: readonly number[]): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-bench-console-'));
  const catalog = loadCatalog();
  const stop = new AbortController();
  const database = openDatabase(join(dir, 'bench.db'));
  const lobby = await startLiveLobby({
    scenario: loadScenario(projectPath('sim', 'scenarios', 'lobby-live.yaml')),
    intentModel: createKeywordIntentModel(catalog),
    catalog,
    queue: createMemoryQueue(),
    database,
    dataKey: randomBytes(32),
    host: '127.0.0.1',
    port: 0,
    speed: 1,
    webRoot: null,
    signal: stop.signal,
    limits: { connectionsPerAddress: 10_000 },
  });
  lobby.users.add('bench', 'operator', 'bench password 1');
  const { world } = await lobby.started;
  // Instrumentation only: when the base's stop reaches the simulated drive.
  let heldAt = 0;
  const hold = world.hold.bind(world);
  world.hold = (reason: string) => {
    heldAt = performance.now();
    hold(reason);
  };
  const url = lobby.server.url;
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'bench password 1' }) });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const connect = (onTelemetry: (atMs: number) => void) =>
    new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: url } });
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { type: string; atMs?: number };
        if (m.type === 'snapshot') resolve(ws);
        else if (m.type === 'telemetry' && m.atMs !== undefined) onTelemetry(m.atMs);
      });
    });
  const rows: Row[] = [];
  try {
    for (const count of clientCounts) {
      const latencies: number[] = [];
      let measuring = false;
      const clients = await Promise.all(Array.from({ length: count }, () => connect((atMs) => measuring && latencies.push(wallMs() - atMs))));
      await sleep(500);
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      measuring = true;
      await sleep(MEASURE_MS);
      measuring = false;
      loop.disable();
      rows.push({
        name: `${String(count).padStart(3)} clients, 10 Hz`,
        cells: [
          count === 0 ? 'delivered –' : `delivered ${latencies.length} frames`,
          count === 0 ? 'p50 –' : `p50 ${percentile(latencies, 0.5).toFixed(2)} ms`,
          count === 0 ? 'p99 –' : `p99 ${percentile(latencies, 0.99).toFixed(2)} ms`,
          `event-loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(2)} ms`,
          `rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
        ],
      });
      for (const ws of clients) ws.terminate();
      await sleep(300);
    }

    const ws = await connect(() => {});
    const results = new Map<string, () => void>();
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; requestId?: string; reason?: string };
      if (m.type === 'command.result' && m.requestId !== undefined) results.get(m.requestId)?.();
      if (m.type === 'error') throw new Error(`console bench: the server refused a command (${m.reason ?? ''})`);
    });
    const command = (type: string, requestId: string) =>
      new Promise<void>((resolve) => {
        results.set(requestId, resolve);
        ws.send(JSON.stringify({ v: 1, robotId: 'robot-1', requestId, type }));
      });
    const estops: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      heldAt = 0;
      const sent = performance.now();
      await command('robot.estop', `e${i}`);
      while (heldAt === 0) await sleep(1);
      estops.push(heldAt - sent);
      await command('robot.releaseEstop', `r${i}`);
      await command('robot.resume', `s${i}`);
      // Three commands a round, paced under the console's limit of 20 messages a second.
      await sleep(200);
    }
    ws.terminate();
    rows.push({ name: 'e-stop, command to base stop', cells: [`p50 ${percentile(estops, 0.5).toFixed(2)} ms`, `p99 ${percentile(estops, 0.99).toFixed(2)} ms`, `max ${Math.max(...estops).toFixed(2)} ms`] });
  } finally {
    stop.abort();
    await lobby.done.catch(() => {});
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
