/**
 * A scenario run over many generated layouts and seeds, one run after another in this process: how
 * the controller fares in halls it was never tuned on. `tiepdan sim sweep` prints what this returns.
 */
import type { ControllerHost } from '../src/app/lobby-host.js';
import type { Catalog } from '../src/ports/catalog.js';
import { TiepdanError } from '../src/ports/errors.js';
import { percentile, round1 } from '../src/stats.js';
import type { Citizen } from './citizens.js';
import type { Corpus } from './corpus.js';
import { generateLayout, writeLayout, type LayoutDescription } from './layouts/generate.js';
import { runScenario, type RunResult } from './runner.js';
import type { Scenario } from './scenario.js';

/** One run's figures, as the table adds them up. */
export interface SweepRun {
  readonly layout: string;
  readonly layoutSeed: number;
  readonly mapPath: string;
  readonly seed: number;
  readonly citizens: number;
  readonly served: number;
  readonly escorts: number;
  /** Escorts that reached the right counter (`escortsSucceeded` of the run's summary). */
  readonly escortsReached: number;
  /** Escorts the robot neither finished nor gave up on, because staff were called or took over. */
  readonly escortsHandedOff: number;
  /** Escorts the robot gave up on (`escortsAbandoned` of the run's summary). */
  readonly escortsAbandoned: number;
  /** Escorts whose navigation failed: the robot told the way instead (its `escort.failed` line). */
  readonly escortsNavFailed: number;
  readonly safetyViolations: number;
  readonly p95TimeToCounterS: number;
  readonly simSeconds: number;
  readonly wallSeconds: number;
  /** CPU time (user + system) the process spent on the run: unlike wall time, not stretched by other work on the machine. */
  readonly cpuSeconds: number;
  /** Seconds from arrival to the counter, one per escort that reached it: the sweep's p95 pools them. */
  readonly timeToCounterS: readonly number[];
}

/** Sums over some runs, with the p95 over all their escorts pooled. */
export interface SweepFigures {
  readonly runs: number;
  readonly citizens: number;
  readonly served: number;
  readonly escorts: number;
  readonly escortsReached: number;
  readonly escortsHandedOff: number;
  readonly escortsAbandoned: number;
  readonly escortsNavFailed: number;
  readonly safetyViolations: number;
  readonly runsWithSafetyViolations: number;
  readonly p95TimeToCounterS: number;
  readonly simSeconds: number;
  /** Wall time of the runs themselves (layout drawing not included). */
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

export interface SweepLayout {
  readonly description: LayoutDescription;
  readonly mapPath: string;
  readonly figures: SweepFigures;
}

export interface SweepResult {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly layouts: readonly SweepLayout[];
  readonly runs: readonly SweepRun[];
  readonly totals: SweepFigures;
  /** Layouts drawn and runs run, start to end. */
  readonly wallSeconds: number;
  /** The run with the most abandoned escorts (fewest served on a tie), kept whole for its report; null when nothing ran. */
  readonly worst: { readonly run: SweepRun; readonly result: RunResult } | null;
  /** False when the signal stopped the sweep before every run was done. */
  readonly complete: boolean;
}

export interface SweepOptions {
  readonly scenario: Scenario;
  /** How many layouts; layout i is drawn from seed `layoutSeed + i`. */
  readonly layouts: number;
  readonly layoutSeed: number;
  /** How many seeds per layout: `firstSeed`, `firstSeed + 1`, ... (default: the scenario's seed first). */
  readonly seeds: number;
  readonly firstSeed?: number;
  /** Where the layouts' map files are written (the runs load them from there, as `tiepdan sim --map` does). */
  readonly layoutsDir: string;
  /** A controller host for each run. */
  readonly host: () => ControllerHost;
  readonly catalog?: Catalog;
  readonly corpus?: Corpus;
  readonly signal?: AbortSignal;
  readonly onLayout?: (index: number, layout: LayoutDescription) => void;
  readonly onRunProgress?: (runIndex: number, runs: number, simS: number, durationS: number) => void;
  readonly onRun?: (runIndex: number, runs: number, run: SweepRun) => void;
}

/** Escorts that ended with staff: the robot called for help or staff took the citizen, and it neither arrived nor gave up. */
function handedOff(c: Citizen): boolean {
  return c.escortStarted && !c.reachedByEscort && !c.escortGaveUp && (c.handedOff || c.staffAlerted);
}

export function sweepRunOf(layout: LayoutDescription, mapPath: string, result: RunResult, escortsNavFailed: number, cpuSeconds: number): SweepRun {
  const s = result.summary;
  return {
    layout: layout.name,
    layoutSeed: layout.seed,
    mapPath,
    seed: s.seed,
    citizens: s.citizens,
    served: s.served,
    escorts: s.escorts,
    escortsReached: s.escortsSucceeded,
    escortsHandedOff: result.citizens.filter(handedOff).length,
    escortsAbandoned: s.escortsAbandoned,
    escortsNavFailed,
    safetyViolations: s.safetyViolations,
    p95TimeToCounterS: s.p95TimeToCounterS,
    simSeconds: s.simSeconds,
    wallSeconds: s.wallSeconds,
    cpuSeconds: Math.round(cpuSeconds * 100) / 100,
    timeToCounterS: result.timeToCounterS,
  };
}

export function figuresOf(runs: readonly SweepRun[]): SweepFigures {
  const sum = (pick: (r: SweepRun) => number): number => runs.reduce((total, r) => total + pick(r), 0);
  return {
    runs: runs.length,
    citizens: sum((r) => r.citizens),
    served: sum((r) => r.served),
    escorts: sum((r) => r.escorts),
    escortsReached: sum((r) => r.escortsReached),
    escortsHandedOff: sum((r) => r.escortsHandedOff),
    escortsAbandoned: sum((r) => r.escortsAbandoned),
    escortsNavFailed: sum((r) => r.escortsNavFailed),
    safetyViolations: sum((r) => r.safetyViolations),
    runsWithSafetyViolations: runs.filter((r) => r.safetyViolations > 0).length,
    p95TimeToCounterS: round1(percentile(runs.flatMap((r) => r.timeToCounterS), 0.95)),
    simSeconds: round1(sum((r) => r.simSeconds)),
    wallSeconds: Math.round(sum((r) => r.wallSeconds) * 100) / 100,
    cpuSeconds: Math.round(sum((r) => r.cpuSeconds) * 100) / 100,
  };
}

/** Worse first: more escorts abandoned, then a smaller share served, then the layout's name. */
export function worseFirst(a: { figures: SweepFigures; name: string }, b: { figures: SweepFigures; name: string }): number {
  const share = (f: SweepFigures): number => (f.citizens === 0 ? 1 : f.served / f.citizens);
  return b.figures.escortsAbandoned - a.figures.escortsAbandoned || share(a.figures) - share(b.figures) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Draws the layouts, then runs the scenario on each with each seed, one run at a time, as fast as it goes. */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { scenario } = options;
  for (const [name, value, min] of [
    ['layouts', options.layouts, 1],
    ['seeds', options.seeds, 1],
    ['layoutSeed', options.layoutSeed, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min) throw new TiepdanError('invalid_argument', `sweep: ${name} must be a whole number >= ${min}, got ${value}`);
  }
  if (scenario.days > 1 || scenario.controllerKills !== undefined) {
    throw new TiepdanError('invalid_argument', `sweep: ${scenario.file} is a soak (days or controllerKills); a sweep runs one-day scenarios`);
  }
  const started = performance.now();
  // A function, not a property read: the signal changes while a run is awaited.
  const stopped = (): boolean => options.signal?.aborted === true;
  const firstSeed = options.firstSeed ?? scenario.seed;
  const seeds = Array.from({ length: options.seeds }, (_, k) => (firstSeed + k) >>> 0);
  const drawn: { description: LayoutDescription; mapPath: string }[] = [];
  for (let i = 0; i < options.layouts; i++) {
    if (stopped()) break;
    const layout = generateLayout(options.layoutSeed + i, options.catalog !== undefined ? { catalog: options.catalog } : {});
    drawn.push({ description: layout.description, mapPath: writeLayout(options.layoutsDir, layout) });
    options.onLayout?.(i, layout.description);
  }

  const total = options.layouts * seeds.length;
  const runs: SweepRun[] = [];
  let worst: SweepResult['worst'] = null;
  const worstFigures = (run: SweepRun): { figures: SweepFigures; name: string } => ({ figures: figuresOf([run]), name: `${run.layout}/${run.seed}` });
  for (const { description, mapPath } of drawn) {
    for (const seed of seeds) {
      if (stopped()) break;
      const index = runs.length;
      let navFailed = 0;
      const cpuBefore = process.cpuUsage();
      const result = await runScenario({
        scenario,
        host: options.host(),
        mapPath,
        seed,
        speed: 'max',
        ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
        ...(options.corpus !== undefined ? { corpus: options.corpus } : {}),
        ...(options.onRunProgress !== undefined ? { onProgress: (simS: number, durationS: number) => options.onRunProgress!(index, total, simS, durationS) } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        onRecord: (_tS, record) => {
          if (record.kind === 'said' && record.messageId === 'escort.failed') navFailed += 1;
        },
      });
      if (stopped()) break;
      const cpu = process.cpuUsage(cpuBefore);
      const run = sweepRunOf(description, mapPath, result, navFailed, (cpu.user + cpu.system) / 1e6);
      runs.push(run);
      if (worst === null || worseFirst(worstFigures(run), worstFigures(worst.run)) < 0) worst = { run, result };
      options.onRun?.(index, total, run);
    }
  }

  const layouts = drawn.map(({ description, mapPath }) => ({ description, mapPath, figures: figuresOf(runs.filter((r) => r.layout === description.name)) }));
  return {
    scenario: scenario.name,
    seeds,
    layouts,
    runs,
    totals: figuresOf(runs),
    wallSeconds: Math.round((performance.now() - started) / 10) / 100,
    worst,
    complete: runs.length === total,
  };
}
