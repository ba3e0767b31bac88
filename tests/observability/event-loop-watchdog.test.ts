import { describe, expect, it, vi } from 'vitest';
import type { ControllerRecord } from '../../src/app/controller.js';
import { startEventLoopWatchdog, type DelayHistogram } from '../../src/observability/event-loop-watchdog.js';
import { createControllerMetrics } from '../../src/observability/metrics.js';
import { parsePrometheusText, valueOf } from './prom-text.js';

/** Holds the event loop as a long synchronous task would (an ONNX run, a big JSON parse). */
function blockLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/** A histogram the test sets by hand, in milliseconds (the real one counts nanoseconds). */
function fakeHistogram() {
  let maxNs = 0;
  const histogram: DelayHistogram = {
    get max() {
      return maxNs;
    },
    reset: () => void (maxNs = 0),
    enable: () => {},
    disable: () => {},
  };
  return { histogram, delay: (ms: number) => void (maxNs = Math.max(maxNs, ms * 1e6)) };
}

describe('event-loop watchdog', () => {
  it('eventLoopSlow: a blocked loop raises the alert, counted in the metrics', async () => {
    const metrics = createControllerMetrics();
    const records: ControllerRecord[] = [];
    const watchdog = startEventLoopWatchdog(
      () => {
        const record: ControllerRecord = { kind: 'alert', alert: 'eventLoopSlow' };
        records.push(record);
        metrics.observe(record, 0);
      },
      { intervalMs: 50, thresholdMs: 250 },
    );
    try {
      // The monitor measures from its first sample on: let it take one before the loop is held.
      await new Promise((resolve) => setTimeout(resolve, 50));
      blockLoop(400);
      await vi.waitFor(() => expect(records).toEqual([{ kind: 'alert', alert: 'eventLoopSlow' }]), { timeout: 5_000, interval: 20 });
    } finally {
      watchdog.stop();
    }
    const m = parsePrometheusText(await metrics.registry.metrics());
    expect(valueOf(m, 'tiepdan_watchdog_fired_total', 'tiepdan_watchdog_fired_total', { watchdog: 'event_loop_slow' })).toBe(1);
  });

  it('alerts once per episode: again only after a check back under the threshold', () => {
    const fake = fakeHistogram();
    const slow: number[] = [];
    const watchdog = startEventLoopWatchdog((ms) => slow.push(ms), { intervalMs: 60_000, thresholdMs: 250 }, fake.histogram);
    try {
      fake.delay(20);
      watchdog.check();
      expect(slow).toEqual([]);
      fake.delay(400);
      watchdog.check();
      fake.delay(900);
      watchdog.check();
      expect(slow).toEqual([400]);
      // Each check reads the delay since the last one: a quiet interval ends the episode.
      watchdog.check();
      fake.delay(300);
      watchdog.check();
      expect(slow).toEqual([400, 300]);
    } finally {
      watchdog.stop();
    }
  });
});
