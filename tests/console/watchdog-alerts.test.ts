import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { Controller } from '../../src/app/controller.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { WATCHDOG_ALERT_KINDS } from '../../src/app/watchdog-alerts.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { openLobbyConsole } from '../../src/console/lobby-console.js';
import { ALERT_KINDS, serverMessageSchema, type ServerMessage } from '../../src/console/protocol.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { openDatabase } from '../../src/store/database.js';
import { GUIDE_ALERT_KINDS } from '../../statecharts/guide.types.js';
import { parsePrometheusText, valueOf } from '../observability/prom-text.js';
import { simRig } from '../app/sim-rig.js';

describe('watchdog alerts on the console', () => {
  it('lists every statechart and watchdog alert kind once in the protocol', () => {
    expect([...ALERT_KINDS].sort()).toEqual([...GUIDE_ALERT_KINDS, ...WATCHDOG_ALERT_KINDS].sort());
    expect(new Set(ALERT_KINDS).size).toBe(ALERT_KINDS.length);
  });

  it('a silent base reaches an operator\'s socket as an alert that passes the protocol schema, is open in the snapshot and counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-watchdog-'));
    const catalog = loadCatalog();
    const database = openDatabase(join(dir, 'tiepdan.db'));
    const lobby = await openLobbyConsole({ host: '127.0.0.1', port: 0, database, webRoot: null, catalog });
    // The simulated base, never ticked: it publishes no pose, while its own heartbeat never went stale.
    const { world, clock, base } = simRig();
    const listener = new TextListener('kiosk');
    const controller = new Controller({
      base, listener, speaker: new RecordingSpeaker(clock, () => clock.nowMs), intentModel: createKeywordIntentModel(catalog), catalog,
      tickets: createMemoryQueue(), settings: DEFAULT_GUIDE_SETTINGS, clock, now: () => clock.nowMs,
      record: (record) => lobby.record(clock.nowMs / 1000, record),
    });
    const backend = lobby.attach({
      controller, listener, queue: createMemoryQueue(), map: world.map, places: world.places, requests: null,
      view: () => ({ pose: world.pose, linearMps: 0, batteryPercent: 100, path: [], people: [] }),
      tS: () => clock.nowMs / 1000,
    });
    lobby.users.add('olga', 'operator', 'operator password 1');
    const res = await fetch(`${lobby.server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'operator password 1' }) });
    const ws = new WebSocket(`${lobby.server.url.replace('http', 'ws')}/ws`, { headers: { cookie: res.headers.get('set-cookie')!.split(';')[0]!, origin: lobby.server.url } });
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => messages.push(serverMessageSchema.parse(JSON.parse(String(data)))));
    try {
      await vi.waitFor(() => expect(messages.map((m) => m.type)).toContain('snapshot'), { interval: 5 });
      controller.start();
      clock.advance(2_000);
      await vi.waitFor(() => expect(messages.filter((m) => m.type === 'alert')).toHaveLength(2), { interval: 5 });
      const alerts = messages.flatMap((m) => (m.type === 'alert' ? [m.alert] : []));
      expect(alerts.map((a) => a.kind)).toEqual(['baseSilent', 'linkDown']);
      expect(alerts[0]).toEqual({ alertId: expect.any(String), kind: 'baseSilent', tS: 2 });
      expect(backend.snapshot().alerts.map((a) => a.kind)).toEqual(['baseSilent', 'linkDown']);
      // The record itself goes out too, with nothing but its kind.
      expect(messages).toContainEqual(expect.objectContaining({ type: 'record', record: { kind: 'alert', alert: 'baseSilent' } }));
      const m = parsePrometheusText(await lobby.metrics.registry.metrics());
      expect(valueOf(m, 'tiepdan_watchdog_fired_total', 'tiepdan_watchdog_fired_total', { watchdog: 'base_silent' })).toBe(1);
      expect(valueOf(m, 'tiepdan_watchdog_fired_total', 'tiepdan_watchdog_fired_total', { watchdog: 'speaker_hung' })).toBe(0);
    } finally {
      ws.terminate();
      await controller.stop();
      await lobby.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
