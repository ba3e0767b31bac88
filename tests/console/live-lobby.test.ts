import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serverMessageSchema } from '../../src/console/protocol.js';
import { startBusyLobby } from './busy-lobby.js';

describe('the live lobby on the console', () => {
  it('sends only messages that pass the protocol schema, with every card number masked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-live-'));
    const invalid: string[] = [];
    const stop = new AbortController();
    const lobby = await startBusyLobby(dir, {
      speed: 60,
      signal: stop.signal,
      onInvalidOutgoing: (type, reason) => invalid.push(`${type}: ${reason}`),
    });
    lobby.users.add('olga', 'operator', 'operator password 1');
    const res = await fetch(`${lobby.server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'olga', password: 'operator password 1' }) });
    const ws = new WebSocket(`${lobby.server.url.replace('http', 'ws')}/ws`, { headers: { cookie: res.headers.get('set-cookie')!.split(';')[0]!, origin: lobby.server.url } });
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(String(data)));
    try {
      await lobby.done;
    } finally {
      ws.terminate();
      rmSync(dir, { recursive: true, force: true });
    }

    expect(invalid).toEqual([]);
    const messages = frames.map((f) => serverMessageSchema.parse(JSON.parse(f)));
    const kinds = new Set(messages.map((m) => (m.type === 'record' ? `record.${m.record.kind}` : m.type)));
    for (const kind of ['snapshot', 'telemetry', 'states', 'queue', 'record.said', 'record.heard', 'record.ticket', 'record.idRead', 'record.nav']) {
      expect(kinds, kind).toContain(kind);
    }
    // A CCCD number is 12 digits: none goes out whole, in any message (the failure shows none either).
    const whole = frames.filter((f) => /(?<!\d)\d{12}(?!\d)/.test(f)).map((f) => f.replace(/\d{12}/g, '<12 digits>').slice(0, 300));
    expect(whole).toEqual([]);
    const cards = messages.flatMap((m) => (m.type === 'record' && m.record.kind === 'idRead' ? m.record.cards : []));
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(card.idNumber).toContain('*');
  });
});
