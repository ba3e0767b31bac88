import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { command, connected, logIn, post, startHarness } from './harness.js';

/** Logins in flight at once, for how long, and at most how many in all: a bounded loopback flood. */
const IN_FLIGHT = 16;
const FLOOD_MS = 2000;
const MAX_ATTEMPTS = 600;

describe('a flood of bad logins', () => {
  it('never stalls the event loop or an operator\'s e-stop, and attempts beyond the limit get 429 with Retry-After', async () => {
    const h = await startHarness();
    try {
      const op = await connected(h.server, await logIn(h.server, 'op', 'operator secret 7f'));
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      const roundTripsMs: number[] = [];
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const end = performance.now() + FLOOD_MS;
      const attacker = async () => {
        while (performance.now() < end && statuses.length < MAX_ATTEMPTS) {
          const res = await post(h.server, '/api/login', { name: 'op', password: 'not the password' });
          statuses.push(res.status);
          if (res.status === 429) retryAfter = res.headers.get('retry-after');
          await res.arrayBuffer();
        }
      };
      const operator = async () => {
        for (let i = 0; performance.now() < end; i += 1) {
          const sent = performance.now();
          const before = op.messages.length;
          op.ws.send(command('robot.estop', `e${i}`));
          while (op.messages.length === before) await new Promise((resolve) => setImmediate(resolve));
          roundTripsMs.push(performance.now() - sent);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      };
      await Promise.all([...Array.from({ length: IN_FLIGHT }, attacker), operator()]);
      delay.disable();
      op.ws.close();

      const maxDelayMs = delay.max / 1e6;
      expect(maxDelayMs, `the event loop stalled for ${maxDelayMs.toFixed(0)} ms`).toBeLessThan(100);
      expect(Math.max(...roundTripsMs), 'an e-stop waited behind the logins').toBeLessThan(100);
      expect(statuses, 'no attempt was refused with 429').toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
      // The lockout is audited, so an admin sees it.
      expect(h.audit).toContainEqual(expect.objectContaining({ action: 'login.lockout', ok: false }));
    } finally {
      await h.close();
    }
  });
});
