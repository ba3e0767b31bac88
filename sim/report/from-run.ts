import type { Place } from '../../src/ports/robot-base.js';
import type { RunResult } from '../runner.js';
import type { ReportInput } from './types.js';

/**
 * A run's report, its figures taken from the run's summary (the `--json` object) as they are. The
 * citizens' own comings and goings and every navigation goal are left out of the events table:
 * hundreds a run, they bury the faults it is there to show.
 */
export function reportInputOf(title: string, result: RunResult, places: readonly Place[]): ReportInput {
  const { summary } = result;
  return {
    title,
    seed: summary.seed,
    summary: {
      ...summary,
      meanCounterWaitSByField: Object.entries(summary.meanCounterWaitSByField)
        .map(([field, s]) => `${field} ${s} s`)
        .join(', '),
    },
    figures: summary,
    map: result.map,
    places,
    trace: result.trace,
    series: result.series,
    timeToCounterS: result.timeToCounterS,
    events: result.events.filter((e) => !e.kind.startsWith('citizen.') && e.kind !== 'nav.goal'),
  };
}
