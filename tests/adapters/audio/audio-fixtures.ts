import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { readWav, SAMPLE_RATE, writeWav } from '../../../src/adapters/audio/wav.js';

/** Speech made here with espeak-ng, as 16 kHz mono 16-bit, its own leading and trailing silence cut off. */
export function synthesize(dir: string, name: string, text: string, voice: string): Int16Array {
  const raw = join(dir, `${name}.raw.wav`);
  const out = join(dir, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', voice, '-w', raw, '--', text]);
  // sox's silence effect, both ends (reverse, trim, reverse): the truth is then where the samples are.
  execFileSync('sox', [raw, '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', out, 'silence', '1', '0.01', '0.5%', 'reverse', 'silence', '1', '0.01', '0.5%', 'reverse']);
  return readWav(out).samples;
}

/** Noise made with sox's synth at a volume (0..1): pink for ventilation and crowd rumble, brown for traffic. */
export function noise(dir: string, name: string, kind: 'pinknoise' | 'brownnoise' | 'whitenoise', volume: number, seconds: number): Int16Array {
  const out = join(dir, `${name}.wav`);
  // -R: the same noise every run, so a result does not depend on the draw.
  execFileSync('sox', ['-R', '-n', '-r', String(SAMPLE_RATE), '-c', '1', '-b', '16', out, 'synth', String(seconds), kind, 'vol', String(volume)]);
  return readWav(out).samples;
}

export interface Placed {
  readonly samples: Int16Array;
  /** Where each piece of speech is, in ms: the truth a detector is checked against. */
  readonly truth: readonly { readonly startMs: number; readonly endMs: number }[];
}

/** Silence and speech end to end: `number` parts are seconds of silence. */
export function sequence(parts: readonly (number | Int16Array)[]): Placed {
  const chunks: Int16Array[] = [];
  const truth: { startMs: number; endMs: number }[] = [];
  let at = 0;
  for (const part of parts) {
    const chunk = typeof part === 'number' ? new Int16Array(Math.round(part * SAMPLE_RATE)) : part;
    if (typeof part !== 'number') truth.push({ startMs: (at / SAMPLE_RATE) * 1000, endMs: ((at + chunk.length) / SAMPLE_RATE) * 1000 });
    chunks.push(chunk);
    at += chunk.length;
  }
  const samples = new Int16Array(at);
  let offset = 0;
  for (const c of chunks) {
    samples.set(c, offset);
    offset += c.length;
  }
  return { samples, truth };
}

/** Adds noise under a signal (clipped to 16 bits); the noise repeats if shorter. */
export function mix(signal: Int16Array, under: Int16Array): Int16Array {
  const out = new Int16Array(signal.length);
  for (let i = 0; i < signal.length; i += 1) out[i] = Math.max(-32768, Math.min(32767, signal[i]! + under[i % under.length]!));
  return out;
}

export function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

export function save(dir: string, name: string, samples: Int16Array): string {
  const path = join(dir, `${name}.wav`);
  writeWav(path, samples);
  return path;
}

/** The noise scaled so that speech of `speechRms` stands `snrDb` above it. */
export function atSnr(bed: Int16Array, speechRms: number, snrDb: number): Int16Array {
  const gain = speechRms / 10 ** (snrDb / 20) / Math.max(1, rms(bed));
  return Int16Array.from(bed, (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
}
