import type { ControllerRecord } from '../../app/controller.js';
import type { Utterance } from '../../ports/listener.js';
import type { BaseEvent, NavFeedback, NavGoal, Place } from '../../ports/robot-base.js';
import type { SpeechRequest } from '../../ports/speaker.js';

/**
 * The messages between the soak runner (the world) and the controller's child process. The two
 * move in lockstep: the runner sends a `tick` with the simulated time and everything the world did
 * since the last one; the child lets its controller catch up to that time and answers with a `tock`
 * carrying every call it made on its ports. Nothing here carries personal data in clear beyond what
 * the ports themselves carry (a card's QR text goes to the child, which reads and seals it).
 */

/** How the child is set up; everything else it reads from files it is told about. */
export interface ChildConfig {
  readonly dbFile: string;
  /** `keyword`, or an intent model directory. */
  readonly intentModel: string;
  readonly places: readonly Place[];
  readonly idScans: boolean;
  /** Hex of the 32-byte key that seals pre-filled requests; the runner makes one per run. */
  readonly dataKeyHex: string;
  /** Calendar time of simulated time 0. */
  readonly epochMs: number;
  readonly nowMs: number;
}

export type CallOp =
  | { readonly op: 'navigate'; readonly goal: NavGoal }
  | { readonly op: 'dock' }
  | { readonly op: 'undock' }
  | { readonly op: 'stop'; readonly reason: string }
  | { readonly op: 'release' }
  | { readonly op: 'setSpeedLimit'; readonly maxSpeedMps: number | null }
  | { readonly op: 'speak'; readonly request: SpeechRequest }
  | { readonly op: 'scan' };

/** What a call resolves to; a scan that failed rejects with the message. */
export type CallOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

export type ToChild =
  | { readonly type: 'init'; readonly config: ChildConfig }
  | { readonly type: 'tick'; readonly nowMs: number; readonly inbox: readonly Inbound[]; readonly wantStats: boolean };

export type Inbound =
  | { readonly kind: 'base'; readonly event: BaseEvent }
  | { readonly kind: 'utterance'; readonly utterance: Utterance }
  | { readonly kind: 'feedback'; readonly callId: number; readonly feedback: NavFeedback }
  | { readonly kind: 'settled'; readonly callId: number; readonly outcome: CallOutcome };

export type FromChild =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'tock';
      readonly outbox: readonly Outbound[];
      /** When the child's next timer is due (ms since the epoch); null without timers. */
      readonly nextDueMs: number | null;
      readonly rssMb: number | null;
    };

export type Outbound =
  | ({ readonly kind: 'call'; readonly callId: number } & CallOp)
  | { readonly kind: 'cancel'; readonly callId: number }
  | { readonly kind: 'record'; readonly record: ControllerRecord };

