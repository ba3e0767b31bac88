import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopWatchdogSettings {
  /** How often the delay is read, on Node's real timers: this watches the real process. */
  readonly intervalMs: number;
  /** A maximum delay above this since the last read is an episode of slowness. */
  readonly thresholdMs: number;
}

export const DEFAULT_EVENT_LOOP_WATCHDOG: EventLoopWatchdogSettings = { intervalMs: 5_000, thresholdMs: 250 };

/** What the watchdog reads: `perf_hooks`' histogram (nanoseconds), or a fake in tests. */
export interface DelayHistogram {
  readonly max: number;
  reset(): void;
  enable(): void;
  disable(): void;
}

export interface EventLoopWatchdog {
  /** Checks once now, as the interval does (tests drive it with a fake histogram). */
  check(): void;
  stop(): void;
}

/**
 * Reads the event loop's longest delay every `intervalMs` and calls `onSlow` once per episode: when
 * it first goes above `thresholdMs`, and again only after a read back under it. A blocked loop
 * delays the controller's timers, telemetry and e-stop handling alike, so operators hear of it.
 */
export function startEventLoopWatchdog(
  onSlow: (maxDelayMs: number) => void,
  settings: Partial<EventLoopWatchdogSettings> = {},
  histogram: DelayHistogram = monitorEventLoopDelay({ resolution: 10 }),
): EventLoopWatchdog {
  const { intervalMs, thresholdMs } = { ...DEFAULT_EVENT_LOOP_WATCHDOG, ...settings };
  let slow = false;
  let stopped = false;
  histogram.enable();
  const check = (): void => {
    if (stopped) return;
    const maxMs = histogram.max / 1e6;
    histogram.reset();
    if (maxMs <= thresholdMs) {
      slow = false;
      return;
    }
    if (slow) return;
    slow = true;
    onSlow(maxMs);
  };
  // Read after the timers phase: the monitor's own timer, held up by the same block, records its
  // sample in that phase, possibly after this interval's callback (a read before it would miss it).
  const timer = setInterval(() => setImmediate(check).unref(), intervalMs);
  // The watchdog never keeps the process alive by itself.
  timer.unref();
  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
      histogram.disable();
    },
  };
}
