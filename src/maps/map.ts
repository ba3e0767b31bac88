import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { Point2D, Pose2D } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import { describeIssues, parseYamlText as parseYaml } from '../validation.js';
import { FIELDS, type Field, type Place, type PlaceKind } from '../ports/robot-base.js';

/** An occupancy grid as ROS map_server would load it, reduced to blocked / free. */
export interface OccupancyMap {
  /** The map YAML path, quoted in messages. */
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly resolutionM: number;
  /** Pose of the lower-left corner of cell (0, 0), as map_server's `origin`. */
  readonly origin: Pose2D;
  /**
   * width*height, row-major, row 0 = lowest y (the image is flipped: its first row is the top).
   * 1 = occupied or unknown, 0 = free: the robot never plans through space it has not seen.
   */
  readonly occupied: Uint8Array;
}

/** Past this the file is a mistake, not a lobby: 20000 cells is 1 km at 5 cm. */
const MAX_SIDE_CELLS = 20_000;

// Strict: map_server ignores unknown keys, so a misspelt `negate` would silently default; here it is an error.
const probability = z.number().min(0).max(1);
const mapYamlSchema = z.strictObject({
  image: z.string().trim().min(1),
  resolution: z.number().positive(),
  origin: z.tuple([z.number(), z.number(), z.number()]),
  // map_server reads negate as an int; YAML booleans are accepted because people write them.
  negate: z.union([z.literal(0), z.literal(1), z.boolean()], {
    error: (issue) => (issue.input === undefined ? undefined : `must be 0 or 1, found ${JSON.stringify(issue.input)}`),
  }),
  occupied_thresh: probability,
  free_thresh: probability,
  mode: z.enum(['trinary', 'scale', 'raw']).optional(),
});

// A record, so a kind added to the port does not compile until it is listed here.
const PLACE_KIND_SET: Record<PlaceKind, true> = {
  home: true,
  entrance: true,
  dock: true,
  counter: true,
  waiting: true,
  reception: true,
  other: true,
};
export const PLACE_KINDS = Object.keys(PLACE_KIND_SET) as readonly PlaceKind[];

const placeSchema = z.strictObject({
  id: z.string().trim().min(1, 'must not be empty'),
  kind: z.enum(PLACE_KINDS as readonly PlaceKind[], {
    error: (issue) =>
      issue.input === undefined ? undefined : `unknown kind ${JSON.stringify(issue.input)} (expected one of ${PLACE_KINDS.join(', ')})`,
  }),
  fields: z
    .array(
      z.enum(FIELDS as readonly Field[], {
        error: (issue) => (issue.input === undefined ? undefined : `unknown field ${JSON.stringify(issue.input)}`),
      }),
    )
    .optional(),
  // zod 4 numbers reject NaN and ±Infinity, which is what "finite" needs.
  x: z.number(),
  y: z.number(),
  theta: z.number(),
});

const placesFileSchema = z.strictObject({
  frame_id: z.literal('map', { error: (issue) => (issue.input === undefined ? undefined : `must be "map", found ${JSON.stringify(issue.input)}`) }),
  places: z.array(placeSchema),
});

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, fail: (reason: string) => never): T {
  const parsed = schema.safeParse(raw, { error: (issue) => (issue.input === undefined ? 'missing' : undefined) });
  if (parsed.success) return parsed.data;
  fail(describeIssues(parsed.error.issues));
}

function parseYamlText(text: string, fail: (reason: string) => never): unknown {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    return fail(`not valid YAML (${((cause as Error).message.split('\n')[0] ?? '').replace(/:$/, '')})`);
  }
  return raw ?? fail('empty file: expected a YAML mapping');
}

interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** Scaled to 0..255, image order (row 0 is the top). */
  readonly pixels: Uint8Array;
}

/** Header tokens of a PGM, with the line each starts on so a bad header points at it. */
class PgmReader {
  offset = 0;
  line = 1;
  constructor(private readonly bytes: Buffer) {}

  /** Skips whitespace and `#` comments, which the header may hold between any two tokens. */
  skipSpace(): void {
    const { bytes } = this;
    while (this.offset < bytes.length) {
      const c = bytes[this.offset] as number;
      if (c === 0x23) {
        while (this.offset < bytes.length && bytes[this.offset] !== 0x0a) this.offset++;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0b || c === 0x0c) {
        if (c === 0x0a) this.line++;
        this.offset++;
      } else {
        return;
      }
    }
  }

  token(): string | undefined {
    this.skipSpace();
    const start = this.offset;
    const { bytes } = this;
    while (this.offset < bytes.length) {
      const c = bytes[this.offset] as number;
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x23) break;
      this.offset++;
    }
    return this.offset > start ? bytes.toString('latin1', start, this.offset) : undefined;
  }
}

function decodePgm(bytes: Buffer, fail: (reason: string) => never): GrayImage {
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47) {
    fail('PNG images are not supported; convert the map to PGM (P5), as map_saver writes it');
  }
  const magic = bytes.toString('latin1', 0, 2);
  const afterMagic = bytes[2];
  const separated = afterMagic === undefined || /[\s#]/.test(String.fromCharCode(afterMagic));
  if ((magic !== 'P5' && magic !== 'P2') || !separated) {
    const found = bytes.toString('latin1', 0, Math.min(8, bytes.length)).split(/[\s#]/)[0] ?? '';
    fail(`not a PGM image: expected magic "P5" or "P2", found ${JSON.stringify(found)}`);
  }
  const reader = new PgmReader(bytes);
  reader.offset = 2;
  const headerNumber = (name: string, max: number): number => {
    const text = reader.token();
    const line = reader.line;
    if (text === undefined) fail(`bad PGM header: line ${line}: ${name} is missing`);
    if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
      fail(`bad PGM header: line ${line}: ${name} ${JSON.stringify(text)} is not an integer in 1..${max}`);
    }
    return Number(text);
  };
  const width = headerNumber('width', MAX_SIDE_CELLS);
  const height = headerNumber('height', MAX_SIDE_CELLS);
  const maxval = headerNumber('maxval', magic === 'P5' ? 255 : 65_535);
  const count = width * height;
  const pixels = new Uint8Array(count);
  const scale = (v: number): number => (maxval === 255 ? v : Math.round((v * 255) / maxval));

  if (magic === 'P5') {
    // Exactly one whitespace byte separates maxval from the raster; the raster may start with any byte.
    const start = reader.offset + 1;
    const available = Math.max(0, bytes.length - start);
    if (reader.offset >= bytes.length || available < count) {
      fail(`truncated pixel data: expected ${count} bytes (${width}x${height}) after the header, found ${available}`);
    }
    for (let i = 0; i < count; i++) pixels[i] = scale(bytes[start + i] as number);
    return { width, height, pixels };
  }

  for (let i = 0; i < count; i++) {
    const text = reader.token();
    if (text === undefined) fail(`truncated pixel data: expected ${count} values (${width}x${height}), found ${i}`);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value > maxval) {
      fail(`line ${reader.line}: pixel value ${JSON.stringify(text)} is not an integer in 0..${maxval}`);
    }
    pixels[i] = scale(value);
  }
  return { width, height, pixels };
}

/**
 * Builds the map from a map_server YAML text; `readImage` gets the image path resolved against
 * the YAML's directory. Throws `map_invalid` naming the file and the key or line at fault.
 */
export function parseMap(yamlPath: string, yamlText: string, readImage: (path: string) => Buffer): OccupancyMap {
  const fail: (reason: string) => never = (reason) => {
    throw new TiepdanError('map_invalid', `${yamlPath}: ${reason}`);
  };
  const spec = parseWith(mapYamlSchema, parseYamlText(yamlText, fail), fail);
  if (spec.free_thresh >= spec.occupied_thresh) {
    fail(`free_thresh (${spec.free_thresh}) must be below occupied_thresh (${spec.occupied_thresh})`);
  }
  const imagePath = isAbsolute(spec.image) ? spec.image : join(dirname(yamlPath), spec.image);
  const imageFail: (reason: string) => never = (reason) => fail(`image ${imagePath}: ${reason}`);
  let bytes: Buffer;
  try {
    bytes = readImage(imagePath);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new TiepdanError('map_invalid', `${yamlPath}: image ${imagePath}: cannot be read (${code ?? (cause as Error).message})`, { cause });
  }
  const image = decodePgm(bytes, imageFail);

  const negate = spec.negate === 1 || spec.negate === true;
  const { width, height } = image;
  const occupied = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const cy = height - 1 - row;
    for (let cx = 0; cx < width; cx++) {
      const v = image.pixels[row * width + cx] as number;
      const p = negate ? v / 255 : (255 - v) / 255;
      // Unknown (between the thresholds) counts as occupied: the robot must not drive where it has not seen.
      occupied[cy * width + cx] = p < spec.free_thresh ? 0 : 1;
    }
  }
  const [xM, yM, yawRad] = spec.origin;
  return { file: yamlPath, width, height, resolutionM: spec.resolution, origin: { xM, yM, yawRad }, occupied };
}

export function loadMap(yamlPath: string): OccupancyMap {
  let text: string;
  try {
    text = readFileSync(yamlPath, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new TiepdanError('map_invalid', `${yamlPath}: cannot be read (${code ?? (cause as Error).message})`, { cause });
  }
  return parseMap(yamlPath, text, (path) => readFileSync(path));
}

/** `x/lobby.yaml` -> `x/lobby.places.yaml`: the places file sits beside its map. */
export function placesPathFor(mapYamlPath: string): string {
  const base = mapYamlPath.replace(/\.ya?ml$/i, '');
  return `${base}.places.yaml`;
}

/** Continuous cell coordinates of a world point (cell (i, j) spans [i, i+1) x [j, j+1)). */
export function worldToGrid(map: OccupancyMap, p: Point2D): { gx: number; gy: number } {
  const dx = p.xM - map.origin.xM;
  const dy = p.yM - map.origin.yM;
  const cos = Math.cos(map.origin.yawRad);
  const sin = Math.sin(map.origin.yawRad);
  return { gx: (cos * dx + sin * dy) / map.resolutionM, gy: (-sin * dx + cos * dy) / map.resolutionM };
}

export function gridToWorld(map: OccupancyMap, gx: number, gy: number): Point2D {
  const lx = gx * map.resolutionM;
  const ly = gy * map.resolutionM;
  const cos = Math.cos(map.origin.yawRad);
  const sin = Math.sin(map.origin.yawRad);
  return { xM: map.origin.xM + cos * lx - sin * ly, yM: map.origin.yM + sin * lx + cos * ly };
}

/** The cell holding `p`; may lie outside the map. */
export function worldToCell(map: OccupancyMap, p: Point2D): { cx: number; cy: number } {
  const { gx, gy } = worldToGrid(map, p);
  return { cx: Math.floor(gx), cy: Math.floor(gy) };
}

/** The centre of cell (cx, cy). */
export function cellToWorld(map: OccupancyMap, cx: number, cy: number): Point2D {
  return gridToWorld(map, cx + 0.5, cy + 0.5);
}

export function inMap(map: OccupancyMap, cx: number, cy: number): boolean {
  return cx >= 0 && cy >= 0 && cx < map.width && cy < map.height;
}

/** False outside the map and in occupied or unknown cells. */
export function isFree(map: OccupancyMap, p: Point2D): boolean {
  const { cx, cy } = worldToCell(map, p);
  return inMap(map, cx, cy) && map.occupied[cy * map.width + cx] === 0;
}

/** What is wrong with one entry of a places file (or, with `index` null, with the file as a whole). */
export interface PlacesProblem {
  /** Index in `places`, or null for the file as a whole (a kind missing). */
  readonly index: number | null;
  /** The place's id when it has one. */
  readonly placeId: string | null;
  /** `places[3].fields: a counter must list...`, as `parsePlaces` words it after the file name. */
  readonly message: string;
}

/**
 * A places file read as far as it can be: its entries must match the schema (or it throws
 * `places_invalid`), and every further problem (duplicate ids, a second home, a counter without
 * fields, a place off the map or on an occupied cell, a required kind missing) is listed in file
 * order; places with a duplicate id are left out, the others are kept even when they have a problem.
 */
export function readPlaces(
  placesPath: string,
  text: string,
  map: OccupancyMap,
): { readonly places: Place[]; readonly indexes: number[]; readonly problems: PlacesProblem[] } {
  const fail: (reason: string) => never = (reason) => {
    throw new TiepdanError('places_invalid', `${placesPath}: ${reason}`);
  };
  const spec = parseWith(placesFileSchema, parseYamlText(text, fail), fail);
  const problems: PlacesProblem[] = [];
  const firstIndexById = new Map<string, number>();
  const firstIndexByKind = new Map<PlaceKind, number>();
  const places: Place[] = [];
  /** Each kept place's index in the file. */
  const indexes: number[] = [];
  spec.places.forEach((raw, index) => {
    const at = `places[${index}]`;
    const problem = (message: string): void => void problems.push({ index, placeId: raw.id, message });
    const previous = firstIndexById.get(raw.id);
    if (previous !== undefined) {
      problem(`${at}.id: duplicate id ${JSON.stringify(raw.id)} (also places[${previous}])`);
      return;
    }
    firstIndexById.set(raw.id, index);
    if (raw.kind === 'home' && firstIndexByKind.has('home')) {
      problem(`${at}.kind: a second home (places[${firstIndexByKind.get('home')}] is home already; exactly one is required)`);
    }
    if (!firstIndexByKind.has(raw.kind)) firstIndexByKind.set(raw.kind, index);
    const fields = raw.fields ?? [];
    if (raw.kind === 'counter' && fields.length === 0) problem(`${at}.fields: a counter must list at least one field it serves`);
    const where = `(${raw.x.toFixed(2)}, ${raw.y.toFixed(2)})`;
    const { cx, cy } = worldToCell(map, { xM: raw.x, yM: raw.y });
    if (!inMap(map, cx, cy)) problem(`${at}: ${where} is outside the map ${map.file}`);
    else if (map.occupied[cy * map.width + cx] !== 0) problem(`${at}: ${where} is in an occupied or unknown cell of ${map.file}`);
    places.push({ id: raw.id, kind: raw.kind, pose: { xM: raw.x, yM: raw.y, yawRad: raw.theta }, fields: [...new Set(fields)] });
    indexes.push(index);
  });
  for (const kind of ['home', 'dock', 'counter'] as const) {
    if (!firstIndexByKind.has(kind)) {
      problems.push({ index: null, placeId: null, message: `places: no place of kind ${kind} (${kind === 'home' ? 'exactly one' : 'at least one'} is required)` });
    }
  }
  return { places, indexes, problems };
}

/**
 * Validates a places file against its map: unique ids, one home, at least one dock and counter,
 * counters with fields, every place on a free cell. Throws `places_invalid` naming the file and
 * the path in it (`places[3].fields[0]`) at the first problem.
 */
export function parsePlaces(placesPath: string, text: string, map: OccupancyMap): Place[] {
  const { places, problems } = readPlaces(placesPath, text, map);
  const first = problems[0];
  if (first !== undefined) throw new TiepdanError('places_invalid', `${placesPath}: ${first.message}`);
  return places;
}

export function loadPlaces(placesPath: string, map: OccupancyMap): Place[] {
  let text: string;
  try {
    text = readFileSync(placesPath, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new TiepdanError('places_invalid', `${placesPath}: cannot be read (${code ?? (cause as Error).message})`, { cause });
  }
  return parsePlaces(placesPath, text, map);
}
