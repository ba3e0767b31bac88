import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { Place } from '../../src/ports/robot-base.js';
import {
  MAX_EVENT_ROWS,
  MAX_TRACE_POINTS,
  downsampleTrace,
  escapeHtml,
  renderHtmlReport,
  writeHtmlReport,
  type ReportInput,
  type ReportMap,
} from '../../sim/report-html.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const HOSTILE = '<script>alert("x")</script>';

/** 100 x 60 cells at 5 cm (5 m x 3 m) with a one-cell wall border and a pillar near the lower left. */
function lobbyMap(): ReportMap {
  const width = 100;
  const height = 60;
  const occupied = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const border = row === 0 || col === 0 || row === height - 1 || col === width - 1;
      const pillar = row >= 10 && row < 15 && col >= 10 && col < 15;
      if (border || pillar) occupied[row * width + col] = 1;
    }
  }
  return { width, height, resolutionM: 0.05, origin: { xM: -1, yM: -0.5 }, occupied };
}

function place(id: string, kind: Place['kind'], xM: number, yM: number): Place {
  return { id, kind, pose: { xM, yM, yawRad: Math.PI / 2 }, fields: [] };
}

function emptyInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    title: 'empty',
    seed: 1,
    summary: {},
    figures: { simSeconds: 0, escortsSucceeded: 0, p95TimeToCounterS: 0 },
    map: lobbyMap(),
    places: [],
    trace: [],
    series: [],
    timeToCounterS: [],
    events: [],
    ...overrides,
  };
}

function tracePointCount(html: string): number {
  const match = /<polyline class="trace" points="([^"]*)"/.exec(html);
  if (!match?.[1]) return 0;
  return match[1].split(' ').length;
}

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
    expect(escapeHtml('Phường Bến Nghé 동')).toBe('Phường Bến Nghé 동');
  });
});

describe('renderHtmlReport', () => {
  it('escapes hostile strings in the title, summary, place ids and events', () => {
    const html = renderHtmlReport(
      emptyInput({
        title: HOSTILE,
        summary: { [HOSTILE]: HOSTILE },
        places: [place(HOSTILE, 'counter', 1, 1)],
        events: [{ tS: 1, kind: HOSTILE, detail: `${HOSTILE} & "quotes"` }],
      }),
    );
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&amp; &quot;quotes&quot;');
  });

  it('is self-contained: no external URLs and the map embedded as a PNG data URI', () => {
    const html = renderHtmlReport(emptyInput({ places: [place('home', 'home', 0, 0)] }));
    expect(html).toContain('href="data:image/png;base64,');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('renders empty inputs with "no data" notes and no NaN', () => {
    const html = renderHtmlReport(emptyInput());
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('Infinity');
    expect(html).toContain('No data: no robot trace was recorded');
    expect(html).toContain('No data: no queue samples were recorded');
    expect(html).toContain('No data: no citizen was escorted to a counter');
    expect(html).toContain('No data: no events were recorded');
  });

  it('renders a map without cells and nothing else to draw', () => {
    const map: ReportMap = { width: 0, height: 0, resolutionM: 0.05, origin: { xM: 0, yM: 0 }, occupied: new Uint8Array(0) };
    const html = renderHtmlReport(emptyInput({ map }));
    expect(html).not.toContain('NaN');
    expect(html).toContain('No data: the map is empty');
  });

  it('renders degenerate inputs without NaN: one sample, one citizen, identical times, one-point trace', () => {
    for (const input of [
      emptyInput({ series: [{ tS: 0, waiting: 0, served: 0 }], timeToCounterS: [42], trace: [{ tS: 0, xM: 1, yM: 1 }] }),
      emptyInput({ series: [{ tS: 5, waiting: 3, served: 1 }], timeToCounterS: [0, 0, 0] }),
      emptyInput({ timeToCounterS: [30, 30, 30, 30], places: [place('dock', 'dock', 1, 1)] }),
    ]) {
      const html = renderHtmlReport(input);
      expect(html).not.toContain('NaN');
      expect(html).not.toContain('Infinity');
    }
  });

  it('skips non-finite samples and says so, instead of writing NaN into the SVG', () => {
    const html = renderHtmlReport(
      emptyInput({
        trace: [
          { tS: 0, xM: 0, yM: 0 },
          { tS: 1, xM: Number.NaN, yM: 0 },
          { tS: 2, xM: 1, yM: 1 },
        ],
        series: [{ tS: Number.POSITIVE_INFINITY, waiting: 1, served: 0 }],
        timeToCounterS: [Number.NaN, 20],
        summary: { meanWaitS: Number.NaN },
      }),
    );
    expect(html).not.toContain('NaN');
    expect(html).toContain('Skipped 1 trace samples with non-finite values');
    expect(tracePointCount(html)).toBe(2);
  });

  // 20 laps: ~130 m of path, so 5 cm spacing alone fits; 2000 laps: ~6 cm per sample, so the step must widen.
  it.each([20, 2000])('downsamples a 200k-point trace of %i laps to at most 5000 points, keeping both ends', (laps) => {
    const trace = Array.from({ length: 200_000 }, (_, i) => {
      const a = (i / 200_000) * Math.PI * 2 * laps;
      return { tS: i * 0.05, xM: 1.5 + 1.2 * Math.cos(a) + 0.1 * Math.sin(7 * a), yM: 1 + 0.8 * Math.sin(a) };
    });
    const html = renderHtmlReport(emptyInput({ trace }));
    const count = tracePointCount(html);
    expect(count).toBeLessThanOrEqual(MAX_TRACE_POINTS);
    // Thinning by distance, not collapsing the path to a handful of points.
    expect(count).toBeGreaterThan(laps === 20 ? 2000 : 3000);
    const thinned = downsampleTrace(trace);
    expect(thinned[0]).toBe(trace[0]);
    expect(thinned[thinned.length - 1]).toBe(trace[trace.length - 1]);
  });

  it('drops samples of a robot standing still but keeps the corners of its path', () => {
    const still = Array.from({ length: 1000 }, () => ({ xM: 0, yM: 0 }));
    const leg = (fromX: number, fromY: number, dx: number, dy: number): { xM: number; yM: number }[] =>
      Array.from({ length: 100 }, (_, i) => ({ xM: fromX + (dx * i) / 100, yM: fromY + (dy * i) / 100 }));
    const path = [...still, ...leg(0, 0, 2, 0), ...leg(2, 0, 0, 2), { xM: 2, yM: 2 }];
    const thinned = downsampleTrace(path);
    expect(thinned.length).toBeLessThan(120);
    expect(thinned.some((p) => Math.abs(p.xM - 2) < 0.05 && Math.abs(p.yM) < 0.05)).toBe(true);
  });

  it(`shows the first ${MAX_EVENT_ROWS} events and says how many were left out`, () => {
    const events = Array.from({ length: 620 }, (_, i) => ({ tS: i, kind: i % 2 ? 'fault' : 'arrived', detail: `event ${i}` }));
    const html = renderHtmlReport(emptyInput({ events }));
    expect(html.match(/<tr><td class="num">/g)?.length).toBe(MAX_EVENT_ROWS);
    expect(html).toContain('event 499<');
    expect(html).not.toContain('event 500<');
    expect(html).toContain('120 left out');
  });

  it('draws the queue chart and the histogram with p50 and p95 marked', () => {
    const html = renderHtmlReport(
      emptyInput({
        series: Array.from({ length: 5000 }, (_, i) => ({ tS: i * 2, waiting: (i * 7) % 13, served: Math.floor(i / 50) })),
        timeToCounterS: Array.from({ length: 200 }, (_, i) => 40 + ((i * 31) % 97)),
        figures: { simSeconds: 10_000, escortsSucceeded: 200, p95TimeToCounterS: 132 },
      }),
    );
    expect(html).toContain('class="series-waiting"');
    expect(html).toContain('class="series-served"');
    expect(html).toMatch(/>p50 [\d.]+ s</);
    expect(html).toContain('>p95 132 s<');
    expect(html).toContain('time to counter (s)');
    expect(html).toContain('>2h<');
    expect(html).not.toContain('NaN');
  });
});

describe('the map in the report', () => {
  it('writes no map.png for a map without cells', () => {
    const root = mkdtempSync(join(tmpdir(), 'tiepdan-report-'));
    try {
      const map: ReportMap = { width: 0, height: 0, resolutionM: 0.05, origin: { xM: 0, yM: 0 }, occupied: new Uint8Array(0) };
      writeHtmlReport(root, emptyInput({ map, places: [place('home', 'home', 0, 0)] }));
      expect(existsSync(join(root, 'map.png'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('EXPECTED FAILURE - rejects a cell array that does not match the size', () => {
    const bad = { ...lobbyMap(), occupied: new Uint8Array(10) };
    expect(() => renderHtmlReport(emptyInput({ map: bad }))).toThrow(expect.objectContaining({ code: 'report_invalid' }));
  });
});

describe('writeHtmlReport', () => {
  it('writes index.html and map.png into a new directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'tiepdan-report-'));
    try {
      const dir = join(root, 'nested', 'run-1');
      const indexPath = writeHtmlReport(dir, emptyInput({ places: [place('counter-1', 'counter', 2, 2)] }));
      expect(indexPath).toBe(join(dir, 'index.html'));
      expect(readFileSync(indexPath, 'utf8')).toContain('counter-1');
      expect(existsSync(join(dir, 'map.png'))).toBe(true);
      const png = readFileSync(join(dir, 'map.png'));
      expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(PNG.sync.read(png).width).toBe(100);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
