import type { Cancellable, Point2D, Pose2D } from './common.js';
import type { Health } from './health.js';

/** Fields of service at the ward centre; counters declare which ones they serve. */
export const FIELDS = [
  'civil_status',
  'certification',
  'residence',
  'identity',
  'business',
  'land',
  'construction',
  'social',
  'complaints',
] as const;
export type Field = (typeof FIELDS)[number];

export type PlaceKind = 'home' | 'entrance' | 'dock' | 'counter' | 'waiting' | 'reception' | 'other';

/** A named pose from the places file. `fields` is set for counters. */
export interface Place {
  readonly id: string;
  readonly kind: PlaceKind;
  readonly pose: Pose2D;
  readonly fields: readonly Field[];
}

export type NavGoal = { readonly kind: 'place'; readonly placeId: string } | { readonly kind: 'pose'; readonly pose: Pose2D };

/** Why a navigation failed; a fixed set, so configs and metrics can name every value. */
export const NAV_FAILURE_REASONS = [
  'unknown_place',
  'unreachable',
  'blocked',
  'aborted',
  'localization_lost',
  'stopped',
  'link_down',
  'timeout',
  /** The controller's watchdog: the remaining distance did not drop, even after one replan. */
  'no_progress',
] as const;
export type NavFailureReason = (typeof NAV_FAILURE_REASONS)[number];

/** Outcome of a navigation, docking or undocking request. */
export type NavResult =
  | { readonly kind: 'arrived' }
  | { readonly kind: 'canceled' }
  | { readonly kind: 'failed'; readonly reason: NavFailureReason; readonly detail: string };

export interface NavFeedback {
  readonly distanceRemainingM: number;
  readonly etaS: number;
  readonly recoveries: number;
}

export interface NavOptions extends Cancellable {
  readonly onFeedback?: (feedback: NavFeedback) => void;
}

/**
 * Below this location confidence a tracked person counts as lost (ROS4HRI: 1 seen now, less = last
 * known place, 0 = unknown). The ROS 2 adapter's default and the simulated base use the same value.
 */
export const LOST_BELOW_CONFIDENCE = 0.5;

/**
 * From this location confidence up a tracked person is seen now; below it the tracker only remembers
 * where they were (ROS4HRI: 1 = seen now). Not 1 exactly, so a tracker that scales its confidence by
 * the quality of the detection still counts as seeing; a remembered place starts below it (the
 * simulated tracker's memory starts at 0.9). The escort tells a hidden citizen (remembered) from one
 * who left (lost) by it.
 */
export const SEEN_NOW_FROM_CONFIDENCE = 0.95;

export interface TrackedPerson {
  readonly id: string;
  readonly position: Point2D;
  /** 0..1, as ROS4HRI's location_confidence: see SEEN_NOW_FROM_CONFIDENCE and LOST_BELOW_CONFIDENCE. */
  readonly confidence: number;
}

export interface BatteryReport {
  readonly percent: number;
  readonly charging: boolean;
}

export type BaseEvent =
  | { readonly type: 'pose'; readonly pose: Pose2D; readonly linearMps: number; readonly angularRadps: number }
  | { readonly type: 'battery'; readonly battery: BatteryReport }
  | { readonly type: 'people'; readonly people: readonly TrackedPerson[] }
  | { readonly type: 'path'; readonly path: readonly Point2D[] }
  /** Fresh means pose/odometry arrive within the configured period. */
  | { readonly type: 'heartbeat'; readonly fresh: boolean };

/**
 * The robot's body: motion, docking and what it perceives. Implemented by the ROS 2 adapter
 * and by the simulator; the controller cannot tell them apart.
 */
export interface RobotBase {
  readonly robotId: string;
  /** Places from the places file, in file order. */
  places(): readonly Place[];
  /** Resolves when the goal ends; aborting the signal cancels the goal and resolves `canceled`. */
  navigate(goal: NavGoal, options: NavOptions): Promise<NavResult>;
  /**
   * Cancel any goal and hold the base still. Latched: nothing moves until `release()`,
   * and `release()` never restarts a goal by itself.
   */
  stop(reason: string): Promise<void>;
  release(): Promise<void>;
  /** `null` removes the limit. */
  setSpeedLimit(maxSpeedMps: number | null): Promise<void>;
  dock(options: NavOptions): Promise<NavResult>;
  undock(options: NavOptions): Promise<NavResult>;
  /** Streams pose, battery, people, planned path and heartbeat. Returns an unsubscribe. */
  subscribe(listener: (event: BaseEvent) => void): () => void;
  health(): Health;
  close(): Promise<void>;
}
