/**
 * A bounded login flood on loopback, for the security test and the bench. The attacker runs in a
 * worker thread, as another machine would: its own fetch loop then takes nothing from the event
 * loop under test. Plain JavaScript, evaluated by the worker.
 */
import { Worker } from 'node:worker_threads';

const ATTACKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, origin, inFlight, floodMs, maxAttempts, names } = workerData;
const statuses = [];
let retryAfter = null;
const end = performance.now() + floodMs;
const one = async (lane) => {
  for (let i = 0; performance.now() < end && statuses.length < maxAttempts; i += 1) {
    const name = names[(lane + i) % names.length];
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ name, password: 'not the password ' + i }) });
    statuses.push(res.status);
    if (res.status === 429) retryAfter = res.headers.get('retry-after');
    await res.arrayBuffer();
  }
};
Promise.all(Array.from({ length: inFlight }, (_, lane) => one(lane))).then(() => parentPort.postMessage({ statuses, retryAfter }));
`;

export interface FloodOptions {
  /** The login endpoint, e.g. http://127.0.0.1:PORT/api/login. */
  readonly url: string;
  /** The Origin header sent: the server's own, so the attempts reach the password check. */
  readonly origin: string;
  /** Logins in flight at once. */
  readonly inFlight: number;
  readonly floodMs: number;
  /** A hard cap on attempts, so the flood is bounded in count as well as time. */
  readonly maxAttempts: number;
  /** The account names tried in turn; default one account. */
  readonly names?: readonly string[];
}

export interface FloodResult {
  /** The HTTP status of every attempt, in order. */
  readonly statuses: number[];
  /** The last Retry-After header seen on a 429, if any. */
  readonly retryAfter: string | null;
}

export function floodLogins(options: FloodOptions): Promise<FloodResult> {
  const workerData = { ...options, names: options.names ?? ['op'] };
  const worker = new Worker(ATTACKER, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    worker.once('message', (result: FloodResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
