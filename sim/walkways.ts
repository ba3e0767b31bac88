/**
 * The robot's ways through a lobby: the paths it plans on the bare map from its posts (home, the
 * entrance, the waiting area) to the counters and the dock. Simulated people waiting keep them
 * clear, as people in a real centre sit on the seats and leave aisles and doors free.
 */
import type { Point2D } from '../src/ports/common.js';
import type { Place } from '../src/ports/robot-base.js';
import type { Planner } from './planner.js';

export type Walkway = readonly Point2D[];

/** How far from the robot's ways people waiting sit or stand: the robot's width and a person's, with room. */
export const WALKWAY_HALF_WIDTH_M = 1.0;

/** The paths `planner` finds from each of `posts` to each of `destinations`; pairs with no path are left out. */
export function walkways(planner: Planner, posts: readonly Place[], destinations: readonly Place[]): Walkway[] {
  const ways: Walkway[] = [];
  for (const post of posts) {
    for (const destination of destinations) {
      const plan = planner.plan(post.pose, destination.pose);
      if (plan.ok) ways.push([...plan.path]);
    }
  }
  return ways;
}

/** Whether `p` lies within WALKWAY_HALF_WIDTH_M of any of `ways`. */
export function nearWalkway(p: Point2D, ways: readonly Walkway[]): boolean {
  for (const way of ways) {
    for (let i = 1; i < way.length; i += 1) {
      if (distanceToSegment(p, way[i - 1]!, way[i]!) < WALKWAY_HALF_WIDTH_M) return true;
    }
  }
  return false;
}

export function distanceToSegment(p: Point2D, a: Point2D, b: Point2D): number {
  const dx = b.xM - a.xM;
  const dy = b.yM - a.yM;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.xM - a.xM) * dx + (p.yM - a.yM) * dy) / length2));
  return Math.hypot(p.xM - (a.xM + t * dx), p.yM - (a.yM + t * dy));
}
