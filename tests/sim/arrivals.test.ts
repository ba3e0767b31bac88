/**
 * Citizens come in through the door: while the robot stands in the doorway they wait outside, as a
 * person would, rather than appear where it stands (an arrival that did counted as the robot
 * striking them).
 */
import { describe, expect, it } from 'vitest';
import { createSimLobby } from '../../sim/lobby.js';
import { parseScenario } from '../../sim/scenario.js';
import { projectPath } from '../../src/paths.js';

const SCENARIO = `
name: arrivals
map: ../maps/ward-lobby.yaml
seed: 1
durationS: 600
arrivals: { ratePerHour: 2000, firstArrivalAtS: 1, maxCitizens: 3 }
languages: { vi: 1, en: 0, ko: 0 }
crowd: { walkers: 0 }
`;

describe('arrivals at the door', () => {
  it('wait while the robot is in the doorway, and come in once it has moved on', async () => {
    const lobby = createSimLobby({ scenario: parseScenario(projectPath('sim', 'scenarios', 'arrivals.yaml'), SCENARIO), seed: 1 });
    try {
      const entrance = lobby.places.find((p) => p.kind === 'entrance')!.pose;
      lobby.world.teleport({ ...entrance });
      for (let t = 0; t < 20; t += 1) lobby.step(0.5);
      expect(lobby.crowd.citizens).toHaveLength(0);
      const home = lobby.places.find((p) => p.kind === 'home')!.pose;
      lobby.world.teleport({ ...home });
      for (let t = 0; t < 20; t += 1) lobby.step(0.5);
      expect(lobby.crowd.citizens.length).toBeGreaterThan(0);
    } finally {
      await lobby.close();
    }
  });
});
