/**
 * While escorting, the robot slows round the corners of its planned path, so the citizen a step
 * behind does not lose it there, and takes the escort speed again once past.
 */
import { describe, expect, it } from 'vitest';
import { CornerSlowdown, DEFAULT_CORNER_SLOWDOWN, nearCorner } from '../../src/app/corner-slowdown.js';

/** East 5 m, then a right angle north for 5 m, then a slight bend (20°) on. */
const L_PATH = [
  { xM: 0, yM: 0 },
  { xM: 5, yM: 0 },
  { xM: 5, yM: 5 },
  { xM: 5 + 5 * Math.sin(Math.PI / 9), yM: 5 + 5 * Math.cos(Math.PI / 9) },
];
const at = (xM: number, yM: number) => ({ xM, yM, yawRad: 0 });

describe('nearCorner', () => {
  const o = DEFAULT_CORNER_SLOWDOWN;
  it('is true from aheadM before a turn to behindM after it, along the path', () => {
    expect(nearCorner(L_PATH, at(5 - o.aheadM - 0.1, 0), o)).toBe(false);
    expect(nearCorner(L_PATH, at(5 - o.aheadM + 0.1, 0), o)).toBe(true);
    expect(nearCorner(L_PATH, at(5, 0), o)).toBe(true);
    expect(nearCorner(L_PATH, at(5, o.behindM - 0.1), o)).toBe(true);
    expect(nearCorner(L_PATH, at(5, o.behindM + 0.1), o)).toBe(false);
  });

  it('takes a slight bend for no corner, and the robot a little off the path as on it', () => {
    expect(nearCorner(L_PATH, at(5, 5), o)).toBe(false);
    expect(nearCorner(L_PATH, at(4.6, 4.9), o)).toBe(false);
    expect(nearCorner(L_PATH, at(4, 0.3), o)).toBe(true);
  });

  it('finds no corner on a straight path or one of two points', () => {
    expect(nearCorner([{ xM: 0, yM: 0 }, { xM: 5, yM: 0 }], at(4, 0), o)).toBe(false);
    expect(nearCorner([{ xM: 0, yM: 0 }, { xM: 2, yM: 0 }, { xM: 6, yM: 0 }], at(2, 0), o)).toBe(false);
    expect(nearCorner([], at(0, 0), o)).toBe(false);
  });
});

describe('CornerSlowdown', () => {
  function rig() {
    const limits: number[] = [];
    const corners = new CornerSlowdown({ ...DEFAULT_CORNER_SLOWDOWN, setSpeedLimit: (v) => void limits.push(v) });
    return { corners, limits };
  }

  it('during an escort: the corner speed near a turn, the escort speed past it, each once', () => {
    const { corners, limits } = rig();
    corners.start(0.6);
    corners.onPath(L_PATH);
    for (let x = 0; x <= 5; x += 0.25) corners.onPose(at(x, 0));
    for (let y = 0; y <= 5; y += 0.25) corners.onPose(at(5, y));
    expect(limits).toEqual([DEFAULT_CORNER_SLOWDOWN.cornerSpeedMps, 0.6]);
  });

  it('never above the escort\'s own limit', () => {
    const { corners, limits } = rig();
    corners.start(0.2);
    corners.onPath(L_PATH);
    corners.onPose(at(5, 0));
    expect(limits).toEqual([0.2]);
  });

  it('limits nothing outside an escort, nor after it ended', () => {
    const { corners, limits } = rig();
    corners.onPath(L_PATH);
    corners.onPose(at(5, 0));
    corners.start(0.6);
    corners.end();
    corners.onPose(at(4.9, 0));
    expect(limits).toEqual([]);
  });

  it('holds the escort speed with no plan from the base', () => {
    const { corners, limits } = rig();
    corners.start(0.6);
    for (let x = 0; x <= 5; x += 0.5) corners.onPose(at(x, 0));
    expect(limits).toEqual([]);
  });
});
