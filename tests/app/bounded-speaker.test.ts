import { describe, expect, it } from 'vitest';
import type { ControllerRecord } from '../../src/app/controller.js';
import { BoundedSpeaker, speakBoundMs } from '../../src/app/bounded-speaker.js';
import { createControllerMetrics } from '../../src/observability/metrics.js';
import type { SpeakResult, Speaker, SpeechRequest } from '../../src/ports/speaker.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { parsePrometheusText, valueOf } from '../observability/prom-text.js';

const request = (text: string, rate: SpeechRequest['rate'] = 'normal'): SpeechRequest => ({ text, lang: 'vi', messageId: 'answer.documents', rate });

/** An inner speaker that never finishes by itself (a wedged audio device); it records each abort it sees. */
function wedged() {
  const aborted: string[] = [];
  const speaker: Speaker = {
    speak: (req, { signal }) =>
      new Promise<SpeakResult>(() => {
        signal.addEventListener('abort', () => aborted.push(req.messageId), { once: true });
      }),
  };
  return { speaker, aborted };
}

function rig(inner: Speaker) {
  const clock = new VirtualClock();
  const records: ControllerRecord[] = [];
  const metrics = createControllerMetrics();
  const hung: { messageId: string; boundMs: number }[] = [];
  const speaker = new BoundedSpeaker(inner, {
    clock,
    onHung: (info) => {
      hung.push(info);
      const record: ControllerRecord = { kind: 'alert', alert: 'speakerHung' };
      records.push(record);
      metrics.observe(record, clock.nowMs);
    },
  });
  const fired = async () =>
    valueOf(parsePrometheusText(await metrics.registry.metrics()), 'tiepdan_watchdog_fired_total', 'tiepdan_watchdog_fired_total', { watchdog: 'speaker_hung' });
  return { clock, speaker, records, hung, fired };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded speaker', () => {
  it('gives each utterance 3 s plus 120 ms a character, half as long again when slow', () => {
    expect(speakBoundMs(request('x'.repeat(100)))).toBe(15_000);
    expect(speakBoundMs(request('x'.repeat(100), 'slow'))).toBe(22_500);
  });

  it('speakerHung: a speech call that overruns its bound is aborted, alerted once and resolves canceled so the conversation goes on', async () => {
    const inner = wedged();
    const r = rig(inner.speaker);
    expect(await r.fired()).toBe(0);
    const text = 'Bạn cần mang theo căn cước công dân.';
    let result: SpeakResult | null = null;
    void r.speaker.speak(request(text), { signal: new AbortController().signal }).then((res) => (result = res));
    r.clock.advance(speakBoundMs(request(text)) - 1);
    await settle();
    expect(result).toBeNull();
    expect(inner.aborted).toEqual([]);
    r.clock.advance(1);
    await settle();
    expect(result).toEqual({ kind: 'canceled' });
    expect(inner.aborted).toEqual(['answer.documents']);
    expect(r.records).toEqual([{ kind: 'alert', alert: 'speakerHung' }]);
    // The alert names the message, never its words.
    expect(r.hung).toEqual([{ messageId: 'answer.documents', boundMs: 3_000 + 120 * text.length }]);
    expect(await r.fired()).toBe(1);
  });

  it('passes a finished utterance and the caller\'s cancel through, and then raises nothing', async () => {
    const done: Speaker = { speak: async () => ({ kind: 'done', durationMs: 1200 }) };
    const r = rig(done);
    expect(await r.speaker.speak(request('xin chào'), { signal: new AbortController().signal })).toEqual({ kind: 'done', durationMs: 1200 });

    const inner = wedged();
    const cancelable: Speaker = {
      speak: (req, options) => {
        void inner.speaker.speak(req, options);
        return new Promise<SpeakResult>((resolve) => options.signal.addEventListener('abort', () => resolve({ kind: 'canceled' }), { once: true }));
      },
    };
    const c = rig(cancelable);
    const caller = new AbortController();
    const pending = c.speaker.speak(request('xin chào'), { signal: caller.signal });
    caller.abort();
    expect(await pending).toEqual({ kind: 'canceled' });
    expect(inner.aborted).toEqual(['answer.documents']);
    c.clock.advance(60_000);
    await settle();
    expect([...r.records, ...c.records]).toEqual([]);
    expect(await c.fired()).toBe(0);
  });
});
