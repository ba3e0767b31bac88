import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Cancellable, Lang } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import type { SpeakResult, Speaker, SpeechRate, SpeechRequest } from '../../ports/speaker.js';
import { superviseChildren, type ProcessSpeakerOptions } from './child-processes.js';
import { WavRecorder, wavDurationMs, type WavRecording } from './wav.js';

export interface EspeakVoice {
  /** An espeak-ng voice name as `espeak-ng --voices` lists it: `vi`, `en-us`, `ko`. */
  readonly voice: string;
  /** Words per minute for each rate; espeak-ng's own default is 175. */
  readonly rateWpm?: Readonly<Record<SpeechRate, number>>;
}

export interface EspeakSpeakerOptions extends ProcessSpeakerOptions {
  /** The languages this speaker serves and the voice for each. */
  readonly voices: Readonly<Partial<Record<Lang, EspeakVoice>>>;
  /** Default `espeak-ng` (looked up on PATH). */
  readonly espeakPath?: string;
  /**
   * How to reach the sound device: `aplay` pipes `espeak-ng --stdout` into ALSA's player;
   * `espeak-ng` uses espeak-ng's own audio output. Default: `aplay` when `aplayPath` exists.
   */
  readonly player?: 'aplay' | 'espeak-ng';
  /** Default `/usr/bin/aplay`. */
  readonly aplayPath?: string;
}

/** Clearly slower for the elderly, still fluent; espeak-ng's default is 175. */
export const DEFAULT_ESPEAK_RATE_WPM: Readonly<Record<SpeechRate, number>> = { normal: 160, slow: 115 };
export const ESPEAK_MIN_WPM = 80;
export const ESPEAK_MAX_WPM = 450;
const DEFAULT_KILL_GRACE_MS = 50;

/** espeak-ng voice names: letters, digits and `-_+/` (variants `en-us+f3`), never an option. */
export const ESPEAK_VOICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_+/-]*$/u;

/** Control characters could reach espeak-ng's embedded-command parser; they are never words. */
export function espeakText(text: string): string {
  return text.normalize('NFC').replace(/\p{Cc}+/gu, ' ');
}

/**
 * `Speaker` over the espeak-ng command: Vietnamese, English and Korean voices in one package. The
 * text goes in on stdin (never through a shell, never as an argument that could read as an option).
 */
export class EspeakSpeaker implements Speaker {
  readonly #voices: Readonly<Partial<Record<Lang, EspeakVoice>>>;
  readonly #espeakPath: string;
  readonly #player: 'aplay' | 'espeak-ng';
  readonly #aplayPath: string;
  readonly #killGraceMs: number;
  readonly #now: () => number;
  readonly #onStart: EspeakSpeakerOptions['onStart'];
  readonly #recorder: WavRecorder | undefined;
  #voicesChecked: Promise<void> | undefined;

  constructor(options: EspeakSpeakerOptions) {
    for (const [lang, voice] of Object.entries(options.voices)) {
      if (!ESPEAK_VOICE_PATTERN.test(voice.voice)) throw new TiepdanError('config_invalid', `espeak-ng voice for ${lang}: not a voice name`);
      const rate = voice.rateWpm;
      if (rate !== undefined && !(Object.values(rate) as number[]).every((wpm) => Number.isFinite(wpm) && wpm >= ESPEAK_MIN_WPM && wpm <= ESPEAK_MAX_WPM)) {
        throw new TiepdanError('config_invalid', `espeak-ng rate for ${lang}: words per minute must be ${ESPEAK_MIN_WPM}..${ESPEAK_MAX_WPM}`);
      }
    }
    this.#voices = options.voices;
    this.#espeakPath = options.espeakPath ?? 'espeak-ng';
    this.#aplayPath = options.aplayPath ?? '/usr/bin/aplay';
    this.#player = options.player ?? (existsSync(this.#aplayPath) ? 'aplay' : 'espeak-ng');
    this.#killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.#now = options.now ?? (() => performance.now());
    this.#onStart = options.onStart;
    this.#recorder = options.wavDir === undefined ? undefined : new WavRecorder(options.wavDir);
  }

  /** The WAV files written so far (only with `wavDir`), oldest first. */
  get recordings(): readonly WavRecording[] {
    return this.#recorder?.recordings ?? [];
  }

  /**
   * Confirms once that espeak-ng knows every configured voice: given an unknown name it speaks
   * with its default voice and exits 0, so a typo would otherwise read Vietnamese in English.
   */
  checkVoices(): Promise<void> {
    this.#voicesChecked ??= this.#listVoices().then((known) => {
      for (const [lang, voice] of Object.entries(this.#voices)) {
        const base = voice.voice.split('+')[0]!.toLowerCase();
        if (!known.has(base)) throw new TiepdanError('speech_voice_missing', `espeak-ng has no voice "${voice.voice}" (for ${lang}); see espeak-ng --voices`);
      }
    });
    this.#voicesChecked.catch(() => (this.#voicesChecked = undefined));
    return this.#voicesChecked;
  }

  #listVoices(): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      execFile(this.#espeakPath, ['--voices'], { encoding: 'utf8', timeout: 10_000 }, (error, stdout) => {
        if (error !== null) {
          reject(
            (error as NodeJS.ErrnoException).code === 'ENOENT'
              ? missingEngine(this.#espeakPath, 'espeak-ng', error)
              : new TiepdanError('speech_failed', `espeak-ng --voices failed: ${String(error.code ?? error.signal ?? 'error')}`, { cause: error }),
          );
          return;
        }
        // Pty Language Age/Gender VoiceName File Other-languages: -v takes the language, the name or the file.
        const known = new Set<string>();
        for (const line of stdout.split('\n').slice(1)) {
          const [, language, , name, file] = line.trim().split(/\s+/u);
          for (const key of [language, name, file, file?.split('/').pop()]) if (key !== undefined && key !== '') known.add(key.toLowerCase());
        }
        resolve(known);
      });
    });
  }

  async speak(request: SpeechRequest, options: Cancellable): Promise<SpeakResult> {
    const voice = Object.hasOwn(this.#voices, request.lang) ? this.#voices[request.lang] : undefined;
    if (voice === undefined) throw new TiepdanError('speech_lang_unsupported', `espeak-ng speaker has no voice for ${request.lang}`);
    if (options.signal.aborted) return { kind: 'canceled' };
    await this.checkVoices();
    if (options.signal.aborted) return { kind: 'canceled' };
    const wavPath = await this.#recorder?.nextPath(request.lang);
    if (options.signal.aborted) return { kind: 'canceled' };

    const wpm = (voice.rateWpm ?? DEFAULT_ESPEAK_RATE_WPM)[request.rate];
    // -b 1: the input is UTF-8. Without -m, '<' and '&' are read as text, not SSML.
    const args = ['-v', voice.voice, '-s', String(Math.round(wpm)), '-b', '1', '--stdin'];
    const viaAplay = wavPath === undefined && this.#player === 'aplay';
    if (wavPath !== undefined) args.push('-w', wavPath);
    else if (viaAplay) args.push('--stdout');

    const startedMs = this.#now();
    const espeak = spawn(this.#espeakPath, args, { stdio: ['pipe', viaAplay ? 'pipe' : 'ignore', 'ignore'] });
    const children: ChildProcess[] = [espeak];
    if (viaAplay && espeak.stdout !== null) {
      const aplay = spawn(this.#aplayPath, ['-q'], { stdio: ['pipe', 'ignore', 'ignore'] });
      aplay.stdin?.on('error', () => {
        // aplay gone (canceled or failed): its exit code says which.
      });
      espeak.stdout.pipe(aplay.stdin!);
      children.push(aplay);
    }
    espeak.stdin?.on('error', () => {
      // espeak-ng gone before reading all the text: its exit says why.
    });
    espeak.stdin?.end(espeakText(request.text), 'utf8');
    for (const child of children) if (child.pid !== undefined) this.#onStart?.({ pid: child.pid, lang: request.lang, messageId: request.messageId });

    const outcome = await superviseChildren(children, options.signal, { killGraceMs: this.#killGraceMs, group: false });
    if (outcome.kind === 'spawnFailed') {
      const program = outcome.error.path ?? this.#espeakPath;
      if (outcome.error.code === 'ENOENT') throw missingEngine(program, program.endsWith('aplay') ? 'alsa-utils' : 'espeak-ng', outcome.error);
      throw new TiepdanError('speech_failed', `could not start ${program}: ${outcome.error.code ?? 'error'}`, { cause: outcome.error });
    }
    if (outcome.kind === 'canceled') {
      if (wavPath !== undefined) await rm(wavPath, { force: true });
      return { kind: 'canceled' };
    }
    const failed = outcome.exits.find((exit) => exit.code !== 0);
    if (failed !== undefined) {
      // The exit status only: stderr may quote the text, and the text may be personal.
      throw new TiepdanError('speech_failed', `espeak-ng ${request.lang} ${request.messageId} ended with ${failed.signal ?? `code ${failed.code}`}`);
    }
    if (wavPath === undefined) return { kind: 'done', durationMs: this.#now() - startedMs };
    const durationMs = await wavDurationMs(wavPath).catch(() => undefined);
    if (durationMs === undefined) throw new TiepdanError('speech_failed', `espeak-ng ${request.lang} ${request.messageId} wrote no readable WAV`);
    this.#recorder?.keep({ path: wavPath, messageId: request.messageId, lang: request.lang, rate: request.rate, durationMs });
    return { kind: 'done', durationMs };
  }
}

function missingEngine(program: string, aptPackage: string, cause: unknown): TiepdanError {
  return new TiepdanError('speech_engine_missing', `${program} not found (install the ${aptPackage} package: apt-get install ${aptPackage})`, { cause });
}
