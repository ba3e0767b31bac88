/**
 * Alerts the controller raises from its own watchdogs, beside the statechart's own (`AlertKind`):
 * each names only what stopped working, never who was being served or what was said.
 */
export const WATCHDOG_ALERT_KINDS = ['baseSilent', 'navNoProgress', 'speakerHung', 'asrHung', 'eventLoopSlow', 'intentModelFailed'] as const;
export type WatchdogAlertKind = (typeof WATCHDOG_ALERT_KINDS)[number];

/** Timers as the controller takes them: the virtual clock in the simulator and tests, Node's timers on the robot. */
export interface TimerClock {
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The controller's own watchdogs, on its injected clock. */
export interface WatchdogSettings {
  /** No pose from the base for this long: the link counts as down. Poses come at 5 Hz. */
  readonly baseSilenceMs: number;
  /**
   * A navigation goal whose remaining distance has not dropped by `navProgressM` for this long is
   * canceled and sent once more; a second such goal fails as `no_progress`. Longer than the base's
   * own waits (a blocked corridor gives up after 30 s in the simulator, Nav2 recovers within that).
   */
  readonly navNoProgressMs: number;
  readonly navProgressM: number;
}

export const DEFAULT_WATCHDOG_SETTINGS: WatchdogSettings = { baseSilenceMs: 2_000, navNoProgressMs: 45_000, navProgressM: 0.3 };

/** Node's own timers, for the watchdogs that run where no virtual clock does. */
export const NODE_TIMERS: TimerClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/**
 * Carries watchdog alerts from parts built before the console (the intent model) to whoever
 * publishes them once it runs; an alert raised with nobody connected is dropped.
 */
export interface WatchdogAlertRelay {
  raise(kind: WatchdogAlertKind): void;
  connect(sink: ((kind: WatchdogAlertKind) => void) | null): void;
}

export function createWatchdogAlertRelay(): WatchdogAlertRelay {
  let sink: ((kind: WatchdogAlertKind) => void) | null = null;
  return {
    raise: (kind) => sink?.(kind),
    connect: (next) => {
      sink = next;
    },
  };
}
