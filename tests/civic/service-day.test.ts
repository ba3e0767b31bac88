import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_S, endOfServiceDay, estimateWaitS, RECENT_CALLS, serviceDay } from '../../src/civic/service-day.js';

const localMidnight = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) - 7 * 3600_000;

describe('the service day in Ho Chi Minh City (UTC+7)', () => {
  it('runs from local midnight to local midnight', () => {
    expect(serviceDay(localMidnight(2026, 11, 28) - 1)).toBe('2026-11-27');
    expect(serviceDay(localMidnight(2026, 11, 28))).toBe('2026-11-28');
  });

  it('ends at the next local midnight, also when it has just begun, and across a month and a year', () => {
    expect(endOfServiceDay(localMidnight(2026, 11, 27) + 9 * 3600_000)).toBe(localMidnight(2026, 11, 28));
    expect(endOfServiceDay(localMidnight(2026, 11, 27))).toBe(localMidnight(2026, 11, 28));
    expect(endOfServiceDay(localMidnight(2026, 11, 28) - 1)).toBe(localMidnight(2026, 11, 28));
    expect(endOfServiceDay(localMidnight(2026, 11, 30) + 1)).toBe(localMidnight(2026, 12, 1));
    expect(endOfServiceDay(localMidnight(2026, 12, 31) + 1)).toBe(localMidnight(2027, 1, 1));
  });
});

describe('the estimated wait', () => {
  const minute = 60_000;
  /** Calls `gapMs` apart, newest first, as the queue hands them over. */
  const calls = (count: number, gapMs: number, newestMs = 10 * 3600_000) => Array.from({ length: count }, (_, i) => newestMs - i * gapMs);

  it('assumes the default service time per ticket before two calls of the field today', () => {
    expect(estimateWaitS(3, [])).toBe(3 * DEFAULT_SERVICE_S);
    expect(estimateWaitS(3, calls(1, minute))).toBe(3 * DEFAULT_SERVICE_S);
    expect(estimateWaitS(0, [])).toBe(0);
  });

  it('takes the mean gap between the calls, from two on', () => {
    expect(estimateWaitS(3, calls(2, 4 * minute))).toBe(3 * 240);
    expect(estimateWaitS(2, [10 * minute, 7 * minute, 2 * minute])).toBe(2 * 240);
  });

  it('looks only at the newest calls: the last RECENT_CALLS gaps', () => {
    const recent = calls(RECENT_CALLS + 1, 2 * minute);
    // An older, slower morning does not count.
    const older = Array.from({ length: 5 }, (_, i) => recent.at(-1)! - (i + 1) * 30 * minute);
    expect(estimateWaitS(1, [...recent, ...older])).toBe(120);
    expect(estimateWaitS(1, recent.slice(0, RECENT_CALLS))).toBe(120);
  });

  it('counts every one of the last RECENT_CALLS gaps, the oldest of them too', () => {
    // Seven quick gaps of 2 minutes, and before them one slow gap of 10: the mean is 3 minutes.
    const recent = [...calls(RECENT_CALLS, 2 * minute)];
    recent.push(recent.at(-1)! - 10 * minute);
    expect(RECENT_CALLS).toBe(8);
    expect(estimateWaitS(1, recent)).toBe(180);
    // A call older than those does not count.
    expect(estimateWaitS(1, [...recent, recent.at(-1)! - 60 * minute])).toBe(180);
  });

  it('rounds to whole seconds', () => {
    expect(estimateWaitS(1, [10_000, 0, -1_000])).toBe(6);
    expect(estimateWaitS(1, [10_400, 0])).toBe(10);
  });
});
