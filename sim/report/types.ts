import type { Place } from '../../src/ports/robot-base.js';

/** What the simulator's HTML report is drawn from. */

export interface ReportMap {
  readonly width: number;
  readonly height: number;
  readonly resolutionM: number;
  /** Map-frame position of the lower-left corner of cell (0, 0). */
  readonly origin: { readonly xM: number; readonly yM: number };
  /** `width * height` cells, row 0 = lowest y; 1 occupied, 0 free. */
  readonly occupied: Uint8Array;
}

export interface TraceSample {
  readonly tS: number;
  readonly xM: number;
  readonly yM: number;
}

export interface QueueSample {
  readonly tS: number;
  readonly waiting: number;
  /** Citizens who have reached a counter, the right one or not. */
  readonly served: number;
}

export interface ReportEvent {
  readonly tS: number;
  readonly kind: string;
  readonly detail: string;
}

/**
 * The figures the page prints outside the summary table, as the run's `--json` summary has them:
 * the report takes them from there and never recomputes them from the samples, so the two agree.
 */
export interface ReportFigures {
  readonly simSeconds: number;
  /** Escorts that reached the right counter: one time-to-counter value each. */
  readonly escortsSucceeded: number;
  readonly p95TimeToCounterS: number;
}

export interface ReportInput {
  /** Usually the scenario name. */
  readonly title: string;
  readonly seed: number;
  /** Shown as a two-column table, in insertion order. */
  readonly summary: Readonly<Record<string, number | string | boolean>>;
  readonly figures: ReportFigures;
  readonly map: ReportMap;
  readonly places: readonly Place[];
  /** Robot path in time order; may hold 100k+ samples, thinned before drawing. */
  readonly trace: readonly TraceSample[];
  readonly series: readonly QueueSample[];
  /** One per escorted citizen. */
  readonly timeToCounterS: readonly number[];
  /** Faults and notable events; the table shows the first `MAX_EVENT_ROWS`. */
  readonly events: readonly ReportEvent[];
}
