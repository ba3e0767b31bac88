import { describe, expect, it } from 'vitest';
import { loadMap, loadPlaces, placesPathFor } from '../../src/maps/map.js';
import { createPlanner } from '../../sim/planner.js';
import { Random } from '../../src/util/random.js';
import { DEFAULT_LIMITS, World } from '../../sim/world.js';
import { projectPath } from '../../src/paths.js';
import type { NavResult } from '../../src/ports/robot-base.js';

function lobby(): World {
  const mapPath = projectPath('sim', 'maps', 'ward-lobby.yaml');
  const map = loadMap(mapPath);
  return new World({ map, places: loadPlaces(placesPathFor(mapPath), map), planner: createPlanner(map, { inflationRadiusM: 0.45 }), random: new Random(3) });
}

describe('simulated robot', () => {
  it('drives to every counter within its speed, turn-rate and acceleration limits', async () => {
    const world = lobby();
    const dtS = 0.1;
    for (const counter of world.places.filter((p) => p.kind === 'counter')) {
      let result: NavResult | null = null;
      void world.startGoal('navigate', counter.pose).done.then((r) => (result = r));
      let previous = world.linearMps;
      for (let i = 0; i < 1200 && result === null; i += 1) {
        world.step(dtS);
        expect(world.linearMps).toBeLessThanOrEqual(DEFAULT_LIMITS.maxLinearMps + 1e-9);
        expect(world.linearMps).toBeGreaterThanOrEqual(0);
        expect(Math.abs(world.angularRadps)).toBeLessThanOrEqual(DEFAULT_LIMITS.maxAngularRadps + 1e-9);
        expect(world.linearMps - previous).toBeLessThanOrEqual(DEFAULT_LIMITS.linearAccelMps2 * dtS + 1e-9);
        expect(previous - world.linearMps).toBeLessThanOrEqual(DEFAULT_LIMITS.brakeDecelMps2 * dtS + 1e-9);
        previous = world.linearMps;
        await Promise.resolve();
      }
      expect(result).toEqual({ kind: 'arrived' });
    }
    expect(world.stats.safetyViolations).toBe(0);
  });

  it('respects a speed limit', () => {
    const world = lobby();
    world.speedLimitMps = 0.4;
    void world.startGoal('navigate', world.places.find((p) => p.kind === 'counter')!.pose);
    for (let i = 0; i < 300; i += 1) {
      world.step(0.1);
      expect(world.linearMps).toBeLessThanOrEqual(0.4 + 1e-9);
    }
  });

  it('brakes to a standstill when held, within the braking distance', () => {
    const world = lobby();
    void world.startGoal('navigate', world.places.find((p) => p.id === 'counter-4')!.pose);
    for (let i = 0; i < 100; i += 1) world.step(0.1);
    expect(world.linearMps).toBeGreaterThan(0.3);
    world.hold('test');
    for (let i = 0; i < 5; i += 1) world.step(0.1);
    expect(world.linearMps).toBe(0);
  });

  it('refuses a goal inside a wall with a reason', async () => {
    const world = lobby();
    const result = await world.startGoal('navigate', { xM: 0.05, yM: 0.05, yawRad: 0 }).done;
    expect(result).toMatchObject({ kind: 'failed', reason: 'unreachable' });
    expect(result.kind === 'failed' && result.detail).toMatch(/obstacle|outside/);
  });

  it('plans around a blocked corridor, and fails as blocked when no way is left', async () => {
    const world = lobby();
    const counter = world.places.find((p) => p.id === 'counter-4')!;
    world.inject('blocked_corridor', { at: { xM: 15, yM: 11 }, radiusM: 1.2, durationS: 600 });
    let result: NavResult | null = null;
    void world.startGoal('navigate', counter.pose).done.then((r) => (result = r));
    for (let i = 0; i < 1500 && result === null; i += 1) {
      world.step(0.1);
      await Promise.resolve();
    }
    expect(result).toEqual({ kind: 'arrived' });
    expect(world.stats.replans).toBeGreaterThan(0);

    world.inject('blocked_corridor', { at: { xM: counter.pose.xM, yM: counter.pose.yM - 2 }, radiusM: 3, durationS: 600 });
    result = null;
    void world.startGoal('navigate', world.places.find((p) => p.kind === 'home')!.pose).done.then((r) => (result = r));
    for (let i = 0; i < 1500 && result === null; i += 1) {
      world.step(0.1);
      await Promise.resolve();
    }
    expect(result).toMatchObject({ kind: 'failed', reason: 'blocked' });
  });
});

/**
 * The safety counter that every "0 safety violations" assertion reads: each kind of violation,
 * made to happen for real, is counted once per step it lasts and logged.
 */
describe('the safety counter', () => {
  /** Driving toward counter 4 at a walking pace or more. */
  async function underway(): Promise<World> {
    const world = lobby();
    void world.startGoal('navigate', world.places.find((p) => p.id === 'counter-4')!.pose);
    for (let i = 0; i < 100 && world.linearMps < 0.5; i += 1) {
      world.step(0.1);
      await Promise.resolve();
    }
    expect(world.linearMps).toBeGreaterThanOrEqual(0.5);
    expect(world.stats.safetyViolations).toBe(0);
    return world;
  }
  const counted = (world: World) => [world.stats.safetyViolations, world.eventCounts.get('safety.violation') ?? 0];

  it('counts a base that keeps moving once held (a motor driver ignoring the e-stop), after the braking time', async () => {
    const world = await underway();
    world.hold('estop');
    // Braking takes under 0.6 s from full speed: the first steps are not violations.
    for (let i = 0; i < 5; i += 1) {
      world.linearMps = 0.5;
      world.step(0.1);
    }
    expect(counted(world)).toEqual([0, 0]);
    for (let i = 0; i < 3; i += 1) {
      world.linearMps = 0.5;
      world.step(0.1);
    }
    expect(counted(world)).toEqual([3, 3]);
    expect(world.events.filter((e) => e.kind === 'safety.violation').map((e) => e.detail)).toEqual(Array(3).fill('moving while held still'));
  });

  it('counts driving into a person who steps out right in front of the robot', async () => {
    const world = await underway();
    const { xM, yM, yawRad } = world.pose;
    const child = world.addAgent('walker', { xM: xM + 0.4 * Math.cos(yawRad), yM: yM + 0.4 * Math.sin(yawRad) }, 0);
    world.step(0.1);
    expect(counted(world)).toEqual([1, 1]);
    expect(world.events.at(-1)).toMatchObject({ kind: 'safety.violation', detail: expect.stringContaining(`contact with person ${child.id}`) });
  });

  it('counts touching a wall while moving, and nothing while standing still against it', () => {
    const world = lobby();
    world.pose = { xM: 0.2, yM: 0.2, yawRad: 0 };
    world.step(0.1);
    expect(counted(world)).toEqual([0, 0]);
    world.linearMps = 0.5;
    world.step(0.1);
    expect(counted(world)).toEqual([1, 1]);
    expect(world.events.at(-1)?.detail).toBe('touching an obstacle');
  });
});


describe('simulated robot commanded from outside the navigation', () => {
  it('follows a velocity override within its limits, reversing too, and the goal goes on', async () => {
    const world = lobby();
    const counter = world.places.find((p) => p.kind === 'counter')!;
    void world.startGoal('navigate', counter.pose);
    world.velocityOverride = { linearMps: -2, angularRadps: 0 };
    for (let i = 0; i < 30; i += 1) world.step(0.1);
    expect(world.linearMps).toBeCloseTo(-DEFAULT_LIMITS.maxLinearMps);
    expect(world.hasGoal).toBe(true);
    world.velocityOverride = { linearMps: 0, angularRadps: 0 };
    for (let i = 0; i < 10; i += 1) world.step(0.1);
    expect(world.linearMps).toBe(0);
  });

  it('teleport puts the robot at the pose, standing still, and ends its goal as failed', async () => {
    const world = lobby();
    const counter = world.places.find((p) => p.kind === 'counter')!;
    const { done } = world.startGoal('navigate', counter.pose);
    for (let i = 0; i < 20; i += 1) world.step(0.1);
    const entrance = world.places.find((p) => p.kind === 'entrance')!;
    world.teleport(entrance.pose);
    expect(await done).toEqual({ kind: 'failed', reason: 'aborted', detail: 'the robot was placed elsewhere' });
    expect([world.pose, world.linearMps, world.hasGoal]).toEqual([entrance.pose, 0, false]);
  });
});
