import type { IntentModel } from '../ports/intent-model.js';

/** One turn of the event loop: promises the last step settled have run their callbacks. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The intent model's calls in flight, so a lockstep driver can wait for them before simulated time
 * moves on: an answer computed on another thread (onnxruntime) then arrives at the same simulated
 * moment in every run, however busy the machine is.
 */
export class InFlightCalls {
  readonly #calls = new Set<Promise<unknown>>();

  /** The model, its calls tracked. */
  track(model: IntentModel): IntentModel {
    const calls = this.#calls;
    return {
      name: model.name,
      classify(text) {
        const call = model.classify(text);
        calls.add(call);
        const done = (): void => void calls.delete(call);
        call.then(done, done);
        return call;
      },
    };
  }

  /** Resolves once no tracked call is in flight and what they set off has run. */
  async settle(): Promise<void> {
    while (this.#calls.size > 0) {
      await Promise.allSettled([...this.#calls]);
      await flush();
    }
  }
}
