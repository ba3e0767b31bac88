/**
 * `npm run bench`: performance figures, side by side in one run. Not a test: nothing here asserts.
 *  - the simulator's speed on morning-rush (simulated seconds per wall second), with the real controller,
 *    in this process and as the soak runs it (a child process in lockstep);
 *  - the guide statechart's event throughput: cheap events, and whole conversations with instant effects;
 *  - where ROS 2 is (ROS_DISTRO, rclnodejs, the local DDS variables): morning-rush over ROS 2 and the
 *    e-stop from the console to zero velocity on cmd_vel over DDS; elsewhere one line saying why not.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createActor, fromPromise } from 'xstate';
import { guideMachine } from '../../statecharts/guide.machine.js';
import type { ClassifyInput, GuideEvent, NavigateInput, SpeakInput, Ticket, TicketInput } from '../../statecharts/guide.types.js';
import type { NavResult } from '../../src/ports/robot-base.js';
import { runScenario } from '../../sim/runner.js';
import { keywordHost } from '../sim/keyword-host.js';
import { loadScenario } from '../../sim/scenario.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { projectPath } from '../../src/paths.js';
import type { Classification } from '../../src/ports/intent-model.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { Random } from '../../src/util/random.js';
import { ChildControllerHost } from '../../sim/soak/child-host.js';
import { consoleBench } from './console.js';
import { intentBench } from './nlu.js';
import { asrBench } from './asr.js';
import { speechBench } from './speech.js';
import { ros2Bench, ros2BenchSkip } from './ros2.js';

const INPUT = {
  settings: DEFAULT_GUIDE_SETTINGS,
  counters: [{ id: 'counter-1', fields: ['civil_status' as const] }],
  procedures: { birth_registration: { field: 'civil_status' as const, idCards: 1 } },
  homeId: 'home',
  dockId: 'dock',
};

async function simulatorSpeed(): Promise<{ simSPerWallS: number; wallS: number }> {
  const scenario = loadScenario(projectPath('sim', 'scenarios', 'morning-rush.yaml'));
  const start = performance.now();
  const result = await runScenario({ scenario, speed: 'max', host: keywordHost() });
  const wallS = (performance.now() - start) / 1000;
  return { simSPerWallS: result.summary.simSeconds / wallS, wallS };
}

/**
 * The same scenario with the controller as the soak runs it: a child process in lockstep over IPC
 * (keyword model in both runs, no kills), so the ratio is the cost of the process boundary.
 */
async function childProcessSpeed(): Promise<{ simSPerWallS: number; wallS: number }> {
  const scenario = loadScenario(projectPath('sim', 'scenarios', 'morning-rush.yaml'));
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-bench-'));
  const host = new ChildControllerHost({
    dbFile: join(dir, 'controller.sqlite'),
    intentModel: 'keyword',
    idScans: false,
    dataKeyHex: randomBytes(32).toString('hex'),
    kills: null,
    random: new Random(1),
    dayLengthS: scenario.durationS,
  });
  try {
    const start = performance.now();
    const result = await runScenario({ scenario, speed: 'max', host });
    const wallS = (performance.now() - start) / 1000;
    return { simSPerWallS: result.summary.simSeconds / wallS, wallS };
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Events a second through a running actor that ignores them (idle, nobody near). */
function cheapEventRate(count: number): number {
  const actor = createActor(guideMachine, { input: INPUT, clock: new VirtualClock() }).start();
  const far: GuideEvent = { type: 'people.updated', people: [{ id: 'p', distanceM: 9, seenNow: true }] };
  const start = performance.now();
  for (let i = 0; i < count; i += 1) actor.send(far);
  const rate = count / ((performance.now() - start) / 1000);
  actor.stop();
  return rate;
}

/** Whole conversations (greet, understand, answer, ticket, escort, arrive, return) with instant effects. */
async function conversationRate(conversations: number): Promise<{ perS: number; eventsPerS: number }> {
  const classification: Classification = { intent: 'affirm', procedure: null, lang: 'vi', confidence: 0.9, alternatives: [] };
  let asked = 0;
  const clock = new VirtualClock();
  const machine = guideMachine.provide({
    actors: {
      speak: fromPromise<{ spokenMs: number }, SpeakInput>(async () => ({ spokenMs: 0 })),
      classify: fromPromise<Classification, ClassifyInput>(async () => {
        asked += 1;
        return asked % 2 === 1 ? { ...classification, intent: 'ask_procedure' as const, procedure: 'birth_registration' } : classification;
      }),
      navigate: fromPromise<NavResult, NavigateInput>(async () => ({ kind: 'arrived' })),
      issueTicket: fromPromise<Ticket, TicketInput>(async () => ({ number: 'A001', counterId: 'counter-1' })),
    },
  });
  const actor = createActor(machine, { input: { ...INPUT, settings: { ...INPUT.settings, idReaderAvailable: false } }, clock }).start();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  let events = 0;
  const start = performance.now();
  for (let i = 0; i < conversations; i += 1) {
    actor.send({ type: 'people.updated', people: [{ id: `p${i}`, distanceM: 1, seenNow: true }] });
    await settle();
    actor.send({ type: 'speech.heard', text: 'làm giấy khai sinh', lang: null, confidence: 1 });
    await settle();
    actor.send({ type: 'speech.heard', text: 'dạ', lang: null, confidence: 1 });
    await settle();
    clock.advance(DEFAULT_GUIDE_SETTINGS.timeoutsMs.arrivedLinger);
    await settle();
    events += 4;
  }
  const seconds = (performance.now() - start) / 1000;
  const state = JSON.stringify(actor.getSnapshot().value);
  actor.stop();
  if (!state.includes('idle')) throw new Error(`bench: the conversation did not end in idle: ${state}`);
  return { perS: conversations / seconds, eventsPerS: events / seconds };
}

const sim = await simulatorSpeed();
const simChild = await childProcessSpeed();
const cheap = cheapEventRate(200_000);
const talk = await conversationRate(2_000);
const rows: [string, string][] = [
  ['simulator, morning-rush (4 h, real controller)', `${Math.round(sim.simSPerWallS)} simulated s per wall s (${sim.wallS.toFixed(1)} s wall)`],
  ['simulator, morning-rush, controller in a child process (soak)', `${Math.round(simChild.simSPerWallS)} simulated s per wall s (${simChild.wallS.toFixed(1)} s wall)`],
  ['statechart, ignored events (idle, nobody near)', `${Math.round(cheap).toLocaleString('en')} events/s`],
  ['statechart, whole conversations, instant effects', `${Math.round(talk.perS).toLocaleString('en')} conversations/s (${Math.round(talk.eventsPerS).toLocaleString('en')} external events/s)`],
];
const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(`tiepdan bench (node ${process.version}, one run, side by side)\n`);
for (const [name, value] of rows) process.stdout.write(`  ${name.padEnd(width)}  ${value}\n`);
process.stdout.write(`  ratio: the simulator runs morning-rush ${Math.round(sim.simSPerWallS)}x faster than real time (aim: 1000x)\n`);
process.stdout.write(`  ratio: the controller in its own process (the soak's lockstep) takes ${(sim.simSPerWallS / simChild.simSPerWallS).toFixed(2)}x the wall time of the same run in one process\n`);

/** Start-up in a fresh process, as an operator restarting the robot sees it. */
function startup(model: string | undefined): { model: string; ms: number; loadMs: number } {
  const script = fileURLToPath(new URL('./startup.js', import.meta.url));
  const out = execFileSync(process.execPath, [script, ...(model !== undefined ? ['--intent-model', model] : [])], { encoding: 'utf8' });
  return JSON.parse(out) as { model: string; ms: number; loadMs: number };
}
process.stdout.write('controller start-up in a fresh process (module loading included)\n');
for (const model of [undefined, 'keyword']) {
  const s = startup(model);
  process.stdout.write(`  ${`with the ${s.model} model`.padEnd(30)}  ${s.ms} ms from process start to a running controller (model load ${s.loadMs} ms)\n`);
}

process.stdout.write('intent understanding (models/data test split; public sets trained here, never in the shipped model)\n');
for (const row of await intentBench()) process.stdout.write(`  ${row.name.padEnd(30)}  ${row.cells.join('  ')}\n`);

process.stdout.write('console on loopback: the controller on the simulated lobby at real time, its server and the clients in this process\n');
for (const row of await consoleBench([0, 200, 500])) process.stdout.write(`  ${row.name.padEnd(30)}  ${row.cells.join('  ')}\n`);

const ros2Skip = await ros2BenchSkip();
if (ros2Skip !== null) {
  process.stdout.write(`ROS 2: skipped morning-rush over ROS 2 and the e-stop over DDS: ${ros2Skip}\n`);
} else {
  process.stdout.write('ROS 2: the controller and the simulated robot in two processes on loopback DDS (Cyclone on lo)\n');
  for (const row of await ros2Bench(sim.simSPerWallS)) process.stdout.write(`  ${row.name.padEnd(30)}  ${row.cells.join('  ')}\n`);
}

process.stdout.write('speech: Silero VAD, pocketsphinx with the domain language model on espeak-ng voices, end of speech to reply\n');
for (const row of [...(await speechBench()), ...(await asrBench())]) process.stdout.write(`  ${row.name.padEnd(30)}  ${row.cells.join('  ')}\n`);
