import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mapToPng } from '../src/maps/map-image.js';
import { projectPath } from '../src/paths.js';
import { TiepdanError } from '../src/ports/errors.js';
import type { Place } from '../src/ports/robot-base.js';
import { renderHistogram, renderSeriesChart } from './report/charts.js';
import { escapeHtml, formatClock, formatNumber, formatSimTime, noData } from './report/format.js';
import { renderMapSection } from './report/map-view.js';
import type { QueueSample, ReportEvent, ReportInput, ReportMap, TraceSample } from './report/types.js';

/**
 * The simulator's HTML report: one self-contained page (map as a PNG data URI, charts as inline SVG,
 * no scripts, no external resources) that can be mailed or attached to an issue as is.
 * Rendering is pure and deterministic (no clock, no randomness) so two runs with one seed diff cleanly.
 */

export { escapeHtml } from './report/format.js';
export { downsampleTrace, MAX_TRACE_POINTS, TRACE_MIN_STEP_M } from './report/map-view.js';
export type { QueueSample, ReportEvent, ReportFigures, ReportInput, ReportMap, TraceSample } from './report/types.js';

export const MAX_EVENT_ROWS = 500;

/** Read once, on the first report: a data file beside the code, found the same from src/ and dist/. */
let css: string | null = null;
function reportCss(): string {
  css ??= readFileSync(projectPath('sim', 'report', 'report.css'), 'utf8');
  return css;
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

/** The map image as the console shows it, or null for a map without cells (a report still has places and a path). */
function mapPng(map: ReportMap): Buffer | null {
  validateMap(map);
  return map.width === 0 || map.height === 0 ? null : mapToPng(map);
}

/**
 * Writes `dir/index.html` and `dir/map.png` (the latter only when the map has cells), creating `dir`.
 * Returns the path of index.html.
 */
export function writeHtmlReport(dir: string, input: ReportInput): string {
  mkdirSync(dir, { recursive: true });
  const png = mapPng(input.map);
  if (png) writeFileSync(join(dir, 'map.png'), png);
  const indexPath = join(dir, 'index.html');
  writeFileSync(indexPath, render(input, png), 'utf8');
  return indexPath;
}

export function renderHtmlReport(input: ReportInput): string {
  return render(input, mapPng(input.map));
}

const isFiniteNumber = (v: number): boolean => Number.isFinite(v);

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
  const { simSeconds, escortsSucceeded, p95TimeToCounterS } = input.figures;
  const meta = [
    `seed ${escapeHtml(formatNumber(input.seed))}`,
    ...(Number.isFinite(simSeconds) ? [`simulated ${formatSimTime(simSeconds)}`] : []),
    `${formatNumber(escortsSucceeded)} citizen${escortsSucceeded === 1 ? '' : 's'} escorted to the right counter`,
  ].join(' · ');
  const title = escapeHtml(input.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>${title} · tiepdan simulation</title>
<style>
${reportCss()}</style>
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
${renderHistogram(data.timesS, p95TimeToCounterS)}
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
