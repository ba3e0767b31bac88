import { Controller, type ControllerRecord } from '../src/app/controller.js';
import { DEFAULT_GUIDE_SETTINGS } from '../src/app/settings.js';
import { RecordingSpeaker } from '../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../src/adapters/text/text-listener.js';
import { loadCatalog } from '../src/civic/catalog.js';
import { createMemoryQueue } from '../src/civic/queue/memory-queue.js';
import type { Queue } from '../src/ports/queue.js';
import type { Place } from '../src/ports/robot-base.js';
import { createIdReader } from '../src/civic/id-card/reader.js';
import { openRequestStore, type RequestStore } from '../src/civic/requests/sealed-store.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { SimCardScanner } from './card-scanner.js';
import { createKeywordIntentModel } from '../src/nlu/keyword-model.js';
import type { Catalog } from '../src/ports/catalog.js';
import { LANGS, type Lang } from '../src/ports/common.js';
import { TiepdanError } from '../src/ports/errors.js';
import type { IntentModel } from '../src/ports/intent-model.js';
import type { GuideSettings } from '../statecharts/guide.types.js';
import { Crowd, type Citizen } from './citizens.js';
import type { ControllerHost } from './controller-host.js';
import { VirtualClock } from './clock.js';
import { loadCorpus, type Corpus } from './corpus.js';
import { loadMap, loadPlaces, placesPathFor, type OccupancyMap } from './map.js';
import { createPlanner } from './planner.js';
import { Random } from './random.js';
import type { FaultSpec, Scenario } from './scenario.js';
import { SimBase } from './sim-base.js';
import { World, type WorldEvent } from './world.js';

/** Simulated time 0 is 08:00 on a Monday in Ho Chi Minh City, so a day's tickets number from 1. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 5, 1, 0);

export const TICK_S = 0.1;
/** Robot radius 0.3 m plus a margin for path-following error, as a Nav2 inflation layer would. */
export const INFLATION_RADIUS_M = 0.45;
const TRACE_EVERY_S = 1;
const SERIES_EVERY_S = 60;

/** The `--json` summary: stable keys, deterministic for a seed except `wallSeconds`. */
export interface RunSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly citizens: number;
  readonly served: number;
  readonly toldRightProcedure: number;
  readonly escorts: number;
  readonly escortsSucceeded: number;
  readonly escortsAbandoned: number;
  readonly handoffs: number;
  readonly walkedAlone: number;
  readonly meanWaitS: number;
  readonly p95TimeToCounterS: number;
  readonly safetyViolations: number;
  readonly faultsInjected: number;
  readonly faultsSurvived: number;
  readonly ticketsIssued: number;
  /** With ID scans: requests pre-filled from cards, consents declined, cards that did not read. */
  readonly requestsPrefilled: number;
  readonly idScansDeclined: number;
  readonly idReadsFailed: number;
  /** Mean seconds from reaching a counter to being served there, per field with anyone served. */
  readonly meanCounterWaitSByField: Readonly<Record<string, number>>;
  readonly expectationsMet: boolean;
  readonly simSeconds: number;
  readonly wallSeconds: number;
}

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
  readonly catalog?: Catalog;
  readonly corpus?: Corpus;
  readonly intentModel?: IntentModel;
  readonly settings?: GuideSettings;
  /** Called about once per simulated minute, for progress bars and live views. */
  readonly onProgress?: (simS: number, durationS: number) => void;
  readonly onRecord?: (tS: number, record: ControllerRecord) => void;
  /** Called once the controller, the world and the text listener exist (the console attaches here). */
  readonly onStart?: (parts: {
    readonly controller: Controller;
    readonly world: World;
    readonly listener: TextListener;
    readonly queue: Queue;
    readonly requests: RequestStore | null;
  }) => void;
  /** Stops the run early (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Keep every controller record (tests); off for long runs. */
  readonly keepRecords?: boolean;
  /** Where tickets are numbered; default: in memory. */
  readonly queue?: Queue;
  /** The process's database, where pre-filled requests go when the scenario has ID scans; default: a private one in memory. */
  readonly database?: Database;
  /** The data key sealing them; default none (kept in memory only). */
  readonly dataKey?: Buffer | null;
  /** How long a pre-filled request is kept; default: until the end of its service day. */
  readonly requestRetentionMs?: number;
  /** The calendar time of simulated time 0 (tickets and requests are dated by it); default SIM_EPOCH_MS. */
  readonly epochMs?: number;
  /** Runs the controller elsewhere (a child process); default: in this process. */
  readonly host?: ControllerHost;
  /**
   * At the end, go on (up to this many simulated seconds) until nobody is waiting for, talking to
   * or following the robot and it is back at its post: the doors close, those inside are served.
   */
  readonly finishServingMaxS?: number;
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Which procedures citizens come for. Without weights in the scenario: every procedure some counter on
 * this map serves, so any map works; procedures named explicitly must be served, or the run is refused.
 */
function procedureWeights(scenario: Scenario, catalog: Catalog, corpus: Corpus, served: (id: string) => boolean, placesFile: string): Record<string, number> {
  const known = catalog.procedures().map((p) => p.id).filter((id) => corpus.procedures[id] !== undefined);
  if (scenario.procedures === undefined) {
    const weights = Object.fromEntries(known.filter(served).map((id) => [id, 1]));
    if (Object.keys(weights).length === 0) throw new TiepdanError('places_invalid', `${placesFile}: no counter serves any procedure in the catalog`);
    return weights;
  }
  for (const id of Object.keys(scenario.procedures)) {
    if (!known.includes(id)) {
      throw new TiepdanError('scenario_invalid', `${scenario.file}: procedures.${id}: not a procedure in the catalog and the corpus`);
    }
    if (!served(id)) {
      throw new TiepdanError('places_invalid', `${placesFile}: no counter serves the field "${catalog.get(id)!.field}" of ${id}, which ${scenario.file} names`);
    }
  }
  return { ...scenario.procedures };
}

/** The model with its calls tracked, so the run can wait for them before simulated time moves on. */
export function awaitable(model: IntentModel, inFlight: Set<Promise<unknown>>): IntentModel {
  return {
    name: model.name,
    classify(text) {
      const call = model.classify(text);
      inFlight.add(call);
      const done = () => inFlight.delete(call);
      call.then(done, done);
      return call;
    },
  };
}

export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The map a run uses (the scenario's, or the override) and its places. */
export function lobbyOf(scenario: Scenario, mapOverride?: string): { readonly mapPath: string; readonly map: OccupancyMap; readonly places: Place[] } {
  const mapPath = mapOverride ?? scenario.mapPath;
  const map = loadMap(mapPath);
  return { mapPath, map, places: loadPlaces(placesPathFor(mapPath), map) };
}

/** Runs a scenario through the real controller against the simulated lobby. */
export async function runScenario(options: RunOptions): Promise<RunResult> {
  const wallStart = performance.now();
  const scenario = options.scenario;
  const seed = options.seed ?? scenario.seed;
  const { mapPath, map, places } = lobbyOf(scenario, options.mapPath);
  const catalog = options.catalog ?? loadCatalog();
  const corpus = options.corpus ?? loadCorpus();
  const fieldOf = (id: string) => {
    const procedure = catalog.get(id);
    if (procedure === undefined) throw new TiepdanError('scenario_invalid', `unknown procedure ${id}`);
    return procedure.field;
  };
  const isServed = (id: string) => places.some((p) => p.kind === 'counter' && p.fields.includes(fieldOf(id)));
  const weights = procedureWeights(scenario, catalog, corpus, isServed, placesPathFor(mapPath));

  const random = new Random(seed);
  const arrivalsRandom = random.fork(1);
  const crowdRandom = random.fork(2);
  const walkersRandom = random.fork(3);
  const clock = new VirtualClock();
  const planner = createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M });
  const world = new World({ map, places, planner, random: random.fork(4), batteryPercent: scenario.startBatteryPercent });
  const base = new SimBase(world);
  const listener = new TextListener('sim');
  const speaker = new RecordingSpeaker(clock, () => clock.nowMs);
  let ticketsIssued = 0;
  const epochMs = options.epochMs ?? SIM_EPOCH_MS;
  const simNow = () => epochMs + clock.nowMs;
  const tickets = options.queue ?? createMemoryQueue(simNow);
  const records: { tS: number; record: ControllerRecord }[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const host = options.host ?? null;
  if (host !== null && (options.onStart !== undefined || options.queue !== undefined || options.database !== undefined)) {
    throw new TiepdanError('usage', 'a run with a controller host keeps its queue and requests in the host');
  }
  const requestsDatabase = scenario.idScans.enabled && host === null ? (options.database ?? openDatabase(':memory:')) : null;
  const requests = requestsDatabase !== null
    ? openRequestStore(requestsDatabase, {
        key: options.dataKey ?? null,
        now: simNow,
        ...(options.requestRetentionMs !== undefined ? { retentionMs: options.requestRetentionMs } : {}),
      })
    : null;
  let requestsPrefilled = 0;
  let idReadsFailed = 0;
  let handoffs = 0;
  let interaction = 'idle';
  const onControllerRecord = (record: ControllerRecord): void => {
    if (record.kind === 'state') interaction = record.interaction;
    if (record.kind === 'alert' && record.alert === 'helpRequested') handoffs += 1;
    if (record.kind === 'alert' && (record.alert === 'helpRequested' || record.alert === 'personLost')) crowd.staffAlerted();
    if (record.kind === 'ticket') ticketsIssued += 1;
    if (record.kind === 'idRead') requestsPrefilled += 1;
    if (record.kind === 'said' && record.messageId === 'id.readFailed') idReadsFailed += 1;
    if (options.keepRecords === true) records.push({ tS: world.timeS, record });
    options.onRecord?.(world.timeS, record);
  };
  const controller =
    host !== null
      ? null
      : new Controller({
          base,
          listener,
          speaker,
          intentModel: awaitable(options.intentModel ?? createKeywordIntentModel(catalog), inFlight),
          catalog,
          tickets,
          settings: { ...(options.settings ?? DEFAULT_GUIDE_SETTINGS), idReaderAvailable: scenario.idScans.enabled },
          ...(requests !== null ? { idCards: { reader: createIdReader(() => new Date(simNow())), scanner: { nextScan: (signal: AbortSignal) => scanner.nextScan(signal) }, requests, robotId: 'robot-1' } } : {}),
          clock,
          now: () => clock.nowMs,
          record: onControllerRecord,
        });
  const crowd = new Crowd({
    world,
    listener,
    corpus,
    random: crowdRandom,
    traits: scenario.citizens,
    fieldOf,
    ...(scenario.idScans.enabled
      ? { idScans: { random: random.fork(5), declineProbability: scenario.idScans.declineProbability, damagedCardProbability: scenario.idScans.damagedCardProbability } }
      : {}),
  });
  const scanner = new SimCardScanner(crowd, clock);
  speaker.onSpeech((spoken) => crowd.hear(spoken));

  // People who are not here for the robot: staff and visitors walking between places.
  const walkTargets = places.filter((p) => p.kind !== 'dock' && p.kind !== 'home');
  const walkers = Array.from({ length: scenario.crowd.walkers }, () =>
    world.addAgent('walker', walkersRandom.pick(walkTargets).pose, walkersRandom.between(0.8, 1.3)),
  );

  const faults: FaultSpec[] = [...scenario.faults].sort((a, b) => a.atS - b.atS);
  let faultIndex = 0;
  const lastArrivalS = scenario.durationS - scenario.arrivals.lastArrivalBeforeEndS;
  const ratePerS = scenario.arrivals.ratePerHour / 3600;
  let nextArrivalS = scenario.arrivals.firstArrivalAtS ?? arrivalsRandom.exponential(ratePerS);
  const trace: { tS: number; xM: number; yM: number }[] = [];
  const series: { tS: number; waiting: number; served: number }[] = [];
  let nextTraceS = 0;
  let nextSeriesS = 0;
  let nextProgressS = 0;
  const langWeights = scenario.languages as Record<Lang, number>;

  if (controller !== null) {
    options.onStart?.({ controller, world, listener, queue: tickets, requests });
    controller.start();
  } else {
    await host!.attach({
      base,
      listener,
      speaker,
      scanner: scenario.idScans.enabled ? scanner : null,
      nowMs: () => epochMs - SIM_EPOCH_MS + clock.nowMs,
      record: onControllerRecord,
    });
  }
  const ticks = Math.round(scenario.durationS / TICK_S);
  const maxTicks = ticks + Math.round((options.finishServingMaxS ?? 0) / TICK_S);
  const withTheRobot = new Set<Citizen['phase']>(['queueing', 'approaching', 'talking', 'following', 'dawdling', 'lost']);
  const lobbyQuiet = (): boolean => interaction === 'idle' && !crowd.citizens.some((c) => withTheRobot.has(c.phase));
  const wallPerTickMs = options.speed === 'max' ? 0 : (TICK_S * 1000) / options.speed;
  for (let tick = 0; tick < maxTicks; tick += 1) {
    if (options.signal?.aborted === true) break;
    if (tick >= ticks && lobbyQuiet()) break;
    const now = world.timeS;
    while (nextArrivalS <= now && nextArrivalS <= lastArrivalS) {
      if (scenario.arrivals.maxCitizens === undefined || crowd.citizens.length < scenario.arrivals.maxCitizens) {
        const lang = arrivalsRandom.weighted(langWeights);
        crowd.arrive(LANGS.includes(lang) ? lang : 'vi', arrivalsRandom.weighted(weights));
      }
      nextArrivalS += arrivalsRandom.exponential(ratePerS);
    }
    while (faultIndex < faults.length && faults[faultIndex]!.atS <= now) {
      const fault = faults[faultIndex++]!;
      world.inject(fault.kind, {
        ...('durationS' in fault ? { durationS: fault.durationS } : {}),
        ...('at' in fault ? { at: { xM: fault.at.x, yM: fault.at.y }, radiusM: fault.radiusM } : {}),
        ...('percent' in fault ? { percent: fault.percent } : {}),
      });
    }
    for (const walker of walkers) {
      if (walker.route.length === 0 && walkersRandom.chance(TICK_S / 20)) world.routeAgent(walker, walkersRandom.pick(walkTargets).pose);
    }
    world.step(TICK_S);
    base.tick(TICK_S);
    crowd.step();
    clock.advance(TICK_S * 1000);
    // Let the controller's promises settle before the next tick, so the run is the same every time.
    await flush();
    // Simulated time waits for the model: an answer computed on another thread (onnxruntime) must
    // arrive at the same simulated moment in every run, however busy the machine is.
    while (inFlight.size > 0) {
      await Promise.allSettled([...inFlight]);
      await flush();
    }
    if (host !== null) await host.settle();
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
  if (controller !== null) await controller.stop();
  else await host!.detach();
  await base.close();

  const citizens = crowd.citizens;
  const served = citizens.filter((c) => c.reachedCounterS !== null && reachedRightCounter(c, places));
  const escorted = citizens.filter((c) => c.escortStarted);
  const escortsSucceeded = citizens.filter((c) => c.reachedByEscort && reachedRightCounter(c, places));
  const waits = citizens.filter((c) => c.greetedS !== null).map((c) => c.greetedS! - c.arrivedS);
  const timeToCounterS = escortsSucceeded.map((c) => round1(c.reachedCounterS! - c.arrivedS));
  const faultsInjected = [...world.eventCounts]
    .filter(([kind]) => kind.startsWith('fault.') && kind !== 'fault.cleared')
    .reduce((sum, [, n]) => sum + n, 0);
  const summaryBase = {
    scenario: scenario.name,
    seed,
    citizens: citizens.length,
    served: served.length,
    toldRightProcedure: citizens.filter((c) => c.told.includes(c.procedureId)).length,
    escorts: escorted.length,
    escortsSucceeded: escortsSucceeded.length,
    escortsAbandoned: citizens.filter((c) => c.escortGaveUp).length,
    handoffs,
    walkedAlone: citizens.filter((c) => c.reachedCounterS !== null && !c.reachedByEscort).length,
    meanWaitS: round1(waits.length > 0 ? waits.reduce((a, b) => a + b, 0) / waits.length : 0),
    p95TimeToCounterS: round1(percentile(timeToCounterS, 0.95)),
    safetyViolations: world.stats.safetyViolations,
    faultsInjected,
    // A fault is survived when no safety violation followed it and the robot was back at work afterwards.
    faultsSurvived: world.stats.safetyViolations === 0 ? faultsInjected : 0,
    ticketsIssued,
    requestsPrefilled,
    idScansDeclined: citizens.filter((c) => c.declinesIdScan && c.greetedS !== null).length,
    idReadsFailed,
    meanCounterWaitSByField: counterWaitsByField(citizens),
  };
  const failedExpectations: string[] = [];
  const expect = scenario.expect;
  // Citizens still on their way at the end are not counted against the run.
  const finished = citizens.filter((c) => c.phase !== 'queueing' && c.phase !== 'approaching' && c.phase !== 'talking' && c.phase !== 'following');
  if (expect.minServedFraction !== undefined && finished.length > 0 && served.length / finished.length < expect.minServedFraction) {
    failedExpectations.push(`served ${served.length} of ${finished.length} finished citizens; expected at least ${Math.round(expect.minServedFraction * 100)}%`);
  }
  if (expect.maxSafetyViolations !== undefined && summaryBase.safetyViolations > expect.maxSafetyViolations) {
    failedExpectations.push(`${summaryBase.safetyViolations} safety violations; at most ${expect.maxSafetyViolations} allowed`);
  }
  if (expect.minEscortSuccessFraction !== undefined && escorted.length > 0 && escortsSucceeded.length / escorted.length < expect.minEscortSuccessFraction) {
    failedExpectations.push(`${escortsSucceeded.length} of ${escorted.length} escorts reached the counter; expected at least ${Math.round(expect.minEscortSuccessFraction * 100)}%`);
  }
  const summary: RunSummary = {
    ...summaryBase,
    expectationsMet: failedExpectations.length === 0,
    simSeconds: round1(world.timeS),
    wallSeconds: Math.round((performance.now() - wallStart) / 10) / 100,
  };
  requests?.close();
  if (requestsDatabase !== options.database) requestsDatabase?.close();
  return { summary, failedExpectations, citizens, events: world.events, records, trace, series, timeToCounterS, map, world };
}

/** Mean seconds from reaching a counter to being served there, per field with anyone served. */
export function counterWaitsByField(citizens: readonly Citizen[]): Record<string, number> {
  const waits = new Map<string, number[]>();
  for (const c of citizens) {
    if (c.servedS === null || c.reachedCounterS === null) continue;
    waits.set(c.field, [...(waits.get(c.field) ?? []), c.servedS - c.reachedCounterS]);
  }
  return Object.fromEntries([...waits].sort(([a], [b]) => (a < b ? -1 : 1)).map(([field, w]) => [field, round1(w.reduce((a, b) => a + b, 0) / w.length)]));
}

/** Whether the counter a citizen reached serves their procedure's field. */
export function reachedRightCounter(citizen: Citizen, places: World['places']): boolean {
  const counter = places.find((p) => p.id === citizen.counterId);
  return counter !== undefined && counter.fields.includes(citizen.field);
}
