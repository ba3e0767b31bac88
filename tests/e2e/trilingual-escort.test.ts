import { describe, expect, it } from 'vitest';
import { reachedRightCounter, runScenario } from '../../sim/runner.js';
import { inProcessHost } from '../../src/app/in-process-host.js';
import { parseScenario } from '../../sim/scenario.js';
import { createOnnxIntentModel } from '../../src/adapters/onnx/onnx-intent-model.js';
import { SHIPPED_MODEL_DIR } from '../../src/app/intent-model.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { projectPath } from '../../src/paths.js';

/**
 * Through the real controller and the simulated lobby: citizens ask in Vietnamese, English and Korean,
 * in phrasings from the corpus (not the catalog's synonyms); each is told about the right procedure
 * and brought to a counter that serves it, and nothing unsafe happens.
 */
const SCENARIO = `
name: e2e-trilingual
map: ../maps/ward-lobby.yaml
seed: 11
durationS: 14400
arrivals: { ratePerHour: 14, maxCitizens: 36 }
languages: { vi: 1, en: 1, ko: 1 }
citizens:
  fallBehindProbability: 0.25
  lostProbability: 0
  patienceS: 14400
crowd: { walkers: 3 }
`;

describe('end to end: a trilingual morning through the real controller', () => {
  // The keyword model's phrase lists were tuned against this corpus, so it must get everyone right.
  // The ONNX model never saw the corpus (models/data keeps clear of it): it must get at least 90 %
  // right; today it misses 3 of 36 (among them "Ok em." after the escort offer and a bare "tạm trú",
  // both read as goodbye).
  it.each([
    ['keyword', 1],
    ['onnx', 0.9],
  ] as const)('with the %s intent model, tells citizens about their procedure and walks them to a counter that serves it (share %s)', async (kind, share) => {
    const scenario = parseScenario(projectPath('sim', 'scenarios', 'e2e.yaml'), SCENARIO);
    const catalog = loadCatalog();
    const onnx = kind === 'onnx' ? await createOnnxIntentModel(SHIPPED_MODEL_DIR, catalog) : null;
    const result = await runScenario({ scenario, speed: 'max', catalog, host: inProcessHost({ catalog, intentModel: onnx ?? createKeywordIntentModel(catalog) }) });
    await onnx?.close();
    const { citizens } = result;
    const places = result.world.places;
    expect(citizens.length).toBeGreaterThanOrEqual(30);
    for (const lang of ['vi', 'en', 'ko'] as const) expect(citizens.filter((c) => c.lang === lang).length).toBeGreaterThanOrEqual(5);
    const report = citizens.map((c) => ({
      id: c.id,
      lang: c.lang,
      procedure: c.procedureId,
      toldRight: c.told.includes(c.procedureId),
      escortedToRightCounter: c.reachedByEscort && reachedRightCounter(c, places),
    }));
    const missed = report.filter((r) => !r.toldRight || !r.escortedToRightCounter);
    if (share === 1) expect(missed).toEqual([]);
    else expect(missed.length, JSON.stringify(missed)).toBeLessThanOrEqual(Math.floor((1 - share) * citizens.length));
    if (process.env["TIEPDAN_E2E_REPORT"] === "1") process.stderr.write(`${kind}: ${citizens.length - missed.length} of ${citizens.length} citizens at the right counter\n`);
    expect(result.summary.safetyViolations).toBe(0);
  });
});
