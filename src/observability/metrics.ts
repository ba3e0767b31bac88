import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ControllerRecord } from '../app/controller.js';
import { WATCHDOG_ALERT_KINDS, type WatchdogAlertKind } from '../app/watchdog-alerts.js';
import { LANGS, type Lang } from '../ports/common.js';
import { INTENTS } from '../ports/intent-model.js';
import type { FieldStatus } from '../ports/queue.js';
import { FIELDS, NAV_FAILURE_REASONS } from '../ports/robot-base.js';
import { NAV_PURPOSES } from '../../statecharts/guide.types.js';

/**
 * Every label value comes from one of these fixed sets, never from what someone said or typed:
 * a series per value is cheap and bounded, and nothing personal can reach a scrape.
 */
export const ESCORT_OUTCOMES = ['arrived', 'canceled', 'failed', 'citizen_lost', 'handed_off'] as const;
export type EscortOutcome = (typeof ESCORT_OUTCOMES)[number];
export { NAV_FAILURE_REASONS, NAV_PURPOSES };
/** Whatever falls outside a fixed set (a newer model's intent, say) is counted here. */
export const OTHER = 'other';


/** Seconds: understanding and a first reply are a fraction of a second to a few; an e-stop is milliseconds. */
const DIALOGUE_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20];
const ESTOP_BUCKETS_S = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** A heard utterance nobody answered within this long is not a latency, it is a conversation that moved on. */
const PAIRING_WINDOW_MS = 60_000;

export interface ControllerMetricsOptions {
  /** Read at scrape time; a closed or failing queue reports no series rather than failing the scrape. */
  readonly queueStatus?: () => readonly FieldStatus[];
  /** Read at scrape time. */
  readonly consoleClients?: () => number;
  /** Node's process metrics (CPU, memory, event-loop lag, `tiepdan_process_*`); default false. */
  readonly processMetrics?: boolean;
}

export interface ControllerMetrics {
  /** This controller's own registry: several controllers (or tests) never share series. */
  readonly registry: Registry;
  /** Feeds one controller record; `atMs` is the controller's clock (virtual in the simulator). */
  observe(record: ControllerRecord, atMs: number): void;
  /** From a console command received to the controller's stop having been ordered, in seconds. */
  observeEstopSeconds(seconds: number): void;
  /** The scrape-time sources, set once the parts exist (the console server starts before the controller). */
  setQueueStatus(read: (() => readonly FieldStatus[]) | null): void;
  setConsoleClients(read: (() => number) | null): void;
}

/** Label values are snake case like every other here: `baseSilent` is counted as `base_silent`. */
export function watchdogLabel(kind: WatchdogAlertKind): string {
  return kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const oneOf = <T extends string>(set: readonly T[], value: string | null | undefined): T | typeof OTHER =>
  value !== null && value !== undefined && (set as readonly string[]).includes(value) ? (value as T) : OTHER;

/** What an escort under way has seen so far; closed when it arrives or the conversation leaves `escorting`. */
interface OpenEscort {
  lastResult: 'canceled' | 'failed' | null;
  citizenLost: boolean;
}

/**
 * Prometheus metrics for one controller, fed from its records (the statechart knows nothing of them).
 * Conversations and escorts are followed through `state`, `nav`, `ticket` and `alert` records.
 */
export function createControllerMetrics(options: ControllerMetricsOptions = {}): ControllerMetrics {
  const registry = new Registry();
  let queueStatus = options.queueStatus ?? null;
  let consoleClients = options.consoleClients ?? null;
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry, prefix: 'tiepdan_' });

  const served = new Counter({
    name: 'tiepdan_citizens_served_total',
    help: 'Conversations that ended with a queue ticket or an escort that arrived (counted once each).',
    registers: [registry],
  });
  const intents = new Counter({
    name: 'tiepdan_intents_understood_total',
    help: 'Utterances classified, by intent and language.',
    labelNames: ['intent', 'lang'] as const,
    registers: [registry],
  });
  const escorts = new Counter({
    name: 'tiepdan_escorts_total',
    help: 'Escorts to a counter by how they ended: arrived, canceled, failed (navigation gave up), citizen_lost, handed_off (to staff).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const navFailures = new Counter({
    name: 'tiepdan_navigation_failures_total',
    help: 'Navigation, docking or undocking requests that failed, by reason and purpose.',
    labelNames: ['reason', 'purpose'] as const,
    registers: [registry],
  });
  const watchdogs = new Counter({
    name: 'tiepdan_watchdog_fired_total',
    help: 'Watchdog firings, each also an operator alert; the label is the alert kind in snake case (baseSilent: base_silent).',
    labelNames: ['watchdog'] as const,
    registers: [registry],
  });
  const readStatus = (): readonly FieldStatus[] => {
    try {
      return queueStatus?.() ?? [];
    } catch {
      return [];
    }
  };
  new Gauge({
    name: 'tiepdan_queue_waiting_tickets',
    help: 'Tickets issued today and not yet called, per field.',
    labelNames: ['field'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of readStatus()) this.set({ field: oneOf(FIELDS, s.field) }, s.waiting);
    },
  });
  new Gauge({
    name: 'tiepdan_queue_estimated_wait_seconds',
    help: 'Estimated wait for a ticket issued now, per field.',
    labelNames: ['field'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of readStatus()) this.set({ field: oneOf(FIELDS, s.field) }, s.estimatedWaitS);
    },
  });
  new Gauge({
    name: 'tiepdan_console_clients',
    help: 'Web console, kiosk and counter pages connected now.',
    registers: [registry],
    collect() {
      this.set(consoleClients?.() ?? 0);
    },
  });
  const understandLatency = new Histogram({
    name: 'tiepdan_understand_latency_seconds',
    help: 'From an utterance heard to its classification, on the controller clock.',
    buckets: DIALOGUE_BUCKETS_S,
    registers: [registry],
  });
  const replyLatency = new Histogram({
    name: 'tiepdan_reply_latency_seconds',
    help: 'From an utterance heard to the robot starting to say something, on the controller clock.',
    buckets: DIALOGUE_BUCKETS_S,
    registers: [registry],
  });
  const estopLatency = new Histogram({
    name: 'tiepdan_estop_latency_seconds',
    help: 'From an e-stop command received by the console server to the controller having ordered the stop.',
    buckets: ESTOP_BUCKETS_S,
    registers: [registry],
  });

  // Zero series for the fixed sets that matter most, so rates and alerts work before the first event.
  served.inc(0);
  for (const outcome of ESCORT_OUTCOMES) escorts.inc({ outcome }, 0);
  for (const reason of NAV_FAILURE_REASONS) for (const purpose of NAV_PURPOSES) navFailures.inc({ reason, purpose }, 0);
  for (const kind of WATCHDOG_ALERT_KINDS) watchdogs.inc({ watchdog: watchdogLabel(kind) }, 0);

  let heardAtMs: number | null = null;
  let awaitingUnderstood = false;
  let awaitingReply = false;
  let conversationServed = false;
  let escort: OpenEscort | null = null;

  const closeEscort = (outcome: EscortOutcome) => {
    escorts.inc({ outcome });
    escort = null;
  };
  const markServed = () => {
    if (conversationServed) return;
    conversationServed = true;
    served.inc();
  };
  const since = (atMs: number): number | null => {
    if (heardAtMs === null || atMs < heardAtMs || atMs - heardAtMs > PAIRING_WINDOW_MS) return null;
    return (atMs - heardAtMs) / 1000;
  };

  return {
    registry,
    observe(record, atMs) {
      switch (record.kind) {
        case 'heard':
          heardAtMs = atMs;
          awaitingUnderstood = true;
          awaitingReply = true;
          break;
        case 'understood': {
          intents.inc({ intent: oneOf(INTENTS, record.intent), lang: oneOf<Lang>(LANGS, record.lang) });
          const s = awaitingUnderstood ? since(atMs) : null;
          if (s !== null) understandLatency.observe(s);
          awaitingUnderstood = false;
          break;
        }
        case 'said': {
          const s = awaitingReply ? since(atMs) : null;
          if (s !== null) replyLatency.observe(s);
          awaitingReply = false;
          break;
        }
        case 'ticket':
          markServed();
          break;
        case 'nav': {
          const result = record.result;
          if (result?.kind === 'failed') {
            navFailures.inc({ reason: oneOf(NAV_FAILURE_REASONS, result.reason), purpose: oneOf(NAV_PURPOSES, record.purpose) });
          }
          if (record.purpose !== 'escort') break;
          // A retry after a failure starts a new goal within the same escort.
          if (result === null) escort ??= { lastResult: null, citizenLost: false };
          else if (escort !== null) {
            if (result.kind === 'arrived') {
              closeEscort('arrived');
              markServed();
            } else escort.lastResult = result.kind;
          }
          break;
        }
        case 'alert':
          if (record.alert === 'personLost' && escort !== null) escort.citizenLost = true;
          if ((WATCHDOG_ALERT_KINDS as readonly string[]).includes(record.alert)) watchdogs.inc({ watchdog: watchdogLabel(record.alert as WatchdogAlertKind) });
          break;
        case 'state': {
          const interaction = record.interaction;
          // An escort ends when the conversation leaves `serving.escorting` without arriving.
          if (escort !== null && !interaction.startsWith('serving.escorting')) {
            if (interaction.startsWith('handoff')) closeEscort('handed_off');
            else if (escort.citizenLost) closeEscort('citizen_lost');
            else closeEscort(escort.lastResult ?? 'canceled');
          }
          // `returning` resets the conversation in the statechart; `idle` and `docking` follow one.
          if (interaction === 'idle' || interaction.startsWith('returning') || interaction.startsWith('docking')) conversationServed = false;
          break;
        }
        default:
          break;
      }
    },
    observeEstopSeconds(seconds) {
      estopLatency.observe(seconds);
    },
    setQueueStatus(read) {
      queueStatus = read;
    },
    setConsoleClients(read) {
      consoleClients = read;
    },
  };
}
