import type { ControllerRecord } from '../src/app/controller.js';
import { flush } from '../src/app/in-flight.js';
import type { ControllerHost } from '../src/app/lobby-host.js';
import type { OccupancyMap } from '../src/maps/map.js';
import type { Catalog } from '../src/ports/catalog.js';
import { countControllerFigures } from '../src/app/controller-figures.js';
import { round1 } from '../src/stats.js';
import type { Citizen } from './citizens.js';
import type { Corpus } from './corpus.js';
import { createSimLobby } from './lobby.js';
import type { Scenario } from './scenario.js';
import { lobbyFigures, summaryOf, type RunSummary } from './summary.js';
import type { World, WorldEvent } from './world.js';

export { INFLATION_RADIUS_M, lobbyOf, SIM_EPOCH_MS } from './lobby.js';

export const TICK_S = 0.1;
const TRACE_EVERY_S = 1;
const SERIES_EVERY_S = 60;

export type { RunSummary } from './summary.js';
export { counterWaitsByField, reachedRightCounter } from './summary.js';

export interface RunResult {
  readonly summary: RunSummary;
  readonly failedExpectations: readonly string[];
  readonly citizens: readonly Citizen[];
  readonly events: readonly WorldEvent[];
  readonly records: readonly { readonly tS: number; readonly record: ControllerRecord }[];
  readonly trace: readonly { tS: number; xM: number; yM: number }[];
  readonly series: readonly { tS: number; waiting: number; served: number }[];
  readonly timeToCounterS: readonly number[];
  readonly map: OccupancyMap;
  readonly world: World;
}

export interface RunOptions {
  readonly scenario: Scenario;
  /** Overrides the scenario's map (a map YAML with a `<map>.places.yaml` beside it). */
  readonly mapPath?: string;
  readonly seed?: number;
  /** `max`: as fast as the CPU allows; a number: that many simulated seconds per wall second. */
  readonly speed: 'max' | number;
  /** Where the controller runs: the lobby only offers it ports; it never builds one. */
  readonly host: ControllerHost;
  /** The procedures citizens come for (their fields, which counter serves them). */
  readonly catalog?: Catalog;
  readonly corpus?: Corpus;
  /** Called about once per simulated minute, for progress bars and live views. */
  readonly onProgress?: (simS: number, durationS: number) => void;
  readonly onRecord?: (tS: number, record: ControllerRecord) => void;
  /** Called once the simulated lobby exists (live views and benchmarks look at it). */
  readonly onWorld?: (world: World) => void;
  /** Stops the run early (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Keep every controller record (tests); off for long runs. */
  readonly keepRecords?: boolean;
  /** The calendar time of simulated time 0 (tickets and requests are dated by it); default SIM_EPOCH_MS. */
  readonly epochMs?: number;
  /**
   * At the end, go on (up to this many simulated seconds) until nobody is waiting for, talking to
   * or following the robot and it is back at its post: the doors close, those inside are served.
   */
  readonly finishServingMaxS?: number;
}

// Defined in src/stats.ts; exported here too, where callers of the runner have always found it.
export { percentile } from '../src/stats.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a scenario through the real controller against the simulated lobby. */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const wallStart = performance.now();
  const scenario = options.scenario;
  const seed = options.seed ?? scenario.seed;
  const lobby = createSimLobby({
    scenario,
    seed,
    ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}),
    ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
    ...(options.corpus !== undefined ? { corpus: options.corpus } : {}),
    ...(options.epochMs !== undefined ? { epochMs: options.epochMs } : {}),
  });
  const { world, crowd, map, places } = lobby;
  const figures = countControllerFigures();
  const records: { tS: number; record: ControllerRecord }[] = [];
  const host = options.host;
  let interaction = 'idle';
  const onControllerRecord = (record: ControllerRecord): void => {
    if (record.kind === 'state') interaction = record.interaction;
    figures.count(record);
    lobby.hear(record);
    if (options.keepRecords === true) records.push({ tS: world.timeS, record });
    options.onRecord?.(world.timeS, record);
  };
  const trace: { tS: number; xM: number; yM: number }[] = [];
  const series: { tS: number; waiting: number; served: number }[] = [];
  let nextTraceS = 0;
  let nextSeriesS = 0;
  let nextProgressS = 0;

  options.onWorld?.(world);
  await host.attach({ ...lobby.ports, record: onControllerRecord });
  const ticks = Math.round(scenario.durationS / TICK_S);
  const maxTicks = ticks + Math.round((options.finishServingMaxS ?? 0) / TICK_S);
  const withTheRobot = new Set<Citizen['phase']>(['queueing', 'approaching', 'talking', 'following', 'dawdling', 'lost']);
  const lobbyQuiet = (): boolean => interaction === 'idle' && !crowd.citizens.some((c) => withTheRobot.has(c.phase));
  const wallPerTickMs = options.speed === 'max' ? 0 : (TICK_S * 1000) / options.speed;
  for (let tick = 0; tick < maxTicks; tick += 1) {
    if (options.signal?.aborted === true) break;
    if (tick >= ticks && lobbyQuiet()) break;
    lobby.step(TICK_S);
    // Let the controller's promises settle before the next tick, so the run is the same every time.
    await flush();
    // Simulated time waits for the controller: its model's answers arrive at the same simulated
    // moment in every run, however busy the machine is.
    await host.settle();
    if (world.timeS >= nextTraceS) {
      trace.push({ tS: round1(world.timeS), xM: Math.round(world.pose.xM * 100) / 100, yM: Math.round(world.pose.yM * 100) / 100 });
      nextTraceS += TRACE_EVERY_S;
    }
    if (world.timeS >= nextSeriesS) {
      series.push({
        tS: round1(world.timeS),
        waiting: crowd.waitingForRobot + crowd.waitingAtCounters,
        served: crowd.citizens.filter((c) => c.reachedCounterS !== null).length,
      });
      nextSeriesS += SERIES_EVERY_S;
    }
    if (world.timeS >= nextProgressS) {
      options.onProgress?.(world.timeS, scenario.durationS);
      nextProgressS += 60;
    }
    if (wallPerTickMs > 0) {
      const behindMs = wallStart + (tick + 1) * wallPerTickMs - performance.now();
      if (behindMs > 1) await sleep(behindMs);
    }
  }
  await host.detach();
  await lobby.close();

  const citizens = crowd.citizens;
  const lobbyPart = lobbyFigures(scenario, seed, citizens, world, places);
  const summary = summaryOf(lobbyPart, figures.figures(), Math.round((performance.now() - wallStart) / 10) / 100);
  const { failedExpectations, timeToCounterS } = lobbyPart;
  return { summary, failedExpectations, citizens, events: world.events, records, trace, series, timeToCounterS, map, world };
}
