/**
 * Console figures for `npm run bench`, from the real thing: the controller on the simulated lobby
 * at real time, its console server, and 0, 200 or 500 clients on loopback receiving its 10 Hz
 * telemetry (delivery latency, the process's event-loop delay and memory, side by side); then the
 * e-stop's latency from a console command to the simulated base's stop call, quiet and then under a
 * flood of 16 concurrent unauthenticated logins (from a worker thread, as another machine would).
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
import { floodLogins } from '../security/login-attacker.js';

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

const MEASURE_MS = 5000;
/** The e-stop is timed this long under a login flood, and as long quiet (half before, half after). */
const FLOOD_MS = 20_000;
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
    limits: { connectionsPerAddress: 10_000, connectionsPerSession: 10_000, connectionsPerRole: { operator: 10_000 } },
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
    /** E-stop, release, resume, paced under the console's limit of 20 messages a second; the e-stop's command-to-stop times. */
    const estopRounds = async (durationMs: number, tag: string): Promise<number[]> => {
      const times: number[] = [];
      const end = performance.now() + durationMs;
      for (let i = 0; performance.now() < end; i += 1) {
        heldAt = 0;
        const sent = performance.now();
        await command('robot.estop', `${tag}e${i}`);
        while (heldAt === 0) await sleep(1);
        times.push(heldAt - sent);
        await command('robot.releaseEstop', `${tag}r${i}`);
        await command('robot.resume', `${tag}s${i}`);
        await sleep(200);
      }
      return times;
    };
    const estopCells = (times: readonly number[]) => [`n ${times.length}`, `p50 ${percentile(times, 0.5).toFixed(2)} ms`, `p99 ${percentile(times, 0.99).toFixed(2)} ms`, `max ${Math.max(...times).toFixed(2)} ms`];
    // Quiet half before the flood and half after, so a machine whose load drifts weighs on both sides alike.
    const quietBefore = await estopRounds(FLOOD_MS / 2, 'q');
    const [flood, underFlood] = await Promise.all([
      floodLogins({ url: `${url}/api/login`, origin: url, inFlight: 16, floodMs: FLOOD_MS, maxAttempts: 200_000, names: ['bench', 'admin', 'operator', 'officer'] }),
      estopRounds(FLOOD_MS, 'f'),
    ]);
    const quiet = [...quietBefore, ...(await estopRounds(FLOOD_MS / 2, 'a'))];
    ws.terminate();
    const refused = flood.statuses.filter((s) => s === 429).length;
    const ratio = percentile(underFlood, 0.99) / percentile(quiet, 0.99);
    rows.push(
      { name: 'e-stop, command to base stop', cells: estopCells(quiet) },
      { name: 'e-stop, 16 logins in flight', cells: [...estopCells(underFlood), `(${flood.statuses.length} login attempts in ${FLOOD_MS / 1000} s, ${refused} refused 429)`] },
      { name: 'e-stop p99, flood / quiet', cells: [`${ratio.toFixed(2)}×`, `aim ≤ 2× and < 50 ms: ${ratio <= 2 && percentile(underFlood, 0.99) < 50 ? 'met' : 'NOT met'}`] },
    );
  } finally {
    stop.abort();
    await lobby.done.catch(() => {});
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
