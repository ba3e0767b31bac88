import { execFile, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Cancellable, Lang } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import type { SpeakResult, Speaker, SpeechRate, SpeechRequest } from '../../ports/speaker.js';
import { superviseChildren, type ProcessSpeakerOptions } from './child-processes.js';
import { WavRecorder, wavDurationMs, type WavRecording } from './wav.js';

type SayCallback = (error: Error | null) => void;

/** What this adapter uses of a `say` platform instance (node_modules/say/platform/base.js). */
export interface SayClient {
  /** Set by `speak`/`export` to the process they spawned, synchronously. */
  child: ChildProcess | null;
  speak(text: string, voice: string | null, speed: number | null, callback: SayCallback): void;
  export(text: string, voice: string | null, speed: number | null, filename: string, callback: SayCallback): void;
}

export interface SayVoice {
  /** macOS: a `say -v` name ("Samantha"); Windows: a SAPI voice ("Microsoft Zira Desktop"); Linux: a festival voice function ("voice_kal_diphone"). */
  readonly voice: string;
  /** Speed factor for each rate, 1 = the voice's own pace. Default `{ normal: 1, slow: 0.75 }`. */
  readonly speed?: Readonly<Record<SpeechRate, number>>;
}

export interface SaySpeakerOptions extends ProcessSpeakerOptions {
  /** From `createSayClient()`, or a fake. */
  readonly client: SayClient;
  /** The platform `client` was made for: it decides how text is escaped and how a child is killed. */
  readonly platform: NodeJS.Platform;
  readonly voices: Readonly<Partial<Record<Lang, SayVoice>>>;
}

export const DEFAULT_SAY_SPEED: Readonly<Record<SpeechRate, number>> = { normal: 1, slow: 0.75 };
export const SAY_MIN_SPEED = 0.3;
export const SAY_MAX_SPEED = 3;
const DEFAULT_KILL_GRACE_MS = 50;

/**
 * Voice names `say` may splice into a command: festival gets `(${voice})` as Scheme, Windows gets
 * `SelectVoice('${voice}')` through cmd.exe, macOS gets it as an argument. No quotes, no brackets,
 * no shell metacharacters, no leading '-'.
 */
export const SAY_VOICE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/u;
const FESTIVAL_VOICE_PATTERN = /^[A-Za-z0-9_]+$/u;

/**
 * The text as a festival Scheme string body. `say` on Linux sends festival `(SayText "${text}")`
 * unescaped, so a '"' would end the string and the rest would run as Scheme (`(system "...")`).
 * festival's reader takes `\"` and `\\` inside strings; control characters become spaces, since
 * festival's reader turns `\n`-style escapes into them and nothing speakable needs them.
 */
export function festivalStringBody(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[\\"]/gu, (c) => `\\${c}`);
}

/** The text as `say` should receive it on `platform`. */
export function sayText(text: string, platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return festivalStringBody(text);
    case 'darwin': {
      // macOS `say` gets the text as an argument after its options: one starting with '-' would be
      // read as an option (`-o FILE`). A leading space keeps it a word.
      const clean = text.normalize('NFC').replace(/\p{Cc}+/gu, ' ');
      return clean.startsWith('-') ? ` ${clean}` : clean;
    }
    default:
      // Windows: `say` pipes the text to PowerShell's stdin, never into the command line.
      return text.normalize('NFC').replace(/\p{Cc}+/gu, ' ');
  }
}

interface SayCommand {
  command: string;
  args: string[];
  pipedData: string;
  options: SpawnOptions;
}
type SayPlatformClass = new () => SayClient & {
  buildSpeakCommand(input: { text: string; voice: string | null; speed: number | null }): SayCommand;
  buildExportCommand(input: { text: string; voice: string | null; speed: number | null; filename: string }): SayCommand;
  runStopCommand(): void;
};

/** The text as festival Scheme; the caller has escaped `text` with `festivalStringBody`. */
function festivalScript(text: string, voice: string | null, speed: number | null, action: (quoted: string) => string): string {
  if (voice !== null && !FESTIVAL_VOICE_PATTERN.test(voice)) throw new TiepdanError('config_invalid', 'festival voice must be a Scheme function name such as voice_kal_diphone');
  // Selecting a voice resets Duration_Stretch, so the stretch comes after it.
  const stretch = speed !== null && speed > 0 && speed !== 1 ? `(Parameter.set 'Duration_Stretch ${(1 / speed).toFixed(3)}) ` : '';
  return `${voice !== null ? `(${voice}) ` : ''}${stretch}${action(`"${text}"`)}\n`;
}

/**
 * A `say` client for this platform. On Linux it is `say`'s own Linux class with two commands
 * replaced: its `speak` changes rate by resampling in aplay (the pitch drops too) and its `export`
 * is not implemented; here rate is festival's Duration_Stretch and export is `utt.save.wave`, with
 * the text between quotes exactly as `say` itself places it. Festival runs in its own process group
 * so that cancelling also ends the aplay it starts. `say` is loaded only when this is called.
 */
export function createSayClient(platform: NodeJS.Platform = process.platform): SayClient {
  const require = createRequire(import.meta.url);
  if (platform !== 'linux') {
    const { Say } = require('say') as { Say: new (platform: string) => SayClient };
    return new Say(platform);
  }
  const SayLinux = require('say/platform/linux.js') as SayPlatformClass;
  class FestivalSay extends SayLinux {
    override buildSpeakCommand({ text, voice, speed }: { text: string; voice: string | null; speed: number | null }): SayCommand {
      return { command: 'festival', args: ['--pipe'], pipedData: festivalScript(text, voice, speed, (q) => `(SayText ${q})`), options: { detached: true } };
    }

    override buildExportCommand({ text, voice, speed, filename }: { text: string; voice: string | null; speed: number | null; filename: string }): SayCommand {
      if (/[\\"\p{Cc}]/u.test(filename)) throw new TiepdanError('config_invalid', 'festival WAV path must not contain quotes, backslashes or control characters');
      const pipedData = festivalScript(text, voice, speed, (q) => `(utt.save.wave (utt.synth (Utterance Text ${q})) "${filename}" 'riff)`);
      return { command: 'festival', args: ['--pipe'], pipedData, options: { detached: true } };
    }

    /** `say` guesses `pid + 2` here, which may be anyone's process; this kills festival's own group. */
    override runStopCommand(): void {
      const pid = this.child?.pid;
      if (pid !== undefined) process.kill(-pid, 'SIGTERM');
    }
  }
  return new FestivalSay();
}

/**
 * `Speaker` over the npm `say` package: macOS `say`, Windows SAPI, festival on Linux (English only:
 * festival has no Vietnamese or Korean voice). `say.stop()` is never used: each utterance's own
 * child process is killed on abort.
 */
export class SaySpeaker implements Speaker {
  readonly #client: SayClient;
  readonly #platform: NodeJS.Platform;
  readonly #voices: Readonly<Partial<Record<Lang, SayVoice>>>;
  readonly #killGraceMs: number;
  readonly #now: () => number;
  readonly #onStart: SaySpeakerOptions['onStart'];
  readonly #recorder: WavRecorder | undefined;

  constructor(options: SaySpeakerOptions) {
    for (const [lang, voice] of Object.entries(options.voices)) {
      const pattern = options.platform === 'linux' ? FESTIVAL_VOICE_PATTERN : SAY_VOICE_PATTERN;
      if (!pattern.test(voice.voice)) throw new TiepdanError('config_invalid', `say voice for ${lang}: not a voice name on ${options.platform}`);
      const speed = voice.speed;
      if (speed !== undefined && !(Object.values(speed) as number[]).every((s) => Number.isFinite(s) && s >= SAY_MIN_SPEED && s <= SAY_MAX_SPEED)) {
        throw new TiepdanError('config_invalid', `say speed for ${lang}: must be ${SAY_MIN_SPEED}..${SAY_MAX_SPEED}`);
      }
    }
    this.#client = options.client;
    this.#platform = options.platform;
    this.#voices = options.voices;
    this.#killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    this.#now = options.now ?? (() => performance.now());
    this.#onStart = options.onStart;
    this.#recorder = options.wavDir === undefined ? undefined : new WavRecorder(options.wavDir);
  }

  /** The WAV files written so far (only with `wavDir`), oldest first. */
  get recordings(): readonly WavRecording[] {
    return this.#recorder?.recordings ?? [];
  }

  async speak(request: SpeechRequest, options: Cancellable): Promise<SpeakResult> {
    const voice = Object.hasOwn(this.#voices, request.lang) ? this.#voices[request.lang] : undefined;
    if (voice === undefined) throw new TiepdanError('speech_lang_unsupported', `say speaker has no voice for ${request.lang}`);
    if (options.signal.aborted) return { kind: 'canceled' };
    const text = sayText(request.text, this.#platform);
    // Nothing to say: `say` refuses empty text and festival crashes (SIGSEGV) on text without words.
    if (!/[\p{L}\p{N}]/u.test(text)) return { kind: 'done', durationMs: 0 };
    const wavPath = await this.#recorder?.nextPath(request.lang);
    if (options.signal.aborted) return { kind: 'canceled' };

    const speed = (voice.speed ?? DEFAULT_SAY_SPEED)[request.rate];
    let reported: Error | null = null;
    let onReport!: () => void;
    const reportedOnce = new Promise<void>((resolve) => (onReport = resolve));
    const callback: SayCallback = (error) => {
      // `say` reports the first stderr output and abnormal exits here; the exit itself is watched below.
      reported ??= error;
      onReport();
    };
    const startedMs = this.#now();
    this.#client.child = null;
    if (wavPath !== undefined) this.#client.export(text, voice.voice, speed, wavPath, callback);
    else this.#client.speak(text, voice.voice, speed, callback);
    const child = this.#client.child as ChildProcess | null;
    if (child === null) {
      await reportedOnce;
      throw new TiepdanError('speech_failed', `say could not start for ${request.lang} ${request.messageId}`, { cause: reported });
    }
    child.stdin?.on('error', () => {
      // The engine went away before reading the text: its exit says why.
    });
    if (child.pid !== undefined) this.#onStart?.({ pid: child.pid, lang: request.lang, messageId: request.messageId });

    const outcome = await superviseChildren([child], options.signal, {
      killGraceMs: this.#killGraceMs,
      group: this.#platform === 'linux',
      ...(this.#platform === 'win32' ? { kill: killWindowsTree } : {}),
    });
    if (outcome.kind === 'spawnFailed') {
      if (outcome.error.code === 'ENOENT') throw missingEngine(this.#platform, outcome.error);
      throw new TiepdanError('speech_failed', `could not start the ${this.#platform} speech engine: ${outcome.error.code ?? 'error'}`, { cause: outcome.error });
    }
    if (outcome.kind === 'canceled') {
      if (wavPath !== undefined) await rm(wavPath, { force: true });
      return { kind: 'canceled' };
    }
    const exit = outcome.exits[0]!;
    // 'exit' can come before the last stderr output has been read.
    const stderr = child.stderr;
    if (stderr !== null && !stderr.destroyed) await new Promise((resolve) => stderr.once('close', resolve));
    // festival reports Scheme errors on stderr and still exits 0. The message is not quoted: it may echo the text.
    const schemeError = this.#platform === 'linux' && reported !== null && /SIOD ERROR/u.test(String((reported as Error).message));
    if (exit.code !== 0 || schemeError) {
      throw new TiepdanError('speech_failed', `say ${request.lang} ${request.messageId} ended with ${schemeError ? 'a festival error' : (exit.signal ?? `code ${exit.code}`)}`);
    }
    if (wavPath === undefined) return { kind: 'done', durationMs: this.#now() - startedMs };
    const durationMs = await wavDurationMs(wavPath).catch(() => undefined);
    // A text of punctuation alone is a valid, empty WAV.
    if (durationMs === undefined) throw new TiepdanError('speech_failed', `say ${request.lang} ${request.messageId} wrote no readable WAV`);
    this.#recorder?.keep({ path: wavPath, messageId: request.messageId, lang: request.lang, rate: request.rate, durationMs });
    return { kind: 'done', durationMs };
  }
}

function killWindowsTree(child: ChildProcess): void {
  // `say` runs PowerShell under cmd.exe (shell: true); killing cmd.exe alone leaves PowerShell talking.
  if (child.pid !== undefined) execFile('taskkill', ['/pid', String(child.pid), '/T', '/F'], () => undefined);
}

function missingEngine(platform: NodeJS.Platform, cause: unknown): TiepdanError {
  const hint =
    platform === 'linux'
      ? 'festival not found (install the festival and festvox-kallpc16k packages: apt-get install festival festvox-kallpc16k)'
      : platform === 'darwin'
        ? 'the macOS say command was not found'
        : 'powershell was not found (say uses Windows SAPI through PowerShell)';
  return new TiepdanError('speech_engine_missing', hint, { cause });
}
