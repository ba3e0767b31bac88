/** The robot's round footprint: radius 0.3 m. */
export const ROBOT_RADIUS_M = 0.3;

/**
 * Radius plus a margin for path-following error, as a Nav2 inflation layer would: the planner keeps
 * the robot's centre this far from every occupied cell, and `map check` asks the same of a map.
 */
export const ROBOT_CLEARANCE_M = 0.45;
