import { randomUUID } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lang } from '../../ports/common.js';
import type { SpeechRate } from '../../ports/speaker.js';

/** Enough of a RIFF header to find 'fmt ' and the start of 'data' (engines put little before it). */
const HEADER_BYTES = 4096;

/**
 * The audio length of a RIFF/WAVE file in milliseconds, from its byte rate and data size, or
 * undefined when the file is not a WAV this can read. A streamed header's data size (0 or
 * 0xFFFFFFFF, as `espeak-ng --stdout` writes it) is replaced by what is actually in the file.
 */
export async function wavDurationMs(path: string): Promise<number | undefined> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(Math.min(HEADER_BYTES, size));
    await file.read(buffer, 0, buffer.length, 0);
    if (buffer.length < 12 || buffer.toString('latin1', 0, 4) !== 'RIFF' || buffer.toString('latin1', 8, 12) !== 'WAVE') return undefined;
    let byteRate: number | undefined;
    let offset = 12;
    while (offset + 8 <= buffer.length) {
      const id = buffer.toString('latin1', offset, offset + 4);
      const chunkSize = buffer.readUInt32LE(offset + 4);
      const body = offset + 8;
      if (id === 'fmt ' && body + 12 <= buffer.length) byteRate = buffer.readUInt32LE(body + 8);
      if (id === 'data') {
        if (byteRate === undefined || byteRate === 0) return undefined;
        const available = size - body;
        const dataBytes = chunkSize === 0 || chunkSize === 0xffffffff || chunkSize > available ? available : chunkSize;
        return (dataBytes / byteRate) * 1000;
      }
      offset = body + chunkSize + (chunkSize % 2);
    }
    return undefined;
  } finally {
    await file.close();
  }
}

/** One utterance written to a WAV file; the text stays in the request, not here. */
export interface WavRecording {
  readonly path: string;
  readonly messageId: string;
  readonly lang: Lang;
  readonly rate: SpeechRate;
  readonly durationMs: number;
}

const MAX_KEPT_RECORDINGS = 1000;

/** Names each utterance's file in `dir` and remembers the finished ones, newest last, bounded. */
export class WavRecorder {
  /** The most recent finished utterances, oldest first; canceled ones are deleted, not kept. */
  readonly recordings: WavRecording[] = [];
  readonly dir: string;
  readonly #prefix = `${process.pid}-${randomUUID().slice(0, 8)}`;
  #count = 0;
  #dirReady: Promise<unknown> | undefined;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** A fresh path for the next utterance; creates the directory the first time. */
  async nextPath(lang: Lang): Promise<string> {
    this.#dirReady ??= mkdir(this.dir, { recursive: true });
    await this.#dirReady;
    this.#count += 1;
    return join(this.dir, `${this.#prefix}-${String(this.#count).padStart(5, '0')}-${lang}.wav`);
  }

  keep(recording: WavRecording): void {
    this.recordings.push(recording);
    if (this.recordings.length > MAX_KEPT_RECORDINGS) this.recordings.shift();
  }
}
