import { describe, expect, it } from 'vitest';
import type { ControllerHost } from '../../src/app/lobby-host.js';
import { projectPath } from '../../src/paths.js';
import { runScenario } from '../../sim/runner.js';
import { parseScenario } from '../../sim/scenario.js';
import type { World } from '../../sim/world.js';

// Nobody arrives before the end: the only person in the lobby is the one the test puts there.
const SCENARIO = `
name: safety-count
map: ../maps/ward-lobby.yaml
seed: 5
durationS: 120
arrivals: { ratePerHour: 1, firstArrivalAtS: 100000 }
languages: { vi: 1, en: 0, ko: 0 }
expect: { maxSafetyViolations: 0 }
`;

/**
 * The pair of every scenario test asserting "0 safety violations": a run in which a violation
 * really happens must report it. No controller here: a stand-in host sends the robot across the
 * lobby, and a child steps out right in front of it once it is at speed.
 */
describe('the run summary counts safety violations', () => {
  it('a child stepping in front of the moving robot is a violation in the summary and fails the run', async () => {
    let world: World | null = null;
    let dartedAtS: number | null = null;
    const abort = new AbortController();
    const host: ControllerHost = {
      attach: async ({ base }) => {
        void base.navigate({ kind: 'place', placeId: 'counter-4' }, { signal: abort.signal });
      },
      settle: async () => {
        if (world === null || dartedAtS !== null || world.linearMps < 0.5) return;
        const { xM, yM, yawRad } = world.pose;
        world.addAgent('walker', { xM: xM + 0.4 * Math.cos(yawRad), yM: yM + 0.4 * Math.sin(yawRad) }, 0);
        dartedAtS = world.timeS;
      },
      detach: async () => abort.abort(),
    };
    const scenario = parseScenario(projectPath('sim', 'scenarios', 'safety-count.yaml'), SCENARIO);
    const result = await runScenario({ scenario, speed: 'max', host, onWorld: (w) => (world = w) });
    expect(dartedAtS).not.toBeNull();
    expect(result.summary.citizens).toBe(0);
    expect(result.summary.safetyViolations).toBeGreaterThanOrEqual(1);
    expect(result.summary.safetyViolations).toBe(result.events.filter((e) => e.kind === 'safety.violation').length);
    expect(result.failedExpectations).toContain(`${result.summary.safetyViolations} safety violations; at most 0 allowed`);
    expect(result.summary.expectationsMet).toBe(false);
  });
});
