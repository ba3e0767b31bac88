import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ddmmyyyy, iso } from '../../sim/id-cards.js';
import { runScenario } from '../../sim/runner.js';
import { keywordHost } from '../sim/keyword-host.js';
import { loadScenario } from '../../sim/scenario.js';
import { describeRecord } from '../../src/cli/start.js';
import { projectPath } from '../../src/paths.js';
import { openDatabase } from '../../src/store/database.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-privacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ID cards through the whole controller, on the simulator', () => {
  it('pre-fills requests from scanned cards and leaves no personal data in clear anywhere it writes', async () => {
    const scenario = loadScenario(projectPath('sim', 'scenarios', 'id-scans.yaml'));
    const database = openDatabase(join(dir, 'requests.db'));
    const result = await runScenario({ scenario, speed: 'max', keepRecords: true, host: keywordHost({ database, dataKey: randomBytes(32) }) });
    const { summary } = result;
    expect(summary.requestsPrefilled).toBeGreaterThan(10);
    expect(summary.idScansDeclined).toBeGreaterThan(0);
    expect(summary.idReadsFailed).toBeGreaterThan(0);
    expect(summary.safetyViolations).toBe(0);
    // Declining is a normal path: those citizens still get a ticket.
    const declined = result.citizens.filter((c) => c.declinesIdScan && c.greetedS !== null);
    expect(declined.some((c) => c.ticket !== null)).toBe(true);

    const secrets = result.citizens.flatMap((c) =>
      c.cards.flatMap((card) => [card.id, card.name, card.address.split(',')[0]!, ddmmyyyy(card.dob), iso(card.dob), ...(card.oldId !== '' ? [card.oldId] : [])]),
    );
    expect(secrets.length).toBeGreaterThan(100);
    const written: [string, string][] = [
      ['controller records (what the console streams)', JSON.stringify(result.records)],
      ['terminal lines of tiepdan start', result.records.map(({ record }) => describeRecord(record) ?? '').join('\n')],
      ['simulator event log', JSON.stringify(result.events)],
      ['summary (what metrics report)', JSON.stringify(summary)],
      ...readdirSync(dir).map((f): [string, string] => [`database file ${f}`, readFileSync(join(dir, f)).toString('latin1') + readFileSync(join(dir, f)).toString('utf8')]),
    ];
    for (const [where, text] of written) {
      const found = secrets.filter((s) => text.includes(s));
      expect(found.length, `${where} holds personal data in clear`).toBe(0);
    }
    // The requests are there, sealed, each with its ticket: one read again or left without a ticket was discarded.
    const rows = database.connection.prepare<[], { ticketed: number; orphans: number }>('SELECT COUNT(ticket) AS ticketed, COUNT(*) - COUNT(ticket) AS orphans FROM requests').get()!;
    expect(rows.orphans).toBe(0);
    expect(rows.ticketed).toBeGreaterThan(10);
    expect(rows.ticketed).toBeLessThanOrEqual(summary.requestsPrefilled);
    database.close();
    // The kiosk got the masked data to confirm.
    const shown = result.records.filter(({ record }) => record.kind === 'idRead');
    expect(shown.length).toBe(summary.requestsPrefilled);
  });
});
