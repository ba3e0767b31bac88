/** Health as data: presence plus the problems currently seen, keyed by id. */
export type Presence = 'initializing' | 'present' | 'reconnecting' | 'error';

export interface Problem {
  readonly id: string;
  readonly severity: 'warn' | 'error';
  readonly message: string;
}

export interface Health {
  readonly presence: Presence;
  readonly problems: readonly Problem[];
}
