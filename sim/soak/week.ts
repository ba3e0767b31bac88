import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteQueue } from '../../src/civic/queue/sqlite-queue.js';
import type { Catalog } from '../../src/ports/catalog.js';
import { openDatabase } from '../../src/store/database.js';
import type { Citizen } from '../citizens.js';
import { isFree } from '../../src/maps/map.js';
import { Random } from '../../src/util/random.js';
import { counterWaitsByField, lobbyOf, runScenario, SIM_EPOCH_MS, type RunSummary } from '../runner.js';
import { percentile, round1 } from '../../src/stats.js';
import type { FaultSpec, Scenario } from '../scenario.js';
import { ChildControllerHost, type LifecycleEvent } from './child-host.js';

const DAY_MS = 86_400_000;

/** One service day of the soak, as the report lists it. */
export interface SoakDay {
  readonly day: number;
  readonly citizens: number;
  readonly served: number;
  readonly escorts: number;
  readonly escortsSucceeded: number;
  readonly escortsHandedOff: number;
  readonly escortsStranded: number;
  readonly ticketsIssued: number;
  readonly ticketsLost: number;
  readonly ticketsDuplicated: number;
  readonly faultsInjected: number;
  readonly faultsSurvived: number;
  readonly safetyViolations: number;
  readonly kills: number;
  readonly restarts: number;
  /** The controller process's resident memory as the day opens and as it closes. */
  readonly rssStartMb: number | null;
  readonly rssEndMb: number | null;
  readonly wallSeconds: number;
}

/** The foundation's `--json` keys over the whole run, plus what the soak adds. */
export interface SoakSummary extends RunSummary {
  readonly days: number;
  readonly restarts: number;
  readonly unplannedExits: number;
  readonly ticketsLost: number;
  readonly ticketsDuplicated: number;
  readonly escortsHandedOff: number;
  readonly escortsStranded: number;
  /** At the opening of the first day and the close of the last. */
  readonly rssStartMb: number | null;
  readonly rssEndMb: number | null;
  /** Operator alerts raised over the run, by kind (the statechart's and the watchdogs'). */
  readonly alerts: Readonly<Record<string, number>>;
  /** From the close of the first day to the close of the last, in percent of the first. */
  readonly memoryGrowthPct: number | null;
  readonly daily: readonly SoakDay[];
}

export interface SoakOptions {
  readonly scenario: Scenario;
  readonly seed?: number;
  readonly speed: 'max' | number;
  /** `keyword`, or an intent model directory, for the controller process. */
  readonly intentModel: string;
  readonly catalog?: Catalog;
  readonly mapPath?: string;
  /** Where the controller's database goes; default a fresh temporary directory, removed at the end. */
  readonly workDir?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (simS: number, durationS: number) => void;
  readonly onLifecycle?: (event: LifecycleEvent & { readonly day: number }) => void;
}

export interface SoakResult {
  readonly summary: SoakSummary;
  readonly failedExpectations: readonly string[];
}

/**
 * The day's random faults, of the kinds the scenario allows, at random moments of the open hours
 * (not in the last half hour, so the day can end quietly). A blocked corridor goes halfway between
 * two places, where the robot walks.
 */
export function drawDayFaults(scenario: Scenario, random: Random, free: (p: { xM: number; yM: number }) => boolean, places: readonly { pose: { xM: number; yM: number } }[]): FaultSpec[] {
  const plan = scenario.randomFaults;
  if (plan === undefined) return [];
  const lastS = Math.max(60, scenario.durationS - 1800);
  const faults: FaultSpec[] = [];
  for (let i = 0; i < plan.perDay; i += 1) {
    const atS = Math.round(random.between(60, lastS));
    const durationS = Math.round(random.between(plan.durationS[0], plan.durationS[1]));
    const kind = random.pick(plan.kinds);
    switch (kind) {
      case 'blocked_corridor': {
        const a = random.pick(places).pose;
        const b = random.pick(places).pose;
        const mid = { xM: (a.xM + b.xM) / 2, yM: (a.yM + b.yM) / 2 };
        const at = free(mid) ? mid : a;
        faults.push({ kind, atS, durationS, at: { x: Math.round(at.xM * 10) / 10, y: Math.round(at.yM * 10) / 10 }, radiusM: 1 });
        break;
      }
      case 'nav_abort':
        faults.push({ kind, atS });
        break;
      case 'battery_drain':
        faults.push({ kind, atS, percent: Math.round(random.between(10, 60)) });
        break;
      case 'localization_loss':
      case 'link_loss':
        // Localisation and link come back within a minute or two, or an operator is called anyway.
        faults.push({ kind, atS, durationS: Math.min(durationS, 120) });
        break;
    }
  }
  return faults;
}

interface TicketCheck {
  readonly lost: number;
  readonly duplicated: number;
}

/**
 * Tickets against the controller's own queue, read from its file through the Queue port: every
 * number the controller announced, and every number a citizen holds, must be found on that service
 * day (else lost); no number may be announced twice. The controller's process has the file open
 * too; WAL lets this one read beside it.
 */
function checkTickets(dbFile: string, dayAtMs: number, announced: readonly string[], held: readonly string[]): TicketCheck {
  const database = openDatabase(dbFile);
  try {
    const queue = openSqliteQueue(database, () => dayAtMs);
    const lost = new Set([...announced, ...held].filter((n) => queue.find(n) === null));
    const duplicated = announced.length - new Set(announced).size + (held.length - new Set(held).size);
    return { lost: lost.size, duplicated };
  } finally {
    database.close();
  }
}

/** A citizen whose escort ended with neither the counter reached nor staff told. */
function stranded(c: Citizen): boolean {
  return c.escortStarted && c.reachedCounterS === null && !c.handedOff && !c.escortGaveUp && !c.staffAlerted;
}

/**
 * A soak: the scenario's days one after another, each with new citizens and its own random faults,
 * with the controller in a child process that is killed and restarted as the scenario says. The
 * controller keeps its queue and checkpoint in one SQLite file across processes and days.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const wallStart = performance.now();
  const scenario = options.scenario;
  const seed = options.seed ?? scenario.seed;
  const { map, places } = lobbyOf(scenario, options.mapPath);
  const random = new Random(seed);
  const faultRandom = random.fork(11);
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'tiepdan-soak-'));
  const dbFile = join(workDir, 'controller.sqlite');
  let day = 0;
  const host = new ChildControllerHost({
    dbFile,
    intentModel: options.intentModel,
    idScans: scenario.idScans.enabled,
    dataKeyHex: randomBytes(32).toString('hex'),
    kills: scenario.controllerKills ?? null,
    random: random.fork(12),
    dayLengthS: scenario.durationS,
    ...(options.onLifecycle !== undefined ? { onLifecycle: (event: LifecycleEvent) => options.onLifecycle!({ ...event, day: day + 1 }) } : {}),
  });
  const daily: SoakDay[] = [];
  const summaries: RunSummary[] = [];
  const citizens: Citizen[] = [];
  const timeToCounterS: number[] = [];
  const failedExpectations: string[] = [];
  const alerts = new Map<string, number>();
  try {
    for (day = 0; day < scenario.days; day += 1) {
      if (options.signal?.aborted === true) break;
      const dayWallStart = performance.now();
      const killsBefore = host.kills;
      const restartsBefore = host.restarts;
      const ticketsBefore = host.ticketRecords.length;
      const daySeed = (seed + day * 7919) >>> 0;
      const dayScenario: Scenario = { ...scenario, faults: [...scenario.faults, ...drawDayFaults(scenario, faultRandom, (p) => isFree(map, p), places)] };
      let rssStartMb: number | null = null;
      let rssEndMb: number | null = null;
      const result = await runScenario({
        scenario: dayScenario,
        seed: daySeed,
        speed: options.speed,
        host: {
          attach: async (ports) => {
            await host.attach(ports);
            rssStartMb = await host.rssMb();
          },
          settle: () => host.settle(),
          detach: async () => {
            rssEndMb = await host.rssMb();
            await host.detach();
          },
        },
        epochMs: SIM_EPOCH_MS + day * DAY_MS,
        // The doors close at the end of the day; the robot finishes with those inside.
        finishServingMaxS: 7200,
        ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}),
        ...(options.catalog !== undefined ? { catalog: options.catalog } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        onRecord: (_tS, record) => {
          if (record.kind === 'alert') alerts.set(record.alert, (alerts.get(record.alert) ?? 0) + 1);
        },
        onProgress: (simS) => options.onProgress?.(day * scenario.durationS + simS, scenario.days * scenario.durationS),
      });
      const announced = host.ticketRecords.slice(ticketsBefore).map((t) => t.number);
      const held = result.citizens.flatMap((c) => (c.ticket !== null ? [c.ticket] : []));
      const tickets = checkTickets(dbFile, SIM_EPOCH_MS + day * DAY_MS, announced, held);
      const s = result.summary;
      summaries.push(s);
      citizens.push(...result.citizens);
      timeToCounterS.push(...result.timeToCounterS);
      failedExpectations.push(...result.failedExpectations.map((f) => `day ${day + 1}: ${f}`));
      daily.push({
        day: day + 1,
        citizens: s.citizens,
        served: s.served,
        escorts: s.escorts,
        escortsSucceeded: s.escortsSucceeded,
        escortsHandedOff: result.citizens.filter((c) => c.escortStarted && (c.handedOff || c.escortGaveUp || c.staffAlerted) && !c.reachedByEscort).length,
        escortsStranded: result.citizens.filter(stranded).length,
        ticketsIssued: s.ticketsIssued,
        ticketsLost: tickets.lost,
        ticketsDuplicated: tickets.duplicated,
        faultsInjected: s.faultsInjected,
        faultsSurvived: s.faultsSurvived,
        safetyViolations: s.safetyViolations,
        kills: host.kills - killsBefore,
        restarts: host.restarts - restartsBefore,
        rssStartMb,
        rssEndMb,
        wallSeconds: Math.round((performance.now() - dayWallStart) / 10) / 100,
      });
    }
  } finally {
    await host.close();
    if (options.workDir === undefined) rmSync(workDir, { recursive: true, force: true });
  }

  const sum = (pick: (s: RunSummary) => number): number => summaries.reduce((total, s) => total + pick(s), 0);
  const sumDays = (pick: (d: SoakDay) => number): number => daily.reduce((total, d) => total + pick(d), 0);
  const waits = citizens.filter((c) => c.greetedS !== null).map((c) => c.greetedS! - c.arrivedS);
  const firstEnd = daily[0]?.rssEndMb ?? null;
  const lastEnd = daily.at(-1)?.rssEndMb ?? null;
  const summary: SoakSummary = {
    scenario: scenario.name,
    seed,
    citizens: sum((s) => s.citizens),
    served: sum((s) => s.served),
    toldRightProcedure: sum((s) => s.toldRightProcedure),
    escorts: sum((s) => s.escorts),
    escortsSucceeded: sum((s) => s.escortsSucceeded),
    escortsAbandoned: sum((s) => s.escortsAbandoned),
    handoffs: sum((s) => s.handoffs),
    walkedAlone: sum((s) => s.walkedAlone),
    meanWaitS: round1(waits.length > 0 ? waits.reduce((a, b) => a + b, 0) / waits.length : 0),
    p95TimeToCounterS: round1(percentile(timeToCounterS, 0.95)),
    safetyViolations: sum((s) => s.safetyViolations),
    faultsInjected: sum((s) => s.faultsInjected) + host.kills,
    // A kill is survived when its restart came and nothing was lost or stranded over the run.
    faultsSurvived: sum((s) => s.faultsSurvived) + (sumDays((d) => d.ticketsLost + d.escortsStranded) === 0 ? host.restarts : 0),
    ticketsIssued: sum((s) => s.ticketsIssued),
    requestsPrefilled: sum((s) => s.requestsPrefilled),
    idScansDeclined: sum((s) => s.idScansDeclined),
    idReadsFailed: sum((s) => s.idReadsFailed),
    meanCounterWaitSByField: counterWaitsByField(citizens),
    expectationsMet: false,
    simSeconds: sum((s) => s.simSeconds),
    wallSeconds: Math.round((performance.now() - wallStart) / 10) / 100,
    days: daily.length,
    restarts: host.restarts,
    unplannedExits: host.unplannedExits,
    ticketsLost: sumDays((d) => d.ticketsLost),
    ticketsDuplicated: sumDays((d) => d.ticketsDuplicated),
    escortsHandedOff: sumDays((d) => d.escortsHandedOff),
    escortsStranded: sumDays((d) => d.escortsStranded),
    rssStartMb: daily[0]?.rssStartMb ?? null,
    rssEndMb: lastEnd,
    alerts: Object.fromEntries([...alerts].sort(([a], [b]) => (a < b ? -1 : 1))),
    memoryGrowthPct: firstEnd !== null && lastEnd !== null ? round1((100 * (lastEnd - firstEnd)) / firstEnd) : null,
    daily,
  };
  // The soak's own promises: nothing lost, nobody stranded, nothing unsafe, no crash of its own.
  if (summary.ticketsLost > 0) failedExpectations.push(`${summary.ticketsLost} tickets lost`);
  if (summary.ticketsDuplicated > 0) failedExpectations.push(`${summary.ticketsDuplicated} tickets issued twice`);
  if (summary.escortsStranded > 0) failedExpectations.push(`${summary.escortsStranded} escorts ended with neither the counter nor staff`);
  if (summary.safetyViolations > 0) failedExpectations.push(`${summary.safetyViolations} safety violations`);
  if (summary.unplannedExits > 0) failedExpectations.push(`the controller process ended on its own ${summary.unplannedExits} times`);
  if (summary.memoryGrowthPct !== null && summary.memoryGrowthPct >= 10) failedExpectations.push(`controller memory grew ${summary.memoryGrowthPct}% from day 1 to the last day`);
  return { summary: { ...summary, expectationsMet: failedExpectations.length === 0 }, failedExpectations };
}
