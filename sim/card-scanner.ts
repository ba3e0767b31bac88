import type { CardScanner } from '../src/ports/card-scanner.js';
import type { Crowd } from './citizens.js';

/** The sim's card reader: after the time it takes to hold a card under it, reads what the citizen in front presents. */
export class SimCardScanner implements CardScanner {
  constructor(
    private readonly crowd: Crowd,
    private readonly clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void },
    private readonly presentMs = 4000,
  ) {}

  nextScan(signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        const text = this.crowd.presentCard();
        if (text === null) reject(new Error('nobody held a card under the reader'));
        else resolve(text);
      }, this.presentMs);
      const onAbort = (): void => {
        this.clock.clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
