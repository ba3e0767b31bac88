/**
 * The controller as the soak runner's child process: the same composition as on the robot (SQLite
 * queue, checkpoints, recovery after a restart), with ports that are calls to the runner's simulated
 * lobby. The runner kills this process with SIGKILL whenever its scenario says; the next process
 * finds the queue and the checkpoint in the same file and recovers from them.
 */
import process from 'node:process';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { checkpointOnChange, openCheckpointStore, startAfterRestart } from '../../src/app/checkpoint.js';
import { Controller, type ControllerRecord } from '../../src/app/controller.js';
import { intentModelFromOption } from '../../src/app/intent-model.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createIdReader } from '../../src/civic/id-card/reader.js';
import { openSqliteQueue } from '../../src/civic/queue/sqlite-queue.js';
import { openRequestStore } from '../../src/civic/requests/sealed-store.js';
import type { CardScanner } from '../../src/ports/card-scanner.js';
import { openDatabase } from '../../src/store/database.js';
import type { BaseEvent, NavFeedback, NavGoal, NavOptions, NavResult, Place, RobotBase } from '../../src/ports/robot-base.js';
import type { SpeakResult, Speaker } from '../../src/ports/speaker.js';
import { VirtualClock } from '../clock.js';
import { awaitable, flush } from '../runner.js';
import type { CallOp, ChildConfig, FromChild, Inbound, Outbound, ToChild } from './ipc.js';

interface PendingCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly onFeedback?: (feedback: NavFeedback) => void;
}

/** The runner's side of every port call: queued for the next `tock`, settled by a later `tick`. */
class PortCalls {
  outbox: Outbound[] = [];
  readonly #pending = new Map<number, PendingCall>();
  #nextId = 1;

  call(op: CallOp, signal?: AbortSignal, onFeedback?: (feedback: NavFeedback) => void): Promise<unknown> {
    const callId = this.#nextId++;
    this.outbox.push({ kind: 'call', callId, ...op });
    return new Promise((resolve, reject) => {
      this.#pending.set(callId, { resolve, reject, ...(onFeedback !== undefined ? { onFeedback } : {}) });
      if (signal === undefined) return;
      const cancel = (): void => {
        if (this.#pending.has(callId)) this.outbox.push({ kind: 'cancel', callId });
      };
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
    });
  }

  deliver(message: Inbound & { kind: 'feedback' | 'settled' }): void {
    const pending = this.#pending.get(message.callId);
    if (pending === undefined) return;
    if (message.kind === 'feedback') {
      pending.onFeedback?.(message.feedback);
      return;
    }
    this.#pending.delete(message.callId);
    if (message.outcome.ok) pending.resolve(message.outcome.value);
    else pending.reject(new Error(message.outcome.message));
  }
}

class RemoteBase implements RobotBase {
  readonly robotId = 'robot-1';
  readonly #places: readonly Place[];
  readonly #calls: PortCalls;
  readonly #listeners = new Set<(event: BaseEvent) => void>();

  constructor(places: readonly Place[], calls: PortCalls) {
    this.#places = places;
    this.#calls = calls;
  }

  places(): readonly Place[] {
    return this.#places;
  }

  navigate(goal: NavGoal, options: NavOptions): Promise<NavResult> {
    return this.#calls.call({ op: 'navigate', goal }, options.signal, options.onFeedback) as Promise<NavResult>;
  }

  async stop(reason: string): Promise<void> {
    await this.#calls.call({ op: 'stop', reason });
  }

  async release(): Promise<void> {
    await this.#calls.call({ op: 'release' });
  }

  async setSpeedLimit(maxSpeedMps: number | null): Promise<void> {
    await this.#calls.call({ op: 'setSpeedLimit', maxSpeedMps });
  }

  dock(options: NavOptions): Promise<NavResult> {
    return this.#calls.call({ op: 'dock' }, options.signal, options.onFeedback) as Promise<NavResult>;
  }

  undock(options: NavOptions): Promise<NavResult> {
    return this.#calls.call({ op: 'undock' }, options.signal, options.onFeedback) as Promise<NavResult>;
  }

  subscribe(listener: (event: BaseEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: BaseEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  health() {
    return { presence: 'present' as const, problems: [] };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}

function send(message: FromChild): void {
  process.send!(message);
}

async function start(config: ChildConfig): Promise<(message: ToChild & { type: 'tick' }) => Promise<void>> {
  const catalog = loadCatalog();
  const clock = new VirtualClock();
  clock.advance(config.nowMs);
  const calendarNow = (): number => config.epochMs + clock.nowMs;
  const calls = new PortCalls();
  const base = new RemoteBase(config.places, calls);
  const listener = new TextListener('sim');
  const speaker: Speaker = { speak: (request, options) => calls.call({ op: 'speak', request }, options.signal) as Promise<SpeakResult> };
  const scanner: CardScanner = { nextScan: (signal) => calls.call({ op: 'scan' }, signal) as Promise<string> };
  const inFlight = new Set<Promise<unknown>>();
  const model = await intentModelFromOption(config.intentModel, catalog, (message) => process.stderr.write(`controller: ${message}\n`));
  // Held until the process exits; a write committed before a kill survives it (WAL, synchronous FULL).
  const database = openDatabase(config.dbFile);
  const tickets = openSqliteQueue(database, calendarNow);
  const checkpoints = openCheckpointStore(database);
  // What the last process was doing, read before this one's first state overwrites it.
  const lastCheckpoint = checkpoints.load();
  const requests = config.idScans
    ? openRequestStore(database, { key: Buffer.from(config.dataKeyHex, 'hex'), now: calendarNow })
    : null;
  const checkpoint = checkpointOnChange(checkpoints, () => controller, calendarNow);
  const record = (r: ControllerRecord): void => {
    checkpoint(r);
    calls.outbox.push({ kind: 'record', record: r });
  };
  const controller: Controller = new Controller({
    base,
    listener,
    speaker,
    intentModel: awaitable(model, inFlight),
    catalog,
    tickets,
    settings: { ...DEFAULT_GUIDE_SETTINGS, idReaderAvailable: config.idScans },
    ...(requests !== null ? { idCards: { reader: createIdReader(() => new Date(calendarNow())), scanner, requests, robotId: 'robot-1' } } : {}),
    clock,
    now: () => clock.nowMs,
    record,
  });
  // Runs over the next ticks: the stop and release go out first, then the controller starts.
  startAfterRestart(controller, base, lastCheckpoint).catch((error: unknown) => {
    calls.outbox.push({ kind: 'record', record: { kind: 'error', where: 'recovery', message: (error as Error).message } });
  });

  return async (tick) => {
    for (const message of tick.inbox) {
      if (message.kind === 'base') base.emit(message.event);
      else if (message.kind === 'utterance') listener.push(message.utterance);
      else calls.deliver(message);
    }
    await flush();
    if (tick.nowMs > clock.nowMs) clock.advance(tick.nowMs - clock.nowMs);
    await flush();
    // The model's answer arrives at the same simulated moment however busy the machine is.
    while (inFlight.size > 0) {
      await Promise.allSettled([...inFlight]);
      await flush();
    }
    const outbox = calls.outbox;
    calls.outbox = [];
    send({ type: 'tock', outbox, nextDueMs: clock.nextDueMs, rssMb: tick.wantStats ? Math.round(process.memoryUsage().rss / 1e5) / 10 : null });
  };
}

function main(): void {
  if (process.send === undefined) {
    process.stderr.write('This is the controller process of the soak runner; it is started by `tiepdan sim` for scenarios with controllerKills.\n');
    process.exit(2);
  }
  let onTick: ((tick: ToChild & { type: 'tick' }) => Promise<void>) | null = null;
  // One message at a time, in order: a tick must be finished before the next one starts.
  let queue = Promise.resolve();
  process.on('message', (message: ToChild) => {
    queue = queue.then(async () => {
      try {
        if (message.type === 'init') {
          onTick = await start(message.config);
          send({ type: 'ready' });
        } else if (onTick !== null) {
          await onTick(message);
        }
      } catch (error) {
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      }
    });
  });
  // The runner went away: nothing to serve.
  process.on('disconnect', () => process.exit(0));
}

main();
