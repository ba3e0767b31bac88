import { describe, expect, it } from 'vitest';
import { boundedRecognizer, transcribeBoundMs } from '../../src/app/bounded-recognizer.js';
import type { ControllerRecord } from '../../src/app/controller.js';
import { createControllerMetrics } from '../../src/observability/metrics.js';
import { TiepdanError } from '../../src/ports/errors.js';
import { ASR_SAMPLE_RATE_HZ, type SpeechRecognizer, type SpeechSegment, type Transcript } from '../../src/ports/speech-recognizer.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { parsePrometheusText, valueOf } from '../observability/prom-text.js';

/** 1.5 s of silence. */
const segment: SpeechSegment = { samples: new Int16Array(24_000), sampleRate: ASR_SAMPLE_RATE_HZ };

/** A recognizer that never answers (a wedged decoder); it records the aborts it sees. */
function wedged() {
  let aborts = 0;
  const recognizer: SpeechRecognizer = {
    name: 'wedged',
    langs: ['en'],
    transcribe: (_segment, { signal }) =>
      new Promise<Transcript>(() => {
        signal.addEventListener('abort', () => (aborts += 1), { once: true });
      }),
    close: async () => {},
  };
  return { recognizer, aborts: () => aborts };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded speech recognizer', () => {
  it('gives each segment 2 s plus twice its audio', () => {
    expect(transcribeBoundMs(segment)).toBe(5_000);
  });

  it('asrHung: a transcription that overruns its bound is aborted, alerted and fails as asr_failed', async () => {
    const clock = new VirtualClock();
    const inner = wedged();
    const records: ControllerRecord[] = [];
    const metrics = createControllerMetrics();
    const asr = boundedRecognizer(inner.recognizer, {
      clock,
      onHung: () => {
        const record: ControllerRecord = { kind: 'alert', alert: 'asrHung' };
        records.push(record);
        metrics.observe(record, clock.nowMs);
      },
    });
    expect(asr.name).toBe('wedged');
    const outcome = asr.transcribe(segment, { signal: new AbortController().signal }).then(
      () => null,
      (error: unknown) => error,
    );
    clock.advance(4_999);
    await settle();
    expect(inner.aborts()).toBe(0);
    expect(records).toEqual([]);
    clock.advance(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(TiepdanError);
    expect(error).toMatchObject({ code: 'asr_failed', message: 'tiepdan asr_failed: wedged gave no transcript within 5000 ms; it was stopped' });
    expect(inner.aborts()).toBe(1);
    expect(records).toEqual([{ kind: 'alert', alert: 'asrHung' }]);
    const m = parsePrometheusText(await metrics.registry.metrics());
    expect(valueOf(m, 'tiepdan_watchdog_fired_total', 'tiepdan_watchdog_fired_total', { watchdog: 'asr_hung' })).toBe(1);
  });

  it('passes a transcript through in time and raises nothing', async () => {
    const clock = new VirtualClock();
    let hung = 0;
    const quick: SpeechRecognizer = { name: 'quick', langs: ['en'], transcribe: async () => ({ text: 'birth certificate', confidence: 0.8, lang: 'en' }), close: async () => {} };
    const asr = boundedRecognizer(quick, { clock, onHung: () => (hung += 1) });
    expect(await asr.transcribe(segment, { signal: new AbortController().signal })).toEqual({ text: 'birth certificate', confidence: 0.8, lang: 'en' });
    clock.advance(60_000);
    await settle();
    expect(hung).toBe(0);
  });
});
