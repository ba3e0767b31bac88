import { readFileSync, writeFileSync } from 'node:fs';
import { TiepdanError } from '../../ports/errors.js';
import { ASR_SAMPLE_RATE_HZ } from '../../ports/speech-recognizer.js';

/** The one format the audio pipeline takes: what Silero VAD and the recognisers expect. */
export const SAMPLE_RATE = ASR_SAMPLE_RATE_HZ;

export interface Pcm {
  readonly sampleRate: number;
  /** Mono, 16-bit signed. */
  readonly samples: Int16Array;
}

/**
 * Reads a RIFF/WAVE file of 16-bit PCM, mono, 16 kHz. Anything else is rejected with what it is and
 * how to convert it (`sox in.wav -r 16000 -c 1 -b 16 out.wav`), never resampled silently.
 */
export function parseWav(bytes: Buffer, name = 'the WAV data'): Pcm {
  const fail = (why: string): never => {
    throw new TiepdanError('wav_invalid', `${name}: ${why}`);
  };
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') fail('not a RIFF/WAVE file');
  let offset = 12;
  let format: { audioFormat: number; channels: number; sampleRate: number; bits: number } | null = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16) fail('its fmt chunk is too short');
      format = { audioFormat: bytes.readUInt16LE(body), channels: bytes.readUInt16LE(body + 2), sampleRate: bytes.readUInt32LE(body + 4), bits: bytes.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (format === null) fail('its data comes before its format');
      const f = format!;
      const convert = 'convert it with: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav';
      // 0xFFFE (extensible) carries PCM too when the rest matches.
      if (f.audioFormat !== 1 && f.audioFormat !== 0xfffe) fail(`it is not PCM (format ${f.audioFormat}); ${convert}`);
      if (f.bits !== 16) fail(`it has ${f.bits}-bit samples, not 16; ${convert}`);
      if (f.channels !== 1) fail(`it has ${f.channels} channels, not 1; ${convert}`);
      if (f.sampleRate !== SAMPLE_RATE) fail(`it is sampled at ${f.sampleRate} Hz, not ${SAMPLE_RATE}; ${convert}`);
      // Streams written before their length is known say 0 or 0xFFFFFFFF: take what is there.
      const end = size === 0 || size === 0xffffffff ? bytes.length : Math.min(bytes.length, body + size);
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i += 1) samples[i] = bytes.readInt16LE(body + i * 2);
      return { sampleRate: f.sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  return fail('it has no data chunk');
}

export function readWav(path: string): Pcm {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new TiepdanError('wav_unreadable', `${path}: ${(error as Error).message}`);
  }
  return parseWav(bytes, path);
}

export function encodeWav(samples: Int16Array, sampleRate = SAMPLE_RATE): Buffer {
  const out = Buffer.alloc(44 + samples.length * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples.length * 2, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i += 1) out.writeInt16LE(samples[i]!, 44 + i * 2);
  return out;
}

export function writeWav(path: string, samples: Int16Array, sampleRate = SAMPLE_RATE): void {
  writeFileSync(path, encodeWav(samples, sampleRate));
}
