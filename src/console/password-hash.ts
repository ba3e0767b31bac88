import { scrypt, scryptSync } from 'node:crypto';

/** scrypt's defaults (N = 2^14, r = 8, p = 1) with a 16-byte salt and a 32-byte key: about 50 ms of one core. */
export const KEY_BYTES = 32;
export const SALT_BYTES = 16;

/**
 * The hash on libuv's threadpool: the event loop, and with it every e-stop and telemetry frame,
 * carries on while it runs. Callers bound how many run at once (`hashGate`).
 */
export function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, (error, key) => (error === null ? resolve(key) : reject(error)));
  });
}

/** The same hash, blocking: only for `tiepdan user add` and the first start, never on a request. */
export function hashPasswordSync(password: string, salt: Buffer): Buffer {
  return scryptSync(password.normalize('NFC'), salt, KEY_BYTES);
}

export interface HashGate {
  /**
   * Runs `task` when fewer than `concurrent` are running, queues it when fewer than `queued` wait,
   * and otherwise returns null at once: the caller answers 429 rather than letting work pile up.
   */
  run<T>(task: () => Promise<T>): Promise<T> | null;
  /** Running and waiting now. */
  readonly load: { readonly running: number; readonly waiting: number };
}

/**
 * A small semaphore for password hashes. libuv has four threads by default, shared with file and
 * DNS work, and the robot's computer may have two cores: one or two hashes at a time leave room
 * for those and for the event loop, and a queue of eight is a few hundred milliseconds of waiting.
 */
export function hashGate(concurrent: number, queued: number): HashGate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running -= 1;
    const next = waiting.shift();
    if (next !== undefined) {
      running += 1;
      next();
    }
  };
  return {
    run<T>(task: () => Promise<T>): Promise<T> | null {
      if (running >= concurrent && waiting.length >= queued) return null;
      const started = running < concurrent ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve));
      if (running < concurrent) running += 1;
      return started.then(task).finally(release);
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
