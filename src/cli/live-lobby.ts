import type { Logger } from 'pino';
import type { ControllerRecord } from '../app/controller.js';
import type { WatchdogAlertRelay } from '../app/watchdog-alerts.js';
import type { Catalog } from '../ports/catalog.js';
import type { IntentModel } from '../ports/intent-model.js';
import type { Queue } from '../ports/queue.js';
import type { RequestStore } from '../civic/requests/sealed-store.js';
import type { Database } from '../store/database.js';
import type { LobbyBackend } from '../console/controller-backend.js';
import type { ConsoleLimits, ConsoleServer } from '../console/server.js';
import type { UserStore } from '../console/users.js';
import type { EventLoopWatchdogSettings } from '../observability/event-loop-watchdog.js';
import { inProcessHost } from '../app/in-process-host.js';
import type { ControllerMetrics } from '../observability/metrics.js';
import { runScenario, type RunResult } from '../../sim/runner.js';
import type { Scenario } from '../../sim/scenario.js';
import type { World } from '../../sim/world.js';
import { openLobbyConsole, type ConsoleSecurity } from '../console/lobby-console.js';

export interface LiveLobbyOptions {
  readonly scenario: Scenario;
  readonly intentModel: IntentModel;
  readonly catalog: Catalog;
  readonly queue: Queue;
  /** The process's database, for accounts, the console audit and pre-filled requests; its owner closes it. */
  readonly database: Database;
  readonly dataKey: Buffer | null;
  readonly host: string;
  readonly port: number;
  readonly speed: 'max' | number;
  readonly webRoot: string | null;
  readonly epochMs?: number;
  readonly seed?: number;
  readonly mapPath?: string;
  readonly requestRetentionMs?: number;
  readonly limits?: Partial<ConsoleLimits>;
  readonly signal: AbortSignal;
  readonly onRecord?: (tS: number, record: ControllerRecord) => void;
  /** A message that failed the protocol's schema and was not sent; default: a line on stderr. */
  readonly onInvalidOutgoing?: (type: string, reason: string) => void;
  /** `GET /metrics` to any address, not only this machine; default false. */
  readonly metricsPublic?: boolean;
  /** Allowed origins and audit retention; defaults when absent. */
  readonly security?: ConsoleSecurity;
  /** Every controller record as one JSON line; absent: none. */
  readonly log?: Logger;
  /** Alerts from parts built before the lobby (the intent model's fallback), published as the controller's own. */
  readonly watchdogAlerts?: WatchdogAlertRelay;
  /**
   * The event-loop watchdog (defaults in DEFAULT_EVENT_LOOP_WATCHDOG); `false`: none. Default: on at
   * a paced speed, off at `max`, where the simulation keeps the loop busy by design.
   */
  readonly eventLoopWatchdog?: Partial<EventLoopWatchdogSettings> | false;
}

export interface Started {
  readonly backend: LobbyBackend;
  readonly requests: RequestStore | null;
  /** The simulated lobby itself (benchmarks time the base's stop through it). */
  readonly world: World;
}

export interface LiveLobby {
  readonly server: ConsoleServer;
  readonly metrics: ControllerMetrics;
  readonly users: UserStore;
  /** Set on first start when no admin existed: shown once. */
  readonly firstAdmin: { readonly name: string; readonly password: string } | null;
  /** Resolves once the controller runs (the console then has a robot to show). */
  readonly started: Promise<Started>;
  /** The simulation's end: the scenario's duration, or the signal. Closes the server and stores. */
  readonly done: Promise<RunResult>;
}

/**
 * The controller on the simulated lobby with its console: one server for the pages and the socket,
 * telemetry at 10 Hz, records, state changes, queue changes and alerts pushed as they happen.
 */
export async function startLiveLobby(options: LiveLobbyOptions): Promise<LiveLobby> {
  const lobbyConsole = await openLobbyConsole({
    host: options.host,
    port: options.port,
    database: options.database,
    webRoot: options.webRoot,
    catalog: options.catalog,
    limits: options.limits,
    onInvalidOutgoing: options.onInvalidOutgoing,
    metricsPublic: options.metricsPublic,
    log: options.log,
    security: options.security,
  });
  let markStarted: (value: Started) => void = () => {};
  const started = new Promise<Started>((resolve) => (markStarted = resolve));
  let world: World | null = null;
  const loopSettings = options.eventLoopWatchdog ?? (options.speed === 'max' ? false : {});
  const host = inProcessHost({
    intentModel: options.intentModel,
    catalog: options.catalog,
    queue: options.queue,
    database: options.database,
    dataKey: options.dataKey,
    ...(options.requestRetentionMs !== undefined ? { requestRetentionMs: options.requestRetentionMs } : {}),
    console: lobbyConsole,
    ...(options.watchdogAlerts !== undefined ? { watchdogAlerts: options.watchdogAlerts } : {}),
    ...(loopSettings !== false ? { eventLoopWatchdog: loopSettings } : {}),
    onComposed: (composed, requests) => markStarted({ backend: composed.backend!, requests, world: world! }),
  });

  const done = runScenario({
    scenario: options.scenario,
    host,
    catalog: options.catalog,
    speed: options.speed,
    signal: options.signal,
    ...(options.epochMs !== undefined ? { epochMs: options.epochMs } : {}),
    ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    onWorld: (w) => (world = w),
    ...(options.onRecord !== undefined ? { onRecord: options.onRecord } : {}),
  }).finally(() => lobbyConsole.close());
  // An early failure must not leave `started` waiting forever.
  done.catch(() => {});
  const startedOrEnded = Promise.race([started, done.then(() => Promise.reject(new Error('the simulation ended before it started')))]);
  startedOrEnded.catch(() => {});
  return { server: lobbyConsole.server, metrics: lobbyConsole.metrics, users: lobbyConsole.users, firstAdmin: lobbyConsole.firstAdmin, started: startedOrEnded, done };
}
