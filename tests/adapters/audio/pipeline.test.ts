import { describe, expect, it } from 'vitest';
import { PushFrameSource, type AudioFrame } from '../../../src/adapters/audio/frame-source.js';
import { DEFAULT_SEGMENTER, Segmenter, type SegmenterEvent } from '../../../src/adapters/audio/segmenter.js';
import { encodeWav, parseWav } from '../../../src/adapters/audio/wav.js';
import { BargeInSpeaker } from '../../../src/adapters/speech/barge-in.js';
import { RecordingSpeaker } from '../../../src/adapters/speech/recording-speaker.js';
import { VirtualClock } from '../../../src/util/virtual-clock.js';

const FRAME = 512; // 32 ms at 16 kHz

/** Feeds per-frame probabilities (one per 32 ms frame) and collects what the segmenter says. */
function segment(probabilities: readonly number[]): SegmenterEvent[] {
  const s = new Segmenter(16000, DEFAULT_SEGMENTER);
  const events: SegmenterEvent[] = [];
  probabilities.forEach((p, i) => events.push(...s.push(new Int16Array(FRAME).fill(i), i * 32, p)));
  events.push(...s.flush());
  return events;
}

const repeat = (p: number, n: number) => Array<number>(n).fill(p);

describe('the segmenter', () => {
  it('starts where the probability first rose past the lower threshold and ends at the last confident frame', () => {
    const events = segment([...repeat(0, 20), 0.4, 0.45, ...repeat(0.9, 30), 0.4, ...repeat(0, 30)]);
    expect(events[0]).toEqual({ kind: 'speechStart', atMs: 20 * 32 });
    const seg = events.find((e) => e.kind === 'segment');
    expect(seg?.kind === 'segment' && [seg.segment.startMs, seg.segment.endMs]).toEqual([20 * 32, 52 * 32]);
    // The pre-speech pad: audio from before the start is kept.
    if (seg?.kind === 'segment') expect(seg.segment.samples.length).toBeGreaterThan(32 * 16 * 16);
  });

  it('keeps a sentence whole across a pause shorter than the hangover, and splits at a longer one', () => {
    const pause = (ms: number) => repeat(0, Math.round(ms / 32));
    const one = segment([...repeat(0, 10), ...repeat(0.9, 20), ...pause(200), ...repeat(0.9, 20), ...repeat(0, 40)]);
    expect(one.filter((e) => e.kind === 'segment')).toHaveLength(1);
    const two = segment([...repeat(0, 10), ...repeat(0.9, 20), ...pause(DEFAULT_SEGMENTER.hangoverMs + 100), ...repeat(0.9, 20), ...repeat(0, 40)]);
    expect(two.filter((e) => e.kind === 'segment')).toHaveLength(2);
  });

  it('calls a burst shorter than the minimum a misfire, and cuts speech that goes on too long', () => {
    expect(segment([...repeat(0, 10), ...repeat(0.9, 3), ...repeat(0, 30)]).map((e) => e.kind)).toEqual(['speechStart', 'misfire']);
    const long = segment(repeat(0.9, Math.ceil(DEFAULT_SEGMENTER.maxSpeechMs / 32) + 50));
    const segments = long.filter((e) => e.kind === 'segment');
    expect(segments.length).toBeGreaterThanOrEqual(1);
    for (const e of segments) if (e.kind === 'segment') expect(e.segment.endMs - e.segment.startMs).toBeLessThanOrEqual(DEFAULT_SEGMENTER.maxSpeechMs + 32);
  });

  it('announces a pause with the segment as it would end there, and takes it back when speech resumes', () => {
    const events = segment([...repeat(0, 10), ...repeat(0.9, 20), ...repeat(0, 3), ...repeat(0.9, 10), ...repeat(0, 40)]);
    expect(events.map((e) => e.kind)).toEqual(['speechStart', 'pause', 'resume', 'pause', 'segment']);
    const lastPause = events.filter((e) => e.kind === 'pause').at(-1);
    const final = events.find((e) => e.kind === 'segment');
    // The last pause held: its segment is the final one, sample for sample.
    expect(lastPause?.kind === 'pause' && final?.kind === 'segment' && lastPause.segment).toEqual(final?.kind === 'segment' && final.segment);
  });

  it('refuses thresholds the wrong way round', () => {
    expect(() => new Segmenter(16000, { ...DEFAULT_SEGMENTER, negativeThreshold: 0.8, positiveThreshold: 0.5 })).toThrow(/negative threshold/);
  });
});

describe('WAV input', () => {
  it('reads what it writes, and rejects other formats saying how to convert them', () => {
    const samples = Int16Array.from({ length: 1000 }, (_, i) => (i % 50) * 100 - 2500);
    expect(parseWav(encodeWav(samples)).samples).toEqual(samples);
    const stereo = encodeWav(samples);
    stereo.writeUInt16LE(2, 22);
    expect(() => parseWav(stereo, 'in.wav')).toThrow(/in\.wav: it has 2 channels, not 1; convert it with: sox/);
    const cd = encodeWav(samples);
    cd.writeUInt32LE(44100, 24);
    expect(() => parseWav(cd)).toThrow(/44100 Hz, not 16000/);
    expect(() => parseWav(Buffer.from('not a wave file at all'))).toThrow(/not a RIFF\/WAVE file/);
    expect(() => parseWav(Buffer.alloc(0))).toThrow(/not a RIFF\/WAVE file/);
  });
});

describe('the push frame source', () => {
  it('cuts pushed audio into frames in order, with their stream times, until it ends', async () => {
    const source = new PushFrameSource(FRAME);
    const got: AudioFrame[] = [];
    const reading = (async () => {
      for await (const f of source.frames(new AbortController().signal)) got.push(f);
    })();
    source.push(new Int16Array(700));
    source.push(new Int16Array(400));
    source.end();
    await reading;
    expect(got.map((f) => [f.samples.length, f.startMs])).toEqual([
      [FRAME, 0],
      [FRAME, 32],
    ]);
    expect(() => source.push(new Int16Array(10))).toThrow(/already ended/);
  });
});

describe('barge-in', () => {
  it('stops the robot mid-sentence when the citizen starts talking, and only then', async () => {
    const clock = new VirtualClock();
    const inner = new RecordingSpeaker(clock, () => clock.nowMs);
    const speaker = new BargeInSpeaker(inner);
    const request = { text: 'A long answer about the documents you need for a marriage registration.', lang: 'en' as const, messageId: 'answer.documents', rate: 'normal' as const };
    speaker.voiceStarted(); // nobody is being interrupted
    const first = speaker.speak(request, { signal: new AbortController().signal });
    clock.advance(500);
    speaker.voiceStarted();
    expect(await first).toEqual({ kind: 'canceled' });
    const second = speaker.speak(request, { signal: new AbortController().signal });
    clock.advance(60_000);
    expect((await second).kind).toBe('done');
    expect(speaker.interruptions).toBe(1);
  });
});
