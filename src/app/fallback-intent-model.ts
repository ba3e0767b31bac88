import type { Classification, IntentModel } from '../ports/intent-model.js';

export interface FallbackSettings {
  /** A classification slower than this is abandoned for the fallback's answer. */
  readonly timeoutMs: number;
  /** After this many failures in a row the primary is rested... */
  readonly failuresToRest: number;
  /** ...for this long, then tried again. */
  readonly restMs: number;
}

export const DEFAULT_FALLBACK: FallbackSettings = { timeoutMs: 500, failuresToRest: 3, restMs: 60_000 };

/**
 * Understanding that degrades instead of stopping: when the primary model (ONNX) throws or hangs,
 * the utterance is classified by the fallback (keywords) and the conversation goes on; a primary
 * that keeps failing is rested for a while, then tried again. Each change is reported once, with
 * what it was (`rested` is the operator alert `intentModelFailed`).
 */
export function withFallback(
  primary: IntentModel,
  fallback: IntentModel,
  report: (message: string, change: 'rested' | 'retrying') => void,
  settings: FallbackSettings = DEFAULT_FALLBACK,
  now: () => number = Date.now,
): IntentModel & { readonly failures: number; readonly resting: boolean } {
  let failuresInRow = 0;
  let failures = 0;
  let restUntil = 0;
  const failed = (why: string): void => {
    failures += 1;
    failuresInRow += 1;
    if (failuresInRow === settings.failuresToRest) {
      restUntil = now() + settings.restMs;
      report(`intent model: ${primary.name} failed ${failuresInRow} times in a row (${why}); using ${fallback.name} for ${Math.round(settings.restMs / 1000)} s`, 'rested');
    }
  };
  return {
    // The primary's name: it is the model in use; the fallback only covers its failures.
    name: primary.name,
    get failures() {
      return failures;
    },
    get resting() {
      return now() < restUntil;
    },
    async classify(text: string): Promise<Classification> {
      if (now() < restUntil) return fallback.classify(text);
      if (restUntil !== 0) {
        restUntil = 0;
        failuresInRow = 0;
        report(`intent model: trying ${primary.name} again`, 'retrying');
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        const result = await Promise.race([
          primary.classify(text),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${settings.timeoutMs} ms`)), settings.timeoutMs);
          }),
        ]);
        failuresInRow = 0;
        return result;
      } catch (error) {
        failed(error instanceof Error ? error.message : String(error));
        return fallback.classify(text);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
