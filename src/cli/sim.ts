import { intentModelFromOption } from '../app/intent-model.js';
import { loadCatalog } from '../civic/catalog.js';
import { runScenario, type RunResult } from '../../sim/runner.js';
import { loadPlaces, placesPathFor } from '../../sim/map.js';
import { writeHtmlReport } from '../../sim/report-html.js';
import { loadScenario } from '../../sim/scenario.js';
import { interruptible, intOption, parse, progressLine, speedOption, UsageError } from './args.js';

export const SIM_HELP = `Usage: tiepdan sim --scenario FILE [--map FILE] [--seed N] [--speed max|N] [--json] [--report DIR]
                [--intent-model DIR|keyword]

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
  -h, --help       show this help

Exit status: 0 when the scenario's expectations hold, 1 when they do not, 2 for bad usage or input.`;

function progressBar(stream: NodeJS.WriteStream): (simS: number, durationS: number) => void {
  let last = -1;
  return (simS, durationS) => {
    const percent = Math.floor((100 * simS) / durationS);
    if (percent === last) return;
    last = percent;
    stream.write(progressLine('simulating', percent / 100, `${percent}%  ${Math.round(simS / 60)}/${Math.round(durationS / 60)} min`));
  };
}

export function printSummary(result: RunResult, out: NodeJS.WritableStream): void {
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
  const { values } = parse(argv, {
    scenario: { type: 'string' },
    map: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    'intent-model': { type: 'string' },
    json: { type: 'boolean' },
    report: { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(`${SIM_HELP}\n`);
    return 0;
  }
  if (values.scenario === undefined) throw new UsageError('--scenario FILE is required');
  const seed = intOption('seed', values.seed, 0, 4_294_967_295);
  const speed = speedOption(values.speed, 'max', true);
  const scenario = loadScenario(values.scenario);
  const catalog = loadCatalog();
  const intentModel = await intentModelFromOption(values['intent-model'], catalog, (m) => process.stderr.write(`warning: ${m}\n`));
  const interrupt = interruptible();
  const showProgress = process.stderr.isTTY === true;
  try {
    const result = await runScenario({
      scenario,
      intentModel,
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
      const file = writeHtmlReport(values.report, {
        title: scenario.name,
        seed: result.summary.seed,
        summary: {
          ...result.summary,
          meanCounterWaitSByField: Object.entries(result.summary.meanCounterWaitSByField)
            .map(([field, s]) => `${field} ${s} s`)
            .join(', '),
        },
        map: result.map,
        places: loadPlaces(placesPathFor(mapPath), result.map),
        trace: result.trace,
        series: result.series,
        timeToCounterS: result.timeToCounterS,
        events: result.events.filter((e) => !e.kind.startsWith('citizen.') && e.kind !== 'nav.goal'),
      });
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
