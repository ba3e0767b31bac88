import type { Listener } from '../ports/listener.js';
import type { CardScanner } from '../ports/card-scanner.js';
import type { Catalog } from '../ports/catalog.js';
import type { IntentModel } from '../ports/intent-model.js';
import type { Queue } from '../ports/queue.js';
import type { RobotBase } from '../ports/robot-base.js';
import type { Speaker, SpeechRate } from '../ports/speaker.js';
import type { GuideSettings } from '../../statecharts/guide.types.js';
import type { TextListener } from '../adapters/text/text-listener.js';
import { createIdReader } from '../civic/id-card/reader.js';
import { createConversationMasker, type ConversationMasker } from '../civic/privacy/text-mask.js';
import type { IdReader, IdResult } from '../ports/id-reader.js';
import type { RequestStore } from '../civic/requests/sealed-store.js';
import type { LobbyBackend } from '../console/controller-backend.js';
import type { LobbyConsole, RobotView } from '../console/lobby-console.js';
import type { OccupancyMap } from '../maps/map.js';
import { startEventLoopWatchdog, type EventLoopWatchdogSettings } from '../observability/event-loop-watchdog.js';
import { checkpointOnChange, startAfterRestart, type CheckpointStore } from './checkpoint.js';
import { Controller, type ControllerRecord } from './controller.js';
import { DEFAULT_GUIDE_SETTINGS } from './settings.js';
import type { TimerClock, WatchdogAlertKind, WatchdogAlertRelay, WatchdogSettings } from './watchdog-alerts.js';

/** The robot's body, senses and voice, and the clocks they run on: what differs between the robot and the simulator. */
export interface GuideAdapters {
  readonly base: RobotBase;
  readonly listener: Listener;
  readonly speaker: Speaker;
  readonly intentModel: IntentModel;
  /** The card reader; null where the robot has none (it then asks for no card). */
  readonly scanner: CardScanner | null;
  /** The statechart's timers and the watchdogs: a virtual clock in the simulator, Node's timers on the robot. */
  readonly clock: TimerClock;
  /** Milliseconds on `clock`. */
  readonly nowMs: () => number;
  /** Calendar milliseconds (Unix epoch): tickets, requests, card expiry and checkpoints are dated by it. */
  readonly calendarNowMs: () => number;
}

/** Where what must outlive the conversation is kept. */
export interface GuideStores {
  readonly queue: Queue;
  /** Sealed pre-filled requests; without them the robot reads no card, whatever scanner it has. */
  readonly requests: RequestStore | null;
  /** The conversation's checkpoint, for recovery after a restart; null: nothing to recover from. */
  readonly checkpoints: CheckpointStore | null;
}

/** The console as the composition sees it: it is told every record and given the running controller. */
export type ConsoleLink = Pick<LobbyConsole, 'record' | 'attach'>;

export interface ConsoleAttachment {
  readonly console: ConsoleLink;
  /** What citizens type or tap on the kiosk, and operators say through the console. */
  readonly screens: TextListener;
  readonly map: OccupancyMap;
  /** The robot now, for the console's map. */
  readonly view: () => RobotView;
}

export interface ComposeOptions {
  readonly catalog: Catalog;
  /** Default DEFAULT_GUIDE_SETTINGS; `idReaderAvailable` is set from whether cards can be read. */
  readonly settings?: GuideSettings;
  readonly watchdogs?: Partial<WatchdogSettings>;
  readonly speechRate?: SpeechRate;
  readonly robotId: string;
  readonly stores: GuideStores;
  /** Seconds on the controller's clock, as records are stamped for the console and the log; default from `nowMs`. */
  readonly tS?: () => number;
  /** Every record, after the checkpoint and the console have it. */
  readonly onRecord?: (tS: number, record: ControllerRecord) => void;
  readonly console?: ConsoleAttachment;
  /** Alerts from parts built before the controller (speaker, recogniser, intent model), published as its own. */
  readonly watchdogAlerts?: WatchdogAlertRelay;
  /** The event-loop watchdog on Node's timers; absent: none (a simulation at full speed keeps the loop busy by design). */
  readonly eventLoopWatchdog?: Partial<EventLoopWatchdogSettings>;
  /** How often expired requests are purged, on the controller's clock; default REQUEST_PURGE_INTERVAL_MS. */
  readonly requestPurgeIntervalMs?: number;
}

/** Expired requests are purged at start and this often: a request outlives its day by at most a minute. */
export const REQUEST_PURGE_INTERVAL_MS = 60_000;

/** The reader, telling the conversation's masker the name and address of every card it reads. */
function learningReader(reader: IdReader, masker: ConversationMasker): IdReader {
  const learn = (result: IdResult): IdResult => {
    if (result.ok) masker.learn(result.record);
    return result;
  };
  return {
    readQr: (text) => learn(reader.readQr(text)),
    readQrWithMrz: (text, mrz) => learn(reader.readQrWithMrz(text, mrz)),
    readImage: (rgba, width, height) => learn(reader.readImage(rgba, width, height)),
  };
}

/** A record as it may leave the controller: its free text masked with what the conversation learned. */
function masked(record: ControllerRecord, masker: ConversationMasker): ControllerRecord {
  switch (record.kind) {
    case 'heard':
      return { ...record, text: masker.mask(record.text) };
    case 'said':
      return { ...record, text: masker.mask(record.text), params: { ...record.params, ...(record.params.text !== undefined ? { text: masker.mask(record.params.text) } : {}) } };
    case 'error':
      return { ...record, message: masker.mask(record.message) };
    case 'nav':
      return record.result?.kind === 'failed' ? { ...record, result: { ...record.result, detail: masker.mask(record.result.detail) } } : record;
    default:
      return record;
  }
}

export interface ComposedGuide {
  readonly controller: Controller;
  /** The console's side of the controller, when a console is attached. */
  readonly backend: LobbyBackend | null;
  /**
   * Stops and releases the base, then starts the controller; a citizen who was being served when
   * the last process died is handed to staff in their language.
   */
  start(): Promise<'fresh' | 'handedOff'>;
  /** Holds the base still, stops the controller and disconnects the watchdogs. The stores stay open: their owner closes them. */
  stop(): Promise<void>;
  /** Publishes an alert as the controller's own record. */
  raise(alert: WatchdogAlertKind): void;
}

/**
 * The one place a running controller is assembled: the statechart with its ports, checkpoints and
 * recovery after a restart, card reading into sealed requests, the queue, watchdog alerts and the
 * console. The simulator, the soak's controller process and the robot call it; they differ only in
 * the adapters and stores they pass.
 */
export function composeGuide(adapters: GuideAdapters, options: ComposeOptions): ComposedGuide {
  const { stores } = options;
  const startNowMs = adapters.nowMs();
  const tS = options.tS ?? (() => (adapters.nowMs() - startNowMs) / 1000);
  const checkpoint = stores.checkpoints !== null ? checkpointOnChange(stores.checkpoints, () => controller, adapters.calendarNowMs) : null;
  // What the last process was doing, read before this controller's first state overwrites it.
  const lastCheckpoint = stores.checkpoints?.load() ?? null;
  const masker = createConversationMasker();
  const publish = (raw: ControllerRecord): void => {
    // Back at idle the conversation is over: what it learned from the card goes with it.
    if (raw.kind === 'state' && raw.interaction.startsWith('idle')) masker.forget();
    // Masked here, once, so the console, the log, the terminal and the simulator's report all get the same.
    const record = masked(raw, masker);
    // The checkpoint first: a kill right after a state change must find it written.
    checkpoint?.(record);
    const at = tS();
    options.console?.console.record(at, record);
    options.onRecord?.(at, record);
  };
  const idCards =
    adapters.scanner !== null && stores.requests !== null
      ? { reader: learningReader(createIdReader(() => new Date(adapters.calendarNowMs())), masker), scanner: adapters.scanner, requests: stores.requests, robotId: options.robotId }
      : null;
  const controller: Controller = new Controller({
    base: adapters.base,
    listener: adapters.listener,
    speaker: adapters.speaker,
    intentModel: adapters.intentModel,
    catalog: options.catalog,
    tickets: stores.queue,
    settings: { ...(options.settings ?? DEFAULT_GUIDE_SETTINGS), idReaderAvailable: idCards !== null },
    ...(idCards !== null ? { idCards } : {}),
    ...(options.watchdogs !== undefined ? { watchdogs: options.watchdogs } : {}),
    ...(options.speechRate !== undefined ? { speechRate: options.speechRate } : {}),
    clock: adapters.clock,
    now: adapters.nowMs,
    record: publish,
  });
  const raise = (alert: WatchdogAlertKind): void => publish({ kind: 'alert', alert });
  const attachment = options.console;
  const backend =
    attachment === undefined
      ? null
      : attachment.console.attach({
          controller,
          listener: attachment.screens,
          queue: stores.queue,
          map: attachment.map,
          places: adapters.base.places(),
          requests: stores.requests,
          view: attachment.view,
          tS,
        });
  let loopWatchdog: { stop(): void } | null = null;
  let purgeTimer: unknown = null;
  const purgeIntervalMs = options.requestPurgeIntervalMs ?? REQUEST_PURGE_INTERVAL_MS;
  const purgeNow = (): void => {
    try {
      stores.requests?.purge();
    } catch (error) {
      publish({ kind: 'error', where: 'requestPurge', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const schedulePurge = (): void => {
    purgeTimer = adapters.clock.setTimeout(() => {
      purgeNow();
      schedulePurge();
    }, purgeIntervalMs);
  };
  return {
    controller,
    backend,
    raise,
    async start() {
      // Whatever a stopped or crashed process left past its time goes before anyone is served.
      if (stores.requests !== null) {
        purgeNow();
        schedulePurge();
      }
      options.watchdogAlerts?.connect(raise);
      if (options.eventLoopWatchdog !== undefined) loopWatchdog = startEventLoopWatchdog(() => raise('eventLoopSlow'), options.eventLoopWatchdog);
      return startAfterRestart(controller, adapters.base, lastCheckpoint);
    },
    async stop() {
      adapters.clock.clearTimeout(purgeTimer);
      purgeTimer = null;
      loopWatchdog?.stop();
      loopWatchdog = null;
      options.watchdogAlerts?.connect(null);
      await controller.stop();
    },
  };
}
