import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RoutingSpeaker } from '../../../src/adapters/speech/routing-speaker.js';
import { createConfiguredSpeaker, DEFAULT_SPEECH_CONFIG, parseSpeechConfig } from '../../../src/adapters/speech/speech-config.js';
import type { Cancellable } from '../../../src/ports/common.js';
import { TiepdanError } from '../../../src/ports/errors.js';
import type { SpeakResult, Speaker, SpeechRequest } from '../../../src/ports/speaker.js';
import { systemTool } from '../../system.js';
import { catalogueRequest, soxStat, soxTool, tempDir } from './audio.js';

function configError(input: unknown, platform: NodeJS.Platform = 'linux'): TiepdanError {
  try {
    parseSpeechConfig(input, platform);
  } catch (error) {
    expect(error).toBeInstanceOf(TiepdanError);
    expect((error as TiepdanError).code).toBe('config_invalid');
    return error as TiepdanError;
  }
  throw new Error('expected a config_invalid error');
}

const withEn = (en: unknown): unknown => ({ languages: { ...DEFAULT_SPEECH_CONFIG.languages, en } });

describe('parseSpeechConfig', () => {
  it('accepts the default: espeak-ng for vi, en and ko', () => {
    expect(parseSpeechConfig(DEFAULT_SPEECH_CONFIG, 'linux')).toEqual(DEFAULT_SPEECH_CONFIG);
  });

  it('accepts en on say with a festival voice and rates', () => {
    const config = withEn({ adapter: 'say', voice: 'voice_kal_diphone', speed: { normal: 1, slow: 0.7 } });
    expect(parseSpeechConfig(config, 'linux').languages.en).toMatchObject({ adapter: 'say', voice: 'voice_kal_diphone' });
  });

  it('EXPECTED FAILURE - an unknown adapter is named as such', () => {
    expect(configError(withEn({ adapter: 'polly', voice: 'Joanna' })).message).toMatch(/languages\.en\.adapter: unknown adapter \(expected one of espeak-ng, say\)/u);
  });

  it('EXPECTED FAILURE - a missing voice says where and what is needed', () => {
    expect(configError(withEn({ adapter: 'espeak-ng' })).message).toMatch(/languages\.en\.voice: voice is required/u);
  });

  it('EXPECTED FAILURE - a missing language is refused', () => {
    const { ko: _ko, ...rest } = DEFAULT_SPEECH_CONFIG.languages;
    expect(configError({ languages: rest }).message).toMatch(/languages\.ko/u);
  });

  it('EXPECTED FAILURE - vi or ko on say is refused on Linux (festival has no such voice), allowed on macOS', () => {
    const config = { languages: { ...DEFAULT_SPEECH_CONFIG.languages, vi: { adapter: 'say', voice: 'Linh' } } };
    expect(configError(config, 'linux').message).toMatch(/languages\.vi: .*festival.*no vi voice/u);
    expect(parseSpeechConfig(config, 'darwin').languages.vi.voice).toBe('Linh');
  });

  it('EXPECTED FAILURE - a voice that could break out of a command, a slow rate that is not slower, and unknown keys are refused', () => {
    expect(configError(withEn({ adapter: 'say', voice: "Zira'); calc; ('" })).message).toMatch(/languages\.en\.voice: not a voice name/u);
    expect(configError(withEn({ adapter: 'espeak-ng', voice: 'en-us', rateWpm: { normal: 150, slow: 170 } })).message).toMatch(/slow must be slower/u);
    expect(configError({ ...DEFAULT_SPEECH_CONFIG, volume: 3 }).message).toMatch(/unknown key "volume"/u);
  });
});

class FakeSpeaker implements Speaker {
  readonly heard: SpeechRequest[] = [];
  speak(request: SpeechRequest, _options: Cancellable): Promise<SpeakResult> {
    this.heard.push(request);
    return Promise.resolve({ kind: 'done', durationMs: 1 });
  }
}

describe('RoutingSpeaker', () => {
  it('hands each request to the speaker of its language', async () => {
    const espeak = new FakeSpeaker();
    const say = new FakeSpeaker();
    const speaker = new RoutingSpeaker({ vi: espeak, ko: espeak, en: say });
    const signal = new AbortController().signal;

    for (const lang of ['vi', 'en', 'ko'] as const) await speaker.speak(catalogueRequest('goodbye', lang), { signal });

    expect(espeak.heard.map((r) => r.lang)).toEqual(['vi', 'ko']);
    expect(say.heard.map((r) => r.lang)).toEqual(['en']);
  });

  it('EXPECTED FAILURE - a language without a route is refused', async () => {
    const speaker = new RoutingSpeaker({ vi: new FakeSpeaker() });
    await expect(speaker.speak(catalogueRequest('goodbye', 'ko'), { signal: new AbortController().signal })).rejects.toMatchObject({
      code: 'speech_lang_unsupported',
    });
  });
});

const espeakTool = systemTool('/usr/bin/espeak-ng', 'espeak-ng');
const festivalTool = systemTool('/usr/bin/festival', 'festival festvox-kallpc16k');
const ready = espeakTool.available && festivalTool.available && soxTool.available;

describe.skipIf(!ready)(`createConfiguredSpeaker with espeak-ng and festival${espeakTool.skipReason}${festivalTool.skipReason}${soxTool.skipReason}`, () => {
  it('speaks vi and ko through espeak-ng and en through say/festival, each to its own WAV', async () => {
    const wavDir = tempDir('routing');
    const config = parseSpeechConfig({ ...withEn({ adapter: 'say', voice: 'voice_kal_diphone' }) as object, wavDir }, 'linux');
    const started: string[] = [];
    const speaker = createConfiguredSpeaker(config, { platform: 'linux', onStart: ({ lang }) => started.push(lang) });
    const signal = new AbortController().signal;

    for (const lang of ['vi', 'en', 'ko'] as const) expect((await speaker.speak(catalogueRequest('goodbye', lang), { signal })).kind).toBe('done');

    expect(started).toEqual(['vi', 'en', 'ko']);
    const files = readdirSync(wavDir).sort();
    expect(files.map((f) => /-(\w+)\.wav$/u.exec(f)?.[1]).sort()).toEqual(['en', 'ko', 'vi']);
    for (const file of files) expect(soxStat(join(wavDir, file)).rmsAmplitude).toBeGreaterThan(0.01);
  });
});
