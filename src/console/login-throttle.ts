/**
 * Failed logins per key (a remote address, an account name): after `freeFailures` each further
 * attempt waits an exponentially growing delay, and at `lockoutFailures` the key is locked out for
 * `lockoutMs`. A success clears the key. All in memory: a restart forgives, and the audit keeps
 * the record.
 */
export interface LoginLimits {
  /** Password hashes running at once; default 1 (about 20 logins a second, and a core left for everything else on a two-core robot). */
  readonly concurrentHashes: number;
  /** Logins waiting for a hash; beyond this a login is answered 429 at once. Default 8. */
  readonly queuedHashes: number;
  /** Failures a key may have before attempts are delayed; default 3. */
  readonly freeFailures: number;
  /** The first delay, doubled with every further failure; default 1000 ms. */
  readonly backoffBaseMs: number;
  /** The longest delay; default 60 000 ms. */
  readonly backoffMaxMs: number;
  /** Failures that lock the key out; default 10. */
  readonly lockoutFailures: number;
  /** How long a lockout lasts, and how long a key's failures are remembered after the last; default 900 000 ms (15 min). */
  readonly lockoutMs: number;
  /** Keys remembered at most, the oldest forgotten first, so a scan of many names costs bounded memory; default 10 000. */
  readonly maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  concurrentHashes: 1,
  queuedHashes: 8,
  freeFailures: 3,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  lockoutFailures: 10,
  lockoutMs: 15 * 60_000,
  maxKeys: 10_000,
};

export type Verdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number; readonly locked: boolean };

export interface Lockout {
  readonly key: string;
  readonly failures: number;
  readonly untilMs: number;
}

export interface LoginThrottle {
  check(key: string, nowMs: number): Verdict;
  /** Counts a failure; returns the lockout when this failure started one. */
  failed(key: string, nowMs: number): Lockout | null;
  succeeded(key: string): void;
  /** Keys locked out now. */
  lockouts(nowMs: number): Lockout[];
}

interface Entry {
  failures: number;
  lastFailureMs: number;
  /** No attempt before this. */
  notBeforeMs: number;
  lockedUntilMs: number;
}

export function loginThrottle(limits: LoginLimits): LoginThrottle {
  const entries = new Map<string, Entry>();
  const live = (key: string, nowMs: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.lockedUntilMs && nowMs - entry.lastFailureMs >= limits.lockoutMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    check(key, nowMs) {
      const entry = live(key, nowMs);
      if (entry === undefined) return { allowed: true };
      if (nowMs < entry.lockedUntilMs) return { allowed: false, retryAfterMs: entry.lockedUntilMs - nowMs, locked: true };
      if (nowMs < entry.notBeforeMs) return { allowed: false, retryAfterMs: entry.notBeforeMs - nowMs, locked: false };
      return { allowed: true };
    },
    failed(key, nowMs) {
      let entry = live(key, nowMs);
      if (entry === undefined) {
        entry = { failures: 0, lastFailureMs: nowMs, notBeforeMs: 0, lockedUntilMs: 0 };
        entries.set(key, entry);
        if (entries.size > limits.maxKeys) entries.delete(entries.keys().next().value!);
      }
      entry.failures += 1;
      entry.lastFailureMs = nowMs;
      if (entry.failures >= limits.lockoutFailures && nowMs >= entry.lockedUntilMs) {
        // Forgotten when it ends (`live`): the key starts again from no failures.
        entry.lockedUntilMs = nowMs + limits.lockoutMs;
        return { key, failures: entry.failures, untilMs: entry.lockedUntilMs };
      }
      const over = entry.failures - limits.freeFailures;
      if (over >= 0) entry.notBeforeMs = nowMs + Math.min(limits.backoffMaxMs, limits.backoffBaseMs * 2 ** over);
      return null;
    },
    succeeded: (key) => void entries.delete(key),
    lockouts(nowMs) {
      const locked: Lockout[] = [];
      for (const [key, entry] of entries) if (nowMs < entry.lockedUntilMs) locked.push({ key, failures: entry.failures, untilMs: entry.lockedUntilMs });
      return locked;
    },
  };
}
