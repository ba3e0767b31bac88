import { expect, it } from 'vitest';
import { parseRos2Config } from '../../src/adapters/ros2/ros2-config.js';
import { domainIdFor, processSides, sideEnv } from '../../src/cli/sim-ros2-processes.js';
import { runScenarioOverRos2 } from '../../src/cli/sim-ros2.js';
import { projectPath } from '../../src/paths.js';
import { parseScenario } from '../../sim/scenario.js';
import { describeLive } from './ros2-live-gate.js';

/**
 * `tiepdan sim --via ros2` on a live graph: the two sides as child processes from the build
 * (`npm run build`), DDS on loopback, a domain of their own. The same run is rehearsed on every test
 * run with both sides on the in-process graph (tests/adapters/ros2/sim-via-ros2.test.ts).
 */
const SCENARIO = `
name: ros2-live-short
map: ${projectPath('sim', 'maps', 'ward-lobby.yaml')}
seed: 5
durationS: 600
arrivals: { ratePerHour: 40, firstArrivalAtS: 5, lastArrivalBeforeEndS: 300 }
languages: { vi: 0.7, en: 0.15, ko: 0.15 }
crowd: { walkers: 3 }
`;

describeLive('tiepdan sim --via ros2 on a live ROS 2 graph', () => {
  it('plays a short scenario over DDS: escorts happen, nothing unsafe, the same summary keys', async () => {
    const scenarioPath = projectPath('sim', 'scenarios', 'ros2-live-short.yaml');
    const scenario = parseScenario(scenarioPath, SCENARIO);
    const env = sideEnv(process.env, domainIdFor(process.pid));
    const config = parseRos2Config({}, env);
    const result = await runScenarioOverRos2({ scenarioPath, scenario, seed: 5, mapPath: scenario.mapPath, config, speed: 10, intentModel: 'keyword' }, processSides({ env, onStderr: (line) => process.stderr.write(`${line}\n`) }));
    expect(result.summary).toMatchObject({ scenario: 'ros2-live-short', simSeconds: 600, safetyViolations: 0 });
    expect(result.summary.escorts).toBeGreaterThan(0);
    expect(result.summary.ticketsIssued).toBeGreaterThan(0);
  }, 300_000);
});
