import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage error: the CLI prints the message and the command's help, and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

export function numberOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** `--speed`: simulated seconds per wall second, or `max` where the command allows it. */
export function speedOption(value: string | undefined, fallback: 'max' | number, allowMax: boolean): 'max' | number {
  if (value === undefined) return fallback;
  if (allowMax && value === 'max') return 'max';
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new UsageError(`--speed must be ${allowMax ? '"max" or ' : ''}a positive number, got "${value}"`);
  }
  return speed;
}

/** Turns Ctrl-C (and SIGTERM) into an abort for the run; returns the signal and a function that unhooks it. */
export function interruptible(onInterrupt?: () => void): { signal: AbortSignal; dispose: () => void } {
  const abort = new AbortController();
  const handler = (): void => {
    onInterrupt?.();
    abort.abort();
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** One line of a progress bar, redrawn in place: `  label [#####.....] tail`. */
export function progressLine(label: string, fraction: number, tail: string): string {
  const width = 30;
  const filled = Math.round(width * Math.min(1, Math.max(0, fraction)));
  return `\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`;
}
