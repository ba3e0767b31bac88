import { openCheckpointStore, type CheckpointStore } from './checkpoint.js';
import { composeGuide, type ComposedGuide, type ConsoleLink } from './compose.js';
import type { ControllerRecord } from './controller.js';
import { InFlightCalls } from './in-flight.js';
import type { ControllerHost, LobbyPorts } from './lobby-host.js';
import type { WatchdogAlertRelay } from './watchdog-alerts.js';
import { createMemoryQueue } from '../civic/queue/memory-queue.js';
import { openRequestStore, type RequestStore } from '../civic/requests/sealed-store.js';
import type { EventLoopWatchdogSettings } from '../observability/event-loop-watchdog.js';
import type { Catalog } from '../ports/catalog.js';
import type { IntentModel } from '../ports/intent-model.js';
import type { Queue } from '../ports/queue.js';
import { openDatabase, type Database } from '../store/database.js';
import type { GuideSettings } from '../../statecharts/guide.types.js';

export const SIM_ROBOT_ID = 'robot-1';

export interface InProcessHostOptions {
  readonly intentModel: IntentModel;
  readonly catalog: Catalog;
  readonly settings?: GuideSettings;
  /** Where tickets are numbered; default: in memory, dated by the lobby's calendar. The owner closes it. */
  readonly queue?: Queue;
  /** The process's database, for pre-filled requests and the checkpoint; default: a private one in memory. The owner closes it. */
  readonly database?: Database;
  /** The data key sealing requests; default none (kept in memory only). */
  readonly dataKey?: Buffer | null;
  /** How long a pre-filled request is kept; default: until the end of its service day. */
  readonly requestRetentionMs?: number;
  readonly console?: ConsoleLink;
  readonly watchdogAlerts?: WatchdogAlertRelay;
  readonly eventLoopWatchdog?: Partial<EventLoopWatchdogSettings>;
  /** Called once the controller is composed, before it starts (the console's backend is ready then). */
  readonly onComposed?: (composed: ComposedGuide, requests: RequestStore | null) => void;
  /** Told of each day's start: whether a citizen was handed to staff after a restart. */
  readonly onStarted?: (outcome: 'fresh' | 'handedOff') => void;
}

/**
 * The controller in the lobby driver's own process, on the lobby's virtual clock: composed anew for
 * each day, its model's calls awaited before simulated time moves on, so the same seed gives the same run.
 */
export function inProcessHost(options: InProcessHostOptions): ControllerHost {
  const inFlight = new InFlightCalls();
  const intentModel = inFlight.track(options.intentModel);
  let day: { composed: ComposedGuide; requests: RequestStore | null; checkpoints: CheckpointStore; queue: Queue; database: Database; ownsQueue: boolean } | null = null;
  return {
    async attach(ports: LobbyPorts) {
      const queue = options.queue ?? createMemoryQueue(ports.calendarNowMs);
      const database = options.database ?? openDatabase(':memory:');
      const requests =
        ports.scanner !== null
          ? openRequestStore(database, {
              key: options.dataKey ?? null,
              now: ports.calendarNowMs,
              ...(options.requestRetentionMs !== undefined ? { retentionMs: options.requestRetentionMs } : {}),
            })
          : null;
      const checkpoints = openCheckpointStore(database);
      const composed = composeGuide(
        {
          base: ports.base,
          listener: ports.listener,
          speaker: ports.speaker,
          intentModel,
          scanner: ports.scanner,
          clock: ports.clock,
          nowMs: () => ports.clock.nowMs,
          calendarNowMs: ports.calendarNowMs,
        },
        {
          catalog: options.catalog,
          ...(options.settings !== undefined ? { settings: options.settings } : {}),
          robotId: SIM_ROBOT_ID,
          stores: { queue, requests, checkpoints },
          onRecord: (_tS: number, record: ControllerRecord) => ports.record(record),
          ...(options.console !== undefined ? { console: { console: options.console, screens: ports.listener, map: ports.map, view: ports.view } } : {}),
          ...(options.watchdogAlerts !== undefined ? { watchdogAlerts: options.watchdogAlerts } : {}),
          ...(options.eventLoopWatchdog !== undefined ? { eventLoopWatchdog: options.eventLoopWatchdog } : {}),
        },
      );
      day = { composed, requests, checkpoints, queue, database, ownsQueue: options.queue === undefined };
      options.onComposed?.(composed, requests);
      // Not inside `onStarted?.(...)`: an optional call skips evaluating its argument.
      const outcome = await composed.start();
      options.onStarted?.(outcome);
    },
    settle: () => inFlight.settle(),
    async detach() {
      if (day === null) return;
      const { composed, requests, checkpoints, queue, database, ownsQueue } = day;
      day = null;
      await composed.stop();
      requests?.close();
      checkpoints.close();
      if (ownsQueue) queue.close();
      if (database !== options.database) database.close();
    },
  };
}
