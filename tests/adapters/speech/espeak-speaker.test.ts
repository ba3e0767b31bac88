import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EspeakSpeaker, type EspeakSpeakerOptions } from '../../../src/adapters/speech/espeak-speaker.js';
import type { Lang } from '../../../src/ports/common.js';
import { TiepdanError } from '../../../src/ports/errors.js';
import type { SpeechRequest } from '../../../src/ports/speaker.js';
import { systemTool } from '../../system.js';
import { catalogueRequest, expectSpokenWav, processExists, soxStat, soxTool, tempDir } from './audio.js';

const espeakTool = systemTool('/usr/bin/espeak-ng', 'espeak-ng');
const ready = espeakTool.available && soxTool.available;
const skipReason = espeakTool.skipReason + soxTool.skipReason;

const VOICES: EspeakSpeakerOptions['voices'] = { vi: { voice: 'vi' }, en: { voice: 'en-us' }, ko: { voice: 'ko' } };

function wavSpeaker(extra: Partial<EspeakSpeakerOptions> = {}): EspeakSpeaker {
  return new EspeakSpeaker({ voices: VOICES, wavDir: tempDir('espeak'), ...extra });
}

const live = (): AbortSignal => new AbortController().signal;

describe.skipIf(!ready)(`EspeakSpeaker with espeak-ng${skipReason}`, () => {
  it.each<Lang>(['vi', 'en', 'ko'])('speaks a catalogue sentence in %s to a non-silent WAV as long as the text', async (lang) => {
    const speaker = wavSpeaker();
    const request = catalogueRequest('prompt.askProcedure', lang);

    const result = await speaker.speak(request, { signal: live() });

    expect(speaker.recordings).toHaveLength(1);
    const recording = speaker.recordings[0]!;
    expect(recording).toMatchObject({ lang, messageId: 'prompt.askProcedure', rate: 'normal' });
    const stat = expectSpokenWav(recording.path, request.text);
    expect(result.kind).toBe('done');
    if (result.kind === 'done') expect(result.durationMs / 1000).toBeCloseTo(stat.lengthS, 1);
  });

  it('speaks the slow rate measurably slower than the normal rate', async () => {
    const speaker = wavSpeaker();
    await speaker.speak(catalogueRequest('prompt.idConsent', 'vi', 'normal'), { signal: live() });
    await speaker.speak(catalogueRequest('prompt.idConsent', 'vi', 'slow'), { signal: live() });

    const [normal, slow] = speaker.recordings.map((r) => soxStat(r.path).lengthS);
    expect(slow!).toBeGreaterThan(normal! * 1.2);
  });

  it('reads text that looks like an option or markup as words', async () => {
    const dir = tempDir('espeak-option');
    const trap = join(dir, 'trap.wav');
    const speaker = wavSpeaker();
    const request: SpeechRequest = { text: `-w ${trap} <speak>\u0001 quầy số 3</speak>`, lang: 'vi', messageId: 'operator.text', rate: 'normal' };

    const result = await speaker.speak(request, { signal: live() });

    expect(result.kind).toBe('done');
    expect(existsSync(trap)).toBe(false);
    expect(soxStat(speaker.recordings[0]!.path).rmsAmplitude).toBeGreaterThan(0.01);
  });

  it('stops within 100 ms of the abort: the promise resolves canceled and the process is gone', async () => {
    const pids: number[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const dir = tempDir('espeak-cancel');
    const speaker = new EspeakSpeaker({ voices: VOICES, wavDir: dir, onStart: ({ pid }) => (pids.push(pid), started()) });
    // Minutes of speech: espeak-ng needs over a second just to synthesise it.
    const one = catalogueRequest('answer.overview', 'vi', 'slow', { procedureId: 'birth_registration' });
    const request = { ...one, text: Array.from({ length: 60 }, () => one.text).join(' ') };
    const controller = new AbortController();

    const speaking = speaker.speak(request, { signal: controller.signal });
    await running;
    const abortedAt = performance.now();
    controller.abort();
    const result = await speaking;
    const gone = pids.every((pid) => !processExists(pid));
    const elapsedMs = performance.now() - abortedAt;

    expect(result).toEqual({ kind: 'canceled' });
    expect(gone).toBe(true);
    expect(elapsedMs).toBeLessThan(100);
    expect(readdirSync(dir)).toEqual([]);
    expect(speaker.recordings).toEqual([]);
  });

  it('plays through the player: espeak-ng --stdout piped into aplay (a stand-in that keeps what it is sent)', async () => {
    const dir = tempDir('espeak-aplay');
    const played = join(dir, 'played.wav');
    const aplayPath = join(dir, 'aplay');
    writeFileSync(aplayPath, `#!/bin/sh\nexec cat > '${played}'\n`, { mode: 0o755 });
    const pids: number[] = [];
    const speaker = new EspeakSpeaker({ voices: VOICES, player: 'aplay', aplayPath, onStart: ({ pid }) => pids.push(pid) });
    const request = catalogueRequest('escort.start', 'ko', 'normal', { counterId: 'counter-3' });

    const result = await speaker.speak(request, { signal: live() });

    expect(result.kind).toBe('done');
    expect(pids).toHaveLength(2);
    expect(speaker.recordings).toEqual([]);
    expectSpokenWav(played, request.text);
  });

  it('resolves canceled without starting espeak-ng when the signal is already aborted', async () => {
    const pids: number[] = [];
    const speaker = wavSpeaker({ onStart: ({ pid }) => pids.push(pid) });

    const result = await speaker.speak(catalogueRequest('goodbye', 'en'), { signal: AbortSignal.abort() });

    expect(result).toEqual({ kind: 'canceled' });
    expect(pids).toEqual([]);
  });

  it('EXPECTED FAILURE - an unknown voice is refused, not replaced by the default voice, and the error does not quote the text', async () => {
    const speaker = new EspeakSpeaker({ voices: { vi: { voice: 'no-such-voice' } }, wavDir: tempDir('espeak-voice') });
    const request = catalogueRequest('operator.text', 'vi', 'normal', { text: 'Ông Nguyễn Văn A, số 079012345678' });

    const error = await speaker.speak(request, { signal: live() }).then(() => undefined, (e: unknown) => e);

    expect(error).toBeInstanceOf(TiepdanError);
    expect((error as TiepdanError).code).toBe('speech_voice_missing');
    expect((error as TiepdanError).message).toMatch(/no-such-voice/u);
    expect((error as TiepdanError).message).not.toMatch(/Nguyễn|079012345678/u);
  });
});

describe('EspeakSpeaker without its engine', () => {
  it('EXPECTED FAILURE - a missing espeak-ng binary names the package to install', async () => {
    const speaker = new EspeakSpeaker({ voices: VOICES, espeakPath: '/nonexistent/espeak-ng', wavDir: tempDir('espeak-missing') });

    const error = await speaker.speak(catalogueRequest('goodbye', 'vi'), { signal: live() }).then(() => undefined, (e: unknown) => e);

    expect(error).toBeInstanceOf(TiepdanError);
    expect(error).toMatchObject({ name: 'TiepdanError', code: 'speech_engine_missing' });
    expect((error as Error).message).toMatch(/apt-get install espeak-ng/u);
  });

  it('EXPECTED FAILURE - a language without a voice is refused', async () => {
    const speaker = new EspeakSpeaker({ voices: { vi: { voice: 'vi' } }, wavDir: tempDir('espeak-lang') });

    await expect(speaker.speak(catalogueRequest('goodbye', 'ko'), { signal: live() })).rejects.toMatchObject({ code: 'speech_lang_unsupported' });
  });

  it('EXPECTED FAILURE - a voice name that could read as an option is refused at construction', () => {
    expect(() => new EspeakSpeaker({ voices: { en: { voice: '--stdout' } } })).toThrow(/not a voice name/u);
  });
});
