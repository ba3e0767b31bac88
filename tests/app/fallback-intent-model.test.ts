import { describe, expect, it } from 'vitest';
import type { ControllerRecord } from '../../src/app/controller.js';
import { withFallback } from '../../src/app/fallback-intent-model.js';
import { createWatchdogAlertRelay } from '../../src/app/watchdog-alerts.js';
import { createControllerMetrics } from '../../src/observability/metrics.js';
import type { Classification, IntentModel } from '../../src/ports/intent-model.js';
import { parsePrometheusText, valueOf } from '../observability/prom-text.js';

const answer = (intent: Classification['intent']): Classification => ({ intent, procedure: null, lang: 'en', confidence: 0.9, alternatives: [] });
const keywords: IntentModel = { name: 'keyword', classify: async () => answer('ask_fee') };

/** A primary whose behaviour the test switches: answering, throwing, or never answering. */
function primary() {
  let mode: 'ok' | 'throw' | 'hang' = 'ok';
  const model: IntentModel = {
    name: 'onnx',
    classify: (_text) => (mode === 'ok' ? Promise.resolve(answer('greet')) : mode === 'throw' ? Promise.reject(new Error('session broken')) : new Promise<Classification>(() => {})),
  };
  return { model, set: (m: typeof mode) => (mode = m) };
}

describe('understanding when the intent model fails', () => {
  it('answers from the keyword model when the primary throws or hangs, and the conversation goes on', async () => {
    const p = primary();
    const reports: string[] = [];
    const model = withFallback(p.model, keywords, (m) => reports.push(m), { timeoutMs: 20, failuresToRest: 3, restMs: 1000 });
    expect((await model.classify('hello')).intent).toBe('greet');
    p.set('throw');
    expect((await model.classify('how much')).intent).toBe('ask_fee');
    p.set('hang');
    expect((await model.classify('how much')).intent).toBe('ask_fee');
    expect(model.failures).toBe(2);
    expect(reports).toEqual([]);
  });

  it('rests a primary that keeps failing, reports it once, and tries it again after the rest', async () => {
    const p = primary();
    let t = 0;
    const reports: string[] = [];
    const model = withFallback(p.model, keywords, (m) => reports.push(m), { timeoutMs: 20, failuresToRest: 3, restMs: 1000 }, () => t);
    p.set('throw');
    for (let i = 0; i < 3; i += 1) await model.classify('x');
    expect(model.resting).toBe(true);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/onnx failed 3 times in a row \(session broken\); using keyword for 1 s/);
    p.set('ok');
    // Resting: the primary is not asked, even though it would answer now.
    expect((await model.classify('hello')).intent).toBe('ask_fee');
    t = 1001;
    expect((await model.classify('hello')).intent).toBe('greet');
    expect(reports.at(-1)).toBe('intent model: trying onnx again');
    expect(model.resting).toBe(false);
  });

  it('never puts the utterance in its reports', async () => {
    const p = primary();
    const reports: string[] = [];
    const model = withFallback(p.model, keywords, (m) => reports.push(m), { timeoutMs: 20, failuresToRest: 1, restMs: 1000 });
    p.set('throw');
    await model.classify('my number is 079123456789');
    expect(reports.join(' ')).not.toContain('079123456789');
  });

  it('intentModelFailed: resting the primary is an operator alert through the relay, counted once; trying it again is not', async () => {
    const p = primary();
    let t = 0;
    const relay = createWatchdogAlertRelay();
    const records: ControllerRecord[] = [];
    const metrics = createControllerMetrics();
    // As src/app/intent-model.ts wires it: the rest raises the alert, the console's lobby publishes it.
    const model = withFallback(p.model, keywords, (_m, change) => change === 'rested' && relay.raise('intentModelFailed'), { timeoutMs: 20, failuresToRest: 2, restMs: 1000 }, () => t);
    relay.connect((alert) => {
      const record: ControllerRecord = { kind: 'alert', alert };
      records.push(record);
      metrics.observe(record, t);
    });
    p.set('throw');
    await model.classify('giấy khai sinh');
    expect(records).toEqual([]);
    await model.classify('giấy khai sinh');
    expect(records).toEqual([{ kind: 'alert', alert: 'intentModelFailed' }]);
    // Still resting: the fallback answers and nothing more is raised.
    expect((await model.classify('how much')).intent).toBe('ask_fee');
    t = 1001;
    p.set('ok');
    expect((await model.classify('hello')).intent).toBe('greet');
    expect(records).toHaveLength(1);
    const m = parsePrometheusText(await metrics.registry.metrics());
    expect(valueOf(m, 'tiepdan_watchdog_fired_total', 'tiepdan_watchdog_fired_total', { watchdog: 'intent_model_failed' })).toBe(1);
  });
});
