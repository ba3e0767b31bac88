import { intentModelFromOption, SHIPPED_MODEL_DIR } from '../app/intent-model.js';
import { runSoak, type SoakSummary } from '../../sim/soak/week.js';
import type { Scenario } from '../../sim/scenario.js';
import { loadCatalog } from '../civic/catalog.js';
import { runScenario, type RunResult } from '../../sim/runner.js';
import { inProcessHost } from '../app/in-process-host.js';
import { createWatchdogAlertRelay } from '../app/watchdog-alerts.js';
import { loadPlaces, placesPathFor } from '../maps/map.js';
import { writeHtmlReport } from '../../sim/report-html.js';
import { reportInputOf } from '../../sim/report/from-run.js';
import { loadScenario } from '../../sim/scenario.js';
import { interruptible, intOption, parse, progressLine, speedOption, UsageError } from './args.js';

/** Over DDS both processes keep a wall-clock pace: this many simulated seconds per wall second by default. */
export const DEFAULT_ROS2_SPEED = 10;

export const SIM_HELP = `Usage: tiepdan sim --scenario FILE [--map FILE] [--seed N] [--speed max|N] [--json] [--report DIR]
                [--intent-model DIR|keyword]
       tiepdan sim --scenario FILE --via ros2 [--speed N] [--ros2-config FILE] [--domain-id N]
                [--map FILE] [--seed N] [--json] [--intent-model DIR|keyword]
       tiepdan sim sweep --scenario FILE [--layouts N] [--seeds K] ...   (see tiepdan sim sweep --help)

Runs a whole scenario headless: the real controller against the simulated lobby.

Options:
  --scenario FILE  scenario YAML (see sim/scenarios/)                       required
  --map FILE       map YAML in ROS map_server format, with FILE's .places.yaml
                   beside it; default: the scenario's own map
  --seed N         random seed (0..4294967295); default: the scenario's seed
  --speed max|N    max: as fast as the CPU allows (default); N: N simulated
                   seconds per wall second
  --json           print one JSON object with the summary instead of text
  --report DIR     write an HTML report with pictures to DIR/index.html
  --intent-model DIR|keyword  the intent model: a trained model directory (default
                   models/intent, the shipped one) or keyword, the rule-based model;
                   a missing or broken model falls back to keyword with a warning
  --via ros2       the controller (as \`tiepdan start --base ros2\` builds it) and the simulated
                   robot (as \`tiepdan sim-robot\` serves it) as two processes that talk only over
                   ROS 2, on this machine (discovery on localhost, Cyclone DDS bound to lo) and on a
                   domain of their own; the robot publishes /clock and the controller follows it.
                   Prints the same summary. Needs a sourced ROS 2 with nav2_msgs and hri_msgs,
                   rmw_cyclonedds_cpp, rclnodejs installed and the build (npm run build)
  --speed N        with --via ros2: simulated seconds per wall second (default ${DEFAULT_ROS2_SPEED}; not max:
                   over DDS both processes keep a wall-clock pace)
  --ros2-config FILE  with --via ros2: the adapter config both sides read (default: the
                   defaults of sim/ros2/nav2-default.yaml); useSimTime is set for the controller
  --domain-id N    with --via ros2: ROS_DOMAIN_ID of the run (default 101 + this process id % 100)
  -h, --help       show this help

A scenario with \`days\` above 1 or \`controllerKills\` is a soak: its days run one after another
with the controller in a child process that is killed (SIGKILL) and restarted as the scenario says;
the summary adds restarts, tickets lost and duplicated, escorts handed off and stranded, and the
controller's memory (rssStartMb, rssEndMb, memoryGrowthPct, and per day under \`daily\`).
See sim/scenarios/week-soak.yaml.

\`tiepdan sim sweep\` runs a scenario on many generated layouts and prints one table.

Exit status: 0 when the scenario's expectations hold, 1 when they do not, 2 for bad usage or input
(and, with --via ros2, without ROS 2 or rclnodejs: it says what to source and install).`;

export function progressBar(stream: NodeJS.WriteStream): (simS: number, durationS: number) => void {
  let last = -1;
  return (simS, durationS) => {
    const percent = Math.floor((100 * simS) / durationS);
    if (percent === last) return;
    last = percent;
    stream.write(progressLine('simulating', percent / 100, `${percent}%  ${Math.round(simS / 60)}/${Math.round(durationS / 60)} min`));
  };
}

export function printSummary(result: Pick<RunResult, 'summary' | 'failedExpectations'>, out: NodeJS.WritableStream): void {
  const s = result.summary;
  out.write(
    [
      `scenario ${s.scenario} (seed ${s.seed}): ${Math.round(s.simSeconds / 60)} simulated minutes in ${s.wallSeconds} s`,
      `  citizens ${s.citizens}, served ${s.served}, told the right procedure ${s.toldRightProcedure}, tickets ${s.ticketsIssued}`,
      `  escorts ${s.escorts}: ${s.escortsSucceeded} reached the counter, ${s.escortsAbandoned} abandoned; handoffs ${s.handoffs}; walked alone ${s.walkedAlone}`,
      `  mean wait for the robot ${s.meanWaitS} s; p95 time to counter ${s.p95TimeToCounterS} s`,
      `  faults injected ${s.faultsInjected}, survived ${s.faultsSurvived}; safety violations ${s.safetyViolations}`,
      ...(s.requestsPrefilled + s.idScansDeclined + s.idReadsFailed > 0
        ? [`  ID cards: ${s.requestsPrefilled} requests pre-filled, ${s.idScansDeclined} declined the scan, ${s.idReadsFailed} cards did not read`]
        : []),
      `  mean wait at the counter per field: ${Object.entries(s.meanCounterWaitSByField).map(([field, w]) => `${field} ${Math.round(w / 60)} min`).join(', ') || 'nobody served yet'}`,
      s.expectationsMet ? '  expectations: met' : `  expectations NOT met:\n${result.failedExpectations.map((f) => `    - ${f}`).join('\n')}`,
      '',
    ].join('\n'),
  );
}

export async function simCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'sweep') return (await import('./sim-sweep.js')).sweepCommand(argv.slice(1));
  const { values } = parse(argv, {
    scenario: { type: 'string' },
    map: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    'intent-model': { type: 'string' },
    json: { type: 'boolean' },
    report: { type: 'string' },
    via: { type: 'string' },
    'ros2-config': { type: 'string' },
    'domain-id': { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(`${SIM_HELP}\n`);
    return 0;
  }
  if (values.scenario === undefined) throw new UsageError('--scenario FILE is required');
  const via = values.via ?? 'in-process';
  if (via !== 'in-process' && via !== 'ros2') throw new UsageError(`--via must be in-process or ros2, got "${via}"`);
  if (via === 'ros2') {
    const { simViaRos2 } = await import('./sim-via-ros2.js');
    return simViaRos2({ values, env: process.env, out: process.stdout, err: process.stderr });
  }
  for (const option of ['ros2-config', 'domain-id'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} is for --via ros2`);
  }
  const seed = intOption('seed', values.seed, 0, 4_294_967_295);
  const speed = speedOption(values.speed, 'max', true);
  const scenario = loadScenario(values.scenario);
  if (scenario.days > 1 || scenario.controllerKills !== undefined) {
    if (values.report !== undefined) throw new UsageError('--report draws one day; a soak (days or controllerKills) prints its summary only');
    return soakCommand(scenario, {
      ...(seed !== undefined ? { seed } : {}),
      ...(values.map !== undefined ? { mapPath: values.map } : {}),
      speed,
      intentModel: values['intent-model'] ?? SHIPPED_MODEL_DIR,
      json: values.json === true,
    });
  }
  const catalog = loadCatalog();
  const watchdogAlerts = createWatchdogAlertRelay();
  const intentModel = await intentModelFromOption(values['intent-model'], catalog, (m) => process.stderr.write(`warning: ${m}\n`), () => watchdogAlerts.raise('intentModelFailed'));
  const interrupt = interruptible();
  const showProgress = process.stderr.isTTY === true;
  try {
    const result = await runScenario({
      scenario,
      host: inProcessHost({ intentModel, catalog, watchdogAlerts }),
      catalog,
      ...(values.map !== undefined ? { mapPath: values.map } : {}),
      ...(seed !== undefined ? { seed } : {}),
      speed,
      ...(showProgress ? { onProgress: progressBar(process.stderr) } : {}),
      signal: interrupt.signal,
    });
    if (showProgress) process.stderr.write('\n');
    if (values.report !== undefined) {
      const mapPath = values.map ?? scenario.mapPath;
      const file = writeHtmlReport(values.report, reportInputOf(scenario.name, result, loadPlaces(placesPathFor(mapPath), result.map)));
      if (values.json !== true) process.stdout.write(`report: ${file}\n`);
    }
    if (values.json === true) process.stdout.write(`${JSON.stringify(result.summary)}\n`);
    else printSummary(result, process.stdout);
    return result.summary.expectationsMet ? 0 : 1;
  } finally {
    interrupt.dispose();
    await intentModel.close();
  }
}

function printSoakSummary(s: SoakSummary, failed: readonly string[], out: NodeJS.WritableStream): void {
  const mb = (x: number | null): string => (x === null ? '-' : `${x} MB`);
  out.write(
    [
      `soak ${s.scenario} (seed ${s.seed}): ${s.days} days, ${Math.round(s.simSeconds / 3600)} simulated hours in ${s.wallSeconds} s`,
      `  citizens ${s.citizens}, served ${s.served}, tickets ${s.ticketsIssued}; lost ${s.ticketsLost}, issued twice ${s.ticketsDuplicated}`,
      `  escorts ${s.escorts}: ${s.escortsSucceeded} reached the counter, ${s.escortsHandedOff} handed to staff, ${s.escortsStranded} stranded`,
      `  controller restarts ${s.restarts} (unplanned exits ${s.unplannedExits}); faults injected ${s.faultsInjected}, survived ${s.faultsSurvived}; safety violations ${s.safetyViolations}`,
      `  controller memory: ${mb(s.rssStartMb)} at the first opening, ${mb(s.rssEndMb)} at the last close; growth from day 1 to the last day ${s.memoryGrowthPct ?? '-'}%`,
      `  operator alerts: ${Object.entries(s.alerts).map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none'}`,
      '  day  citizens  served  escorts  handed off  stranded  tickets  lost  twice  faults  kills  rss open  rss close',
      ...s.daily.map(
        (d) =>
          `  ${String(d.day).padStart(3)}  ${String(d.citizens).padStart(8)}  ${String(d.served).padStart(6)}  ${String(d.escorts).padStart(7)}  ${String(d.escortsHandedOff).padStart(10)}  ${String(d.escortsStranded).padStart(8)}  ${String(d.ticketsIssued).padStart(7)}  ${String(d.ticketsLost).padStart(4)}  ${String(d.ticketsDuplicated).padStart(5)}  ${String(d.faultsInjected).padStart(6)}  ${String(d.kills).padStart(5)}  ${mb(d.rssStartMb).padStart(8)}  ${mb(d.rssEndMb).padStart(9)}`,
      ),
      failed.length === 0 ? '  expectations: met' : `  expectations NOT met:\n${failed.map((f) => `    - ${f}`).join('\n')}`,
      '',
    ].join('\n'),
  );
}

async function soakCommand(
  scenario: Scenario,
  options: { seed?: number; mapPath?: string; speed: 'max' | number; intentModel: string; json: boolean },
): Promise<number> {
  const interrupt = interruptible();
  const showProgress = process.stderr.isTTY === true;
  try {
    const result = await runSoak({
      scenario,
      speed: options.speed,
      intentModel: options.intentModel,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}),
      signal: interrupt.signal,
      ...(showProgress ? { onProgress: progressBar(process.stderr) } : {}),
      // Kills and restarts are part of the run's story: on stderr, with the simulated day and time.
      onLifecycle: (event) => {
        if (!showProgress) return;
        const clock = new Date(event.atMs % 86_400_000 + 8 * 3_600_000).toISOString().slice(11, 19);
        process.stderr.write(`\rday ${event.day} ${clock}: controller ${event.kind === 'exited' ? `exited (${event.detail})` : event.kind}\x1b[K\n`);
      },
    });
    if (showProgress) process.stderr.write('\n');
    if (options.json) process.stdout.write(`${JSON.stringify(result.summary)}\n`);
    else printSoakSummary(result.summary, result.failedExpectations, process.stdout);
    return result.summary.expectationsMet ? 0 : 1;
  } finally {
    interrupt.dispose();
  }
}
