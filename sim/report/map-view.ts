import type { Point2D } from '../../src/ports/common.js';
import { TiepdanError } from '../../src/ports/errors.js';
import type { Place, PlaceKind } from '../../src/ports/robot-base.js';
import { escapeHtml, formatNumber, noData } from './format.js';
import { legendItem, minMax, num } from './svg.js';
import type { ReportMap, TraceSample } from './types.js';

/** The report's map: the occupancy image with the robot's path and the places drawn over it, in metres. */

/** A browser draws a 5000-vertex polyline instantly; 100k makes the page sluggish on a phone. */
export const MAX_TRACE_POINTS = 5000;
/** Below the robot's footprint tolerance, so thinning at this spacing changes nothing visible. */
export const TRACE_MIN_STEP_M = 0.05;

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

/** `places` and `trace` finite; `png` null when the map has no cells. */
export function renderMapSection(map: ReportMap, png: Buffer | null, places: readonly Place[], trace: readonly TraceSample[]): string {
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
