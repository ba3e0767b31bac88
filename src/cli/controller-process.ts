/**
 * The controller as the soak runner's child process: composed as on the robot (SQLite queue,
 * checkpoints, recovery after a restart, sealed requests), with ports that are calls to the
 * runner's simulated lobby. The runner kills this process with SIGKILL whenever its scenario says;
 * the next process finds the queue and the checkpoint in the same file and recovers from them.
 */
import process from 'node:process';
import { PortCalls, RemoteBase, remoteScanner, remoteSpeaker } from '../adapters/lockstep/remote-ports.js';
import type { ChildConfig, FromChild, ToChild } from '../adapters/lockstep/protocol.js';
import { TextListener } from '../adapters/text/text-listener.js';
import { openCheckpointStore } from '../app/checkpoint.js';
import { composeGuide } from '../app/compose.js';
import { flush, InFlightCalls } from '../app/in-flight.js';
import { SIM_ROBOT_ID } from '../app/in-process-host.js';
import { intentModelFromOption } from '../app/intent-model.js';
import { createWatchdogAlertRelay } from '../app/watchdog-alerts.js';
import { loadCatalog } from '../civic/catalog.js';
import { openSqliteQueue } from '../civic/queue/sqlite-queue.js';
import { openRequestStore } from '../civic/requests/sealed-store.js';
import { openDatabase } from '../store/database.js';
import { VirtualClock } from '../util/virtual-clock.js';

function send(message: FromChild): void {
  process.send!(message);
}

async function start(config: ChildConfig): Promise<(message: ToChild & { type: 'tick' }) => Promise<void>> {
  const catalog = loadCatalog();
  const clock = new VirtualClock();
  clock.advance(config.nowMs);
  const calendarNowMs = (): number => config.epochMs + clock.nowMs;
  const calls = new PortCalls();
  const base = new RemoteBase(config.places, calls);
  const listener = new TextListener('sim');
  const inFlight = new InFlightCalls();
  const watchdogAlerts = createWatchdogAlertRelay();
  const model = await intentModelFromOption(config.intentModel, catalog, (message) => process.stderr.write(`controller: ${message}\n`), () => watchdogAlerts.raise('intentModelFailed'));
  // Held until the process exits; a write committed before a kill survives it (WAL, synchronous FULL).
  const database = openDatabase(config.dbFile);
  const queue = openSqliteQueue(database, calendarNowMs);
  const checkpoints = openCheckpointStore(database);
  const requests = config.idScans ? openRequestStore(database, { key: Buffer.from(config.dataKeyHex, 'hex'), now: calendarNowMs }) : null;
  const composed = composeGuide(
    {
      base,
      listener,
      speaker: remoteSpeaker(calls),
      intentModel: inFlight.track(model),
      scanner: config.idScans ? remoteScanner(calls) : null,
      clock,
      nowMs: () => clock.nowMs,
      calendarNowMs,
    },
    {
      catalog,
      robotId: SIM_ROBOT_ID,
      stores: { queue, requests, checkpoints },
      onRecord: (_tS, record) => calls.outbox.push({ kind: 'record', record }),
      watchdogAlerts,
    },
  );
  // Runs over the next ticks: the stop and release go out first, then the controller starts.
  composed.start().catch((error: unknown) => {
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
    await inFlight.settle();
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
