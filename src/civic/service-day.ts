/**
 * The centre's calendar: Ho Chi Minh City is UTC+7 with no daylight saving, so a service day runs
 * from local midnight to local midnight. Queue numbers restart with it, requests are purged at its end,
 * and "in the future" on an ID card means after it.
 */
const OFFSET_MS = 7 * 3600_000;

/** The service day at `nowMs`, as an ISO date (yyyy-mm-dd). */
export function serviceDay(nowMs: number): string {
  return new Date(nowMs + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant the service day containing `nowMs` ends (the next local midnight). */
export function endOfServiceDay(nowMs: number): number {
  const [y, m, d] = serviceDay(nowMs).split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d + 1) - OFFSET_MS;
}

/** Before any ticket of a field was called today, a service is assumed to take this long. */
export const DEFAULT_SERVICE_S = 300;
/** Service time is the mean gap between the last few calls of a field. */
export const RECENT_CALLS = 8;

/** Estimated wait for `waiting` tickets, from the field's recent call times (newest first). */
export function estimateWaitS(waiting: number, recentCallsMs: readonly number[]): number {
  const calls = recentCallsMs.slice(0, RECENT_CALLS + 1);
  const serviceS = calls.length < 2 ? DEFAULT_SERVICE_S : (calls[0]! - calls.at(-1)!) / 1000 / (calls.length - 1);
  return Math.round(waiting * serviceS);
}
