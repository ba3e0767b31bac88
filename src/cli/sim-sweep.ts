import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { intentModelFromOption } from '../app/intent-model.js';
import { inProcessHost } from '../app/in-process-host.js';
import { createWatchdogAlertRelay } from '../app/watchdog-alerts.js';
import { loadCatalog } from '../civic/catalog.js';
import { loadPlaces, placesPathFor } from '../maps/map.js';
import { writeHtmlReport } from '../../sim/report-html.js';
import { reportInputOf } from '../../sim/report/from-run.js';
import { loadScenario } from '../../sim/scenario.js';
import { describeLayout, formatSweepTable } from '../../sim/sweep-table.js';
import { runSweep, type SweepResult } from '../../sim/sweep.js';
import { interruptible, intOption, parse, progressLine, UsageError } from './args.js';

export const SWEEP_HELP = `Usage: tiepdan sim sweep --scenario FILE [--layouts N] [--seeds K] [--layout-seed S] [--seed N]
                      [--json] [--report-worst DIR] [--layouts-dir DIR] [--worst N]
                      [--intent-model DIR|keyword]

Runs a scenario on N generated service-centre layouts (open halls, L and U shapes, partition walls,
counter islands, pillars, seats, a second room behind a narrow door or corridor), each with K seeds,
one run after another at full speed, the real controller as \`tiepdan sim --map\` runs it. Every
layout passes \`tiepdan map check\` before it is used. Progress goes to stderr; at the end one table:
all runs added up, then the layouts with the most abandoned escorts.

Options:
  --scenario FILE     scenario YAML (one day; not a soak); its map is replaced      required
  --layouts N         how many layouts (1..1000; default 10)
  --seeds K           seeds per layout (1..1000; default 1)
  --layout-seed S     layout i is drawn from seed S+i (default 1): the same S, the same layouts
  --seed N            the first run seed; the others follow (N+1, ...); default: the scenario's seed
  --json              print one JSON object (every run, each layout's figures, the totals) instead
  --report-worst DIR  write the HTML report of the run with the most abandoned escorts to
                      DIR/index.html, its layout's map files beside it, to replay with
                      \`tiepdan sim --map\`
  --layouts-dir DIR   keep the layouts' map files in DIR (default: a temporary directory, removed)
  --worst N           layouts listed under the totals (default 5)
  --intent-model DIR|keyword  as for \`tiepdan sim\` (default: the shipped model)
  -h, --help          show this help

Columns: served (of citizens), escorts, reached the counter / handed off to staff / abandoned /
nav failed (the robot's navigation failed and it told the way instead), as shares of escorts; p95
time from arrival to the counter over every escort of the runs; safety violations (and in how many
runs). The last line gives the wall time, simulated seconds per wall second and per CPU second
(the process's own time, which other work on the machine does not stretch), and the slowest layout.

Exit status: 0 when every run was done, 1 when interrupted (the table covers the runs done),
2 for bad usage or input.`;

function jsonOf(result: SweepResult, keptFiles: boolean, report: string | null): unknown {
  return {
    scenario: result.scenario,
    seeds: result.seeds,
    complete: result.complete,
    layouts: result.layouts.map((l) => ({ ...l.description, ...(keptFiles ? { mapPath: l.mapPath } : {}), figures: l.figures })),
    runs: result.runs.map(({ timeToCounterS: _, mapPath, ...run }) => (keptFiles ? { ...run, mapPath } : run)),
    totals: result.totals,
    wallSeconds: result.wallSeconds,
    simSecondsPerWallSecond: result.totals.wallSeconds > 0 ? Math.round(result.totals.simSeconds / result.totals.wallSeconds) : 0,
    simSecondsPerCpuSecond: result.totals.cpuSeconds > 0 ? Math.round(result.totals.simSeconds / result.totals.cpuSeconds) : 0,
    ...(report !== null ? { report } : {}),
  };
}

export async function sweepCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    scenario: { type: 'string' },
    layouts: { type: 'string' },
    seeds: { type: 'string' },
    'layout-seed': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    'report-worst': { type: 'string' },
    'layouts-dir': { type: 'string' },
    worst: { type: 'string' },
    'intent-model': { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(`${SWEEP_HELP}\n`);
    return 0;
  }
  if (values.scenario === undefined) throw new UsageError('--scenario FILE is required');
  const layouts = intOption('layouts', values.layouts, 1, 1000) ?? 10;
  const seeds = intOption('seeds', values.seeds, 1, 1000) ?? 1;
  const layoutSeed = intOption('layout-seed', values['layout-seed'], 0, 4_294_967_295 - layouts) ?? 1;
  const firstSeed = intOption('seed', values.seed, 0, 4_294_967_295);
  const worst = intOption('worst', values.worst, 0, 1000) ?? 5;
  const scenario = loadScenario(values.scenario);
  if (scenario.days > 1 || scenario.controllerKills !== undefined) throw new UsageError(`${values.scenario} is a soak (days or controllerKills); a sweep runs one-day scenarios`);

  const catalog = loadCatalog();
  const watchdogAlerts = createWatchdogAlertRelay();
  const warn = (m: string): void => void process.stderr.write(`warning: ${m}\n`);
  const intentModel = await intentModelFromOption(values['intent-model'], catalog, warn, () => watchdogAlerts.raise('intentModelFailed'));
  const keptFiles = values['layouts-dir'] !== undefined;
  const layoutsDir = values['layouts-dir'] ?? mkdtempSync(join(tmpdir(), 'tiepdan-sweep-'));
  const interrupt = interruptible();
  const tty = process.stderr.isTTY === true;
  const err = (line: string): void => void process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
  try {
    err(`drawing ${layouts} layouts from layout seed ${layoutSeed} into ${layoutsDir}`);
    let lastPercent = -1;
    const result = await runSweep({
      scenario,
      layouts,
      layoutSeed,
      seeds,
      ...(firstSeed !== undefined ? { firstSeed } : {}),
      layoutsDir,
      host: () => inProcessHost({ intentModel, catalog, watchdogAlerts }),
      catalog,
      signal: interrupt.signal,
      onLayout: (_, d) => err(`  ${d.name}: ${describeLayout(d)}${d.attempts > 1 ? ` (draw ${d.attempts})` : ''}`),
      ...(tty
        ? {
            onRunProgress: (i: number, total: number, simS: number, durationS: number) => {
              const percent = Math.floor((100 * simS) / durationS);
              if (percent === lastPercent) return;
              lastPercent = percent;
              process.stderr.write(progressLine(`run ${i + 1}/${total}`, percent / 100, `${percent}%`));
            },
          }
        : {}),
      onRun: (i, total, r) => {
        lastPercent = -1;
        err(
          `run ${i + 1}/${total}: ${r.layout}, seed ${r.seed}: served ${r.served}/${r.citizens}; escorts ${r.escorts}: ${r.escortsReached} reached, ${r.escortsHandedOff} handed off, ${r.escortsAbandoned} abandoned, ${r.escortsNavFailed} nav failed; safety violations ${r.safetyViolations}; ${r.wallSeconds} s`,
        );
      },
    });

    let report: string | null = null;
    if (values['report-worst'] !== undefined && result.worst !== null) {
      const dir = values['report-worst'];
      const { run, result: worstRun } = result.worst;
      const title = `${scenario.name} on ${run.layout}, seed ${run.seed}`;
      report = writeHtmlReport(dir, reportInputOf(title, worstRun, loadPlaces(placesPathFor(run.mapPath), worstRun.map)));
      const stem = run.mapPath.replace(/\.yaml$/, '');
      for (const suffix of ['.yaml', '.pgm', '.places.yaml']) copyFileSync(`${stem}${suffix}`, join(dir, `${basename(stem)}${suffix}`));
      err(`report of the worst run: ${report} (replay: tiepdan sim --scenario ${values.scenario} --map ${join(dir, basename(run.mapPath))} --seed ${run.seed})`);
    }
    if (values.json === true) process.stdout.write(`${JSON.stringify(jsonOf(result, keptFiles, report))}\n`);
    else process.stdout.write(formatSweepTable(result, worst));
    return result.complete ? 0 : 1;
  } finally {
    interrupt.dispose();
    await intentModel.close();
    if (!keptFiles) rmSync(layoutsDir, { recursive: true, force: true });
  }
}
