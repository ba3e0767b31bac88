import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../../src/paths.js';
import { TiepdanError } from '../../src/ports/errors.js';
import type { ControllerHost, LobbyPorts } from '../../src/app/lobby-host.js';
import type { Random } from '../../src/util/random.js';
import { flush } from '../../src/app/in-flight.js';
import { SIM_EPOCH_MS } from '../runner.js';
import type { CallOp, FromChild, Inbound, Outbound, ToChild } from '../../src/adapters/lockstep/protocol.js';

export interface KillPlan {
  readonly perDay: number;
  /** Simulated seconds from the kill to the new process, drawn uniformly. */
  readonly restartAfterS: readonly [number, number];
}

export interface ChildHostOptions {
  /** The SQLite file the controller keeps its queue, checkpoint and requests in; it outlives each process. */
  readonly dbFile: string;
  readonly intentModel: string;
  readonly idScans: boolean;
  readonly dataKeyHex: string;
  readonly kills: KillPlan | null;
  readonly random: Random;
  /** Kills fall between 10 minutes after opening and 30 minutes before the day ends. */
  readonly dayLengthS: number;
  /**
   * Scripted kills (tests): the process is killed at the next tick after it reports an interaction
   * state starting with the first prefix; then the next prefix is watched, and so on.
   */
  readonly killOnStates?: readonly string[];
  /** Told of each kill, restart and unplanned exit, with the simulated time. */
  readonly onLifecycle?: (event: LifecycleEvent) => void;
}

export type LifecycleEvent =
  | { readonly kind: 'killed'; readonly atMs: number; readonly interaction: string }
  | { readonly kind: 'restarted'; readonly atMs: number }
  | { readonly kind: 'exited'; readonly atMs: number; readonly detail: string };

/** Where the child's code is: beside this module when built, in `dist/` when this runs from source (tests). */
function childEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const entry = here.endsWith('.js') ? fileURLToPath(new URL('../../src/cli/controller-process.js', import.meta.url)) : projectPath('dist', 'src', 'cli', 'controller-process.js');
  if (!existsSync(entry)) {
    throw new TiepdanError('build_missing', `${entry} is missing: run \`npm run build\` first (the controller process runs from the build)`);
  }
  return entry;
}

/** Scripted kills (tests) have no kill plan; their restarts come as a scenario's default would. */
const SCRIPTED_RESTART_AFTER_S = [5, 30] as const;

/** Below the controller's base-silence limit (2 s by default). */
const NIGHT_STEP_MS = 1000;

interface LiveCall {
  readonly op: CallOp['op'];
  readonly abort: AbortController;
}

/**
 * Runs the controller as a child process, in lockstep with the simulated world, and kills it
 * (SIGKILL, at any point of its work) at random moments of each day; a new process starts a little
 * later from the same database. While no process runs, the world goes on: a goal the dead process
 * started keeps going, as Nav2 would go on without its client, and what citizens say is not heard.
 */
export class ChildControllerHost implements ControllerHost {
  readonly #options: ChildHostOptions;
  readonly #entry = childEntry();
  #child: ChildProcess | null = null;
  /** Each process's calls carry its generation; results for a dead one are dropped. */
  #generation = 0;
  #ports: LobbyPorts | null = null;
  #unsubscribe: (() => void)[] = [];
  #inbox: Inbound[] = [];
  #calls = new Map<number, LiveCall>();
  #nextDueMs: number | null = null;
  #kills: number[] = [];
  #restartAtMs: number | null = null;
  #waiting: { resolve: (m: FromChild) => void; reject: (e: Error) => void } | null = null;
  #expectingExit = false;
  #everStarted = false;
  #interaction = 'idle';
  /** The base's last pose and battery, and when the last day ended: what the night replays. */
  #lastPose: Inbound | null = null;
  #lastBattery: Inbound | null = null;
  #dayEndMs: number | null = null;
  #killOnStates: string[];
  #killNow = false;
  #restarts = 0;
  #killCount = 0;
  #unplannedExits = 0;
  /** Every ticket the controller reported, with the service day it was issued on. */
  readonly ticketRecords: { readonly number: string; readonly atMs: number }[] = [];

  constructor(options: ChildHostOptions) {
    this.#options = options;
    this.#killOnStates = [...(options.killOnStates ?? [])];
  }

  get alive(): boolean {
    return this.#child !== null;
  }

  /** Processes started after a kill or an unplanned exit. */
  get restarts(): number {
    return this.#restarts;
  }

  get kills(): number {
    return this.#killCount;
  }

  /** Processes that ended without being killed. */
  get unplannedExits(): number {
    return this.#unplannedExits;
  }

  async attach(ports: LobbyPorts): Promise<void> {
    this.#ports = ports;
    const dayStartMs = ports.nowMs();
    if (this.#child !== null && this.#dayEndMs !== null) await this.#night(this.#dayEndMs, dayStartMs);
    this.#unsubscribe = [
      ports.base.subscribe((event) => {
        if (event.type === 'pose') this.#lastPose = { kind: 'base', event };
        if (event.type === 'battery') this.#lastBattery = { kind: 'base', event };
        if (this.#child !== null) this.#inbox.push({ kind: 'base', event });
      }),
      ports.listener.subscribe((utterance) => {
        if (this.#child !== null) this.#inbox.push({ kind: 'utterance', utterance });
      }),
    ];
    const kills = this.#options.kills;
    this.#kills = [];
    if (kills !== null) {
      const from = dayStartMs + 600_000;
      const to = dayStartMs + Math.max(600_000, (this.#options.dayLengthS - 1800) * 1000);
      this.#kills = Array.from({ length: kills.perDay }, () => Math.round(this.#options.random.between(from, to))).sort((a, b) => a - b);
    }
    // A process killed at the end of yesterday is back by the morning.
    if (this.#child === null) await this.#spawn();
  }

  async settle(): Promise<void> {
    const ports = this.#ports;
    if (ports === null) return;
    const now = ports.nowMs();
    if (this.#child === null) {
      if (this.#restartAtMs !== null && now >= this.#restartAtMs) await this.#spawn();
      return;
    }
    if (this.#killNow || (this.#kills.length > 0 && now >= this.#kills[0]!)) {
      if (!this.#killNow) this.#kills.shift();
      this.#killNow = false;
      await this.#kill(now);
      return;
    }
    // Nothing for the controller and no timer of its own due: it would do nothing with this tick.
    if (this.#inbox.length === 0 && (this.#nextDueMs === null || this.#nextDueMs > now)) return;
    await this.#exchange(false);
  }

  /** The controller process's resident memory now, in MB; null while none runs. */
  async rssMb(): Promise<number | null> {
    if (this.#child === null) return null;
    return this.#exchange(true);
  }

  async detach(): Promise<void> {
    // The day is over: what the controller still has going is canceled, and it hears so.
    for (const call of this.#calls.values()) call.abort.abort();
    await flush();
    if (this.#child !== null) await this.#exchange(false);
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#dayEndMs = this.#ports?.nowMs() ?? null;
    this.#ports = null;
  }

  /**
   * The lobby is closed, not simulated, but the robot's base is on all night: the controller gets
   * its parked pose and battery once a simulated second, so its timers and watchdogs live the
   * night as they would on the robot (a silent base would raise an alert every morning).
   */
  async #night(fromMs: number, toMs: number): Promise<void> {
    const parked = [this.#lastPose, this.#lastBattery].filter((m): m is Inbound => m !== null);
    for (let t = fromMs + NIGHT_STEP_MS; t <= toMs && this.#child !== null; t += NIGHT_STEP_MS) {
      this.#inbox.push(...parked);
      await this.#exchange(false, t);
    }
  }

  /** Ends the last process the way a service manager stops one: it is asked, then made to. */
  async close(): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    this.#expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.#child = null;
  }

  async #spawn(): Promise<void> {
    const ports = this.#ports!;
    const now = ports.nowMs();
    this.#generation += 1;
    this.#inbox = [];
    this.#nextDueMs = null;
    this.#restartAtMs = null;
    this.#expectingExit = false;
    // The child writes nothing to stdout (the summary's); whatever it says goes to stderr.
    const child = fork(this.#entry, [], { stdio: ['ignore', 2, 2, 'ipc'] });
    this.#child = child;
    child.on('message', (message: FromChild) => {
      const waiting = this.#waiting;
      this.#waiting = null;
      if (message.type === 'failed') waiting?.reject(new Error(`controller process failed: ${message.message}`));
      else waiting?.resolve(message);
    });
    child.once('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.#child = null;
      const detail = signal !== null ? `signal ${signal}` : `exit code ${code}`;
      this.#waiting?.reject(new Error(`controller process ended (${detail})`));
      this.#waiting = null;
      if (!this.#expectingExit) this.#onUnplannedExit(detail);
    });
    const config = {
      dbFile: this.#options.dbFile,
      intentModel: this.#options.intentModel,
      places: ports.base.places(),
      idScans: this.#options.idScans,
      dataKeyHex: this.#options.dataKeyHex,
      epochMs: SIM_EPOCH_MS,
      nowMs: now,
    };
    const ready = await this.#request({ type: 'init', config });
    if (ready.type !== 'ready') throw new TiepdanError('child_failed', `controller process: expected ready, got ${ready.type}`);
    if (this.#everStarted) {
      this.#restarts += 1;
      this.#options.onLifecycle?.({ kind: 'restarted', atMs: now });
    }
    this.#everStarted = true;
  }

  /**
   * SIGKILL at any point of the controller's work: the tick is sent, and the process is killed
   * without waiting for its answer, so it may die in the middle of a database write.
   */
  async #kill(now: number): Promise<void> {
    const child = this.#child!;
    this.#expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const inbox = this.#inbox;
    this.#inbox = [];
    child.send({ type: 'tick', nowMs: now, inbox, wantStats: false } satisfies ToChild);
    child.kill('SIGKILL');
    await exited;
    this.#afterDeath();
    this.#killCount += 1;
    this.#options.onLifecycle?.({ kind: 'killed', atMs: now, interaction: this.#interaction });
    const [min, max] = this.#options.kills?.restartAfterS ?? SCRIPTED_RESTART_AFTER_S;
    this.#restartAtMs = now + Math.round(this.#options.random.between(min, max) * 1000);
  }

  #onUnplannedExit(detail: string): void {
    const now = this.#ports?.nowMs() ?? 0;
    this.#unplannedExits += 1;
    this.#afterDeath();
    this.#options.onLifecycle?.({ kind: 'exited', atMs: now, detail });
    // A supervisor (systemd) would start it again after a few seconds.
    this.#restartAtMs = now + 5000;
  }

  /** Speech and the card reader were the dead process's own; a base goal goes on without it. */
  #afterDeath(): void {
    this.#child = null;
    this.#inbox = [];
    this.#waiting = null;
    for (const [callId, call] of this.#calls) {
      if (call.op === 'speak' || call.op === 'scan') call.abort.abort();
      this.#calls.delete(callId);
    }
  }

  #request(message: ToChild): Promise<FromChild> {
    const child = this.#child;
    if (child === null) return Promise.reject(new Error('no controller process'));
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      child.send(message);
    });
  }

  async #exchange(wantStats: boolean, nowMs = this.#ports!.nowMs()): Promise<number | null> {
    const inbox = this.#inbox;
    this.#inbox = [];
    let reply: FromChild;
    try {
      reply = await this.#request({ type: 'tick', nowMs, inbox, wantStats });
    } catch (error) {
      // The process died on its own during the tick; the exit handler has counted it.
      if (this.#child === null) return null;
      throw error;
    }
    if (reply.type !== 'tock') throw new TiepdanError('child_failed', `controller process: expected tock, got ${reply.type}`);
    this.#nextDueMs = reply.nextDueMs;
    for (const message of reply.outbox) this.#handle(message);
    // Calls that finish at once (stop, release) answer in the next tick, like every other result.
    await flush();
    return reply.rssMb;
  }

  #handle(message: Outbound): void {
    const ports = this.#ports!;
    if (message.kind === 'record') {
      if (message.record.kind === 'state') {
        this.#interaction = message.record.interaction;
        const next = this.#killOnStates[0];
        if (next !== undefined && this.#interaction.startsWith(next)) {
          this.#killOnStates.shift();
          this.#killNow = true;
        }
      }
      if (message.record.kind === 'ticket') this.ticketRecords.push({ number: message.record.number, atMs: ports.nowMs() });
      ports.record(message.record);
      return;
    }
    if (message.kind === 'cancel') {
      this.#calls.get(message.callId)?.abort.abort();
      return;
    }
    const { callId } = message;
    const generation = this.#generation;
    const abort = new AbortController();
    this.#calls.set(callId, { op: message.op, abort });
    const settle = (outcome: Extract<Inbound, { kind: 'settled' }>['outcome']): void => {
      this.#calls.delete(callId);
      if (generation === this.#generation && this.#child !== null) this.#inbox.push({ kind: 'settled', callId, outcome });
    };
    const onFeedback = (feedback: Extract<Inbound, { kind: 'feedback' }>['feedback']): void => {
      if (generation === this.#generation && this.#child !== null) this.#inbox.push({ kind: 'feedback', callId, feedback });
    };
    const options = { signal: abort.signal, onFeedback };
    const base = ports.base;
    let work: Promise<unknown>;
    switch (message.op) {
      case 'navigate':
        work = base.navigate(message.goal, options);
        break;
      case 'dock':
        work = base.dock(options);
        break;
      case 'undock':
        work = base.undock(options);
        break;
      case 'stop':
        work = base.stop(message.reason).then(() => null);
        break;
      case 'release':
        work = base.release().then(() => null);
        break;
      case 'setSpeedLimit':
        work = base.setSpeedLimit(message.maxSpeedMps).then(() => null);
        break;
      case 'speak':
        work = ports.speaker.speak(message.request, { signal: abort.signal });
        break;
      case 'scan':
        work = ports.scanner === null ? Promise.reject(new Error('no card reader in this scenario')) : ports.scanner.nextScan(abort.signal);
        break;
    }
    work.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
  }
}
