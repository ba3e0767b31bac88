import { describe, expect, it } from 'vitest';
import type { Pose2D } from '../../src/ports/common.js';
import type { BaseEvent, NavResult, Place, RobotBase } from '../../src/ports/robot-base.js';

/** What every `RobotBase` adapter promises. `advance` moves its world (sim) or waits (a real robot). */
export interface RobotBaseHarness {
  readonly base: RobotBase;
  readonly advance: (seconds: number) => Promise<void>;
  /**
   * Asks for the robot to be put at `pose` (map frame), standing still with no goal: a simulator's
   * "set pose" (on ROS 2, `initialpose` to a simulated robot). May take effect later; the contract
   * asks again until the base reports a pose there.
   */
  readonly placeAt: (pose: Pose2D) => Promise<void>;
  readonly close: () => Promise<void>;
}

/** A test's goal is this far at least from where the robot starts, so arriving takes driving. */
export const MIN_START_DISTANCE_M = 3;
const PLACED_WITHIN_M = 0.3;

/** The non-counter, non-dock place farthest from the counter: where each test starts. */
export function startFarFrom(places: readonly Place[], goal: Place): Pose2D {
  const candidates = places.filter((p) => p.kind !== 'counter' && p.kind !== 'dock');
  const away = (p: Place) => Math.hypot(p.pose.xM - goal.pose.xM, p.pose.yM - goal.pose.yM);
  const start = [...candidates].sort((a, b) => away(b) - away(a))[0];
  if (start === undefined || away(start) < MIN_START_DISTANCE_M) {
    throw new Error(`RobotBase contract: no place at least ${MIN_START_DISTANCE_M} m from ${goal.id} to start from`);
  }
  return start.pose;
}

/**
 * Puts the robot at the start and waits until the base reports a pose there, so no test depends
 * on where the one before left the robot.
 */
async function placeRobot(h: RobotBaseHarness, start: Pose2D): Promise<void> {
  const seen: { pose: Pose2D | null } = { pose: null };
  const off = h.base.subscribe((e) => {
    if (e.type === 'pose') seen.pose = e.pose;
  });
  try {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await h.placeAt(start);
      await h.advance(0.5);
      const at = seen.pose;
      if (at !== null && Math.hypot(at.xM - start.xM, at.yM - start.yM) <= PLACED_WITHIN_M) return;
    }
    throw new Error(`RobotBase contract: the base never reported a pose within ${PLACED_WITHIN_M} m of the start (${start.xM}, ${start.yM}); last ${JSON.stringify(seen.pose)}`);
  } finally {
    off();
  }
}

export function robotBaseContract(name: string, make: () => Promise<RobotBaseHarness>): void {
  describe(`RobotBase contract: ${name}`, () => {
    /** Every test starts with the robot far from the first counter, whatever ran before. */
    const withBase = async (test: (h: RobotBaseHarness) => Promise<void>) => {
      const harness = await make();
      try {
        const places = harness.base.places();
        const counter = places.find((p) => p.kind === 'counter');
        if (counter !== undefined) await placeRobot(harness, startFarFrom(places, counter));
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
