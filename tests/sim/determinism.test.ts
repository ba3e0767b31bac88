import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/runner.js';
import { keywordHost } from './keyword-host.js';
import { parseScenario } from '../../sim/scenario.js';
import { projectPath } from '../../src/paths.js';

const SCENARIO = `
name: determinism
map: ../maps/ward-lobby.yaml
seed: 5
durationS: 2400
arrivals: { ratePerHour: 30 }
languages: { vi: 2, en: 1, ko: 1 }
crowd: { walkers: 4 }
faults:
  - { kind: blocked_corridor, atS: 300, durationS: 300, at: { x: 15, y: 11 }, radiusM: 1 }
  - { kind: link_loss, atS: 900, durationS: 10 }
  - { kind: nav_abort, atS: 1500 }
`;

describe('same seed, same run', () => {
  it('gives identical summaries and event logs, to the byte, and a different seed differs', async () => {
    const scenario = parseScenario(projectPath('sim', 'scenarios', 'determinism.yaml'), SCENARIO);
    const run = async (seed?: number) => {
      const r = await runScenario({ scenario, speed: 'max', host: keywordHost(), ...(seed !== undefined ? { seed } : {}) });
      const { wallSeconds: _wall, ...summary } = r.summary;
      return JSON.stringify({ summary, events: r.events, trace: r.trace });
    };
    const first = await run();
    const second = await run();
    expect(second).toBe(first);
    expect(await run(6)).not.toBe(first);
  });
});
