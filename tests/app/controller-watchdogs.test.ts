import { describe, expect, it } from 'vitest';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { Controller, type ControllerRecord } from '../../src/app/controller.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { createControllerMetrics } from '../../src/observability/metrics.js';
import type { BaseEvent, NavOptions, NavResult, Place, RobotBase } from '../../src/ports/robot-base.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { parsePrometheusText, valueOf } from '../observability/prom-text.js';

const catalog = loadCatalog();
const PLACES: readonly Place[] = [
  { id: 'home', kind: 'home', pose: { xM: 0, yM: 0, yawRad: 0 }, fields: [] },
  { id: 'dock', kind: 'dock', pose: { xM: -1, yM: 0, yawRad: 0 }, fields: [] },
  { id: 'counter-1', kind: 'counter', pose: { xM: 10, yM: 0, yawRad: 0 }, fields: ['civil_status'] },
];

interface Goal {
  readonly placeId: string;
  readonly options: NavOptions;
  canceled: boolean;
  finish(result: NavResult): void;
}

/** A base the test drives by hand: it publishes only what the test emits, and its goals end when told or canceled. */
function fakeBase() {
  const calls: string[] = [];
  const goals: Goal[] = [];
  const listeners = new Set<(event: BaseEvent) => void>();
  const base: RobotBase = {
    robotId: 'robot-1',
    places: () => PLACES,
    navigate: (goal, options) =>
      new Promise<NavResult>((resolve) => {
        const placeId = goal.kind === 'place' ? goal.placeId : 'pose';
        calls.push(`navigate:${placeId}`);
        const entry: Goal = { placeId, options, canceled: false, finish: resolve };
        goals.push(entry);
        options.signal.addEventListener(
          'abort',
          () => {
            entry.canceled = true;
            calls.push(`cancel:${placeId}`);
            resolve({ kind: 'canceled' });
          },
          { once: true },
        );
      }),
    stop: async (reason) => void calls.push(`stop:${reason}`),
    release: async () => void calls.push('release'),
    setSpeedLimit: async () => {},
    dock: async () => ({ kind: 'arrived' }),
    undock: async () => ({ kind: 'arrived' }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    health: () => ({ presence: 'present', problems: [] }),
    close: async () => {},
  };
  const emit = (event: BaseEvent) => listeners.forEach((l) => l(event));
  const pose = () => emit({ type: 'pose', pose: { xM: 0, yM: 0, yawRad: 0 }, linearMps: 0, angularRadps: 0 });
  return { base, calls, goals, emit, pose };
}

function rig() {
  const clock = new VirtualClock();
  const fake = fakeBase();
  const records: ControllerRecord[] = [];
  const metrics = createControllerMetrics();
  const controller = new Controller({
    base: fake.base,
    listener: new TextListener('console'),
    speaker: new RecordingSpeaker(clock, () => clock.nowMs),
    intentModel: createKeywordIntentModel(catalog),
    catalog,
    tickets: createMemoryQueue(),
    settings: DEFAULT_GUIDE_SETTINGS,
    clock,
    now: () => clock.nowMs,
    record: (r) => {
      records.push(r);
      metrics.observe(r, clock.nowMs);
    },
  });
  /** Moves the virtual clock in 100 ms steps, letting promises settle; `each` runs before every step. */
  const run = async (ms: number, each: (atMs: number) => void = () => {}) => {
    for (let t = 0; t < ms; t += 100) {
      each(clock.nowMs);
      clock.advance(100);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const link = () => (controller.snapshot().value as Record<string, unknown>)['link'];
  const alerts = () => records.flatMap((r) => (r.kind === 'alert' ? [r.alert] : []));
  const fired = async (watchdog: string) =>
    valueOf(parsePrometheusText(await metrics.registry.metrics()), 'tiepdan_watchdog_fired_total', 'tiepdan_watchdog_fired_total', { watchdog });
  return { clock, ...fake, records, controller, run, link, alerts, fired };
}

/** Poses at 5 Hz, as the bases publish them. */
const at5Hz = (pose: () => void) => (atMs: number) => {
  if (atMs % 200 === 0) pose();
};

describe('controller watchdogs', () => {
  it('base silent: no pose for 2 s stops the base and raises baseSilent once; the link comes back only when poses and the heartbeat both do', async () => {
    const r = rig();
    r.controller.start();
    expect(await r.fired('base_silent')).toBe(0);
    await r.run(3000, at5Hz(r.pose));
    expect(r.alerts()).toEqual([]);
    expect(r.link()).toBe('up');

    // The base goes quiet (the last pose was at 2.8 s) while its adapter still calls the heartbeat fresh.
    await r.run(1500);
    expect(r.alerts()).toEqual([]);
    await r.run(600);
    expect(r.alerts()).toEqual(['baseSilent', 'linkDown']);
    expect(r.calls).toContain('stop:link_down');
    expect(r.link()).toBe('down');
    await r.run(10_000);
    expect(r.alerts().filter((a) => a === 'baseSilent')).toHaveLength(1);
    expect(await r.fired('base_silent')).toBe(1);

    // Poses return but the adapter now reports its heartbeat stale: still down.
    r.emit({ type: 'heartbeat', fresh: false });
    await r.run(1000, at5Hz(r.pose));
    expect(r.link()).toBe('down');
    // Both fresh: up, and the base released.
    r.emit({ type: 'heartbeat', fresh: true });
    await r.run(1000, at5Hz(r.pose));
    expect(r.link()).toBe('up');
    expect(r.calls).toContain('release');

    // A second silence is a second episode.
    await r.run(2500);
    expect(r.alerts().filter((a) => a === 'baseSilent')).toHaveLength(2);
    expect(await r.fired('base_silent')).toBe(2);
    await r.controller.stop();
  });

  it('base silent: poses back while the heartbeat is fresh restore the link at once', async () => {
    const r = rig();
    r.controller.start();
    await r.run(3000);
    expect(r.link()).toBe('down');
    await r.run(400, at5Hz(r.pose));
    expect(r.link()).toBe('up');
    await r.controller.stop();
  });

  it('navigation without progress: the goal is canceled and sent once more, then fails as no_progress with a navNoProgress alert', async () => {
    const r = rig();
    r.controller.start();
    const feedback = (atMs: number) => {
      at5Hz(r.pose)(atMs);
      // The base reports the same distance for ever: stuck, not arriving and not failing.
      for (const goal of r.goals) if (!goal.canceled) goal.options.onFeedback?.({ distanceRemainingM: 8.2, etaS: 14, recoveries: 0 });
    };
    r.controller.send({ type: 'operator.sendTo', placeId: 'counter-1' });
    await r.run(44_000, feedback);
    expect(r.calls.filter((c) => c.startsWith('navigate') || c.startsWith('cancel'))).toEqual(['navigate:counter-1']);
    await r.run(2_000, feedback);
    expect(r.calls.filter((c) => c.startsWith('navigate') || c.startsWith('cancel'))).toEqual(['navigate:counter-1', 'cancel:counter-1', 'navigate:counter-1']);
    expect(r.alerts()).toEqual([]);
    await r.run(45_000, feedback);
    expect(r.calls.filter((c) => c.startsWith('navigate') || c.startsWith('cancel'))).toEqual([
      'navigate:counter-1',
      'cancel:counter-1',
      'navigate:counter-1',
      'cancel:counter-1',
    ]);
    const result = r.records.flatMap((rec) => (rec.kind === 'nav' && rec.result !== null ? [rec.result] : []));
    expect(result).toEqual([{ kind: 'failed', reason: 'no_progress', detail: expect.stringContaining('0.3 m in 45 s') }]);
    // The watchdog's alert, then the statechart's own for a failed relocation, which hands over to staff.
    expect(r.alerts()).toEqual(['navNoProgress', 'navFailed', 'helpRequested']);
    expect(await r.fired('nav_no_progress')).toBe(1);
    await r.controller.stop();
  });

  it('navigation that keeps making progress, however slowly, is left alone', async () => {
    const r = rig();
    r.controller.start();
    let remainingM = 20;
    const creeping = (atMs: number) => {
      at5Hz(r.pose)(atMs);
      // 0.4 m every 30 s: slow, but progress.
      if (atMs % 30_000 === 0) remainingM -= 0.4;
      for (const goal of r.goals) if (!goal.canceled) goal.options.onFeedback?.({ distanceRemainingM: remainingM, etaS: 60, recoveries: 0 });
    };
    r.controller.send({ type: 'operator.sendTo', placeId: 'counter-1' });
    await r.run(200_000, creeping);
    expect(r.calls.filter((c) => c.startsWith('navigate') || c.startsWith('cancel'))).toEqual(['navigate:counter-1']);
    r.goals[0]!.finish({ kind: 'arrived' });
    await r.run(200);
    expect(r.records).toContainEqual({ kind: 'nav', purpose: 'relocate', placeId: 'counter-1', result: { kind: 'arrived' } });
    expect(r.alerts()).toEqual([]);
    expect(await r.fired('nav_no_progress')).toBe(0);
    await r.controller.stop();
  });
});
