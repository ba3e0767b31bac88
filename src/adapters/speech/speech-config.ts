import { z } from 'zod';
import { LANGS, type Lang } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import type { Speaker } from '../../ports/speaker.js';
import { describeIssues } from '../../validation.js';
import { ESPEAK_MAX_WPM, ESPEAK_MIN_WPM, ESPEAK_VOICE_PATTERN, EspeakSpeaker, type EspeakVoice } from './espeak-speaker.js';
import { RoutingSpeaker } from './routing-speaker.js';
import { SAY_MAX_SPEED, SAY_MIN_SPEED, SAY_VOICE_PATTERN, createSayClient, SaySpeaker, type SayVoice } from './say-speaker.js';

export const SPEECH_ADAPTERS = ['espeak-ng', 'say'] as const;
export type SpeechAdapterName = (typeof SPEECH_ADAPTERS)[number];

const wpm = z.number().min(ESPEAK_MIN_WPM).max(ESPEAK_MAX_WPM);
const speed = z.number().min(SAY_MIN_SPEED).max(SAY_MAX_SPEED);
const slowerThanNormal = (rate: { normal: number; slow: number }): boolean => rate.slow < rate.normal;

const espeakRoute = z.strictObject({
  adapter: z.literal('espeak-ng'),
  /** An espeak-ng voice: `vi`, `en-us`, `ko`. */
  voice: z.string({ error: 'voice is required (an espeak-ng voice such as vi, en-us, ko)' }).regex(ESPEAK_VOICE_PATTERN, 'not an espeak-ng voice name'),
  /** Words per minute. Default { normal: 160, slow: 115 }. */
  rateWpm: z.strictObject({ normal: wpm, slow: wpm }).refine(slowerThanNormal, 'slow must be slower than normal').optional(),
});

const sayRoute = z.strictObject({
  adapter: z.literal('say'),
  /** macOS `say -v` name, Windows SAPI voice, or on Linux a festival voice function (voice_kal_diphone). */
  voice: z.string({ error: 'voice is required (e.g. voice_kal_diphone on Linux)' }).regex(SAY_VOICE_PATTERN, 'not a voice name'),
  /** Speed factor, 1 = the voice's own pace. Default { normal: 1, slow: 0.75 }. */
  speed: z.strictObject({ normal: speed, slow: speed }).refine(slowerThanNormal, 'slow must be slower than normal').optional(),
});

const route = z.discriminatedUnion('adapter', [espeakRoute, sayRoute], {
  error: (issue) => (issue.code === 'invalid_union' ? `unknown adapter (expected one of ${SPEECH_ADAPTERS.join(', ')})` : undefined),
});

export const speechConfigSchema = z.strictObject({
  /** Which adapter and voice speaks each language; every language needs one. */
  languages: z.strictObject({ vi: route, en: route, ko: route }),
  /** Write WAV files here instead of playing (simulator, tests). Default: play. */
  wavDir: z.string().min(1).optional(),
  /** Default `espeak-ng` on PATH. */
  espeakPath: z.string().min(1).optional(),
  /** After SIGTERM on cancel, how long before SIGKILL, in ms. Default 50. */
  killGraceMs: z.number().int().min(0).max(5000).optional(),
});

export type SpeechConfig = z.infer<typeof speechConfigSchema>;
export type SpeechRoute = SpeechConfig['languages'][Lang];

/** Languages festival has voices for; the rest must go to espeak-ng on Linux. */
const FESTIVAL_LANGS: readonly Lang[] = ['en'];

/**
 * espeak-ng for all three languages everywhere: one engine, one package. On macOS or Windows, or
 * with festival installed, `en` may be switched to `{ adapter: 'say', voice: ... }`.
 */
export const DEFAULT_SPEECH_CONFIG: SpeechConfig = {
  languages: {
    vi: { adapter: 'espeak-ng', voice: 'vi' },
    en: { adapter: 'espeak-ng', voice: 'en-us' },
    ko: { adapter: 'espeak-ng', voice: 'ko' },
  },
};

/** Validates a speech config at the edge; a problem is a `config_invalid` error saying where. */
export function parseSpeechConfig(input: unknown, platform: NodeJS.Platform = process.platform): SpeechConfig {
  const parsed = speechConfigSchema.safeParse(input);
  if (!parsed.success) throw new TiepdanError('config_invalid', `speech config: ${describeIssues(parsed.error.issues)}`);
  const config = parsed.data;
  if (platform === 'linux') {
    for (const lang of LANGS) {
      const r = config.languages[lang];
      if (r.adapter === 'say' && !FESTIVAL_LANGS.includes(lang)) {
        throw new TiepdanError('config_invalid', `speech config: languages.${lang}: say uses festival on Linux, which has no ${lang} voice; use espeak-ng`);
      }
      if (r.adapter === 'say' && !/^[A-Za-z0-9_]+$/u.test(r.voice)) {
        throw new TiepdanError('config_invalid', `speech config: languages.${lang}.voice: on Linux a festival voice function such as voice_kal_diphone`);
      }
    }
  }
  return config;
}

export interface SpeakerDeps {
  readonly platform?: NodeJS.Platform;
  readonly onStart?: (started: { readonly pid: number; readonly lang: Lang; readonly messageId: string }) => void;
}

/** One `RoutingSpeaker` over at most one speaker per adapter, built from a parsed config. */
export function createConfiguredSpeaker(config: SpeechConfig, deps: SpeakerDeps = {}): RoutingSpeaker {
  const platform = deps.platform ?? process.platform;
  const espeakVoices: Partial<Record<Lang, EspeakVoice>> = {};
  const sayVoices: Partial<Record<Lang, SayVoice>> = {};
  for (const lang of LANGS) {
    const r = config.languages[lang];
    if (r.adapter === 'espeak-ng') espeakVoices[lang] = { voice: r.voice, ...(r.rateWpm !== undefined ? { rateWpm: r.rateWpm } : {}) };
    else sayVoices[lang] = { voice: r.voice, ...(r.speed !== undefined ? { speed: r.speed } : {}) };
  }
  const common = {
    ...(config.wavDir !== undefined ? { wavDir: config.wavDir } : {}),
    ...(config.killGraceMs !== undefined ? { killGraceMs: config.killGraceMs } : {}),
    ...(deps.onStart !== undefined ? { onStart: deps.onStart } : {}),
  };
  const routes: Partial<Record<Lang, Speaker>> = {};
  if (Object.keys(espeakVoices).length > 0) {
    const espeak = new EspeakSpeaker({ voices: espeakVoices, ...common, ...(config.espeakPath !== undefined ? { espeakPath: config.espeakPath } : {}) });
    for (const lang of Object.keys(espeakVoices) as Lang[]) routes[lang] = espeak;
  }
  if (Object.keys(sayVoices).length > 0) {
    const say = new SaySpeaker({ client: createSayClient(platform), platform, voices: sayVoices, ...common });
    for (const lang of Object.keys(sayVoices) as Lang[]) routes[lang] = say;
  }
  return new RoutingSpeaker(routes);
}
