import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/runner.js';
import { keywordHost } from './keyword-host.js';
import { parseScenario } from '../../sim/scenario.js';
import { projectPath } from '../../src/paths.js';

const BASE = `
name: other-map
map: ../maps/ward-lobby.yaml
seed: 4
durationS: 3600
arrivals: { ratePerHour: 10 }
languages: { vi: 1, en: 1, ko: 1 }
`;

describe('any map with a places file', () => {
  it('runs a scenario on another map, with citizens limited to what its counters serve', async () => {
    const scenario = parseScenario(projectPath('sim', 'scenarios', 'other-map.yaml'), BASE);
    const result = await runScenario({ scenario, speed: 'max', host: keywordHost(), mapPath: projectPath('sim', 'maps', 'test-room.yaml') });
    expect(result.summary.citizens).toBeGreaterThan(0);
    expect(result.summary.escortsSucceeded).toBeGreaterThan(0);
    expect(result.summary.safetyViolations).toBe(0);
    for (const c of result.citizens) expect(['civil_status', 'certification']).toContain(c.field);
  });

  it('refuses a scenario naming a procedure no counter on the map serves, naming both files', async () => {
    const scenario = parseScenario(projectPath('sim', 'scenarios', 'other-map.yaml'), `${BASE}\nprocedures: { land_certificate: 1 }`);
    await expect(runScenario({ scenario, speed: 'max', host: keywordHost(), mapPath: projectPath('sim', 'maps', 'test-room.yaml') })).rejects.toThrow(
      /test-room\.places\.yaml: no counter serves the field "land" of land_certificate, which .*other-map\.yaml names/,
    );
  });
});
