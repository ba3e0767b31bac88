import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLog, REDACTED } from '../../src/observability/log.js';
import { parsePrometheusText, valueOf } from './prom-text.js';
import { startBusyLobby } from '../console/busy-lobby.js';

describe('a simulated lobby, counted and logged', () => {
  it('feeds every controller record to the metrics and to the log, with no card data in the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-obs-live-'));
    const logFile = join(dir, 'log', 'tiepdan.log');
    const log = createLog({ file: logFile, bindings: { robotId: 'robot-1' } });
    const kinds = new Map<string, number>();
    try {
      const lobby = await startBusyLobby(dir, {
        speed: 'max',
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
