import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSayClient, festivalStringBody, SaySpeaker, sayText, type SaySpeakerOptions } from '../../../src/adapters/speech/say-speaker.js';
import { TiepdanError } from '../../../src/ports/errors.js';
import type { SpeechRequest } from '../../../src/ports/speaker.js';
import { systemTool } from '../../system.js';
import { catalogueRequest, expectSpokenWav, processExists, soxStat, soxTool, tempDir } from './audio.js';

const festivalTool = systemTool('/usr/bin/festival', 'festival festvox-kallpc16k');
const ready = festivalTool.available && soxTool.available;
const skipReason = festivalTool.skipReason + soxTool.skipReason;

const VOICES: SaySpeakerOptions['voices'] = { en: { voice: 'voice_kal_diphone' } };

function festivalSpeaker(extra: Partial<SaySpeakerOptions> = {}): SaySpeaker {
  return new SaySpeaker({ client: createSayClient('linux'), platform: 'linux', voices: VOICES, wavDir: tempDir('say'), ...extra });
}

const live = (): AbortSignal => new AbortController().signal;

/** Texts that would end festival's Scheme string and run `touch` if they were not escaped. */
function injections(target: string): readonly string[] {
  return [
    `") (system "touch ${target}") ("`,
    `\\") (system \\"touch ${target}\\") (\\"`,
    `\\\\") (system "touch ${target}") ("`,
    `(system "touch ${target}")`,
    '"',
    '\\',
    `first line\n") (system "touch ${target}") ("\nlast line`,
  ];
}

describe('sayText: the text as say receives it', () => {
  it('escapes quotes and backslashes for festival and turns control characters into spaces', () => {
    expect(festivalStringBody('a "b" \\c\nd\u0000e')).toBe('a \\"b\\" \\\\c d e');
    expect(sayText('say "hi"', 'linux')).toBe('say \\"hi\\"');
  });

  it("matches say's own Linux quoting: the text between double quotes, unescaped", () => {
    const require = createRequire(import.meta.url);
    const SayLinux = require('say/platform/linux.js') as new () => { buildSpeakCommand(input: { text: string; voice: null; speed: null }): { pipedData: string } };
    const text = festivalStringBody('He said "go" \\ now');
    expect(new SayLinux().buildSpeakCommand({ text, voice: null, speed: null }).pipedData).toBe(`(SayText "${text}")`);
  });

  it('keeps a macOS text that starts with a dash from reading as an option', () => {
    expect(sayText('-o /tmp/x', 'darwin')).toBe(' -o /tmp/x');
    expect(sayText('say "hi"', 'darwin')).toBe('say "hi"');
  });

  it('EXPECTED FAILURE - a festival voice that is not a plain function name is refused at construction', () => {
    const client = { child: null, speak: () => undefined, export: () => undefined };
    expect(() => new SaySpeaker({ client, platform: 'linux', voices: { en: { voice: 'voice_kal_diphone) (system "id"' } } })).toThrow(TiepdanError);
  });
});

describe.skipIf(!ready)(`SaySpeaker with festival${skipReason}`, () => {
  it('speaks a catalogue sentence in en to a non-silent WAV as long as the text', async () => {
    const speaker = festivalSpeaker();
    const request = catalogueRequest('prompt.askProcedure', 'en');

    const result = await speaker.speak(request, { signal: live() });

    expect(speaker.recordings).toHaveLength(1);
    const recording = speaker.recordings[0]!;
    expect(recording).toMatchObject({ lang: 'en', messageId: 'prompt.askProcedure', rate: 'normal' });
    const stat = expectSpokenWav(recording.path, request.text);
    expect(result.kind).toBe('done');
    if (result.kind === 'done') expect(result.durationMs / 1000).toBeCloseTo(stat.lengthS, 1);
  });

  it('speaks the slow rate measurably slower than the normal rate', async () => {
    const speaker = festivalSpeaker();
    await speaker.speak(catalogueRequest('clarify.outOfScope', 'en', 'normal'), { signal: live() });
    await speaker.speak(catalogueRequest('clarify.outOfScope', 'en', 'slow'), { signal: live() });

    const [normal, slow] = speaker.recordings.map((r) => soxStat(r.path).lengthS);
    expect(slow!).toBeGreaterThan(normal! * 1.2);
  });

  it('speaks quotes, parentheses, backslashes and newlines without running them as Scheme', async () => {
    const dir = tempDir('say-injection');
    const speaker = festivalSpeaker();
    for (const [i, text] of injections(join(dir, 'pwned')).entries()) {
      const request: SpeechRequest = { text, lang: 'en', messageId: 'operator.text', rate: 'normal' };
      const result = await speaker.speak(request, { signal: live() });
      expect(result.kind, `injection ${i}: ${text}`).toBe('done');
      expect(existsSync(join(dir, 'pwned')), `injection ${i}: ${text}`).toBe(false);
    }
    // The ones with words were spoken; a lone '"' or '\\' has none and festival is not started for it.
    expect(speaker.recordings.map((r) => soxStat(r.path).rmsAmplitude).every((rms) => rms > 0.01)).toBe(true);
    expect(speaker.recordings).toHaveLength(5);
  });

  it('says nothing, and starts nothing, for a text without words (festival would crash on it)', async () => {
    const pids: number[] = [];
    const speaker = festivalSpeaker({ onStart: ({ pid }) => pids.push(pid) });

    const result = await speaker.speak({ text: ' . " ', lang: 'en', messageId: 'operator.text', rate: 'normal' }, { signal: live() });

    expect(result).toEqual({ kind: 'done', durationMs: 0 });
    expect(pids).toEqual([]);
  });

  it('control: the same text unescaped through say\'s quoting does run Scheme, so the check above can see an injection', async () => {
    const dir = tempDir('say-control');
    const target = join(dir, 'pwned');
    const client = createSayClient('linux');

    await new Promise<void>((resolve) => client.export(injections(target)[0]!, 'voice_kal_diphone', 1, join(dir, 'out.wav'), () => resolve()));

    expect(existsSync(target)).toBe(true);
  });

  it('stops within 100 ms of the abort: the promise resolves canceled and festival is gone', async () => {
    const pids: number[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const dir = tempDir('say-cancel');
    const speaker = festivalSpeaker({ wavDir: dir, onStart: ({ pid }) => (pids.push(pid), started()) });
    // Minutes of speech: festival needs seconds to synthesise it.
    const one = catalogueRequest('prompt.idConsent', 'en', 'slow');
    const request = { ...one, text: Array.from({ length: 20 }, () => one.text).join(' ') };
    const controller = new AbortController();

    const speaking = speaker.speak(request, { signal: controller.signal });
    await running;
    const abortedAt = performance.now();
    controller.abort();
    const result = await speaking;
    const gone = pids.every((pid) => !processExists(pid));
    const elapsedMs = performance.now() - abortedAt;

    expect(result).toEqual({ kind: 'canceled' });
    expect(pids).toHaveLength(1);
    expect(gone).toBe(true);
    expect(elapsedMs).toBeLessThan(100);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('EXPECTED FAILURE - a festival voice that does not exist is a speech_failed error that does not quote the text', async () => {
    const speaker = festivalSpeaker({ voices: { en: { voice: 'voice_no_such_voice' } } });
    const request = catalogueRequest('operator.text', 'en', 'normal', { text: 'Mr Nguyen Van A, number 079012345678' });

    const error = await speaker.speak(request, { signal: live() }).then(() => undefined, (e: unknown) => e);

    expect(error).toMatchObject({ name: 'TiepdanError', code: 'speech_failed' });
    expect((error as Error).message).not.toMatch(/Nguyen|079012345678/u);
  });
});

describe('SaySpeaker without festival', () => {
  it('EXPECTED FAILURE - a missing festival names the packages to install', async () => {
    const speaker = festivalSpeaker();
    const path = process.env['PATH'];
    process.env['PATH'] = tempDir('empty-path');
    try {
      await expect(speaker.speak(catalogueRequest('goodbye', 'en'), { signal: live() })).rejects.toMatchObject({
        code: 'speech_engine_missing',
        message: expect.stringMatching(/apt-get install festival festvox-kallpc16k/u),
      });
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('EXPECTED FAILURE - a language without a voice is refused', async () => {
    const speaker = festivalSpeaker();
    await expect(speaker.speak(catalogueRequest('goodbye', 'vi'), { signal: live() })).rejects.toMatchObject({ code: 'speech_lang_unsupported' });
  });
});
