/**
 * Speech figures for `npm run bench`: Silero VAD's real-time factor, and the time from the end of a
 * spoken English request to the robot starting its reply, with the audio fed at real time through
 * the whole chain (VAD, endpointing, pocketsphinx, the intent model, the statechart), split into its
 * parts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AudioListener } from '../../src/adapters/audio/audio-listener.js';
import { PushFrameSource, wavFileSource } from '../../src/adapters/audio/frame-source.js';
import { DEFAULT_SEGMENTER } from '../../src/adapters/audio/segmenter.js';
import { SileroVad, VAD_FRAME_SAMPLES } from '../../src/adapters/audio/silero-vad.js';
import { SAMPLE_RATE } from '../../src/adapters/audio/wav.js';
import { createPocketsphinxRecognizer } from '../../src/adapters/asr/pocketsphinx.js';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { Controller } from '../../src/app/controller.js';
import { loadIntentModel, SHIPPED_MODEL_DIR } from '../../src/app/intent-model.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { percentile } from '../../src/stats.js';
import { projectPath } from '../../src/paths.js';
import type { SpeakResult, SpeechRequest } from '../../src/ports/speaker.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { loadMap, loadPlaces, placesPathFor } from '../../src/maps/map.js';
import { createPlanner } from '../../sim/planner.js';
import { Random } from '../../src/util/random.js';
import { SimBase } from '../../sim/sim-base.js';
import { World } from '../../sim/world.js';
import { atSnr, mix, noise, rms, save, sequence, synthesize } from '../adapters/audio/audio-fixtures.js';

interface Row {
  readonly name: string;
  readonly cells: readonly string[];
}

const REQUESTS = [
  'I want to register my marriage',
  'how much does a birth certificate cost',
  'where do I get a queue number',
  'I need a certified copy of my diploma',
  'how long does the land certificate take',
  'take me to the counter for temporary residence',
  'what documents do I need for a death registration',
  'I would like to talk to an officer',
];
const FRAME_MS = (VAD_FRAME_SAMPLES / SAMPLE_RATE) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function speechBench(): Promise<Row[]> {
  const needed = ['/usr/bin/espeak-ng', '/usr/bin/sox', '/usr/bin/pocketsphinx_continuous'];
  const missing = needed.filter((p) => !existsSync(p));
  if (missing.length > 0) return [{ name: 'speech', cells: [`skipped: ${missing.join(', ')} not found (apt-get install espeak-ng sox pocketsphinx pocketsphinx-en-us)`] }];
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-bench-speech-'));
  const rows: Row[] = [];
  const catalog = loadCatalog();
  const vad = await SileroVad.load();
  const asr = await createPocketsphinxRecognizer({ catalog, cacheDir: join(dir, 'asr') });
  const intentModel = await loadIntentModel(SHIPPED_MODEL_DIR, catalog, () => {});
  try {
    // VAD alone: a minute of speech and pauses under lobby noise, as fast as it goes.
    const clips = REQUESTS.map((text, i) => synthesize(dir, `r${i}`, text, 'en-us+klatt'));
    const parts: (number | Int16Array)[] = [];
    for (let k = 0; parts.length < 40; k += 1) parts.push(2.5, clips[k % clips.length]!);
    const long = sequence(parts);
    const noisy = mix(long.samples, atSnr(noise(dir, 'bed', 'pinknoise', 0.5, 10), rms(clips[0]!), 15));
    const vadListener = new AudioListener(wavFileSource(save(dir, 'long', noisy), VAD_FRAME_SAMPLES), vad, { transcribe: async () => ({ text: '', confidence: 0, lang: 'en' }) });
    const t0 = performance.now();
    await vadListener.finished();
    const audioMs = (noisy.length / SAMPLE_RATE) * 1000;
    rows.push({
      name: 'Silero VAD (512-sample frames)',
      cells: [
        `real-time factor ${(vadListener.stats.vadMs / audioMs).toFixed(4)} (${(audioMs / 1000).toFixed(0)} s of audio in ${((performance.now() - t0) / 1000).toFixed(2)} s)`,
        `${(vadListener.stats.vadMs / vadListener.stats.frames).toFixed(3)} ms per 32 ms frame`,
        `${vadListener.stats.segments} segments for ${long.truth.length} utterances`,
      ],
    });

    // End of speech to the reply: each request spoken at real time to a robot waiting at home.
    const endpointing: number[] = [];
    const recognition: number[] = [];
    const understanding: number[] = [];
    const total: number[] = [];
    const mapPath = projectPath('sim', 'maps', 'ward-lobby.yaml');
    const map = loadMap(mapPath);
    const places = loadPlaces(placesPathFor(mapPath), map);
    for (const clip of clips) {
      const world = new World({ map, places, planner: createPlanner(map, { inflationRadiusM: 0.45 }), random: new Random(1) });
      const clock = new VirtualClock();
      const source = new PushFrameSource(VAD_FRAME_SAMPLES);
      let closedAt = 0;
      let transcribedAt = 0;
      let replyAt = 0;
      const listener = new AudioListener(source, vad, asr, { lang: 'en', onTranscribed: (_s, t) => ((closedAt = t.closedAtMs), (transcribedAt = t.transcribedAtMs)) });
      const inner = new RecordingSpeaker(clock, () => clock.nowMs);
      const speaker = {
        speak(request: SpeechRequest, options: { signal: AbortSignal }): Promise<SpeakResult> {
          if (replyAt === 0) replyAt = performance.now();
          return inner.speak(request, options);
        },
      };
      const controller = new Controller({
        base: new SimBase(world), listener, speaker, intentModel, catalog, tickets: createMemoryQueue(),
        settings: DEFAULT_GUIDE_SETTINGS, clock, now: () => clock.nowMs,
      });
      controller.start();
      const audio = sequence([0.3, clip, 1.0]).samples;
      const endSample = Math.round(0.3 * SAMPLE_RATE) + clip.length;
      let speechEndAt = 0;
      // Real time: one frame every 32 ms, as a microphone delivers them.
      const start = performance.now();
      for (let k = 0; k * VAD_FRAME_SAMPLES < audio.length; k += 1) {
        const due = start + k * FRAME_MS;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        source.push(audio.subarray(k * VAD_FRAME_SAMPLES, (k + 1) * VAD_FRAME_SAMPLES));
        if (speechEndAt === 0 && (k + 1) * VAD_FRAME_SAMPLES >= endSample) speechEndAt = performance.now();
        if (replyAt !== 0) break;
      }
      for (let waited = 0; replyAt === 0 && waited < 10_000; waited += 5) await sleep(5);
      source.end();
      await listener.close();
      await controller.stop();
      if (replyAt === 0 || closedAt === 0) continue;
      endpointing.push(closedAt - speechEndAt);
      recognition.push(transcribedAt - closedAt);
      understanding.push(replyAt - transcribedAt);
      total.push(replyAt - speechEndAt);
    }
    const p = (xs: number[], q: number) => percentile(xs, q).toFixed(0);
    rows.push({
      name: 'end of speech to reply (en)',
      cells: [
        `p50 ${p(total, 0.5)} ms, max ${Math.max(...total).toFixed(0)} ms over ${total.length} requests`,
        `of which endpointing p50 ${p(endpointing, 0.5)} ms (hangover ${DEFAULT_SEGMENTER.hangoverMs} ms)`,
        `recognition still running when the end was confirmed p50 ${p(recognition, 0.5)} ms (it starts at the pause)`,
        `understanding and statechart p50 ${p(understanding, 0.5)} ms`,
      ],
    });
  } finally {
    await asr.close();
    await vad.close();
    await intentModel.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
