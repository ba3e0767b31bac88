import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../sim/scenario.js';
import { formatSweepTable, SWEEP_COLUMNS } from '../../sim/sweep-table.js';
import { figuresOf, runSweep, type SweepResult, type SweepRun } from '../../sim/sweep.js';
import { UsageError } from '../../src/cli/args.js';
import { sweepCommand } from '../../src/cli/sim-sweep.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { projectPath } from '../../src/paths.js';
import { percentile } from '../../src/stats.js';
import { keywordHost } from './keyword-host.js';

const catalog = loadCatalog();
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A quarter of an hour with a citizen every minute and a half: a few escorts a run, a second or so of work. */
const SHORT = `
name: short-visit
map: ${projectPath('sim', 'maps', 'ward-lobby.yaml')}
seed: 5
durationS: 900
arrivals: { ratePerHour: 40, firstArrivalAtS: 5 }
languages: { vi: 1, en: 1, ko: 1 }
`;
const SHORT_FILE = join(dir, 'short-visit.yaml');
writeFileSync(SHORT_FILE, SHORT);

const COUNTED = ['citizens', 'served', 'escorts', 'escortsReached', 'escortsHandedOff', 'escortsAbandoned', 'escortsNavFailed', 'safetyViolations'] as const;

describe('a sweep over generated layouts', () => {
  let result: SweepResult;
  beforeAll(async () => {
    result = await runSweep({
      scenario: parseScenario(SHORT_FILE, SHORT),
      layouts: 2,
      layoutSeed: 11,
      seeds: 1,
      layoutsDir: join(dir, 'layouts'),
      host: () => keywordHost({ catalog }),
      catalog,
    });
  });

  it('runs the scenario once on each layout, from the layouts map files', () => {
    expect(result.complete).toBe(true);
    expect(result.runs.map((r) => [r.layout, r.seed])).toEqual([
      ['layout-11', 5],
      ['layout-12', 5],
    ]);
    for (const run of result.runs) expect(existsSync(run.mapPath)).toBe(true);
    expect(result.totals.citizens).toBeGreaterThan(0);
    expect(result.totals.escorts).toBeGreaterThan(0);
  });

  it('adds up the runs: totals and each layout are the sums of their runs, the p95 pooled over every escort', () => {
    const sum = (runs: readonly SweepRun[], key: (typeof COUNTED)[number]): number => runs.reduce((t, r) => t + r[key], 0);
    for (const key of COUNTED) expect(result.totals[key], key).toBe(sum(result.runs, key));
    for (const layout of result.layouts) {
      const own = result.runs.filter((r) => r.layout === layout.description.name);
      for (const key of COUNTED) expect(layout.figures[key], `${layout.description.name} ${key}`).toBe(sum(own, key));
    }
    expect(result.totals.runs).toBe(2);
    expect(result.totals.p95TimeToCounterS).toBe(percentile(result.runs.flatMap((r) => r.timeToCounterS), 0.95));
    expect(result.totals.simSeconds).toBeCloseTo(result.runs.reduce((t, r) => t + r.simSeconds, 0), 5);
    for (const run of result.runs) {
      expect(run.escortsReached + run.escortsHandedOff + run.escortsAbandoned + run.escortsNavFailed).toBeLessThanOrEqual(run.escorts);
      expect(run.timeToCounterS).toHaveLength(run.escortsReached);
    }
  });

  it('prints one table with the expected columns, the totals first, then the layouts worst first', () => {
    const table = formatSweepTable(result, 5);
    const lines = table.split('\n');
    expect(lines[0]).toBe('sweep of short-visit: 2 layouts (layout seeds 11..12) x seed 5, 2 runs');
    const header = lines[1]!;
    let at = -1;
    for (const column of SWEEP_COLUMNS) {
      const found = header.indexOf(column, at + 1);
      expect(found, column).toBeGreaterThan(at);
      at = found;
    }
    const t = result.totals;
    const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
    const all = lines[2]!.split(/\s{2,}/);
    expect(all).toEqual([
      'all 2',
      '2',
      `${t.served}/${t.citizens} ${pct(t.served, t.citizens)}`,
      String(t.escorts),
      `${t.escortsReached} ${pct(t.escortsReached, t.escorts)}`,
      `${t.escortsHandedOff} ${pct(t.escortsHandedOff, t.escorts)}`,
      `${t.escortsAbandoned} ${pct(t.escortsAbandoned, t.escorts)}`,
      `${t.escortsNavFailed} ${pct(t.escortsNavFailed, t.escorts)}`,
      `${t.p95TimeToCounterS} s`,
      `${t.safetyViolations} (${t.runsWithSafetyViolations} of 2 runs)`,
    ]);
    expect(lines[3]).toBe('worst layouts, by abandoned escorts:');
    const listed = lines.slice(4, 6).map((l) => l.split(/\s+/)[0]);
    const [a, b] = result.layouts;
    const expected = a!.figures.escortsAbandoned >= b!.figures.escortsAbandoned ? [a, b] : [b, a];
    if (a!.figures.escortsAbandoned !== b!.figures.escortsAbandoned) expect(listed).toEqual(expected.map((l) => l!.description.name));
    else expect(new Set(listed)).toEqual(new Set(['layout-11', 'layout-12']));
    expect(lines[6]).toMatch(/^wall time [\d.]+ s \(runs [\d.]+ s\); 1800 simulated s; \d+ simulated s per wall s, [1-9]\d* per CPU s \(slowest layout: layout-1[12], [1-9]\d*\)$/);
    expect(formatSweepTable(result, 1).split('\n')).toHaveLength(lines.length - 1);
  });

  it('keeps the worst run whole, for its report', () => {
    expect(result.worst).not.toBeNull();
    const worst = result.worst!.run;
    for (const run of result.runs) expect(worst.escortsAbandoned).toBeGreaterThanOrEqual(run.escortsAbandoned);
    expect(result.worst!.result.summary.escortsAbandoned).toBe(worst.escortsAbandoned);
  });

  it('adds nothing up to zeros', () => {
    expect(figuresOf([])).toMatchObject({ runs: 0, citizens: 0, escorts: 0, p95TimeToCounterS: 0 });
  });
});

describe('tiepdan sim sweep', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      err += String(chunk);
      return true;
    });
    try {
      return { code: await sweepCommand(argv), out, err };
    } finally {
      vi.restoreAllMocks();
    }
  }

  it('prints progress to stderr and the figures as JSON, and writes the worst run report with its map files', async () => {
    const report = join(dir, 'report');
    const { code, out, err } = await run(['--scenario', SHORT_FILE, '--layouts', '1', '--seeds', '2', '--layout-seed', '3', '--intent-model', 'keyword', '--json', '--report-worst', report]);
    expect(code).toBe(0);
    expect(err).toMatch(/drawing 1 layouts from layout seed 3/);
    expect(err).toMatch(/run 1\/2: layout-3, seed 5: served \d+\/\d+/);
    expect(err).toMatch(/run 2\/2: layout-3, seed 6: /);
    const json = JSON.parse(out) as { runs: SweepRun[]; totals: Record<string, number>; layouts: { name: string; mapPath?: string }[]; report: string };
    expect(json.runs).toHaveLength(2);
    for (const key of COUNTED) expect(json.totals[key], key).toBe(json.runs.reduce((t, r) => t + r[key], 0));
    // The layouts went to a temporary directory, now removed: no paths to files that are gone.
    expect(json.layouts[0]).not.toHaveProperty('mapPath');
    expect(json.report).toBe(join(report, 'index.html'));
    expect(readFileSync(json.report, 'utf8')).toContain('short-visit on layout-3');
    for (const file of ['layout-3.yaml', 'layout-3.pgm', 'layout-3.places.yaml']) expect(existsSync(join(report, file)), file).toBe(true);
  });

  it('EXPECTED FAILURE - refuses bad usage and a soak', async () => {
    await expect(run(['--layouts', '2'])).rejects.toThrow(/--scenario FILE is required/);
    await expect(run(['--scenario', SHORT_FILE, '--layouts', '0'])).rejects.toThrow(/--layouts must be between 1 and 1000/);
    await expect(run(['--scenario', SHORT_FILE, '--seeds', 'many'])).rejects.toThrow(UsageError);
    await expect(run(['--scenario', projectPath('sim', 'scenarios', 'week-soak.yaml')])).rejects.toThrow(/is a soak/);
  });

  it('prints its help, with every option', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    for (const option of ['--scenario', '--layouts', '--seeds', '--layout-seed', '--seed', '--json', '--report-worst', '--layouts-dir', '--worst', '--intent-model']) {
      expect(out).toContain(option);
    }
  });
});
