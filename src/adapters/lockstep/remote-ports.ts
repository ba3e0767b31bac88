import type { CardScanner } from '../../ports/card-scanner.js';
import type { BaseEvent, NavFeedback, NavGoal, NavOptions, NavResult, Place, RobotBase } from '../../ports/robot-base.js';
import type { SpeakResult, Speaker } from '../../ports/speaker.js';
import type { CallOp, Inbound, Outbound } from './protocol.js';

/**
 * Ports whose every call goes to the lobby driver in another process, in lockstep: a call is queued
 * for the next `tock` and settled by a later `tick`. The soak's controller process runs on these.
 */
interface PendingCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly onFeedback?: (feedback: NavFeedback) => void;
}

/** The runner's side of every port call: queued for the next `tock`, settled by a later `tick`. */
export class PortCalls {
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

export class RemoteBase implements RobotBase {
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

/** The voice, as calls to the lobby's speaker. */
export function remoteSpeaker(calls: PortCalls): Speaker {
  return { speak: (request, options) => calls.call({ op: 'speak', request }, options.signal) as Promise<SpeakResult> };
}

/** The card reader, as calls to the lobby's. */
export function remoteScanner(calls: PortCalls): CardScanner {
  return { nextScan: (signal) => calls.call({ op: 'scan' }, signal) as Promise<string> };
}
