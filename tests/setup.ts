import { afterEach, beforeEach, vi } from 'vitest';

/** A stray console.error or console.warn is a bug: fail the test that caused it. */
const strays: string[] = [];
beforeEach(() => {
  strays.length = 0;
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void strays.push(`console.error: ${args.map(String).join(' ')}`));
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void strays.push(`console.warn: ${args.map(String).join(' ')}`));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (strays.length > 0) throw new Error(`unexpected console output:\n${strays.join('\n')}`);
});
