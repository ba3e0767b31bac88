import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLayout, writeLayout, type GeneratedLayout } from '../../sim/layouts/generate.js';
import { drawLHall, L_HALL } from '../../sim/layouts/l-hall.js';
import { createPlanner } from '../../sim/planner.js';
import { INFLATION_RADIUS_M } from '../../sim/runner.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { checkMapFiles } from '../../src/maps/map-check.js';
import { isFree, loadMap, loadPlaces, placesPathFor } from '../../src/maps/map.js';
import { projectPath } from '../../src/paths.js';
import { FIELDS } from '../../src/ports/robot-base.js';

const catalog = loadCatalog();
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-layouts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);
const layouts = new Map<number, GeneratedLayout>();
beforeAll(() => {
  for (const seed of SEEDS) layouts.set(seed, generateLayout(seed, { catalog }));
});

describe('the layout generator', () => {
  it('draws the same bytes from the same seed, and another layout from another', () => {
    const again = generateLayout(7, { catalog });
    const first = layouts.get(7)!;
    expect(again.drawn.pgm.equals(first.drawn.pgm)).toBe(true);
    expect(again.drawn.yaml).toBe(first.drawn.yaml);
    expect(again.drawn.places).toBe(first.drawn.places);
    expect(again.description).toEqual(first.description);
    expect(layouts.get(8)!.drawn.pgm.equals(first.drawn.pgm)).toBe(false);
  });

  it('draws, over 30 seeds, open, L- and U-shaped halls, partitions, counter islands, pillars, seats and second rooms', () => {
    const all = SEEDS.map((seed) => layouts.get(seed)!.description);
    expect(new Set(all.map((d) => d.shape))).toEqual(new Set(['open', 'L', 'U']));
    expect(new Set(all.map((d) => d.secondRoom))).toEqual(new Set(['none', 'door', 'corridor']));
    expect(all.some((d) => d.partition === 'wall')).toBe(true);
    expect(all.some((d) => d.partition === 'counters')).toBe(true);
    expect(all.some((d) => d.pillars > 0)).toBe(true);
    expect(all.some((d) => d.seatRows > 0)).toBe(true);
    expect(all.some((d) => d.countersInSecondRoom > 0)).toBe(true);
    expect(all.some((d) => d.counterWalls >= 3)).toBe(true);
    // Narrow doors: some second room is reached through less than 1.3 m.
    expect(all.some((d) => d.secondRoomPassageM !== null && d.secondRoomPassageM < 1.3)).toBe(true);
    expect(new Set(all.map((d) => `${d.widthM}x${d.heightM}`)).size).toBeGreaterThan(20);
  });

  it('writes layouts that pass map check from their files, every field with a counter the planner reaches from home', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const layout = layouts.get(seed)!;
      const mapPath = writeLayout(dir, layout);
      expect(mapPath).toBe(join(dir, `layout-${seed}.yaml`));
      const { report } = checkMapFiles(mapPath, { catalog });
      expect(report.problems, `layout-${seed}`).toEqual([]);
      expect([...report.fieldsServed].sort(), `layout-${seed}`).toEqual([...FIELDS].sort());

      // map check's reachability agrees with the simulator's own planner.
      const map = loadMap(mapPath);
      const places = loadPlaces(placesPathFor(mapPath), map);
      const planner = createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M });
      const home = places.find((p) => p.kind === 'home')!;
      for (const place of places.filter((p) => p.kind === 'counter' || p.kind === 'dock' || p.kind === 'entrance')) {
        const plan = planner.plan(home.pose, place.pose);
        expect(plan.ok, `layout-${seed} ${place.id}: ${plan.ok ? '' : plan.detail}`).toBe(true);
      }
      expect(layout.description.counters).toBe(places.filter((p) => p.kind === 'counter').length);
    }
  });

  it('EXPECTED FAILURE - refuses a seed that is not a whole number in range', () => {
    expect(() => generateLayout(-1, { catalog })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => generateLayout(1.5, { catalog })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('the L-shaped hall', () => {
  const yaml = projectPath('sim', 'maps', 'l-hall.yaml');

  it('is 26 m x 18 m, its north-east corner outside the building', () => {
    const map = loadMap(yaml);
    expect([map.width * map.resolutionM, map.height * map.resolutionM]).toEqual([26, 18]);
    expect(isFree(map, { xM: 20, yM: 14 })).toBe(false);
    expect(isFree(map, { xM: 6, yM: 11 })).toBe(true); // west wing
    expect(isFree(map, { xM: 22, yM: 5 })).toBe(true); // south wing, east end
    expect(drawLHall().yaml).toBe(readFileSync(yaml, 'utf8'));
  });

  it('has two rows of counters along two walls with the partition wall between them, and its waiting area far from the entrance', () => {
    const map = loadMap(yaml);
    const places = loadPlaces(placesPathFor(yaml), map);
    const counters = places.filter((p) => p.kind === 'counter');
    const [partition] = L_HALL.walls;
    const south = counters.filter((c) => c.pose.yM < partition!.y0);
    const north = counters.filter((c) => c.pose.yM > partition!.y1);
    expect(south.length + north.length).toBe(counters.length);
    expect(south.length).toBeGreaterThanOrEqual(4);
    expect(north.length).toBeGreaterThanOrEqual(4);
    // Each row sits in front of a desk against a wall: the cells behind the stop are desk, then never seen.
    for (const c of south) expect(isFree(map, { xM: c.pose.xM, yM: 1 })).toBe(false);
    for (const c of north) expect(isFree(map, { xM: c.pose.xM, yM: 9 })).toBe(false);
    const entrance = places.find((p) => p.kind === 'entrance')!;
    const waiting = places.find((p) => p.kind === 'waiting')!;
    expect(Math.hypot(entrance.pose.xM - waiting.pose.xM, entrance.pose.yM - waiting.pose.yM)).toBeGreaterThan(15);
    expect(checkMapFiles(yaml, { catalog }).report.ok).toBe(true);
  });
});
