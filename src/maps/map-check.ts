/**
 * `tiepdan map check`: whether a map and its places file will work for the robot. A deployer runs it
 * on the robot's own map; the layout generator runs it on every layout it draws.
 */
import { readFileSync } from 'node:fs';
import type { Catalog } from '../ports/catalog.js';
import type { Point2D } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import type { Field, Place, PlaceKind } from '../ports/robot-base.js';
import { squaredDistanceToObstacles } from './distance-field.js';
import { ROBOT_CLEARANCE_M } from './footprint.js';
import { OCCUPIED_RGBA, mapToPng, type Rgba } from './map-image.js';
import { cellToWorld, inMap, loadMap, placesPathFor, readPlaces, worldToCell, type OccupancyMap } from './map.js';

/**
 * Below this free width (metres, across the passage along the map's x or y axis) a passage is
 * listed as narrow: the robot (0.6 m) and a person (about 0.5 m) cannot pass each other there with
 * room to spare, so the robot waits or someone steps aside. A note, not a problem.
 */
export const NARROW_WIDTH_M = 1.4;

/** A start inside the clearance band may look this far for clear space, as the planner does. */
const ESCAPE_RADIUS_M = 0.5;

/** The robot drives to these places: each must be reachable from home. */
const ROBOT_GOES_TO: ReadonlySet<PlaceKind> = new Set(['home', 'dock', 'counter', 'entrance']);

export interface MapCheckOptions {
  /** How far the robot's centre keeps from every occupied cell; default ROBOT_CLEARANCE_M, the simulator's. */
  readonly clearanceM?: number;
  /** See NARROW_WIDTH_M. */
  readonly narrowWidthM?: number;
  /** When given, every field one of its procedures belongs to must have a counter the robot reaches. */
  readonly catalog?: Catalog;
  /** The fields this centre offers, when not all of the catalog's: only these need a counter. */
  readonly fields?: readonly Field[];
}

export interface MapCheckFinding {
  /** The place it is about, or null for the map, the file or a field. */
  readonly placeId: string | null;
  /** One line: the place (or `map`, `places`, `fields`) and the reason. */
  readonly message: string;
}

export interface NarrowPassage {
  /** The narrowest point of the passage the robot drives through. */
  readonly at: Point2D;
  readonly widthM: number;
  /** Area of the passage the robot's centre can cover, in m². */
  readonly areaM2: number;
}

export type PlaceVerdict = 'ok' | 'problem' | 'note';

export interface MapCheckReport {
  readonly mapFile: string;
  readonly placesFile: string;
  readonly clearanceM: number;
  readonly narrowWidthM: number;
  /** No problems (notes and narrow passages do not count). */
  readonly ok: boolean;
  readonly problems: readonly MapCheckFinding[];
  /** Worth knowing, not wrong: places the robot never drives to that it could not reach, and the like. */
  readonly notes: readonly MapCheckFinding[];
  readonly narrowPassages: readonly NarrowPassage[];
  readonly places: readonly { readonly id: string; readonly kind: PlaceKind; readonly xM: number; readonly yM: number; readonly verdict: PlaceVerdict }[];
  /** Fields of the catalog's procedures that some counter serves (empty without a catalog). */
  readonly fieldsServed: readonly Field[];
}

/** The report, and the cells `checkImage` draws (null when the map itself did not load). */
export interface MapCheck {
  readonly report: MapCheckReport;
  readonly cells: CheckedCells | null;
}

interface CheckedCells {
  readonly map: OccupancyMap;
  /** 1 where the robot's centre can go from home. */
  readonly reachable: Uint8Array;
  /** 1 where the robot's centre must not be: occupied, or closer to an obstacle than the clearance. */
  readonly blocked: Uint8Array;
  readonly narrow: Uint8Array;
}

const fmt = (p: Point2D): string => `(${p.xM.toFixed(2)}, ${p.yM.toFixed(2)})`;

function positiveOption(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new TiepdanError('invalid_argument', `map check: ${name} must be a positive number of metres, got ${value}`);
  return value;
}

/** Cells blocked for the robot's centre: occupied, within the clearance of an occupied cell, or on the map's edge. */
function blockedCells(map: OccupancyMap, distance2: Float64Array, clearanceM: number): Uint8Array {
  const { width, height, occupied } = map;
  const limit = (clearanceM / map.resolutionM) ** 2 + 1e-9;
  const blocked = new Uint8Array(width * height);
  for (let i = 0; i < blocked.length; i++) blocked[i] = occupied[i] === 1 || (distance2[i] as number) <= limit ? 1 : 0;
  // As the planner does: the outermost ring is no place to drive.
  for (let x = 0; x < width; x++) blocked[x] = blocked[(height - 1) * width + x] = 1;
  for (let y = 0; y < height; y++) blocked[y * width] = blocked[y * width + width - 1] = 1;
  return blocked;
}

/** 8-connected flood from `start`, a diagonal step only between two open orthogonal ones, as the planner moves. */
function flood(map: OccupancyMap, blocked: Uint8Array, start: number): Uint8Array {
  const { width } = map;
  const reached = new Uint8Array(blocked.length);
  const queue = new Int32Array(blocked.length);
  let head = 0;
  let tail = 0;
  reached[start] = 1;
  queue[tail++] = start;
  const visit = (next: number): void => {
    if (blocked[next] === 0 && reached[next] === 0) {
      reached[next] = 1;
      queue[tail++] = next;
    }
  };
  while (head < tail) {
    const cell = queue[head++] as number;
    // The blocked edge ring keeps every neighbour inside the grid.
    const east = blocked[cell + 1] === 0;
    const west = blocked[cell - 1] === 0;
    const north = blocked[cell + width] === 0;
    const south = blocked[cell - width] === 0;
    visit(cell + 1);
    visit(cell - 1);
    visit(cell + width);
    visit(cell - width);
    if (east && north) visit(cell + 1 + width);
    if (west && north) visit(cell - 1 + width);
    if (east && south) visit(cell + 1 - width);
    if (west && south) visit(cell - 1 - width);
  }
  return reached;
}

/** The clear cell nearest to `cell` within ESCAPE_RADIUS_M, or -1. */
function nearestClear(map: OccupancyMap, blocked: Uint8Array, cell: number): number {
  const { width, height, resolutionM } = map;
  const reach = Math.ceil(ESCAPE_RADIUS_M / resolutionM);
  const cx = cell % width;
  const cy = (cell - cx) / width;
  let best = -1;
  let bestDistance2 = Infinity;
  for (let y = Math.max(0, cy - reach); y <= Math.min(height - 1, cy + reach); y++) {
    for (let x = Math.max(0, cx - reach); x <= Math.min(width - 1, cx + reach); x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      if (blocked[y * width + x] === 0 && d2 <= reach * reach && d2 < bestDistance2) {
        best = y * width + x;
        bestDistance2 = d2;
      }
    }
  }
  return best;
}

/**
 * Free width at each cell: the shorter of the free runs through it along x and along y, in cells.
 * Diagonal runs are left out on purpose: across any room corner they are short and would flag every corner.
 */
function freeWidthCells(map: OccupancyMap): Uint16Array {
  const { width, height, occupied } = map;
  const out = new Uint16Array(width * height).fill(0xffff);
  const runs = (count: number, length: number, index: (line: number, k: number) => number): void => {
    for (let line = 0; line < count; line++) {
      let k = 0;
      while (k < length) {
        if (occupied[index(line, k)] !== 0) {
          k++;
          continue;
        }
        const start = k;
        while (k < length && occupied[index(line, k)] === 0) k++;
        const run = Math.min(0xffff, k - start);
        for (let j = start; j < k; j++) {
          const i = index(line, j);
          if (run < (out[i] as number)) out[i] = run;
        }
      }
    }
  };
  runs(height, width, (y, x) => y * width + x);
  runs(width, height, (x, y) => y * width + x);
  return out;
}

/** Narrow cells the robot reaches, grouped (8-connected) into passages, narrowest first. */
function narrowPassages(map: OccupancyMap, reachable: Uint8Array, narrowWidthM: number): { passages: NarrowPassage[]; narrow: Uint8Array } {
  const { width, height, resolutionM } = map;
  const widths = freeWidthCells(map);
  const limitCells = narrowWidthM / resolutionM - 1e-9;
  const narrow = new Uint8Array(width * height);
  for (let i = 0; i < narrow.length; i++) if (reachable[i] === 1 && (widths[i] as number) < limitCells) narrow[i] = 1;
  const seen = new Uint8Array(width * height);
  const passages: NarrowPassage[] = [];
  const stack: number[] = [];
  for (let i = 0; i < narrow.length; i++) {
    if (narrow[i] !== 1 || seen[i] === 1) continue;
    let cells = 0;
    let narrowest = i;
    seen[i] = 1;
    stack.push(i);
    while (stack.length > 0) {
      const cell = stack.pop() as number;
      cells++;
      if ((widths[cell] as number) < (widths[narrowest] as number) || ((widths[cell] as number) === (widths[narrowest] as number) && cell < narrowest)) narrowest = cell;
      const cx = cell % width;
      const cy = (cell - cx) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const next = ny * width + nx;
          if (narrow[next] === 1 && seen[next] === 0) {
            seen[next] = 1;
            stack.push(next);
          }
        }
      }
    }
    const nx = narrowest % width;
    const centre = cellToWorld(map, nx, (narrowest - nx) / width);
    passages.push({
      at: { xM: Math.round(centre.xM * 100) / 100, yM: Math.round(centre.yM * 100) / 100 },
      widthM: Math.round((widths[narrowest] as number) * resolutionM * 100) / 100,
      areaM2: Math.round(cells * resolutionM * resolutionM * 100) / 100,
    });
  }
  passages.sort((a, b) => a.widthM - b.widthM || a.at.yM - b.at.yM || a.at.xM - b.at.xM);
  return { passages, narrow };
}

function failedToLoad(mapFile: string, placesFile: string, clearanceM: number, narrowWidthM: number, message: string, map: OccupancyMap | null): MapCheck {
  const report: MapCheckReport = {
    mapFile,
    placesFile,
    clearanceM,
    narrowWidthM,
    ok: false,
    problems: [{ placeId: null, message }],
    notes: [],
    narrowPassages: [],
    places: [],
    fieldsServed: [],
  };
  // Nothing was checked on the map: it is drawn plain, free floor white.
  const free = (map: OccupancyMap): Uint8Array => Uint8Array.from(map.occupied, (o) => (o === 0 ? 1 : 0));
  return { report, cells: map === null ? null : { map, reachable: free(map), blocked: map.occupied, narrow: new Uint8Array(map.width * map.height) } };
}

/** Checks a loaded map against the text of its places file (which `placesFile` names in messages). */
export function checkMap(map: OccupancyMap, placesFile: string, placesText: string, options: MapCheckOptions = {}): MapCheck {
  const clearanceM = positiveOption('clearanceM', options.clearanceM, ROBOT_CLEARANCE_M);
  const narrowWidthM = positiveOption('narrowWidthM', options.narrowWidthM, NARROW_WIDTH_M);
  let read: ReturnType<typeof readPlaces>;
  try {
    read = readPlaces(placesFile, placesText, map);
  } catch (error) {
    if (error instanceof TiepdanError) return failedToLoad(map.file, placesFile, clearanceM, narrowWidthM, error.message, map);
    throw error;
  }
  const problems: MapCheckFinding[] = [];
  const notes: MapCheckFinding[] = [];
  const verdicts = new Map<string, PlaceVerdict>(read.places.map((p) => [p.id, 'ok']));
  const flag = (place: Place | null, message: string, serious: boolean): void => {
    (serious ? problems : notes).push({ placeId: place?.id ?? null, message: place === null ? message : `${place.id}: ${message}` });
    if (place !== null && verdicts.get(place.id) !== 'problem') verdicts.set(place.id, serious ? 'problem' : 'note');
  };
  for (const problem of read.problems) {
    const kept = problem.index === null ? -1 : read.indexes.indexOf(problem.index);
    const place = kept >= 0 ? (read.places[kept] as Place) : null;
    // A place left out (a duplicate id) is still named by its message.
    if (place === null && problem.placeId !== null) problems.push({ placeId: problem.placeId, message: `${problem.placeId}: ${problem.message}` });
    else flag(place, problem.message, true);
  }

  const distance2 = squaredDistanceToObstacles(map);
  const blocked = blockedCells(map, distance2, clearanceM);
  const cellOf = (p: Place): number | null => {
    const { cx, cy } = worldToCell(map, p.pose);
    return inMap(map, cx, cy) ? cy * map.width + cx : null;
  };
  const home = read.places.find((p) => p.kind === 'home');
  const homeCell = home === undefined ? null : cellOf(home);
  let reachable: Uint8Array = new Uint8Array(map.width * map.height);
  // Without a home the robot can start from (missing, in a wall, boxed in), reachability is not judged: that one problem is said already.
  let flooded = false;
  if (home !== undefined && homeCell !== null && map.occupied[homeCell] === 0) {
    const start = blocked[homeCell] === 0 ? homeCell : nearestClear(map, blocked, homeCell);
    if (start >= 0) {
      reachable = flood(map, blocked, start);
      flooded = true;
    }
  }

  const clearance = clearanceM.toFixed(2);
  for (const place of read.places) {
    const cell = cellOf(place);
    // Off the map or on an occupied cell: readPlaces said so already.
    if (cell === null || map.occupied[cell] !== 0) continue;
    const serious = ROBOT_GOES_TO.has(place.kind);
    if (blocked[cell] === 1) {
      // From the place's cell centre to the near edge of the nearest occupied cell.
      const awayM = Math.max(0, (Math.sqrt(distance2[cell] as number) - 0.5) * map.resolutionM);
      const why = place.kind === 'home' || place.kind === 'dock' || place.kind === 'counter' ? 'the robot cannot stop there' : 'the planner refuses it as a goal';
      flag(place, `${fmt(place.pose)} is about ${awayM.toFixed(2)} m from the nearest wall or obstacle, closer than the robot's clearance of ${clearance} m: ${why}`, serious);
      continue;
    }
    if (home === undefined || place === home || !flooded) continue;
    if (reachable[cell] !== 1) {
      const homeAt = fmt(home.pose);
      flag(
        place,
        `${fmt(place.pose)} cannot be reached from home ${homeAt}: walls, or gaps narrower than the robot needs (${(2 * clearanceM).toFixed(2)} m and a little), cut it off`,
        serious,
      );
    }
  }

  const fieldsServed: Field[] = [];
  if (options.catalog !== undefined) {
    const byField = new Map<Field, string[]>();
    for (const procedure of options.catalog.procedures()) {
      if (options.fields === undefined || options.fields.includes(procedure.field)) byField.set(procedure.field, [...(byField.get(procedure.field) ?? []), procedure.id]);
    }
    for (const [field, procedures] of [...byField].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const counters = read.places.filter((p) => p.kind === 'counter' && p.fields.includes(field));
      const working = counters.filter((p) => verdicts.get(p.id) === 'ok');
      if (working.length > 0) fieldsServed.push(field);
      else if (counters.length === 0) flag(null, `fields: no counter serves the field "${field}" (${procedures.join(', ')})`, true);
      else flag(null, `fields: the field "${field}" is served only by ${counters.map((p) => p.id).join(', ')}, which the robot cannot reach`, true);
    }
  }

  const { passages, narrow } = narrowPassages(map, reachable, narrowWidthM);
  const report: MapCheckReport = {
    mapFile: map.file,
    placesFile,
    clearanceM,
    narrowWidthM,
    ok: problems.length === 0,
    problems,
    notes,
    narrowPassages: passages,
    places: read.places.map((p) => ({ id: p.id, kind: p.kind, xM: p.pose.xM, yM: p.pose.yM, verdict: verdicts.get(p.id) ?? 'ok' })),
    fieldsServed,
  };
  return { report, cells: { map, reachable, blocked, narrow } };
}

/** Loads a map YAML and its places file (default: beside it) and checks them; a file that does not load is a problem, not a throw. */
export function checkMapFiles(mapFile: string, options: MapCheckOptions & { readonly placesFile?: string } = {}): MapCheck {
  const placesFile = options.placesFile ?? placesPathFor(mapFile);
  const clearanceM = positiveOption('clearanceM', options.clearanceM, ROBOT_CLEARANCE_M);
  const narrowWidthM = positiveOption('narrowWidthM', options.narrowWidthM, NARROW_WIDTH_M);
  let map: OccupancyMap;
  try {
    map = loadMap(mapFile);
  } catch (error) {
    if (error instanceof TiepdanError) return failedToLoad(mapFile, placesFile, clearanceM, narrowWidthM, error.message, null);
    throw error;
  }
  let text: string;
  try {
    text = readFileSync(placesFile, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return failedToLoad(mapFile, placesFile, clearanceM, narrowWidthM, `tiepdan places_invalid: ${placesFile}: cannot be read (${code ?? (cause as Error).message})`, map);
  }
  return checkMap(map, placesFile, text, options);
}

/** Light grey: free, but the robot's centre keeps out (closer to an obstacle than its clearance). */
const BAND_RGBA: Rgba = [0xd9, 0xd9, 0xd9, 0xff];
/** Pink: clear space the robot cannot reach from home. */
const CUT_OFF_RGBA: Rgba = [0xf4, 0xb6, 0xc2, 0xff];
/** Orange: narrow passages the robot drives through. */
const NARROW_RGBA: Rgba = [0xf5, 0x9e, 0x0b, 0xff];
const PLACE_RGBA: Record<PlaceVerdict, Rgba> = { ok: [0x1a, 0x96, 0x41, 0xff], note: [0xe6, 0xb4, 0x00, 0xff], problem: [0xd7, 0x19, 0x1c, 0xff] };
/** Radius of a place's disc; a problem gets a ring around it too, so it shows on any background. */
const PLACE_RADIUS_M = 0.25;
const RING_RADIUS_M = 0.6;

/** What the legend of the picture says, for the CLI's help and output. */
export const CHECK_IMAGE_LEGEND =
  'white: where the robot goes; light grey: too close to an obstacle for the robot; pink: clear but cut off from home; orange: narrow passages; places: green ok, amber note, red problem (ringed)';

/** The map as a PNG with what the check found drawn on it (see CHECK_IMAGE_LEGEND). */
export function checkImage(check: MapCheck): Buffer {
  if (check.cells === null) throw new TiepdanError('map_invalid', `${check.report.mapFile}: the map did not load, so there is nothing to draw`);
  const { map, reachable, blocked, narrow } = check.cells;
  const marks = new Map<number, Rgba>();
  const disc = (centre: Point2D, radiusM: number, rgba: Rgba, ringOnly: boolean): void => {
    const { cx, cy } = worldToCell(map, centre);
    const r = Math.ceil(radiusM / map.resolutionM);
    const inner = (radiusM / map.resolutionM - 1.5) ** 2;
    for (let y = cy - r; y <= cy + r; y++) {
      for (let x = cx - r; x <= cx + r; x++) {
        const d2 = (x - cx) ** 2 + (y - cy) ** 2;
        if (!inMap(map, x, y) || d2 > r * r || (ringOnly && d2 < inner)) continue;
        marks.set(y * map.width + x, rgba);
      }
    }
  };
  for (const place of check.report.places) {
    const at = { xM: place.xM, yM: place.yM };
    if (place.verdict === 'problem') disc(at, RING_RADIUS_M, PLACE_RGBA.problem, true);
    disc(at, PLACE_RADIUS_M, PLACE_RGBA[place.verdict], false);
  }
  return mapToPng(map, (cell) => {
    const mark = marks.get(cell);
    if (mark !== undefined) return mark;
    if (map.occupied[cell] !== 0) return OCCUPIED_RGBA;
    if (narrow[cell] === 1) return NARROW_RGBA;
    if (reachable[cell] === 1) return undefined;
    return blocked[cell] === 1 ? BAND_RGBA : CUT_OFF_RGBA;
  });
}
