import { describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_LIMITS, loginThrottle } from '../../src/console/login-throttle.js';
import { hashGate } from '../../src/console/password-hash.js';
import { passwordProblem } from '../../src/console/password-strength.js';

describe('the login throttle', () => {
  it('lets three failures through, then doubles the wait, locks out at the tenth, and forgets after the lockout', () => {
    const throttle = loginThrottle(DEFAULT_LOGIN_LIMITS);
    let t = 0;
    for (let i = 0; i < 2; i += 1) expect(throttle.failed('account:op', t)).toBeNull();
    expect(throttle.check('account:op', t)).toEqual({ allowed: true });
    throttle.failed('account:op', t);
    expect(throttle.check('account:op', t)).toEqual({ allowed: false, retryAfterMs: 1000, locked: false });
    t += 1000;
    expect(throttle.check('account:op', t).allowed).toBe(true);
    throttle.failed('account:op', t);
    expect(throttle.check('account:op', t)).toMatchObject({ retryAfterMs: 2000 });
    for (let i = 5; i <= 10; i += 1) {
      t += 60_000;
      const lockout = throttle.failed('account:op', t);
      if (i < 10) expect(lockout).toBeNull();
      else expect(lockout).toEqual({ key: 'account:op', failures: 10, untilMs: t + 900_000 });
    }
    expect(throttle.check('account:op', t + 899_000)).toMatchObject({ allowed: false, locked: true, retryAfterMs: 1000 });
    expect(throttle.lockouts(t)).toHaveLength(1);
    expect(throttle.check('account:op', t + 900_000)).toEqual({ allowed: true });
    expect(throttle.lockouts(t + 900_000)).toEqual([]);
  });

  it('clears a key on success and remembers at most maxKeys keys', () => {
    const throttle = loginThrottle({ ...DEFAULT_LOGIN_LIMITS, freeFailures: 0, maxKeys: 2 });
    throttle.failed('address:a', 0);
    throttle.succeeded('address:a');
    expect(throttle.check('address:a', 0).allowed).toBe(true);
    for (const k of ['b', 'c', 'd']) throttle.failed(`address:${k}`, 0);
    expect(throttle.check('address:b', 0).allowed).toBe(true);
    expect(throttle.check('address:d', 0).allowed).toBe(false);
  });
});

describe('the hash gate', () => {
  it('runs two at once, queues up to the limit, and refuses beyond it without running the task', async () => {
    const gate = hashGate(2, 1);
    const release: (() => void)[] = [];
    const task = () => new Promise<void>((resolve) => release.push(resolve));
    const running = [gate.run(task), gate.run(task), gate.run(task)];
    expect(gate.run(task)).toBeNull();
    await Promise.resolve();
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    release.shift()!();
    await running[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.load).toEqual({ running: 2, waiting: 0 });
    while (release.length > 0) release.shift()!();
    await Promise.all(running);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});

describe('password strength', () => {
  it('takes long, varied passphrases, in any script', () => {
    for (const good of ['lanterns by the river', 'mật khẩu của tôi 7', 'operator secret 7f', 'Tr4m-g10-s4ng']) expect(passwordProblem(good), good).toBeNull();
  });

  it('EXPECTED FAILURE - names the rule a weak password breaks', () => {
    expect(passwordProblem('short1')).toMatch(/at least 10 characters/);
    expect(passwordProblem('lan.nguyen', 'lan.nguyen')).toMatch(/user name/);
    expect(passwordProblem('matkhau123')).toMatch(/too common/);
    expect(passwordProblem('zzzzzzzzzzzz')).toMatch(/repeats/);
    expect(passwordProblem('ponmlkjihgf')).toMatch(/run/);
    expect(passwordProblem('x'.repeat(300))).toMatch(/at most 256/);
  });
});
