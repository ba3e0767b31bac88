import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../sim/scenario.js';

const VALID = `
name: t
map: ../maps/test-room.yaml
durationS: 600
arrivals: { ratePerHour: 10 }
languages: { vi: 1, en: 1, ko: 1 }
`;

describe('scenario files', () => {
  it('accepts a minimal scenario and fills the defaults', () => {
    const s = parseScenario('/x/sim/scenarios/t.yaml', VALID);
    expect(s.mapPath).toBe('/x/sim/maps/test-room.yaml');
    expect(s.citizens.patienceS).toBeGreaterThan(0);
    expect(s.faults).toEqual([]);
  });

  it.each([
    ['bad YAML', 'name: [', /not valid YAML/],
    ['missing duration', VALID.replace('durationS: 600', ''), /durationS/],
    ['negative rate', VALID.replace('ratePerHour: 10', 'ratePerHour: -1'), /arrivals\.ratePerHour/],
    ['unknown key', `${VALID}\nbogus: 1`, /bogus/],
    ['all-zero languages', VALID.replace('{ vi: 1, en: 1, ko: 1 }', '{ vi: 0, en: 0, ko: 0 }'), /languages/],
    ['unknown fault kind', `${VALID}\nfaults: [{ kind: meteor, atS: 1 }]`, /faults\[0\]/],
    ['fault after the end', `${VALID}\nfaults: [{ kind: nav_abort, atS: 9999 }]`, /after the end/],
  ])('rejects %s with the file and the reason', (_name, text, reason) => {
    expect(() => parseScenario('/x/bad.yaml', text)).toThrow(reason);
    expect(() => parseScenario('/x/bad.yaml', text)).toThrow(/\/x\/bad\.yaml/);
  });
});
