/**
 * What to do with a message for one client, given how much is still unsent to it. Telemetry is
 * dropped for a slow client (the next one supersedes it); alerts and command results are never
 * dropped; a client that stays this far behind is disconnected so it cannot hold memory forever.
 */
export interface OutgoingLimits {
  /** Above this many unsent bytes, telemetry is skipped. */
  readonly skipTelemetryAboveBytes: number;
  /** Above this, the client is too far behind: disconnect. */
  readonly disconnectAboveBytes: number;
  /** Skipping telemetry for this long without catching up also disconnects. */
  readonly stuckForMs: number;
}

export const DEFAULT_OUTGOING: OutgoingLimits = { skipTelemetryAboveBytes: 256 * 1024, disconnectAboveBytes: 4 * 1024 * 1024, stuckForMs: 30_000 };

export type Delivery = 'send' | 'skip' | 'disconnect';

export class OutgoingPolicy {
  #behindSinceMs: number | null = null;
  skipped = 0;

  constructor(private readonly limits: OutgoingLimits = DEFAULT_OUTGOING) {}

  decide(kind: 'telemetry' | 'essential', bufferedBytes: number, nowMs: number): Delivery {
    if (bufferedBytes > this.limits.disconnectAboveBytes) return 'disconnect';
    if (bufferedBytes <= this.limits.skipTelemetryAboveBytes) {
      this.#behindSinceMs = null;
      return 'send';
    }
    this.#behindSinceMs ??= nowMs;
    if (nowMs - this.#behindSinceMs > this.limits.stuckForMs) return 'disconnect';
    if (kind === 'essential') return 'send';
    this.skipped += 1;
    return 'skip';
  }
}
