import { describe, expect, it } from 'vitest';
import { reportInputOf } from '../../sim/report/from-run.js';
import { renderHtmlReport } from '../../sim/report-html.js';
import { lobbyOf, runScenario } from '../../sim/runner.js';
import { keywordHost } from './keyword-host.js';
import { parseScenario } from '../../sim/scenario.js';
import { projectPath } from '../../src/paths.js';

const SCENARIO = `
name: report-figures
map: ../maps/ward-lobby.yaml
seed: 3
durationS: 1200
arrivals: { ratePerHour: 90 }
languages: { vi: 2, en: 1, ko: 1 }
`;

/** The summary table's rows, key to the text shown. */
function summaryRows(html: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const [, key, text] of html.matchAll(/<tr><th scope="row">([^<]+)<\/th><td(?: class="num")?>([^<]*)<\/td><\/tr>/g)) {
    rows.set(key as string, text as string);
  }
  return rows;
}

function figure(html: string, pattern: RegExp): string {
  const match = pattern.exec(html);
  expect(match, String(pattern)).not.toBeNull();
  return (match as RegExpExecArray)[1] as string;
}

describe('the HTML report and --json', () => {
  it('show the same figures for one run', async () => {
    const scenario = parseScenario(projectPath('sim', 'scenarios', 'report-figures.yaml'), SCENARIO);
    const result = await runScenario({ scenario, speed: 'max', host: keywordHost() });
    // What `tiepdan sim --json` prints.
    const json = JSON.parse(JSON.stringify(result.summary)) as Record<string, unknown>;
    const html = renderHtmlReport(reportInputOf(scenario.name, result, lobbyOf(scenario).places));

    // A run with escorts, so the time-to-counter figures are not the empty run's zeros.
    expect(json['escortsSucceeded']).toBeGreaterThan(1);

    const rows = summaryRows(html);
    for (const [key, value] of Object.entries(json)) {
      const shown = rows.get(key);
      expect(shown, key).toBeDefined();
      if (typeof value === 'number') expect(Number(shown), key).toBe(value);
      else if (typeof value === 'object' && value !== null) {
        expect(shown, key).toBe(Object.entries(value).map(([field, s]) => `${field} ${String(s)} s`).join(', '));
      } else expect(shown, key).toBe(String(value));
    }

    expect(Number(figure(html, />p95 ([\d.]+) s</))).toBe(json['p95TimeToCounterS']);
    expect(Number(figure(html, /, p95 ([\d.]+) s,/))).toBe(json['p95TimeToCounterS']);
    expect(Number(figure(html, /(\d+) citizens? escorted to the right counter/))).toBe(json['escortsSucceeded']);
    expect(Number(figure(html, /<figcaption class="note">(\d+) citizens, bins of/))).toBe(json['escortsSucceeded']);
    expect(json['simSeconds']).toBe(1200);
    expect(html).toContain('simulated 20m');
  });
});
