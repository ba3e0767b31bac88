import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createConfiguredSpeaker, DEFAULT_SPEECH_CONFIG, parseSpeechConfig, type SpeechConfig } from '../adapters/speech/speech-config.js';
import { LANGS, type Lang } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import { parseYamlText } from '../validation.js';
import { interruptible, parse, UsageError } from './args.js';

export const SAY_HELP = `Usage: tiepdan say --lang vi|en|ko [--slow] [--wav DIR] [--config FILE] [TEXT...]

Speaks a text with the robot's voices, to check a speaker installation: the text from the
arguments, or from stdin when there are none. Ctrl-C stops it.

Options:
  --lang L       vi, en or ko (required)
  --slow         the slower, clearer pace used for elderly citizens
  --wav DIR      write a WAV file into DIR instead of playing, and print its path
  --config FILE  speech config (YAML): per language an adapter (espeak-ng or say) and a voice;
                 default: espeak-ng voices vi, en-us and ko
  -h, --help     show this help`;

/** A speech config file, validated; a missing or broken one is a clear error. */
export function loadSpeechConfig(file: string | undefined): SpeechConfig {
  if (file === undefined) return DEFAULT_SPEECH_CONFIG;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TiepdanError('config_invalid', `${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYamlText(text);
  } catch (error) {
    throw new TiepdanError('config_invalid', `${file}: not YAML (${(error as Error).message.split('\n')[0]})`);
  }
  return parseSpeechConfig(raw);
}

function newestWav(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
}

export async function sayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { lang: { type: 'string' }, slow: { type: 'boolean' }, wav: { type: 'string' }, config: { type: 'string' } }, true);
  if (values.help === true) {
    process.stdout.write(`${SAY_HELP}\n`);
    return 0;
  }
  const lang = values.lang as Lang | undefined;
  if (lang === undefined || !LANGS.includes(lang)) throw new UsageError(`--lang must be one of ${LANGS.join(', ')}`);
  const text = (positionals.length > 0 ? positionals.join(' ') : readFileSync(0, 'utf8')).trim();
  if (text === '') throw new UsageError('nothing to say: give a text as arguments or on stdin');
  if (text.length > 2000) throw new UsageError('a text to say is at most 2000 characters');
  const config = loadSpeechConfig(values.config);
  const speaker = createConfiguredSpeaker(values.wav !== undefined ? { ...config, wavDir: values.wav } : config);
  const interrupt = interruptible();
  try {
    const result = await speaker.speak({ text, lang, messageId: 'cli.say', rate: values.slow === true ? 'slow' : 'normal' }, { signal: interrupt.signal });
    if (result.kind === 'canceled') {
      process.stderr.write('stopped\n');
      return 130;
    }
    process.stdout.write(values.wav !== undefined ? `${newestWav(values.wav) ?? values.wav}\n` : `spoke ${Math.round(result.durationMs)} ms\n`);
    return 0;
  } finally {
    interrupt.dispose();
  }
}
