/**
 * ROS 2 figures for `npm run bench`, where ROS 2 is: morning-rush over ROS 2 (the controller and the
 * simulated robot as two processes on loopback DDS) beside the in-process run, and the e-stop from a
 * console command to the zero velocity on cmd_vel, as a third node on the graph receives it.
 * Without a sourced ROS 2 and a loadable rclnodejs it returns why it skipped, and loads nothing.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { importRclnodejs, whyRclnodejsFailed } from '../../src/adapters/ros2/index.js';
import { missingLocalDds } from '../../src/adapters/ros2/local-dds.js';
import { parseRos2Config } from '../../src/adapters/ros2/ros2-config.js';
import type { Twist } from '../../src/adapters/ros2/ros2-messages.js';
import { qosFor } from '../../src/adapters/ros2/ros2-qos.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { startControllerSide } from '../../src/cli/ros2-sim-controller.js';
import { domainIdFor, processSides, sideEnv } from '../../src/cli/sim-ros2-processes.js';
import { runScenarioOverRos2 } from '../../src/cli/sim-ros2.js';
import type { LobbyConsole } from '../../src/console/lobby-console.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { projectPath } from '../../src/paths.js';
import { percentile } from '../../src/stats.js';
import { loadScenario } from '../../sim/scenario.js';

export interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

/** Simulated seconds per wall second asked of the run over ROS 2: above what DDS and two processes keep, so the figure is what they do keep. */
const ROS2_SPEED = 40;
const ESTOP_ROUNDS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why the ROS 2 figures cannot be taken here, or null when they can. */
export async function ros2BenchSkip(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  if (!env['ROS_DISTRO']) return 'ROS_DISTRO is not set (no sourced ROS 2)';
  try {
    await importRclnodejs({ env });
  } catch (error) {
    return whyRclnodejsFailed((error as Error).cause ?? error);
  }
  const missing = missingLocalDds(env);
  if (missing.length > 0) return `the graph would not stay on this machine: ${missing.join('; ')} (see docs/robot.md)`;
  return null;
}

export async function ros2Bench(simSPerWallSInProcess: number): Promise<Row[]> {
  const rows: Row[] = [];
  const scenarioPath = projectPath('sim', 'scenarios', 'morning-rush.yaml');
  const scenario = loadScenario(scenarioPath);
  const config = parseRos2Config({}, process.env);
  const start = performance.now();
  const run = await runScenarioOverRos2(
    { scenarioPath, scenario, seed: scenario.seed, mapPath: scenario.mapPath, config, speed: ROS2_SPEED, intentModel: 'keyword' },
    processSides({ env: sideEnv(process.env, domainIdFor(process.pid)), onStderr: () => undefined }),
  );
  const wallS = (performance.now() - start) / 1000;
  const s = run.summary;
  rows.push({
    name: 'morning-rush over ROS 2',
    cells: [`${Math.round(s.simSeconds / wallS)} simulated s per wall s (asked ${ROS2_SPEED}; in-process ${Math.round(simSPerWallSInProcess)})`, `served ${s.served}`, `escorts ${s.escorts}`, `safety violations ${s.safetyViolations}`],
  });
  rows.push({ name: 'e-stop, console to cmd_vel over DDS', cells: await estopOverDds() });
  return rows;
}

/**
 * The controller in this process on the robot's composition, the simulated robot in a child process
 * at real time, on this process's own domain; a third node here times, for each console e-stop, the
 * first zero twist that reaches it on cmd_vel.
 */
async function estopOverDds(): Promise<string[]> {
  const scenarioPath = projectPath('sim', 'scenarios', 'lobby-live.yaml');
  const scenario = loadScenario(scenarioPath);
  const config = parseRos2Config({}, process.env);
  const robot = processSides({ env: process.env, onStderr: () => undefined }).robot({ scenarioPath, scenario, seed: scenario.seed, mapPath: scenario.mapPath, config, speed: 1 });
  await robot.ready;
  const catalog = loadCatalog();
  let lobbyConsole: LobbyConsole | null = null;
  const controller = startControllerSide({
    config,
    mapPath: scenario.mapPath,
    intentModel: createKeywordIntentModel(catalog),
    catalog,
    ros2: {},
    onConsole: (c) => (lobbyConsole = c),
  });
  const running = robot.run();
  try {
    await controller.ready;
    const rcl = await importRclnodejs();
    const node = new rcl.Node('tiepdan_bench_estop', config.namespace);
    let waiting: ((atMs: number) => void) | null = null;
    node.createSubscription('geometry_msgs/msg/Twist', config.topics.cmdVel, { qos: qosFor(rcl, config.qos.cmdVel) }, (m) => {
      const t = m as Twist;
      if (t.linear.x === 0 && t.angular.z === 0) waiting?.(performance.now());
    });
    node.spin();
    const c = lobbyConsole as LobbyConsole | null;
    if (c === null) throw new Error('ros2 bench: the controller did not open its console');
    c.users.add('bench', 'operator', 'bench password 1');
    const url = c.server.url;
    const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench', password: 'bench password 1' }) });
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const ws = await new Promise<WebSocket>((resolve) => {
      const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { cookie, origin: url } });
      socket.on('message', (data) => {
        if ((JSON.parse(String(data)) as { type: string }).type === 'snapshot') resolve(socket);
      });
    });
    const results = new Map<string, () => void>();
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; requestId?: string };
      if (m.type === 'command.result' && m.requestId !== undefined) results.get(m.requestId)?.();
    });
    const command = (type: string, requestId: string) =>
      new Promise<void>((resolve) => {
        results.set(requestId, resolve);
        ws.send(JSON.stringify({ v: 1, robotId: 'robot-1', requestId, type }));
      });
    const times: number[] = [];
    for (let i = 0; i < ESTOP_ROUNDS; i += 1) {
      const zero = new Promise<number>((resolve) => (waiting = resolve));
      const sent = performance.now();
      await command('robot.estop', `e${i}`);
      times.push((await zero) - sent);
      waiting = null;
      await command('robot.releaseEstop', `r${i}`);
      await command('robot.resume', `s${i}`);
      await sleep(200);
    }
    ws.terminate();
    node.destroy();
    return [`n ${times.length}`, `p50 ${percentile(times, 0.5).toFixed(2)} ms`, `p99 ${percentile(times, 0.99).toFixed(2)} ms`, `max ${Math.max(...times).toFixed(2)} ms`];
  } finally {
    await controller.abandon();
    await robot.close();
    await running.catch(() => undefined);
  }
}
