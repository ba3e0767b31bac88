import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { TextListener } from '../adapters/text/text-listener.js';
import type { Controller, ControllerRecord } from '../app/controller.js';
import type { RequestStore } from '../civic/requests/sealed-store.js';
import { openConsoleAudit } from './audit-log.js';
import { controllerBackend, maskTranscript, type LobbyBackend } from './controller-backend.js';
import type { ConsoleRecord } from './protocol.js';
import { isLoopbackAddress, startConsoleServer, type ConsoleLimits, type ConsoleServer } from './server.js';
import { describeStatechart } from './statechart-tree.js';
import { openUserStore, type UserStore } from './users.js';
import { mapToPng } from '../maps/map-image.js';
import { logRecord } from '../observability/log.js';
import { createControllerMetrics, type ControllerMetrics } from '../observability/metrics.js';
import type { Catalog } from '../ports/catalog.js';
import type { Pose2D } from '../ports/common.js';
import type { Queue } from '../ports/queue.js';
import type { Place } from '../ports/robot-base.js';
import type { Database } from '../store/database.js';
import { guideMachine } from '../../statecharts/guide.machine.js';
import type { OccupancyMap } from '../maps/map.js';

export const ROBOT_ID = 'robot-1';
/** Telemetry rate: 10 Hz is smooth on a map and cheap for hundreds of clients. */
const TELEMETRY_PERIOD_MS = 100;
/** The queue changes when a ticket is issued or called, by the robot or by a counter: it is checked this often. */
const QUEUE_PERIOD_MS = 500;

/** Millimetres and milliseconds are enough for a map and a log, and keep frames small. */
export function round(value: number, decimals: number): number {
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

/** The robot as the map shows it, whatever drives it: the simulator or ROS 2. */
export interface RobotView {
  readonly pose: Pose2D;
  readonly linearMps: number;
  readonly batteryPercent: number;
  readonly path: readonly { readonly xM: number; readonly yM: number }[];
  readonly people: readonly { readonly id: string; readonly xM: number; readonly yM: number }[];
}

export interface LobbyConsoleOptions {
  readonly host: string;
  readonly port: number;
  /** The process's database, for accounts and the console audit; its owner closes it. */
  readonly database: Database;
  readonly webRoot: string | null;
  readonly catalog: Catalog;
  readonly limits?: Partial<ConsoleLimits>;
  /** A message that failed the protocol's schema and was not sent; default: a line on stderr. */
  readonly onInvalidOutgoing?: (type: string, reason: string) => void;
  /** `GET /metrics` to any address that reaches the console, not only this machine; default false. */
  readonly metricsPublic?: boolean;
  /** Every controller record as one JSON line (see src/observability/log.ts); absent: none. */
  readonly log?: Logger;
  /** Allowed origins and audit retention (docs/console-protocol.md, "Security"); defaults when absent. */
  readonly security?: ConsoleSecurity;
}

export interface ConsoleSecurity {
  /** Origins whose pages may log in and open the socket; default: the console's own as it listens. */
  readonly allowedOrigins?: readonly string[];
  /** Days the console audit keeps a row; default DEFAULT_AUDIT_RETENTION_DAYS (90). */
  readonly auditRetentionDays?: number;
}

export interface LobbyConsole {
  readonly server: ConsoleServer;
  /** This controller's Prometheus metrics, served at `/metrics`. */
  readonly metrics: ControllerMetrics;
  readonly users: UserStore;
  /** Set on first start when no admin existed: shown once. */
  readonly firstAdmin: { readonly name: string; readonly password: string } | null;
  /** Connects the running controller: commands, snapshot, telemetry at 10 Hz and queue changes start. */
  attach(parts: {
    readonly controller: Controller;
    readonly listener: TextListener;
    readonly queue: Queue;
    readonly map: OccupancyMap;
    readonly places: readonly Place[];
    readonly requests: RequestStore | null;
    /** The robot now; `tS` is the controller's clock in seconds. */
    readonly view: () => RobotView;
    readonly tS: () => number;
  }): LobbyBackend;
  /** Every controller record goes out: masked, with state changes and alerts as their own messages; it is counted and logged too. */
  record(tS: number, record: ControllerRecord): void;
  close(): Promise<void>;
}

/**
 * The console for a running controller: one server for the pages and the socket, accounts and the
 * audit in the robot's SQLite file. Used the same way on the simulator and on a robot.
 */
export async function openLobbyConsole(options: LobbyConsoleOptions): Promise<LobbyConsole> {
  const users = openUserStore(options.database);
  const firstAdmin = users.ensureAdmin();
  const retentionDays = options.security?.auditRetentionDays;
  const consoleAudit = openConsoleAudit(options.database, retentionDays !== undefined ? { retentionDays } : {});
  let backend: LobbyBackend | null = null;
  let server: ConsoleServer;
  const metrics = createControllerMetrics({ processMetrics: true });
  try {
    server = await startConsoleServer({
      host: options.host,
      port: options.port,
      users,
      webRoot: options.webRoot,
      audit: (r) => consoleAudit.write(r),
      ...(options.limits !== undefined ? { limits: options.limits } : {}),
      ...(options.security?.allowedOrigins !== undefined ? { allowedOrigins: options.security.allowedOrigins } : {}),
      onInvalidOutgoing: options.onInvalidOutgoing ?? ((type, reason) => process.stderr.write(`console: dropped an invalid ${type} message (${reason})\n`)),
      metrics: {
        registry: metrics.registry,
        observeEstopSeconds: metrics.observeEstopSeconds,
        allowFrom: options.metricsPublic === true ? () => true : isLoopbackAddress,
      },
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
  metrics.setConsoleClients(() => server.clients());
  const timers: NodeJS.Timeout[] = [];
  return {
    server,
    metrics,
    users,
    firstAdmin,
    attach({ controller, listener, queue, map, places, requests, view, tS }) {
      const lobby = {
        info: {
          map: { width: map.width, height: map.height, resolutionM: map.resolutionM, origin: map.origin },
          places,
          procedures: options.catalog.procedures().map((p) => ({ id: p.id, field: p.field, names: p.names })),
          statechart: describeStatechart(guideMachine),
        },
        mapPng: mapToPng(map),
      };
      const b = controllerBackend(ROBOT_ID, { controller, listener, queue, places, requests, lobby });
      b.onAlertAcked = (alertId, by) => server.broadcast({ type: 'alert.acked', alertId, by }, 'essential');
      backend = b;
      metrics.setQueueStatus(() => queue.status());
      timers.push(
        setInterval(() => {
          if (server.clients() === 0) return;
          const robot = view();
          server.broadcast(
            {
              type: 'telemetry',
              tS: round(tS(), 3),
              atMs: round(performance.timeOrigin + performance.now(), 3),
              pose: { xM: round(robot.pose.xM, 3), yM: round(robot.pose.yM, 3), yawRad: round(robot.pose.yawRad, 3) },
              linearMps: round(robot.linearMps, 3),
              batteryPercent: round(robot.batteryPercent, 1),
              path: robot.path.map((p) => ({ xM: round(p.xM, 2), yM: round(p.yM, 2) })),
              people: robot.people.map((p) => ({ id: p.id, xM: round(p.xM, 2), yM: round(p.yM, 2) })),
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
      return b;
    },
    record(tS, record) {
      metrics.observe(record, tS * 1000);
      if (options.log !== undefined) logRecord(options.log, tS, record);
      server.broadcast({ type: 'record', tS: round(tS, 3), record: forConsole(record) }, 'essential');
      if (backend === null) return;
      if (record.kind === 'state') server.broadcast({ type: 'states', active: backend.activeStates() }, 'essential');
      if (record.kind === 'alert') server.broadcast({ type: 'alert', alert: backend.raiseAlert(record.alert, round(tS, 3)) }, 'essential');
    },
    async close() {
      for (const t of timers) clearInterval(t);
      // The queue closes after the console: a late scrape must not read it.
      metrics.setQueueStatus(null);
      await server.close();
      users.close();
      consoleAudit.close();
    },
  };
}
