import { TiepdanError } from '../../src/ports/errors.js';
import { escapeHtml } from './format.js';

/** The report's small SVG chart kit: scales, nice ticks, axes, series thinning and legend swatches. */

/** Coordinates for SVG attributes; inputs are filtered to finite values first, so a throw here is a bug. */
export function num(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) throw new TiepdanError('report_internal', `non-finite value ${v} reached an SVG attribute`);
  const scale = 10 ** decimals;
  const rounded = Math.round(v * scale) / scale;
  return String(rounded === 0 ? 0 : rounded);
}

export const linear =
  (d0: number, d1: number, r0: number, r1: number) =>
  (v: number): number =>
    r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);

/** Without spreading 100k values into an argument list, as Math.min(...values) would. */
export function minMax(values: Iterable<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** The 1, 2 or 5 × 10^k closest to raw by ratio. */
export function niceRound(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  let best = mag;
  for (const m of [2, 5, 10]) if (Math.abs(Math.log(m * mag / raw)) < Math.abs(Math.log(best / raw))) best = m * mag;
  return best;
}

/** Smallest 1, 2 or 5 × 10^k that is >= raw. */
export function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

export function countAxis(maxValue: number): { max: number; step: number } {
  const step = Math.max(1, niceStep(Math.max(maxValue, 1) / 5));
  return { max: Math.max(step, Math.ceil(maxValue / step) * step), step };
}

const TIME_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export function timeTicks(t0S: number, t1S: number, maxTicks: number): number[] {
  const span = t1S - t0S;
  const step = TIME_STEPS_S.find((s) => span / s <= maxTicks) ?? niceStep(span / maxTicks);
  return ticksAt(t0S, t1S, step);
}

export function ticksAt(from: number, to: number, step: number): number[] {
  const ticks: number[] = [];
  for (let i = Math.ceil(from / step - 1e-9); i * step <= to + step * 1e-9; i++) ticks.push(i * step);
  return ticks;
}

// Chart geometry, in SVG user units; the chart scales with the page, capped at 720 px by CSS.
export const CHART_W = 560;
export const CHART_H = 300;
export const PLOT = { left: 52, right: CHART_W - 16, top: 34, bottom: CHART_H - 46 } as const;

export interface Tick {
  readonly at: number;
  readonly label: string;
}

export function axes(xTicks: readonly Tick[], yTicks: readonly Tick[], xLabel: string, yLabel: string): string {
  const out: string[] = [];
  for (const t of yTicks) {
    out.push(
      `<line class="grid" x1="${PLOT.left}" x2="${PLOT.right}" y1="${num(t.at)}" y2="${num(t.at)}"/>`,
      `<text x="${PLOT.left - 6}" y="${num(t.at + 4)}" text-anchor="end">${escapeHtml(t.label)}</text>`,
    );
  }
  for (const t of xTicks) {
    out.push(
      `<line class="tick" x1="${num(t.at)}" x2="${num(t.at)}" y1="${PLOT.bottom}" y2="${PLOT.bottom + 5}"/>`,
      `<text x="${num(t.at)}" y="${PLOT.bottom + 18}" text-anchor="middle">${escapeHtml(t.label)}</text>`,
    );
  }
  out.push(
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.bottom}" y2="${PLOT.bottom}"/>`,
    `<line class="axis" x1="${PLOT.left}" x2="${PLOT.left}" y1="${PLOT.top}" y2="${PLOT.bottom}"/>`,
    `<text class="label" x="${(PLOT.left + PLOT.right) / 2}" y="${CHART_H - 8}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
    `<text class="label" x="14" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(PLOT.top + PLOT.bottom) / 2})">${escapeHtml(yLabel)}</text>`,
  );
  return out.join('\n');
}

export interface TimedValue {
  readonly tS: number;
  readonly v: number;
}

/**
 * Thins a series to about `maxPoints` by keeping, per bucket, the first, lowest, highest and last
 * sample in time order: the envelope survives, so a queue peak is never averaged away.
 */
export function thinSeries(points: readonly TimedValue[], maxPoints: number): TimedValue[] {
  if (points.length <= maxPoints) return [...points];
  const buckets = Math.floor(maxPoints / 4);
  const out: TimedValue[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * points.length) / buckets);
    const to = Math.floor(((b + 1) * points.length) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if ((points[i] as TimedValue).v < (points[lo] as TimedValue).v) lo = i;
      if ((points[i] as TimedValue).v > (points[hi] as TimedValue).v) hi = i;
    }
    for (const i of [...new Set([from, lo, hi, to - 1])].sort((i, j) => i - j)) out.push(points[i] as TimedValue);
  }
  return out;
}

/** Counts change in steps, so the line holds each value until the next sample. */
export function stepPoints(points: readonly TimedValue[], endS: number, x: (t: number) => number, y: (v: number) => number): string {
  const out: string[] = [];
  points.forEach((p, i) => {
    const next = points[i + 1];
    out.push(`${num(x(p.tS), 1)},${num(y(p.v), 1)}`);
    const holdUntil = next ? next.tS : endS;
    if (holdUntil > p.tS) out.push(`${num(x(holdUntil), 1)},${num(y(p.v), 1)}`);
  });
  return out.join(' ');
}

export function legendItem(colour: string, label: string, shape: 'line' | 'dot'): string {
  const swatch =
    shape === 'line'
      ? `<svg width="18" height="10" aria-hidden="true"><line x1="1" y1="5" x2="17" y2="5" stroke="${colour}" stroke-width="3"/></svg>`
      : `<svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${colour}"/></svg>`;
  return `<span class="item">${swatch}${escapeHtml(label)}</span>`;
}
