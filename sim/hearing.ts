/**
 * Whether a simulated person hears the robot: its voice carries across open floor, and only a short
 * way round a corner or through a door. A citizen lost behind a partition does not hear it call.
 */
import type { Point2D } from '../src/ports/common.js';
import type { Planner } from './planner.js';

/** How far the robot's voice carries across open floor. */
export const HEARING_RANGE_M = 12;
/** How far it carries with a wall in between: round a corner or through a door, not across the building. */
export const HEARING_ROUND_A_WALL_M = 5;

export function hears(planner: Pick<Planner, 'lineOfSight'>, listener: Point2D, speaker: Point2D): boolean {
  const d = Math.hypot(listener.xM - speaker.xM, listener.yM - speaker.yM);
  if (d > HEARING_RANGE_M) return false;
  return d <= HEARING_ROUND_A_WALL_M || planner.lineOfSight(listener, speaker);
}
