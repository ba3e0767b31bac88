import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioListener } from '../../src/adapters/audio/audio-listener.js';
import { PushFrameSource } from '../../src/adapters/audio/frame-source.js';
import { SileroVad, VAD_FRAME_SAMPLES } from '../../src/adapters/audio/silero-vad.js';
import { createPocketsphinxRecognizer, type PocketsphinxRecognizer } from '../../src/adapters/asr/pocketsphinx.js';
import { BargeInSpeaker } from '../../src/adapters/speech/barge-in.js';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { Controller, type ControllerRecord } from '../../src/app/controller.js';
import { loadIntentModel } from '../../src/app/intent-model.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { projectPath } from '../../src/paths.js';
import type { Utterance } from '../../src/ports/listener.js';
import { simRig } from '../app/sim-rig.js';
import { systemTool } from '../system.js';
import { sequence, synthesize } from '../adapters/audio/audio-fixtures.js';

const tools = [
  systemTool('/usr/bin/espeak-ng', 'espeak-ng'),
  systemTool('/usr/bin/sox', 'sox'),
  systemTool('/usr/bin/pocketsphinx_continuous', 'pocketsphinx pocketsphinx-en-us'),
];
const available = tools.every((t) => t.available);
const skipReason = tools.map((t) => t.skipReason).join('');

describe.skipIf(!available)(`a spoken English request, end to end${skipReason}`, () => {
  const catalog = loadCatalog();
  let dir: string;
  let vad: SileroVad;
  let asr: PocketsphinxRecognizer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tiepdan-spoken-'));
    vad = await SileroVad.load();
    asr = await createPocketsphinxRecognizer({ catalog, cacheDir: join(dir, 'asr') });
  });
  afterAll(async () => {
    await asr?.close();
    await vad?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('espeak-ng speech -> Silero VAD -> pocketsphinx -> intent model -> statechart: the robot answers about marriage registration and starts the escort', async () => {
    const intentModel = await loadIntentModel(projectPath('models', 'intent'), catalog, (m) => {
      throw new Error(m);
    });
    const { world, clock, base, run, citizenAtHome } = simRig();
    const microphone = new PushFrameSource(VAD_FRAME_SAMPLES);
    const heard: Utterance[] = [];
    const listener = new AudioListener(microphone, vad, asr, {
      lang: 'en',
      onError: (where, error) => {
        throw new Error(`${where}: ${String(error)}`);
      },
    });
    listener.subscribe((u) => heard.push(u));
    const speaker = new BargeInSpeaker(new RecordingSpeaker(clock, () => clock.nowMs));
    listener.onVoiceStart(() => speaker.voiceStarted());
    const records: ControllerRecord[] = [];
    const controller = new Controller({
      base, listener, speaker, intentModel, catalog, tickets: createMemoryQueue(),
      settings: DEFAULT_GUIDE_SETTINGS, clock, now: () => clock.nowMs, record: (r) => records.push(r),
    });
    citizenAtHome();
    /** The citizen speaks: the audio goes to the microphone, and the test waits for the words to come through. */
    const say = async (text: string) => {
      const before = heard.length;
      microphone.push(sequence([0.5, synthesize(dir, `u${before}`, text, 'en-us+klatt'), 1.0]).samples);
      for (let waited = 0; heard.length === before; waited += 10) {
        if (waited > 30_000) throw new Error('nothing was recognised');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const said = () => records.flatMap((r) => (r.kind === 'said' ? [`${r.lang}:${r.messageId}`] : []));

    controller.start();
    await run(15);
    expect(said()).toContain('vi:greeting');
    await say('I want to register my marriage');
    await run(60);
    const understood = records.find((r) => r.kind === 'understood');
    expect(understood).toMatchObject({ procedure: 'marriage_registration', lang: 'en' });
    expect(said()).toContain('en:answer.overview');
    await say('yes please');
    await run(10);
    expect(JSON.stringify(controller.snapshot().value)).toContain('escorting');
    expect(world.hasGoal).toBe(true);
    expect(said()).toEqual(expect.arrayContaining(['en:ticket.issued', 'en:escort.start']));
    // What was heard went through the real recogniser, as words.
    expect(heard.map((u) => u.source)).toEqual(['speech', 'speech']);
    microphone.end();
    await listener.close();
    await controller.stop();
  });
});
