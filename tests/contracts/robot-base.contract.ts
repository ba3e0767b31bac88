import { describe, expect, it } from 'vitest';
import type { BaseEvent, NavResult, RobotBase } from '../../src/ports/robot-base.js';

/** What every `RobotBase` adapter promises. `advance` moves its world (sim) or waits (a real robot). */
export interface RobotBaseHarness {
  readonly base: RobotBase;
  readonly advance: (seconds: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

export function robotBaseContract(name: string, make: () => Promise<RobotBaseHarness>): void {
  describe(`RobotBase contract: ${name}`, () => {
    const withBase = async (test: (h: RobotBaseHarness) => Promise<void>) => {
      const harness = await make();
      try {
        await test(harness);
      } finally {
        await harness.close();
      }
    };

    it('lists places with a home, a dock and counters with fields', () =>
      withBase(async ({ base }) => {
        const places = base.places();
        expect(places.filter((p) => p.kind === 'home')).toHaveLength(1);
        expect(places.some((p) => p.kind === 'dock')).toBe(true);
        const counters = places.filter((p) => p.kind === 'counter');
        expect(counters.length).toBeGreaterThan(0);
        for (const c of counters) expect(c.fields.length).toBeGreaterThan(0);
      }));

    it('reaches a counter and reports arrival', () =>
      withBase(async ({ base, advance }) => {
        const counter = base.places().find((p) => p.kind === 'counter')!;
        let result: NavResult | null = null;
        void base.navigate({ kind: 'place', placeId: counter.id }, { signal: new AbortController().signal }).then((r) => (result = r));
        for (let i = 0; i < 120 && result === null; i += 1) await advance(1);
        expect(result).toEqual({ kind: 'arrived' });
      }));

    it('refuses an unknown place with a reason, without throwing', () =>
      withBase(async ({ base }) => {
        const result = await base.navigate({ kind: 'place', placeId: 'no-such-place' }, { signal: new AbortController().signal });
        expect(result).toMatchObject({ kind: 'failed', reason: 'unknown_place' });
      }));

    it('cancels through the AbortSignal', () =>
      withBase(async ({ base, advance }) => {
        const counter = base.places().find((p) => p.kind === 'counter')!;
        const abort = new AbortController();
        const pending = base.navigate({ kind: 'place', placeId: counter.id }, { signal: abort.signal });
        await advance(2);
        abort.abort();
        expect(await pending).toEqual({ kind: 'canceled' });
      }));

    it('holds still after stop: goals are refused until release, and release starts nothing', () =>
      withBase(async ({ base, advance }) => {
        const counter = base.places().find((p) => p.kind === 'counter')!;
        const poses: BaseEvent[] = [];
        base.subscribe((e) => e.type === 'pose' && poses.push(e));
        const pending = base.navigate({ kind: 'place', placeId: counter.id }, { signal: new AbortController().signal });
        await advance(3);
        await base.stop('test');
        expect((await pending).kind).toBe('canceled');
        const refused = await base.navigate({ kind: 'place', placeId: counter.id }, { signal: new AbortController().signal });
        expect(refused).toMatchObject({ kind: 'failed', reason: 'stopped' });
        await advance(2);
        await base.release();
        poses.length = 0;
        await advance(3);
        const last = poses.at(-1);
        expect(last?.type === 'pose' && last.linearMps).toBe(0);
      }));

    it('streams pose, battery and people', () =>
      withBase(async ({ base, advance }) => {
        const kinds = new Set<string>();
        const off = base.subscribe((e) => kinds.add(e.type));
        await advance(2);
        off();
        expect([...kinds].sort()).toEqual(expect.arrayContaining(['battery', 'people', 'pose']));
      }));
  });
}
