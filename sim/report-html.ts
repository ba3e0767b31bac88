import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Point2D } from '../src/ports/common.js';
import { TiepdanError } from '../src/ports/errors.js';
import type { Place, PlaceKind } from '../src/ports/robot-base.js';
import { encodePng } from './png.js';

/**
 * The simulator's HTML report: one self-contained page (map as a PNG data URI, charts as inline SVG,
 * no scripts, no external resources) that can be mailed or attached to an issue as is.
 * Rendering is pure and deterministic (no clock, no randomness) so two runs with one seed diff cleanly.
 */

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
  readonly served: number;
}

export interface ReportEvent {
  readonly tS: number;
  readonly kind: string;
  readonly detail: string;
}

export interface ReportInput {
  /** Usually the scenario name. */
  readonly title: string;
  readonly seed: number;
  /** Shown as a two-column table, in insertion order. */
  readonly summary: Readonly<Record<string, number | string | boolean>>;
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

/** A browser draws a 5000-vertex polyline instantly; 100k makes the page sluggish on a phone. */
export const MAX_TRACE_POINTS = 5000;
/** Below the robot's footprint tolerance, so thinning at this spacing changes nothing visible. */
export const TRACE_MIN_STEP_M = 0.05;
export const MAX_EVENT_ROWS = 500;
/** Per line; charts are at most ~720 px wide, so more vertices than this are invisible. */
const MAX_SERIES_POINTS = 2000;
/** A time axis shorter than this has no useful ticks. */
const MIN_TIME_SPAN_S = 10;
const MAX_BINS = 40;

const OCCUPIED_RGBA = [0x3c, 0x3c, 0x3c, 0xff] as const;
const FREE_RGBA = [0xff, 0xff, 0xff, 0xff] as const;

const PLACE_COLOURS: Readonly<Record<PlaceKind, string>> = {
  counter: '#e8590c',
  home: '#2b8a3e',
  dock: '#7048e8',
  entrance: '#c2255c',
  waiting: '#0c8599',
  reception: '#5c940d',
  other: '#868e96',
};
const TRACE_COLOUR = '#1c7ed6';
const WAITING_COLOUR = '#e8590c';
const SERVED_COLOUR = '#2b8a3e';
const BAR_COLOUR = '#4dabf7';

/** For text content and double-quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/**
 * Keeps the first and last sample and every sample at least `stepM` from the previously kept one,
 * widening the step by half until at most `maxPoints` remain. Distance-based thinning keeps corners
 * and stops that index striding would cut, and drops the thousands of samples of a robot standing still.
 */
export function downsampleTrace<P extends Point2D>(
  points: readonly P[],
  maxPoints: number = MAX_TRACE_POINTS,
  minStepM: number = TRACE_MIN_STEP_M,
): P[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new TiepdanError('report_invalid', `maxPoints must be an integer >= 2, got ${maxPoints}`);
  }
  if (!(minStepM > 0)) throw new TiepdanError('report_invalid', `minStepM must be > 0, got ${minStepM}`);
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined || points.length <= 2) return [...points];
  // Each pass is O(n); 1.5^80 exceeds any finite map, so the loop always ends with a fitting result.
  let stepM = minStepM;
  for (let pass = 0; pass < 80; pass++) {
    const kept = keepSpaced(points, stepM);
    if (kept.length <= maxPoints) return kept;
    stepM *= 1.5;
  }
  return [first, last];
}

function keepSpaced<P extends Point2D>(points: readonly P[], stepM: number): P[] {
  const first = points[0] as P;
  const kept: P[] = [first];
  let prev = first;
  const step2 = stepM * stepM;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i] as P;
    const dx = p.xM - prev.xM;
    const dy = p.yM - prev.yM;
    if (dx * dx + dy * dy >= step2) {
      kept.push(p);
      prev = p;
    }
  }
  kept.push(points[points.length - 1] as P);
  return kept;
}

/** Linear interpolation between closest ranks (numpy's default); `sorted` ascending, non-empty. */
export function percentile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

function validateMap(map: ReportMap): void {
  const { width, height, resolutionM, origin, occupied } = map;
  if (!Number.isInteger(width) || width < 0 || !Number.isInteger(height) || height < 0) {
    throw new TiepdanError('report_invalid', `map size must be non-negative integers, got ${width}x${height}`);
  }
  if (!(resolutionM > 0) || !Number.isFinite(resolutionM)) {
    throw new TiepdanError('report_invalid', `map resolutionM must be finite and > 0, got ${resolutionM}`);
  }
  if (!Number.isFinite(origin.xM) || !Number.isFinite(origin.yM)) {
    throw new TiepdanError('report_invalid', `map origin must be finite, got (${origin.xM}, ${origin.yM})`);
  }
  if (occupied.length !== width * height) {
    throw new TiepdanError('report_invalid', `map has ${occupied.length} cells, expected ${width}x${height}`);
  }
}

/** The occupancy grid as a PNG with +y up (PNG rows run top-down), or null for a map without cells. */
export function renderMapPng(map: ReportMap): Buffer | null {
  validateMap(map);
  const { width, height, occupied } = map;
  if (width === 0 || height === 0) return null;
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const mapRow = height - 1 - row;
    for (let col = 0; col < width; col++) {
      const colour = occupied[mapRow * width + col] ? OCCUPIED_RGBA : FREE_RGBA;
      rgba.set(colour, (row * width + col) * 4);
    }
  }
  return encodePng(width, height, rgba);
}

/**
 * Writes `dir/index.html` and `dir/map.png` (the latter only when the map has cells), creating `dir`.
 * Returns the path of index.html.
 */
export function writeHtmlReport(dir: string, input: ReportInput): string {
  mkdirSync(dir, { recursive: true });
  const png = renderMapPng(input.map);
  if (png) writeFileSync(join(dir, 'map.png'), png);
  const indexPath = join(dir, 'index.html');
  writeFileSync(indexPath, render(input, png), 'utf8');
  return indexPath;
}

export function renderHtmlReport(input: ReportInput): string {
  return render(input, renderMapPng(input.map));
}

// ---------------------------------------------------------------------------------------------

const isFiniteNumber = (v: number): boolean => Number.isFinite(v);

/** Coordinates for SVG attributes; inputs are filtered to finite values first, so a throw here is a bug. */
function num(v: number, decimals = 2): string {
  if (!Number.isFinite(v)) throw new TiepdanError('report_internal', `non-finite value ${v} reached an SVG attribute`);
  const scale = 10 ** decimals;
  const rounded = Math.round(v * scale) / scale;
  return String(rounded === 0 ? 0 : rounded);
}

/** Short readable number: integers as is, others to 4 significant digits. */
function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'n/a';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (Number.isInteger(v)) return String(v);
  if (Math.abs(v) >= 1000) return v.toFixed(1);
  return String(Number(v.toPrecision(4)));
}

/** Tick label for simulated time: "0", "45s", "15m", "1h30m". */
function formatSimTime(tS: number): string {
  const sign = tS < 0 ? '−' : '';
  const t = Math.round(Math.abs(tS));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const s = t % 60;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (m > 0 || (h > 0 && s > 0)) out += `${m}m`;
  if (s > 0) out += `${s}s`;
  return out === '' ? '0' : sign + out;
}

/** Event timestamps: "h:mm:ss.s". */
function formatClock(tS: number): string {
  if (!Number.isFinite(tS)) return '—';
  const sign = tS < 0 ? '−' : '';
  const tenths = Math.round(Math.abs(tS) * 10);
  const h = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = (tenths % 600) / 10;
  return `${sign}${h}:${String(m).padStart(2, '0')}:${s.toFixed(1).padStart(4, '0')}`;
}

/** The 1, 2 or 5 × 10^k closest to raw by ratio. */
function niceRound(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  let best = mag;
  for (const m of [2, 5, 10]) if (Math.abs(Math.log(m * mag / raw)) < Math.abs(Math.log(best / raw))) best = m * mag;
  return best;
}

/** Smallest 1, 2 or 5 × 10^k that is >= raw. */
function niceStep(raw: number): number {
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}

function countAxis(maxValue: number): { max: number; step: number } {
  const step = Math.max(1, niceStep(Math.max(maxValue, 1) / 5));
  return { max: Math.max(step, Math.ceil(maxValue / step) * step), step };
}

const TIME_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

function timeTicks(t0S: number, t1S: number, maxTicks: number): number[] {
  const span = t1S - t0S;
  const step = TIME_STEPS_S.find((s) => span / s <= maxTicks) ?? niceStep(span / maxTicks);
  return ticksAt(t0S, t1S, step);
}

function ticksAt(from: number, to: number, step: number): number[] {
  const ticks: number[] = [];
  for (let i = Math.ceil(from / step - 1e-9); i * step <= to + step * 1e-9; i++) ticks.push(i * step);
  return ticks;
}

const linear =
  (d0: number, d1: number, r0: number, r1: number) =>
  (v: number): number =>
    r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);

function minMax(values: Iterable<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function noData(what: string): string {
  return `<p class="nodata">No data: ${escapeHtml(what)}.</p>`;
}

interface Cleaned {
  readonly trace: TraceSample[];
  readonly series: QueueSample[];
  readonly timesS: number[];
  readonly places: Place[];
  readonly dropped: string[];
}

/** Drops non-finite samples up front so no NaN can reach an SVG attribute, and says what was dropped. */
function clean(input: ReportInput): Cleaned {
  const dropped: string[] = [];
  const keep = <T>(what: string, items: readonly T[], ok: (item: T) => boolean): T[] => {
    const kept = items.filter(ok);
    if (kept.length < items.length) dropped.push(`${items.length - kept.length} ${what} with non-finite values`);
    return kept;
  };
  return {
    trace: keep('trace samples', input.trace, (p) => [p.tS, p.xM, p.yM].every(isFiniteNumber)),
    series: keep('queue samples', input.series, (p) => [p.tS, p.waiting, p.served].every(isFiniteNumber)).sort(
      (a, b) => a.tS - b.tS,
    ),
    timesS: keep('time-to-counter values', input.timeToCounterS, isFiniteNumber).sort((a, b) => a - b),
    places: keep('places', input.places, (p) => isFiniteNumber(p.pose.xM) && isFiniteNumber(p.pose.yM)),
    dropped,
  };
}

function render(input: ReportInput, png: Buffer | null): string {
  const data = clean(input);
  const endS = minMax([
    ...(data.trace.length ? [(data.trace[data.trace.length - 1] as TraceSample).tS] : []),
    ...(data.series.length ? [(data.series[data.series.length - 1] as QueueSample).tS] : []),
    ...input.events.map((e) => e.tS).filter(isFiniteNumber),
  ]).max;
  const meta = [
    `seed ${escapeHtml(formatNumber(input.seed))}`,
    ...(Number.isFinite(endS) ? [`simulated ${formatSimTime(endS)}`] : []),
    `${data.timesS.length} escorted citizen${data.timesS.length === 1 ? '' : 's'}`,
  ].join(' · ');
  const title = escapeHtml(input.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${title} · tiepdan simulation</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${title}</h1>
<p class="meta">${meta}</p>
${data.dropped.length ? `<p class="warn">Skipped ${escapeHtml(data.dropped.join('; '))}.</p>` : ''}
</header>
<section>
<h2>Summary</h2>
${renderSummary(input.summary)}
</section>
<section>
<h2>Map and robot path</h2>
${renderMapSection(input.map, png, data.places, data.trace)}
</section>
<section>
<h2>Queue over time</h2>
${renderSeriesChart(data.series)}
</section>
<section>
<h2>Time to counter</h2>
${renderHistogram(data.timesS)}
</section>
<section>
<h2>Events</h2>
${renderEvents(input.events)}
</section>
</main>
</body>
</html>
`;
}

function renderSummary(summary: ReportInput['summary']): string {
  const entries = Object.entries(summary);
  if (entries.length === 0) return noData('the scenario reported no summary values');
  const rows = entries
    .map(([key, value]) => {
      const text = typeof value === 'number' ? formatNumber(value) : String(value);
      const cls = typeof value === 'number' ? ' class="num"' : '';
      return `<tr><th scope="row">${escapeHtml(key)}</th><td${cls}>${escapeHtml(text)}</td></tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table class="summary"><tbody>\n${rows}\n</tbody></table></div>`;
}

function renderMapSection(map: ReportMap, png: Buffer | null, places: readonly Place[], trace: readonly TraceSample[]): string {
  const mapWM = map.width * map.resolutionM;
  const mapHM = map.height * map.resolutionM;
  // The view covers the map and anything drawn outside it, so a place mis-set off the map still shows.
  const xs = minMax([
    ...(png ? [map.origin.xM, map.origin.xM + mapWM] : []),
    ...places.map((p) => p.pose.xM),
    ...minMaxList(trace, (p) => p.xM),
  ]);
  const ys = minMax([
    ...(png ? [map.origin.yM, map.origin.yM + mapHM] : []),
    ...places.map((p) => p.pose.yM),
    ...minMaxList(trace, (p) => p.yM),
  ]);
  if (!Number.isFinite(xs.min)) return noData('the map is empty and there are no places or trace');

  const rawSpanM = Math.max(xs.max - xs.min, ys.max - ys.min);
  const spanM = rawSpanM > 0 ? rawSpanM : 1;
  const padM = spanM * 0.03;
  const x0 = xs.min - padM;
  const x1 = xs.max + padM;
  const y0 = ys.min - padM;
  const y1 = ys.max + padM;
  const markerRM = spanM / 110;
  const fontM = spanM / 50;

  const parts: string[] = [];
  // SVG y grows downwards; drawing at (x, -y) inside scale(1 -1) puts +y up. The viewBox is in metres.
  parts.push(
    `<svg class="map" viewBox="${num(x0, 3)} ${num(-y1, 3)} ${num(x1 - x0, 3)} ${num(y1 - y0, 3)}" role="img" aria-label="Lobby map with the robot's path and the places">`,
  );
  if (png) {
    parts.push(
      `<image href="data:image/png;base64,${png.toString('base64')}" x="${num(map.origin.xM, 3)}" y="${num(-(map.origin.yM + mapHM), 3)}" width="${num(mapWM, 3)}" height="${num(mapHM, 3)}" preserveAspectRatio="none" style="image-rendering:pixelated"/>`,
    );
  }
  parts.push('<g transform="scale(1 -1)">');
  const thinned = downsampleTrace(trace);
  if (thinned.length > 0) {
    const points = thinned.map((p) => `${num(p.xM, 3)},${num(p.yM, 3)}`).join(' ');
    parts.push(
      `<polyline class="trace" points="${points}" fill="none" stroke="${TRACE_COLOUR}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" stroke-opacity="0.75" vector-effect="non-scaling-stroke"/>`,
    );
    const start = thinned[0] as TraceSample;
    const end = thinned[thinned.length - 1] as TraceSample;
    parts.push(
      `<circle class="trace-start" cx="${num(start.xM, 3)}" cy="${num(start.yM, 3)}" r="${num(markerRM * 0.7, 3)}" fill="#fff" stroke="${TRACE_COLOUR}" stroke-width="2" vector-effect="non-scaling-stroke"/>`,
      `<circle class="trace-end" cx="${num(end.xM, 3)}" cy="${num(end.yM, 3)}" r="${num(markerRM * 0.7, 3)}" fill="${TRACE_COLOUR}"/>`,
    );
  }
  for (const place of places) {
    const { xM, yM, yawRad } = place.pose;
    const colour = PLACE_COLOURS[place.kind] ?? PLACE_COLOURS.other;
    parts.push(
      `<circle class="place" cx="${num(xM, 3)}" cy="${num(yM, 3)}" r="${num(markerRM, 3)}" fill="${colour}" stroke="#fff" stroke-width="1" vector-effect="non-scaling-stroke"/>`,
    );
    if (Number.isFinite(yawRad)) {
      // A heading tick: where the robot faces on arrival matters for counters (it should face the citizen).
      const tipX = xM + Math.cos(yawRad) * markerRM * 2;
      const tipY = yM + Math.sin(yawRad) * markerRM * 2;
      parts.push(
        `<line x1="${num(xM, 3)}" y1="${num(yM, 3)}" x2="${num(tipX, 3)}" y2="${num(tipY, 3)}" stroke="${colour}" stroke-width="2" vector-effect="non-scaling-stroke"/>`,
      );
    }
  }
  parts.push('</g>');
  // Labels stay outside the flip so the text is not mirrored.
  parts.push(
    `<g class="labels" font-size="${num(fontM, 3)}" font-family="system-ui, sans-serif" fill="#212529" stroke="#fff" stroke-width="${num(fontM * 0.25, 3)}" paint-order="stroke" stroke-linejoin="round">`,
  );
  for (const place of places) {
    parts.push(
      `<text x="${num(place.pose.xM + markerRM * 1.4, 3)}" y="${num(-place.pose.yM - markerRM * 1.2, 3)}">${escapeHtml(place.id)}</text>`,
    );
  }
  parts.push('</g></svg>');

  const kinds = [...new Set(places.map((p) => p.kind))];
  const legend = [
    ...(thinned.length > 0 ? [legendItem(TRACE_COLOUR, 'robot path (hollow = start)', 'line')] : []),
    ...kinds.map((k) => legendItem(PLACE_COLOURS[k] ?? PLACE_COLOURS.other, k, 'dot')),
  ].join('');
  const notes: string[] = [];
  if (!png) notes.push(noData('the occupancy map has no cells'));
  if (trace.length === 0) notes.push(noData('no robot trace was recorded'));
  const caption =
    trace.length > 0
      ? `<p class="note">${trace.length} trace samples, ${thinned.length} drawn (thinned by distance: at least ${formatNumber(TRACE_MIN_STEP_M * 100)} cm between drawn points, wider if needed to stay within ${MAX_TRACE_POINTS}). ${png ? `Map ${map.width}×${map.height} cells at ${formatNumber(map.resolutionM)} m.` : ''}</p>`
      : '';
  return `<figure>${parts.join('\n')}<figcaption><div class="legend">${legend}</div>${caption}</figcaption></figure>\n${notes.join('\n')}`;
}

/** Min and max of one coordinate without spreading 100k values into an argument list. */
function minMaxList<T>(items: readonly T[], get: (item: T) => number): number[] {
  if (items.length === 0) return [];
  const { min, max } = minMax(items.map(get));
  return [min, max];
}

function legendItem(colour: string, label: string, shape: 'line' | 'dot'): string {
  const swatch =
    shape === 'line'
      ? `<svg width="18" height="10" aria-hidden="true"><line x1="1" y1="5" x2="17" y2="5" stroke="${colour}" stroke-width="3"/></svg>`
      : `<svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5" fill="${colour}"/></svg>`;
  return `<span class="item">${swatch}${escapeHtml(label)}</span>`;
}

// Chart geometry, in SVG user units; the chart scales with the page, capped at 720 px by CSS.
const CHART_W = 560;
const CHART_H = 300;
const PLOT = { left: 52, right: CHART_W - 16, top: 34, bottom: CHART_H - 46 } as const;

interface Tick {
  readonly at: number;
  readonly label: string;
}

function axes(xTicks: readonly Tick[], yTicks: readonly Tick[], xLabel: string, yLabel: string): string {
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

interface TimedValue {
  readonly tS: number;
  readonly v: number;
}

/**
 * Thins a series to about `maxPoints` by keeping, per bucket, the first, lowest, highest and last
 * sample in time order: the envelope survives, so a queue peak is never averaged away.
 */
function thinSeries(points: readonly TimedValue[], maxPoints: number): TimedValue[] {
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
function stepPoints(points: readonly TimedValue[], endS: number, x: (t: number) => number, y: (v: number) => number): string {
  const out: string[] = [];
  points.forEach((p, i) => {
    const next = points[i + 1];
    out.push(`${num(x(p.tS), 1)},${num(y(p.v), 1)}`);
    const holdUntil = next ? next.tS : endS;
    if (holdUntil > p.tS) out.push(`${num(x(holdUntil), 1)},${num(y(p.v), 1)}`);
  });
  return out.join(' ');
}

function renderSeriesChart(series: readonly QueueSample[]): string {
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
  const served = thinSeries(
    series.map((s) => ({ tS: s.tS, v: s.served })),
    MAX_SERIES_POINTS,
  );
  const legend = [
    { colour: WAITING_COLOUR, label: 'waiting' },
    { colour: SERVED_COLOUR, label: 'served' },
  ]
    .map(
      (item, i) =>
        `<line x1="${PLOT.left + i * 100}" x2="${PLOT.left + i * 100 + 20}" y1="14" y2="14" stroke="${item.colour}" stroke-width="3"/><text x="${PLOT.left + i * 100 + 26}" y="18">${item.label}</text>`,
    )
    .join('');
  const peak = minMax(series.map((s) => s.waiting)).max;
  return `<figure><svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Waiting and served citizens over simulated time">
${axes(xTicks, yTicks, 'simulated time', 'citizens')}
<polyline class="series-waiting" points="${stepPoints(waiting, t1, x, y)}" fill="none" stroke="${WAITING_COLOUR}" stroke-width="2" stroke-linejoin="round"/>
<polyline class="series-served" points="${stepPoints(served, t1, x, y)}" fill="none" stroke="${SERVED_COLOUR}" stroke-width="2" stroke-linejoin="round"/>
${legend}
</svg><figcaption class="note">${series.length} samples. Peak waiting ${formatNumber(peak)}, served at end ${formatNumber(last.served)}.</figcaption></figure>`;
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

function renderHistogram(sorted: readonly number[]): string {
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
  const p50 = percentile(sorted, 0.5);
  const p95 = percentile(sorted, 0.95);
  const marks = [
    { name: 'p50', value: p50, labelY: PLOT.top - 18 },
    { name: 'p95', value: p95, labelY: PLOT.top - 4 },
  ]
    .map((m) => {
      const px = x(m.value);
      const anchor = px > PLOT.right - 60 ? 'end' : 'start';
      const dx = anchor === 'end' ? -4 : 4;
      return `<line class="mark" x1="${num(px)}" x2="${num(px)}" y1="${PLOT.top}" y2="${PLOT.bottom}"/><text class="mark" x="${num(px + dx)}" y="${m.labelY}" text-anchor="${anchor}">${m.name} ${formatNumber(m.value)} s</text>`;
    })
    .join('\n');
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return `<figure><svg class="chart" viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="Histogram of time to counter in seconds">
${axes(xTicks, yTicks, 'time to counter (s)', 'citizens')}
${bars}
${marks}
</svg><figcaption class="note">${sorted.length} citizens, bins of ${formatNumber(bins.widthS)} s. Mean ${formatNumber(mean)} s, p50 ${formatNumber(p50)} s, p95 ${formatNumber(p95)} s, max ${formatNumber(sorted[sorted.length - 1] as number)} s.</figcaption></figure>`;
}

function renderEvents(events: readonly ReportEvent[]): string {
  if (events.length === 0) return noData('no events were recorded');
  const byKind = new Map<string, number>();
  for (const e of events) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  const kinds = [...byKind]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, n]) => `<span class="item"><b>${escapeHtml(kind)}</b> ×${n}</span>`)
    .join(' ');
  const rows = events
    .slice(0, MAX_EVENT_ROWS)
    .map(
      (e) =>
        `<tr><td class="num">${escapeHtml(formatClock(e.tS))}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.detail)}</td></tr>`,
    )
    .join('\n');
  const left = events.length - MAX_EVENT_ROWS;
  const more = left > 0 ? `<p class="warn">Showing the first ${MAX_EVENT_ROWS} of ${events.length} events; ${left} left out.</p>` : '';
  return `<p class="legend">${kinds}</p>
<div class="scroll"><table class="events"><thead><tr><th>time</th><th>kind</th><th>detail</th></tr></thead><tbody>
${rows}
</tbody></table></div>
${more}`;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f8f9fa; color: #212529; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 12px; }
header h1 { font-size: 1.5rem; margin: 8px 0 2px; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 8px; }
section { background: #fff; border: 1px solid #dee2e6; border-radius: 8px; padding: 12px; margin: 12px 0; }
.meta { color: #495057; margin: 0; }
.note { color: #495057; font-size: 0.85rem; margin: 6px 0 0; }
.nodata { color: #868e96; font-style: italic; margin: 6px 0; }
.warn { color: #a61e4d; font-size: 0.9rem; }
figure { margin: 0; }
svg.map { display: block; width: 100%; height: auto; max-height: 80vh; background: #e9ecef; border-radius: 4px; }
svg.chart { display: block; width: 100%; max-width: 720px; height: auto; font: 13px system-ui, sans-serif; fill: #495057; }
svg.chart .grid { stroke: #e9ecef; }
svg.chart .axis, svg.chart .tick { stroke: #868e96; }
svg.chart .label { fill: #212529; }
svg.chart line.mark { stroke: #212529; stroke-dasharray: 4 3; }
svg.chart text.mark { fill: #212529; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 0; font-size: 0.9rem; }
.legend .item { display: inline-flex; align-items: center; gap: 5px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e9ecef; vertical-align: top; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.summary th { font-weight: 500; color: #495057; width: 50%; overflow-wrap: anywhere; }
table.events td:last-child { overflow-wrap: anywhere; }
thead th { background: #f1f3f5; position: sticky; top: 0; }
@media (max-width: 480px) { body { font-size: 14px; } main { padding: 6px; } section { padding: 8px; } }
`;
