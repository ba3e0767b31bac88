import type { ControllerRecord } from '../app/controller.js';
import type { Catalog } from '../ports/catalog.js';
import type { IntentModel } from '../ports/intent-model.js';
import type { Queue } from '../ports/queue.js';
import type { RequestStore } from '../civic/requests/sealed-store.js';
import { openConsoleAudit } from '../console/audit-log.js';
import { controllerBackend, maskTranscript, type LobbyBackend } from '../console/controller-backend.js';
import type { ConsoleRecord } from '../console/protocol.js';
import { startConsoleServer, type ConsoleLimits, type ConsoleServer } from '../console/server.js';
import { describeStatechart } from '../console/statechart-tree.js';
import { openUserStore, type UserStore } from '../console/users.js';
import { guideMachine } from '../../statecharts/guide.machine.js';
import { performance } from 'node:perf_hooks';
import type { OccupancyMap } from '../../sim/map.js';
import { encodePng } from '../../sim/png.js';
import { runScenario, type RunResult } from '../../sim/runner.js';
import type { Scenario } from '../../sim/scenario.js';
import type { World } from '../../sim/world.js';

export const ROBOT_ID = 'robot-1';
/** Telemetry rate: 10 Hz is smooth on a map and cheap for hundreds of clients. */
const TELEMETRY_PERIOD_MS = 100;
/** The queue changes when a ticket is issued or called, by the robot or by a counter: it is checked this often. */
const QUEUE_PERIOD_MS = 500;

/** Millimetres and milliseconds are enough for a map and a log, and keep frames small. */
function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** What the console may see of a record: transcripts with long numbers masked, cards as already masked. */
export function forConsole(record: ControllerRecord): ConsoleRecord {
  switch (record.kind) {
    case 'heard':
      return { ...record, text: maskTranscript(record.text) };
    case 'said':
      return { ...record, text: maskTranscript(record.text), params: { ...record.params, ...(record.params.text !== undefined ? { text: maskTranscript(record.params.text) } : {}) } };
    case 'nav':
      return { ...record, result: record.result === null ? null : { ...record.result } };
    case 'idRead':
      return { ...record, cards: record.cards.map((c) => ({ ...c })) };
    case 'idRejected':
      return { ...record, codes: [...record.codes] };
    default:
      return record;
  }
}

/** The occupancy grid as the console draws it: walls dark, free floor light; row 0 of the PNG is the top. */
export function mapImage(map: OccupancyMap): Buffer {
  const rgba = new Uint8Array(map.width * map.height * 4);
  for (let gy = 0; gy < map.height; gy += 1) {
    for (let gx = 0; gx < map.width; gx += 1) {
      const occupied = map.occupied[gy * map.width + gx] === 1;
      const i = ((map.height - 1 - gy) * map.width + gx) * 4;
      const v = occupied ? 70 : 245;
      rgba[i] = v;
      rgba[i + 1] = v;
      rgba[i + 2] = v;
      rgba[i + 3] = 255;
    }
  }
  return encodePng(map.width, map.height, rgba);
}

export interface LiveLobbyOptions {
  readonly scenario: Scenario;
  readonly intentModel: IntentModel;
  readonly catalog: Catalog;
  readonly queue: Queue;
  /** SQLite file for accounts, the console audit and pre-filled requests. */
  readonly dbFile: string;
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
}

export interface Started {
  readonly backend: LobbyBackend;
  readonly requests: RequestStore | null;
  /** The simulated lobby itself (benchmarks time the base's stop through it). */
  readonly world: World;
}

export interface LiveLobby {
  readonly server: ConsoleServer;
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
  const users = openUserStore(options.dbFile);
  const firstAdmin = users.ensureAdmin();
  const consoleAudit = openConsoleAudit(options.dbFile);
  let backend: LobbyBackend | null = null;
  let server: ConsoleServer;
  try {
    server = await startConsoleServer({
      host: options.host,
      port: options.port,
      users,
      webRoot: options.webRoot,
      audit: (r) => consoleAudit.write(r),
      ...(options.limits !== undefined ? { limits: options.limits } : {}),
      onInvalidOutgoing: options.onInvalidOutgoing ?? ((type, reason) => process.stderr.write(`console: dropped an invalid ${type} message (${reason})\n`)),
      backend: {
        robotId: ROBOT_ID,
        snapshot: () => backend?.snapshot() ?? { starting: true, active: [], queue: null, alerts: [] },
        command: (m, u) => backend?.command(m, u) ?? { ok: false, reason: 'the controller is starting' },
        lobby: () => backend?.lobby() ?? null,
      },
    });
  } catch (error) {
    users.close();
    consoleAudit.close();
    throw error;
  }
  const timers: NodeJS.Timeout[] = [];
  let markStarted: (value: Started) => void = () => {};
  const started = new Promise<Started>((resolve) => (markStarted = resolve));
  let simS = 0;

  const done = runScenario({
    scenario: options.scenario,
    intentModel: options.intentModel,
    catalog: options.catalog,
    queue: options.queue,
    requestsFile: options.dbFile,
    dataKey: options.dataKey,
    speed: options.speed,
    signal: options.signal,
    ...(options.epochMs !== undefined ? { epochMs: options.epochMs } : {}),
    ...(options.requestRetentionMs !== undefined ? { requestRetentionMs: options.requestRetentionMs } : {}),
    ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    onStart: ({ controller, world, listener, queue, requests }) => {
      const lobby = {
        info: {
          map: { width: world.map.width, height: world.map.height, resolutionM: world.map.resolutionM, origin: world.map.origin },
          places: world.places,
          procedures: options.catalog.procedures().map((p) => ({ id: p.id, field: p.field, names: p.names })),
          statechart: describeStatechart(guideMachine),
        },
        mapPng: mapImage(world.map),
      };
      const b = controllerBackend(ROBOT_ID, { controller, listener, queue, places: world.places, requests, lobby });
      b.onAlertAcked = (alertId, by) => server.broadcast({ type: 'alert.acked', alertId, by }, 'essential');
      backend = b;
      timers.push(
        setInterval(() => {
          const { pose } = world;
          server.broadcast(
            {
              type: 'telemetry',
              tS: round(simS, 3),
              atMs: round(performance.timeOrigin + performance.now(), 3),
              pose: { xM: round(pose.xM, 3), yM: round(pose.yM, 3), yawRad: round(pose.yawRad, 3) },
              linearMps: round(world.linearMps, 3),
              batteryPercent: round(world.batteryPercent, 1),
              path: world.currentPath.map((p) => ({ xM: round(p.xM, 2), yM: round(p.yM, 2) })),
              people: [...world.agents.values()].map((a) => ({ id: a.id, xM: round(a.position.xM, 2), yM: round(a.position.yM, 2) })),
            },
            'telemetry',
          );
        }, TELEMETRY_PERIOD_MS),
      );
      let lastQueue = '';
      timers.push(
        setInterval(() => {
          if (server.clients() === 0) return;
          const queueView = b.queueView();
          const text = JSON.stringify(queueView);
          if (text === lastQueue) return;
          lastQueue = text;
          server.broadcast({ type: 'queue', queue: queueView }, 'essential');
        }, QUEUE_PERIOD_MS),
      );
      markStarted({ backend: b, requests, world });
    },
    onRecord: (tS, record) => {
      simS = tS;
      server.broadcast({ type: 'record', tS: round(tS, 3), record: forConsole(record) }, 'essential');
      if (backend !== null) {
        if (record.kind === 'state') server.broadcast({ type: 'states', active: backend.activeStates() }, 'essential');
        if (record.kind === 'alert') server.broadcast({ type: 'alert', alert: backend.raiseAlert(record.alert, round(tS, 3)) }, 'essential');
      }
      options.onRecord?.(tS, record);
    },
  }).finally(async () => {
    for (const t of timers) clearInterval(t);
    await server.close();
    users.close();
    consoleAudit.close();
  });
  // An early failure must not leave `started` waiting forever.
  done.catch(() => {});
  const startedOrEnded = Promise.race([started, done.then(() => Promise.reject(new Error('the simulation ended before it started')))]);
  startedOrEnded.catch(() => {});
  return { server, users, firstAdmin, started: startedOrEnded, done };
}
