import type { ControllerFigures } from '../src/app/controller-figures.js';
import type { Place } from '../src/ports/robot-base.js';
import { percentile, round1 } from '../src/stats.js';
import type { Citizen } from './citizens.js';
import type { Scenario } from './scenario.js';
import type { World } from './world.js';

/**
 * The `--json` summary: stable keys, deterministic for a seed except `wallSeconds`. The lobby's
 * figures (without the lists) and the controller's.
 */
export interface RunSummary extends Omit<LobbyFigures, 'failedExpectations' | 'timeToCounterS'> {
  readonly handoffs: number;
  readonly ticketsIssued: number;
  /** With ID scans: requests pre-filled from cards, cards that did not read. */
  readonly requestsPrefilled: number;
  readonly idReadsFailed: number;
  readonly expectationsMet: boolean;
  readonly wallSeconds: number;
}

/**
 * What the lobby itself knows at the end of a run: its citizens, the world's safety record and
 * faults, and the scenario's expectations judged on them. The rest (tickets, requests, handoffs) is
 * the controller's: `summaryOf` puts the two together.
 */
export interface LobbyFigures {
  readonly scenario: string;
  readonly seed: number;
  readonly citizens: number;
  readonly served: number;
  readonly toldRightProcedure: number;
  readonly escorts: number;
  readonly escortsSucceeded: number;
  readonly escortsAbandoned: number;
  readonly walkedAlone: number;
  readonly meanWaitS: number;
  readonly p95TimeToCounterS: number;
  readonly safetyViolations: number;
  readonly faultsInjected: number;
  readonly faultsSurvived: number;
  /** With ID scans: consents declined. */
  readonly idScansDeclined: number;
  /** Mean seconds from reaching a counter to being served there, per field with anyone served. */
  readonly meanCounterWaitSByField: Readonly<Record<string, number>>;
  readonly simSeconds: number;
  readonly failedExpectations: readonly string[];
  readonly timeToCounterS: readonly number[];
}

export function lobbyFigures(scenario: Scenario, seed: number, citizens: readonly Citizen[], world: World, places: readonly Place[]): LobbyFigures {
  const served = citizens.filter((c) => c.reachedCounterS !== null && reachedRightCounter(c, places));
  const escorted = citizens.filter((c) => c.escortStarted);
  const escortsSucceeded = citizens.filter((c) => c.reachedByEscort && reachedRightCounter(c, places));
  const waits = citizens.filter((c) => c.greetedS !== null).map((c) => c.greetedS! - c.arrivedS);
  const timeToCounterS = escortsSucceeded.map((c) => round1(c.reachedCounterS! - c.arrivedS));
  const faultsInjected = [...world.eventCounts]
    .filter(([kind]) => kind.startsWith('fault.') && kind !== 'fault.cleared')
    .reduce((sum, [, n]) => sum + n, 0);
  const safetyViolations = world.stats.safetyViolations;
  const failedExpectations: string[] = [];
  const expect = scenario.expect;
  // Citizens still on their way at the end are not counted against the run.
  const finished = citizens.filter((c) => c.phase !== 'queueing' && c.phase !== 'approaching' && c.phase !== 'talking' && c.phase !== 'following');
  if (expect.minServedFraction !== undefined && finished.length > 0 && served.length / finished.length < expect.minServedFraction) {
    failedExpectations.push(`served ${served.length} of ${finished.length} finished citizens; expected at least ${Math.round(expect.minServedFraction * 100)}%`);
  }
  if (expect.maxSafetyViolations !== undefined && safetyViolations > expect.maxSafetyViolations) {
    failedExpectations.push(`${safetyViolations} safety violations; at most ${expect.maxSafetyViolations} allowed`);
  }
  if (expect.minEscortSuccessFraction !== undefined && escorted.length > 0 && escortsSucceeded.length / escorted.length < expect.minEscortSuccessFraction) {
    failedExpectations.push(`${escortsSucceeded.length} of ${escorted.length} escorts reached the counter; expected at least ${Math.round(expect.minEscortSuccessFraction * 100)}%`);
  }
  return {
    scenario: scenario.name,
    seed,
    citizens: citizens.length,
    served: served.length,
    toldRightProcedure: citizens.filter((c) => c.told.includes(c.procedureId)).length,
    escorts: escorted.length,
    escortsSucceeded: escortsSucceeded.length,
    escortsAbandoned: citizens.filter((c) => c.escortGaveUp).length,
    walkedAlone: citizens.filter((c) => c.reachedCounterS !== null && !c.reachedByEscort).length,
    meanWaitS: round1(waits.length > 0 ? waits.reduce((a, b) => a + b, 0) / waits.length : 0),
    p95TimeToCounterS: round1(percentile(timeToCounterS, 0.95)),
    safetyViolations,
    faultsInjected,
    // A fault is survived when no safety violation followed it and the robot was back at work afterwards.
    faultsSurvived: safetyViolations === 0 ? faultsInjected : 0,
    idScansDeclined: citizens.filter((c) => c.declinesIdScan && c.greetedS !== null).length,
    meanCounterWaitSByField: counterWaitsByField(citizens),
    simSeconds: round1(world.timeS),
    failedExpectations,
    timeToCounterS,
  };
}

/** The summary, keys in their documented order, from the lobby's figures and the controller's. */
export function summaryOf(lobby: LobbyFigures, controller: ControllerFigures, wallSeconds: number): RunSummary {
  return {
    scenario: lobby.scenario,
    seed: lobby.seed,
    citizens: lobby.citizens,
    served: lobby.served,
    toldRightProcedure: lobby.toldRightProcedure,
    escorts: lobby.escorts,
    escortsSucceeded: lobby.escortsSucceeded,
    escortsAbandoned: lobby.escortsAbandoned,
    handoffs: controller.handoffs,
    walkedAlone: lobby.walkedAlone,
    meanWaitS: lobby.meanWaitS,
    p95TimeToCounterS: lobby.p95TimeToCounterS,
    safetyViolations: lobby.safetyViolations,
    faultsInjected: lobby.faultsInjected,
    faultsSurvived: lobby.faultsSurvived,
    ticketsIssued: controller.ticketsIssued,
    requestsPrefilled: controller.requestsPrefilled,
    idScansDeclined: lobby.idScansDeclined,
    idReadsFailed: controller.idReadsFailed,
    meanCounterWaitSByField: lobby.meanCounterWaitSByField,
    expectationsMet: lobby.failedExpectations.length === 0,
    simSeconds: lobby.simSeconds,
    wallSeconds,
  };
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
export function reachedRightCounter(citizen: Citizen, places: readonly Place[]): boolean {
  const counter = places.find((p) => p.id === citizen.counterId);
  return counter !== undefined && counter.fields.includes(citizen.field);
}
