import { mean, percentile, round1 } from '../../src/stats.js';
import { formatNumber, formatSimTime, noData } from './format.js';
import { axes, CHART_H, CHART_W, countAxis, linear, minMax, niceRound, niceStep, num, PLOT, stepPoints, thinSeries, ticksAt, timeTicks } from './svg.js';
import type { QueueSample } from './types.js';

/** The report's two charts: the queue over simulated time and the histogram of time to counter. */

/** Per line; charts are at most ~720 px wide, so more vertices than this are invisible. */
const MAX_SERIES_POINTS = 2000;
/** A time axis shorter than this has no useful ticks. */
const MIN_TIME_SPAN_S = 10;
const MAX_BINS = 40;

const WAITING_COLOUR = '#e8590c';
const AT_COUNTER_COLOUR = '#2b8a3e';
const BAR_COLOUR = '#4dabf7';

/** `series` finite and in time order. */
export function renderSeriesChart(series: readonly QueueSample[]): string {
  const first = series[0];
  const last = series[series.length - 1];
  if (first === undefined || last === undefined) return noData('no queue samples were recorded');
  const t0 = first.tS;
  const t1 = Math.max(last.tS, t0 + MIN_TIME_SPAN_S);
  const yMax = minMax(series.flatMap((s) => [s.waiting, s.served])).max;
  const yAxis = countAxis(yMax);
  const x = linear(t0, t1, PLOT.left, PLOT.right);
  const y = linear(0, yAxis.max, PLOT.bottom, PLOT.top);
  const xTicks = timeTicks(t0, t1, 7).map((t) => ({ at: x(t), label: formatSimTime(t) }));
  const yTicks = ticksAt(0, yAxis.max, yAxis.step).map((v) => ({ at: y(v), label: String(v) }));
  const waiting = thinSeries(
    series.map((s) => ({ tS: s.tS, v: s.waiting })),
    MAX_SERIES_POINTS,
  );
  const atCounter = thinSeries(
    series.map((s) => ({ tS: s.tS, v: s.served })),
    MAX_SERIES_POINTS,
  );
  // Not called "served": the summary's served counts only citizens at the right counter.
  const legend = [
    { colour: WAITING_COLOUR, label: 'waiting' },
    { colour: AT_COUNTER_COLOUR, label: 'reached a counter' },
  ]
    .map(
      (item, i) =>
        `<line x1="${PLOT.left + i * 100}" x2="${PLOT.left + i * 100 + 20}" y1="14" y2="14" stroke="${item.colour}" stroke-width="3"/><text x="${PLOT.left + i * 100 + 26}" y="18">${item.label}</text>`,
    )
    .join('');
  const peak = minMax(series.map((s) => s.waiting)).max;
  return `<figure><svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Waiting citizens and citizens who reached a counter over simulated time">
${axes(xTicks, yTicks, 'simulated time', 'citizens')}
<polyline class="series-waiting" points="${stepPoints(waiting, t1, x, y)}" fill="none" stroke="${WAITING_COLOUR}" stroke-width="2" stroke-linejoin="round"/>
<polyline class="series-served" points="${stepPoints(atCounter, t1, x, y)}" fill="none" stroke="${AT_COUNTER_COLOUR}" stroke-width="2" stroke-linejoin="round"/>
${legend}
</svg><figcaption class="note">${series.length} samples. Peak waiting ${formatNumber(peak)}, reached a counter by the end ${formatNumber(last.served)}.</figcaption></figure>`;
}

interface Bins {
  readonly start: number;
  readonly widthS: number;
  readonly counts: number[];
}

/**
 * Freedman–Diaconis width (robust to the long tail a blocked corridor gives), rounded to 1/2/5 × 10^k
 * seconds and kept to roughly 5 to 40 bins so the bars neither blur nor turn into a comb.
 */
function binTimes(sorted: readonly number[]): Bins {
  const min = sorted[0] as number;
  const max = sorted[sorted.length - 1] as number;
  const range = max - min;
  let widthS: number;
  if (range === 0) {
    widthS = niceStep(Math.max(1, Math.abs(min) * 0.1));
  } else {
    const iqr = percentile(sorted, 0.75) - percentile(sorted, 0.25);
    const fd = (2 * iqr) / Math.cbrt(sorted.length);
    const raw = fd > 0 ? fd : range / Math.sqrt(sorted.length);
    widthS = niceRound(Math.min(Math.max(raw, range / MAX_BINS), range / 5));
    if (range / widthS > MAX_BINS) widthS = niceStep(range / MAX_BINS);
  }
  const start = Math.floor(min / widthS) * widthS;
  const count = Math.max(1, Math.floor((max - start) / widthS) + 1);
  const counts = new Array<number>(count).fill(0);
  for (const v of sorted) {
    const i = Math.min(count - 1, Math.floor((v - start) / widthS));
    counts[i] = (counts[i] as number) + 1;
  }
  return { start, widthS, counts };
}

/**
 * `sorted`: finite, ascending. `p95S` is the run summary's own figure, marked as it is; the p50 and
 * mean beside it, which the summary does not have, use the same definitions and rounding.
 */
export function renderHistogram(sorted: readonly number[], p95S: number): string {
  if (sorted.length === 0) return noData('no citizen was escorted to a counter');
  const bins = binTimes(sorted);
  const x0 = bins.start;
  const x1 = bins.start + bins.counts.length * bins.widthS;
  const yAxis = countAxis(minMax(bins.counts).max);
  const x = linear(x0, x1, PLOT.left, PLOT.right);
  const y = linear(0, yAxis.max, PLOT.bottom, PLOT.top);
  const xStep = Math.max(bins.widthS, niceStep((x1 - x0) / 7));
  const xTicks = ticksAt(x0, x1, xStep).map((v) => ({ at: x(v), label: formatNumber(v) }));
  const yTicks = ticksAt(0, yAxis.max, yAxis.step).map((v) => ({ at: y(v), label: String(v) }));
  const bars = bins.counts
    .map((c, i) => {
      if (c === 0) return '';
      const left = x(x0 + i * bins.widthS);
      const right = x(x0 + (i + 1) * bins.widthS);
      return `<rect x="${num(left + 0.5)}" y="${num(y(c))}" width="${num(Math.max(right - left - 1, 0.5))}" height="${num(PLOT.bottom - y(c))}" fill="${BAR_COLOUR}"><title>${formatNumber(x0 + i * bins.widthS)}–${formatNumber(x0 + (i + 1) * bins.widthS)} s: ${c}</title></rect>`;
    })
    .join('\n');
  const p50S = round1(percentile(sorted, 0.5));
  const marks = [
    { name: 'p50', value: p50S, labelY: PLOT.top - 18 },
    { name: 'p95', value: p95S, labelY: PLOT.top - 4 },
  ]
    // A summary figure off the drawn range (it came from other data) is still printed below, not marked.
    .filter((m) => Number.isFinite(m.value) && m.value >= x0 && m.value <= x1)
    .map((m) => {
      const px = x(m.value);
      const anchor = px > PLOT.right - 60 ? 'end' : 'start';
      const dx = anchor === 'end' ? -4 : 4;
      return `<line class="mark" x1="${num(px)}" x2="${num(px)}" y1="${PLOT.top}" y2="${PLOT.bottom}"/><text class="mark" x="${num(px + dx)}" y="${m.labelY}" text-anchor="${anchor}">${m.name} ${formatNumber(m.value)} s</text>`;
    })
    .join('\n');
  return `<figure><svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Histogram of time to counter in seconds">
${axes(xTicks, yTicks, 'time to counter (s)', 'citizens')}
${bars}
${marks}
</svg><figcaption class="note">${sorted.length} citizens, bins of ${formatNumber(bins.widthS)} s. Mean ${formatNumber(round1(mean(sorted)))} s, p50 ${formatNumber(p50S)} s, p95 ${formatNumber(p95S)} s, max ${formatNumber(sorted[sorted.length - 1] as number)} s.</figcaption></figure>`;
}
