import { describe, expect, it } from 'vitest';
import { AudioListener } from '../../../src/adapters/audio/audio-listener.js';
import { PushFrameSource } from '../../../src/adapters/audio/frame-source.js';
import { VAD_FRAME_SAMPLES, type SileroVad } from '../../../src/adapters/audio/silero-vad.js';
import { boundedRecognizer } from '../../../src/app/bounded-recognizer.js';
import type { Utterance } from '../../../src/ports/listener.js';
import type { SpeechRecognizer, Transcript } from '../../../src/ports/speech-recognizer.js';
import { VirtualClock } from '../../../src/util/virtual-clock.js';

/** Speech is any frame that is not silent: these tests are about what follows the VAD, not the VAD. */
const loudnessVad = { reset: () => {}, speechProbability: async (frame: Int16Array) => (frame[0] !== 0 ? 0.95 : 0) } as unknown as SileroVad;
const frames = (count: number, level: number) => new Int16Array(VAD_FRAME_SAMPLES * count).fill(level);

describe('the audio listener with a hung recogniser', () => {
  it('asrHung: the hung segment is aborted and reported as asr_failed, and the next one is heard', async () => {
    const clock = new VirtualClock();
    let calls = 0;
    let aborts = 0;
    const inner: SpeechRecognizer = {
      name: 'flaky',
      langs: ['en'],
      transcribe: (_segment, { signal }) => {
        calls += 1;
        if (calls > 1) return Promise.resolve<Transcript>({ text: 'birth certificate', confidence: 0.8, lang: 'en' });
        // The first never answers; its bound passes on the virtual clock as soon as it has started.
        setImmediate(() => clock.advance(60_000));
        return new Promise<Transcript>(() => signal.addEventListener('abort', () => (aborts += 1), { once: true }));
      },
      close: async () => {},
    };
    const alerts: string[] = [];
    const errors: unknown[] = [];
    const heard: Utterance[] = [];
    const source = new PushFrameSource(VAD_FRAME_SAMPLES);
    const listener = new AudioListener(source, loudnessVad, boundedRecognizer(inner, { clock, onHung: () => alerts.push('asrHung') }), {
      onError: (where, error) => errors.push({ where, error }),
    });
    listener.subscribe((u) => heard.push(u));
    for (const level of [1000, 2000]) {
      source.push(frames(20, 0));
      source.push(frames(25, level));
      source.push(frames(40, 0));
    }
    source.end();
    await listener.finished();
    expect(aborts).toBe(1);
    expect(alerts).toEqual(['asrHung']);
    expect(errors).toEqual([{ where: 'speech recogniser', error: expect.objectContaining({ code: 'asr_failed' }) }]);
    expect(heard.map((u) => u.text)).toEqual(['birth certificate']);
  });
});
