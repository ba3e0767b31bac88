/** The three languages a conversation can run in. */
export type Lang = 'vi' | 'en' | 'ko';
export const LANGS: readonly Lang[] = ['vi', 'en', 'ko'];

/** A pose in the map frame. */
export interface Pose2D {
  readonly xM: number;
  readonly yM: number;
  readonly yawRad: number;
}

export interface Point2D {
  readonly xM: number;
  readonly yM: number;
}

/** Every long-running port call takes one; aborting it cancels the work. */
export interface Cancellable {
  readonly signal: AbortSignal;
}
