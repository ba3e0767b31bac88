import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { localDdsEnv } from '../../../src/adapters/ros2/local-dds.js';
import { parseRos2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { inProcessHost } from '../../../src/app/in-process-host.js';
import { loadCatalog } from '../../../src/civic/catalog.js';
import { domainIdFor, processSides, sideEnv } from '../../../src/cli/sim-ros2-processes.js';
import { runScenarioOverRos2 } from '../../../src/cli/sim-ros2.js';
import { simViaRos2 } from '../../../src/cli/sim-via-ros2.js';
import { createKeywordIntentModel } from '../../../src/nlu/keyword-model.js';
import { projectPath } from '../../../src/paths.js';
import { runScenario } from '../../../sim/runner.js';
import { parseScenario } from '../../../sim/scenario.js';
import { FakeGraph } from './fake-graph.js';
import { inProcessSides } from './in-process-sides.js';

// A short, busy morning: citizens from the start, some who dawdle or get lost on the way.
const SCENARIO_FILE = projectPath('sim', 'scenarios', 'ros2-short.yaml');
const SCENARIO_TEXT = `
name: ros2-short
map: ../maps/ward-lobby.yaml
seed: 5
durationS: 900
arrivals: { ratePerHour: 40, firstArrivalAtS: 5, lastArrivalBeforeEndS: 300 }
languages: { vi: 0.7, en: 0.15, ko: 0.15 }
citizens: { fallBehindProbability: 0.15, lostProbability: 0.04 }
crowd: { walkers: 3 }
`;
const catalog = loadCatalog();
const scenario = parseScenario(SCENARIO_FILE, SCENARIO_TEXT);

function streams() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  err.on('data', (c: Buffer) => (text.err += c.toString()));
  return { out, err, text };
}

describe('tiepdan sim --via ros2, both sides on the in-process graph', () => {
  it('plays the scenario with whole conversations over the graph and prints the same summary as the in-process run, within a citizen', async () => {
    const intentModel = createKeywordIntentModel(catalog);
    const graph = new FakeGraph();
    const sides = inProcessSides(graph, { intentModel, catalog });
    const config = parseRos2Config({ distro: 'jazzy' }, {});
    const viaRos = await runScenarioOverRos2({ scenarioPath: SCENARIO_FILE, scenario, seed: 5, mapPath: scenario.mapPath, config, speed: 10 }, sides);
    const inProcess = await runScenario({ scenario, seed: 5, speed: 'max', host: inProcessHost({ intentModel, catalog }), catalog });

    const s = viaRos.summary;
    expect(Object.keys(s)).toEqual(Object.keys(inProcess.summary));
    expect(s).toMatchObject({ scenario: 'ros2-short', seed: 5, simSeconds: 900, safetyViolations: 0, expectationsMet: true });
    expect(s.escorts).toBeGreaterThan(2);
    expect(s.escortsSucceeded).toBeGreaterThan(2);
    expect(s.ticketsIssued).toBeGreaterThan(2);
    for (const key of ['citizens', 'served', 'escorts', 'escortsSucceeded', 'ticketsIssued', 'toldRightProcedure'] as const) {
      expect(Math.abs(s[key] - inProcess.summary[key]), key).toBeLessThanOrEqual(1);
    }
    // What went over the graph: the robot's speech, the citizens' answers, the goals' feedback, the clock.
    const speech = graph.publishedOn('/robot_speech').map((m) => JSON.parse((m as { data: string }).data) as { messageId: string });
    expect(speech.map((m) => m.messageId)).toEqual(expect.arrayContaining(['greeting', 'escort.start', 'escort.arrived', 'ticket.issued']));
    const voices = graph.published.filter((d) => /^\/humans\/voices\/[^/]+\/speech$/.test(d.topic));
    expect(voices.length).toBeGreaterThan(s.escorts);
    expect(graph.publishedOn('/clock').length).toBeGreaterThan(9000);
    expect(graph.incompatible).toEqual([]);
    // Both sides left the graph: the controller held the base and was gone before the robot closed.
    expect(graph.hasActionServer('/navigate_to_pose')).toBe(false);
    expect(sides.modules.controller?.log.at(-1)).toBe('shutdown');
    expect(sides.modules.robot?.log.at(-1)).toBe('shutdown');
  });

  it('through the command: --json prints one summary line and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-via-ros2-'));
    const file = join(dir, 'shorter.yaml');
    writeFileSync(file, SCENARIO_TEXT.replace('durationS: 900', 'durationS: 120').replace('../maps/ward-lobby.yaml', projectPath('sim', 'maps', 'ward-lobby.yaml')));
    const s = streams();
    try {
      const code = await simViaRos2({
        values: { scenario: file, json: true, seed: '3' },
        env: { ROS_DISTRO: 'jazzy' },
        out: s.out,
        err: s.err,
        installed: () => true,
        sides: inProcessSides(new FakeGraph(), { intentModel: createKeywordIntentModel(catalog), catalog }),
      });
      expect(code).toBe(0);
      const lines = s.text.out.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ scenario: 'ros2-short', seed: 3, simSeconds: 120, safetyViolations: 0, expectationsMet: true });
      expect(s.text.err).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('EXPECTED FAILURE - without ROS 2 or rclnodejs: what to source and install (npm_config_yes=true), before any process starts', async () => {
    const s = streams();
    const values = { scenario: projectPath('sim', 'scenarios', 'morning-rush.yaml') };
    const noSides = { robot: () => expect.unreachable('no robot without ROS 2'), controller: () => expect.unreachable('no controller without ROS 2') };
    await expect(simViaRos2({ values, env: {}, out: s.out, err: s.err, sides: noSides })).rejects.toThrow(/ROS_DISTRO is not set.*source \/opt\/ros\/jazzy\/setup\.bash.*npm_config_yes=true npm install rclnodejs/s);
    await expect(simViaRos2({ values, env: { ROS_DISTRO: 'jazzy' }, out: s.out, err: s.err, sides: noSides, installed: () => false })).rejects.toMatchObject({
      code: 'ros2_unavailable',
      message: expect.stringMatching(/rclnodejs is not installed in this checkout \(or its build failed and npm left it out\).*npm ci still exits 0/s),
    });
  });

  it('EXPECTED FAILURE - usage: --speed max, --report, a scenario with ID scans or a soak', async () => {
    const s = streams();
    const run = (values: Record<string, string | boolean>) => simViaRos2({ values: { scenario: projectPath('sim', 'scenarios', 'morning-rush.yaml'), ...values }, env: { ROS_DISTRO: 'jazzy' }, out: s.out, err: s.err, installed: () => true });
    await expect(run({ speed: 'max' })).rejects.toThrow(/--speed is a number .*wall-clock pace/);
    await expect(run({ report: '/tmp/x' })).rejects.toThrow(/--report draws a run in this process/);
    await expect(run({ scenario: projectPath('sim', 'scenarios', 'id-scans.yaml') })).rejects.toThrow(/has ID scans, and the robot has no card reader on ROS 2 yet/);
    await expect(run({ scenario: projectPath('sim', 'scenarios', 'week-soak.yaml') })).rejects.toThrow(/a soak .* runs in-process only/);
    await expect(run({ 'domain-id': '300' })).rejects.toThrow(/--domain-id must be between 0 and 232/);
  });

  // The sides as child processes run from the build, as in production; `npm test` builds before vitest runs.
  it('EXPECTED FAILURE - as child processes: a side that cannot start says why, and the run ends with its error', async () => {
    const stderr: string[] = [];
    const sides = processSides({ env: { ...sideEnv(process.env, domainIdFor(process.pid)), ROS_DISTRO: 'jazzy' }, onStderr: (line) => stderr.push(line) });
    const spec = { scenarioPath: SCENARIO_FILE, scenario, seed: 5, mapPath: scenario.mapPath, config: parseRos2Config({ distro: 'jazzy' }, {}), speed: 10 };
    const started = performance.now();
    await expect(runScenarioOverRos2(spec, sides)).rejects.toThrow(/^tiepdan ros2_failed: simulated robot: tiepdan ros2_unavailable: ROS 2 is not available: rclnodejs /);
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it("keeps both sides' DDS on this machine, on a domain of the run's own", () => {
    expect(domainIdFor(4242)).toBe(143);
    expect(domainIdFor(99)).toBe(200);
    const env = sideEnv({ PATH: '/usr/bin', ROS_DISTRO: 'jazzy', ROS_DOMAIN_ID: '0', ROS_AUTOMATIC_DISCOVERY_RANGE: 'SUBNET' }, 143);
    expect(env).toEqual({ PATH: '/usr/bin', ROS_DISTRO: 'jazzy', ...localDdsEnv(), ROS_DOMAIN_ID: '143' });
  });
});
