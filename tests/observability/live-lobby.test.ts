import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { startLiveLobby } from '../../src/cli/live-lobby.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { createLog, REDACTED } from '../../src/observability/log.js';
import { projectPath } from '../../src/paths.js';
import { parseScenario } from '../../sim/scenario.js';
import { parsePrometheusText, valueOf } from './prom-text.js';

const BUSY = `
name: observability
map: ../maps/ward-lobby.yaml
seed: 5
durationS: 900
arrivals: { ratePerHour: 60, firstArrivalAtS: 2, lastArrivalBeforeEndS: 300 }
languages: { vi: 0.5, en: 0.25, ko: 0.25 }
procedures: { marriage_registration: 2, birth_registration: 2, temporary_residence: 1 }
idScans: { enabled: true, declineProbability: 0, damagedCardProbability: 0.2 }
`;

describe('a simulated lobby, counted and logged', () => {
  it('feeds every controller record to the metrics and to the log, with no card data in the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-obs-live-'));
    const catalog = loadCatalog();
    const logFile = join(dir, 'log', 'tiepdan.log');
    const log = createLog({ file: logFile, bindings: { robotId: 'robot-1' } });
    const kinds = new Map<string, number>();
    try {
      const lobby = await startLiveLobby({
        scenario: parseScenario(projectPath('sim', 'scenarios', 'observability.yaml'), BUSY),
        intentModel: createKeywordIntentModel(catalog),
        catalog,
        queue: createMemoryQueue(),
        dbFile: join(dir, 'tiepdan.db'),
        dataKey: randomBytes(32),
        host: '127.0.0.1',
        port: 0,
        speed: 'max',
        webRoot: null,
        signal: new AbortController().signal,
        log: log.logger,
        onRecord: (_tS, record) => kinds.set(record.kind, (kinds.get(record.kind) ?? 0) + 1),
      });
      const scrape = await fetch(`${lobby.server.url}/metrics`);
      expect(scrape.status).toBe(200);
      parsePrometheusText(await scrape.text());
      await lobby.done;
      const m = parsePrometheusText(await lobby.metrics.registry.metrics());
      expect(valueOf(m, 'tiepdan_citizens_served_total', 'tiepdan_citizens_served_total')).toBeGreaterThan(0);
      expect(valueOf(m, 'tiepdan_escorts_total', 'tiepdan_escorts_total', { outcome: 'arrived' })).toBeGreaterThan(0);
      const intents = m.get('tiepdan_intents_understood_total')!.samples.reduce((sum, s) => sum + s.value, 0);
      expect(intents).toBe(kinds.get('understood'));
      expect(valueOf(m, 'tiepdan_understand_latency_seconds', 'tiepdan_understand_latency_seconds_count')).toBeGreaterThan(0);
      expect(valueOf(m, 'tiepdan_reply_latency_seconds', 'tiepdan_reply_latency_seconds_count')).toBeGreaterThan(0);
      expect(m.has('tiepdan_process_resident_memory_bytes') || m.has('tiepdan_nodejs_heap_size_used_bytes')).toBe(true);
    } finally {
      log.close();
    }
    const text = readFileSync(logFile, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    const lines = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const logged = new Map<string, number>();
    for (const l of lines) logged.set(String(l['kind']), (logged.get(String(l['kind'])) ?? 0) + 1);
    expect(Object.fromEntries(logged)).toEqual(Object.fromEntries(kinds));
    expect(kinds.get('idRead')).toBeGreaterThan(0);
    for (const l of lines.filter((x) => x['kind'] === 'idRead')) {
      expect((l['cards'] as unknown[]).every((c) => c === REDACTED)).toBe(true);
    }
    expect(text.match(/(?<!\d)\d{9,12}(?!\d)/g)).toBeNull();
    expect(text).not.toMatch(/"(fullName|dateOfBirth|address|idNumber)":"(?!\[redacted\])/);
  });
});
