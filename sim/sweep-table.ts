/** The text `tiepdan sim sweep` prints: one table, all runs first, then the worst layouts. */
import type { LayoutDescription } from './layouts/generate.js';
import { worseFirst, type SweepFigures, type SweepResult } from './sweep.js';

/** The table's columns, in order; tests read the header by these names. */
export const SWEEP_COLUMNS = ['layouts', 'runs', 'served', 'escorts', 'reached', 'handed off', 'abandoned', 'nav failed', 'p95 to counter', 'safety violations', 'layout'] as const;

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** What a layout holds, in a few words. */
export function describeLayout(d: LayoutDescription): string {
  const parts = [d.shape === 'open' ? 'open hall' : `${d.shape}-shaped hall`, `${d.widthM} x ${d.heightM} m`];
  if (d.partition === 'wall') parts.push('partition wall');
  if (d.partition === 'counters') parts.push('counter island');
  if (d.secondRoom !== 'none') {
    const via = `${d.secondRoomPassageM?.toFixed(1)} m ${d.secondRoom}`;
    parts.push(d.countersInSecondRoom > 0 ? `${count(d.countersInSecondRoom, 'counter')} in a room via a ${via}` : `a room via a ${via}`);
  }
  parts.push(d.counterWalls > 0 ? `${count(d.counters, 'counter')} (${count(d.counterWalls, 'wall')} with counters)` : count(d.counters, 'counter'));
  if (d.pillars > 0) parts.push(count(d.pillars, 'pillar'));
  if (d.seatRows > 0) parts.push(count(d.seatRows, 'seat row'));
  parts.push(`waiting ${d.entranceToWaitingM} m from the entrance`);
  return parts.join(', ');
}

function cells(label: string, f: SweepFigures, what: string): string[] {
  return [
    label,
    String(f.runs),
    `${f.served}/${f.citizens} ${percent(f.served, f.citizens)}`,
    String(f.escorts),
    `${f.escortsReached} ${percent(f.escortsReached, f.escorts)}`,
    `${f.escortsHandedOff} ${percent(f.escortsHandedOff, f.escorts)}`,
    `${f.escortsAbandoned} ${percent(f.escortsAbandoned, f.escorts)}`,
    `${f.escortsNavFailed} ${percent(f.escortsNavFailed, f.escorts)}`,
    `${f.p95TimeToCounterS} s`,
    `${f.safetyViolations} (${f.runsWithSafetyViolations} of ${f.runs} runs)`,
    what,
  ];
}

/** The table, with a line for each of the `worst` layouts with the most abandoned escorts. */
export function formatSweepTable(result: SweepResult, worst = 5): string {
  const { totals } = result;
  const rows: string[][] = [[...SWEEP_COLUMNS], cells(`all ${result.layouts.length}`, totals, '')];
  const ranked = result.layouts
    .filter((l) => l.figures.runs > 0)
    .map((l) => ({ ...l, name: l.description.name }))
    .sort(worseFirst)
    .slice(0, worst);
  for (const l of ranked) rows.push(cells(l.name, l.figures, describeLayout(l.description)));
  const widths = SWEEP_COLUMNS.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  // Numbers right-aligned, the first and last columns (names, words) left-aligned; the last is not padded.
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : c === row.length - 1 ? cell : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const seeds = result.seeds.length === 1 ? `seed ${result.seeds[0]}` : `seeds ${result.seeds[0]}..${result.seeds[result.seeds.length - 1]}`;
  const firstLayout = result.layouts[0]?.description.seed;
  const lastLayout = result.layouts[result.layouts.length - 1]?.description.seed;
  const ratio = totals.wallSeconds > 0 ? Math.round(totals.simSeconds / totals.wallSeconds) : 0;
  return [
    `sweep of ${result.scenario}: ${result.layouts.length} layouts (layout seeds ${firstLayout}..${lastLayout}) x ${seeds}, ${totals.runs} runs${result.complete ? '' : ' (stopped early)'}`,
    line(rows[0]!),
    line(rows[1]!),
    ...(rows.length > 2 ? [`worst layouts, by abandoned escorts:`, ...rows.slice(2).map(line)] : []),
    `wall time ${result.wallSeconds} s (runs ${totals.wallSeconds} s); ${totals.simSeconds} simulated s; ${ratio} simulated s per wall s, ${perCpu(totals)} per CPU s${slowest(result)}`,
    '',
  ].join('\n');
}

function perCpu(figures: SweepFigures): number {
  return figures.cpuSeconds > 0 ? Math.round(figures.simSeconds / figures.cpuSeconds) : 0;
}

/** The layout the simulator ran slowest, by CPU time: the speed every layout reaches. */
function slowest(result: SweepResult): string {
  const ran = result.layouts.filter((l) => l.figures.cpuSeconds > 0);
  if (ran.length < 2) return '';
  const worst = ran.reduce((a, b) => (perCpu(b.figures) < perCpu(a.figures) ? b : a));
  return ` (slowest layout: ${worst.description.name}, ${perCpu(worst.figures)})`;
}
