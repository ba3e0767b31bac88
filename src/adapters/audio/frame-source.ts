import { spawn, type ChildProcess } from 'node:child_process';
import { TiepdanError } from '../../ports/errors.js';
import { readWav, SAMPLE_RATE } from './wav.js';

/** 16 kHz mono 16-bit frames of a fixed size, in order, with where they start in the stream. */
export interface AudioFrame {
  readonly samples: Int16Array;
  readonly startMs: number;
}

export interface FrameSource {
  readonly name: string;
  frames(signal: AbortSignal): AsyncIterable<AudioFrame>;
}

/** Cuts a sample stream into frames; a short tail is padded with silence so no speech is lost. */
export function* framesOf(samples: Int16Array, frameSamples: number, firstSample = 0): Generator<AudioFrame> {
  for (let i = 0; i < samples.length; i += frameSamples) {
    let frame = samples.subarray(i, i + frameSamples);
    if (frame.length < frameSamples) {
      const padded = new Int16Array(frameSamples);
      padded.set(frame);
      frame = padded;
    }
    yield { samples: frame, startMs: ((firstSample + i) / SAMPLE_RATE) * 1000 };
  }
}

/** A WAV file (16 kHz, mono, 16-bit), as fast as it is read: tests, the simulator, replays. */
export function wavFileSource(path: string, frameSamples: number): FrameSource {
  return {
    name: `wav:${path}`,
    async *frames(signal) {
      const pcm = readWav(path);
      for (const frame of framesOf(pcm.samples, frameSamples)) {
        if (signal.aborted) return;
        yield frame;
      }
    },
  };
}

/**
 * The microphone through ALSA's `arecord` (Debian package alsa-utils): raw 16 kHz mono 16-bit on
 * its stdout. The child is ours and is killed when the signal aborts or the consumer stops.
 */
export function arecordSource(frameSamples: number, options: { device?: string; command?: string } = {}): FrameSource {
  const command = options.command ?? 'arecord';
  return {
    name: `arecord:${options.device ?? 'default'}`,
    async *frames(signal) {
      const args = ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', String(SAMPLE_RATE), '-c', '1', ...(options.device !== undefined ? ['-D', options.device] : [])];
      let child: ChildProcess;
      try {
        child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        throw new TiepdanError('microphone_unavailable', `cannot start ${command} (${(error as Error).message}); install alsa-utils`);
      }
      const failed = new Promise<never>((_, reject) =>
        child.once('error', (error: NodeJS.ErrnoException) =>
          reject(new TiepdanError('microphone_unavailable', error.code === 'ENOENT' ? `${command} is not installed (apt-get install alsa-utils)` : `${command}: ${error.message}`)),
        ),
      );
      failed.catch(() => {});
      const stop = () => child.kill('SIGTERM');
      signal.addEventListener('abort', stop, { once: true });
      let pending: Buffer = Buffer.alloc(0);
      let sample = 0;
      try {
        const bytesPerFrame = frameSamples * 2;
        for await (const chunk of child.stdout! as AsyncIterable<Buffer>) {
          pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
          while (pending.length >= bytesPerFrame) {
            const frame = new Int16Array(frameSamples);
            for (let i = 0; i < frameSamples; i += 1) frame[i] = pending.readInt16LE(i * 2);
            pending = pending.subarray(bytesPerFrame);
            yield { samples: frame, startMs: (sample / SAMPLE_RATE) * 1000 };
            sample += frameSamples;
          }
        }
        if (!signal.aborted && child.exitCode !== 0 && child.exitCode !== null) {
          throw new TiepdanError('microphone_unavailable', `${command} stopped with status ${child.exitCode}`);
        }
        await Promise.race([failed, Promise.resolve()]);
      } finally {
        signal.removeEventListener('abort', stop);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

/**
 * Audio handed in by its owner as it comes (a ROS audio topic, a test feeding sentences when the
 * robot is ready for them): cut into frames, delivered in order, ended with `end()`.
 */
export class PushFrameSource implements FrameSource {
  readonly name = 'push';
  readonly #frameSamples: number;
  #pending: Int16Array = new Int16Array(0);
  #queue: AudioFrame[] = [];
  #sample = 0;
  #ended = false;
  #wake: (() => void) | null = null;

  constructor(frameSamples: number) {
    this.#frameSamples = frameSamples;
  }

  push(samples: Int16Array): void {
    if (this.#ended) throw new Error('push frame source: already ended');
    const all = new Int16Array(this.#pending.length + samples.length);
    all.set(this.#pending);
    all.set(samples, this.#pending.length);
    let offset = 0;
    for (; offset + this.#frameSamples <= all.length; offset += this.#frameSamples) {
      this.#queue.push({ samples: all.slice(offset, offset + this.#frameSamples), startMs: (this.#sample / SAMPLE_RATE) * 1000 });
      this.#sample += this.#frameSamples;
    }
    this.#pending = all.slice(offset);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  async *frames(signal: AbortSignal): AsyncIterable<AudioFrame> {
    const onAbort = () => this.#wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal.aborted) return;
        const next = this.#queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.#ended) return;
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = null;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
