import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TiepdanError } from '../../src/ports/errors.js';
import { FIELDS } from '../../src/ports/robot-base.js';
import {
  cellToWorld,
  isFree,
  loadMap,
  loadPlaces,
  parseMap,
  parsePlaces,
  placesPathFor,
  worldToCell,
  type OccupancyMap,
} from '../../src/maps/map.js';
import { drawTestRoom, drawWardLobby } from '../../sim/maps/make-ward-lobby.js';
import { drawLHall } from '../../sim/layouts/l-hall.js';

const MAPS_DIR = fileURLToPath(new URL('../../sim/maps/', import.meta.url));
const LOBBY_YAML = join(MAPS_DIR, 'ward-lobby.yaml');
const ROOM_YAML = join(MAPS_DIR, 'test-room.yaml');

const MAP_YAML = (overrides: Record<string, string> = {}): string =>
  Object.entries({
    image: 'room.pgm',
    resolution: '0.05',
    origin: '[0.0, 0.0, 0.0]',
    negate: '0',
    occupied_thresh: '0.65',
    free_thresh: '0.196',
    ...overrides,
  })
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');

function catchError(run: () => unknown): TiepdanError {
  try {
    run();
  } catch (error) {
    if (error instanceof TiepdanError) return error;
    throw error;
  }
  throw new Error('expected a TiepdanError, nothing was thrown');
}

describe('shipped maps', () => {
  it('loads the ward lobby at 600x400 cells of 5 cm with its places', () => {
    const map = loadMap(LOBBY_YAML);
    expect(map).toMatchObject({ file: LOBBY_YAML, width: 600, height: 400, resolutionM: 0.05, origin: { xM: 0, yM: 0, yawRad: 0 } });
    const places = loadPlaces(placesPathFor(LOBBY_YAML), map);
    expect(places.filter((p) => p.kind === 'home')).toHaveLength(1);
    expect(places.filter((p) => p.kind === 'dock').length).toBeGreaterThanOrEqual(1);
    const counters = places.filter((p) => p.kind === 'counter');
    expect(counters.map((p) => p.id)).toEqual(Array.from({ length: 8 }, (_, i) => `counter-${i + 1}`));
    const served = new Set(counters.flatMap((p) => p.fields));
    expect([...FIELDS].filter((field) => !served.has(field))).toEqual([]);
    for (const kind of ['entrance', 'reception', 'waiting'] as const) expect(places.some((p) => p.kind === kind)).toBe(true);
  });

  it('keeps walls, the entrance gap and the unseen staff side where the layout puts them', () => {
    const map = loadMap(LOBBY_YAML);
    expect(isFree(map, { xM: 0.1, yM: 10 })).toBe(false); // west wall
    expect(isFree(map, { xM: 15, yM: 0.1 })).toBe(true); // entrance gap in the south wall
    expect(isFree(map, { xM: 10, yM: 0.1 })).toBe(false); // south wall beside it
    expect(isFree(map, { xM: 15, yM: 17 })).toBe(false); // counter desk
    expect(isFree(map, { xM: 15, yM: 18.5 })).toBe(false); // staff side: unknown (205) counts as occupied
    expect(isFree(map, { xM: 15, yM: 10 })).toBe(true); // central aisle
  });

  it('loads the test room with home, dock, entrance and one counter', () => {
    const map = loadMap(ROOM_YAML);
    expect([map.width, map.height]).toEqual([200, 120]);
    const places = loadPlaces(placesPathFor(ROOM_YAML), map);
    expect(places.map((p) => [p.id, p.kind])).toEqual([
      ['home', 'home'],
      ['dock', 'dock'],
      ['entrance', 'entrance'],
      ['counter-1', 'counter'],
    ]);
    expect(places[3]?.fields).toEqual(['civil_status', 'certification']);
    expect(places[0]?.pose).toEqual({ xM: 2.5, yM: 4.2, yawRad: 0 });
  });

  it('ships exactly what the generator draws', () => {
    for (const [name, drawn] of [
      ['ward-lobby', drawWardLobby()],
      ['test-room', drawTestRoom()],
      ['l-hall', drawLHall()],
    ] as const) {
      expect(readFileSync(join(MAPS_DIR, `${name}.pgm`)).equals(drawn.pgm), `${name}.pgm`).toBe(true);
      expect(readFileSync(join(MAPS_DIR, `${name}.yaml`), 'utf8')).toBe(drawn.yaml);
      expect(readFileSync(join(MAPS_DIR, `${name}.places.yaml`), 'utf8')).toBe(drawn.places);
    }
  });
});

describe('parseMap', () => {
  const image = (pgm: string) => (): Buffer => Buffer.from(pgm, 'latin1');

  it('flips the image so row 0 is the lowest y, and reads P2 with comments', () => {
    // Top image row: wall, free, unknown; bottom row: free, free, wall.
    const pgm = 'P2\n# a comment\n3 2\n# another\n255\n0 254 205\n254 254 0\n';
    const map = parseMap('/maps/tiny.yaml', MAP_YAML({ image: 'tiny.pgm' }), image(pgm));
    expect(Array.from(map.occupied)).toEqual([0, 0, 1, 1, 0, 1]);
    expect(isFree(map, { xM: 0.025, yM: 0.025 })).toBe(true);
    expect(isFree(map, { xM: 0.025, yM: 0.075 })).toBe(false);
  });

  it('resolves the image beside the YAML and reads P5', () => {
    const seen: string[] = [];
    const bytes = Buffer.concat([Buffer.from('P5\n2 1\n255\n', 'latin1'), Buffer.from([254, 0])]);
    const map = parseMap('/maps/x/room.yaml', MAP_YAML(), (path) => {
      seen.push(path);
      return bytes;
    });
    expect(seen).toEqual(['/maps/x/room.pgm']);
    expect(Array.from(map.occupied)).toEqual([0, 1]);
  });

  it('honours negate and scales P2 values by maxval', () => {
    const negated = parseMap('/m.yaml', MAP_YAML({ negate: '1' }), image('P2 2 1 255 0 254'));
    expect(Array.from(negated.occupied)).toEqual([0, 1]);
    const fifteen = parseMap('/m.yaml', MAP_YAML(), image('P2 2 1 15 15 0'));
    expect(Array.from(fifteen.occupied)).toEqual([0, 1]);
  });

  it('accepts scale and raw modes, treating them as trinary for occupancy', () => {
    for (const mode of ['scale', 'raw']) {
      const map = parseMap('/m.yaml', `${MAP_YAML()}\nmode: ${mode}`, image('P2 2 1 255 254 205'));
      expect(Array.from(map.occupied)).toEqual([0, 1]);
    }
  });

  it('converts between world points and cells, with the origin and its yaw', () => {
    const map = parseMap('/m.yaml', MAP_YAML({ origin: '[-1.0, 2.0, 0.0]' }), image('P2 4 4 255 ' + '254 '.repeat(16)));
    expect(worldToCell(map, { xM: -0.99, yM: 2.01 })).toEqual({ cx: 0, cy: 0 });
    expect(worldToCell(map, { xM: -0.86, yM: 2.16 })).toEqual({ cx: 2, cy: 3 });
    const centre = cellToWorld(map, 2, 3);
    expect(centre.xM).toBeCloseTo(-0.875);
    expect(centre.yM).toBeCloseTo(2.175);
    expect(isFree(map, { xM: -1.01, yM: 2.1 })).toBe(false);
    const turned = parseMap('/m.yaml', MAP_YAML({ origin: `[0.0, 0.0, ${Math.PI / 2}]` }), image('P2 4 4 255 ' + '254 '.repeat(16)));
    // A quarter turn: the map's +x runs along world +y.
    expect(worldToCell(turned, { xM: -0.01, yM: 0.16 })).toEqual({ cx: 3, cy: 0 });
    expect(worldToCell(turned, cellToWorld(turned, 1, 2))).toEqual({ cx: 1, cy: 2 });
  });

  it('puts the places file beside the map', () => {
    expect(placesPathFor('x/lobby.yaml')).toBe('x/lobby.places.yaml');
    expect(placesPathFor('/a/b/ward-lobby.yml')).toBe('/a/b/ward-lobby.places.yaml');
  });
});

describe('EXPECTED FAILURE - broken map files', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tiepdan-map-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const goodPgm = Buffer.concat([Buffer.from('P5\n4 2\n255\n', 'latin1'), Buffer.alloc(8, 254)]);

  const cases: readonly { name: string; yaml: string; pgm?: Buffer | string; expected: readonly string[] }[] = [
    { name: 'missing image', yaml: MAP_YAML({ image: 'nowhere.pgm' }), expected: ['nowhere.pgm', 'cannot be read (ENOENT)'] },
    { name: 'bad header', yaml: MAP_YAML(), pgm: 'P5\n4 abc\n255\n', expected: ['room.pgm', 'bad PGM header: line 2: height "abc"'] },
    { name: 'missing maxval', yaml: MAP_YAML(), pgm: 'P5\n4 2\n', expected: ['room.pgm', 'bad PGM header', 'maxval is missing'] },
    { name: 'not a PGM', yaml: MAP_YAML(), pgm: 'P6\n4 2\n255\n', expected: ['room.pgm', 'not a PGM image', '"P6"'] },
    {
      name: 'a PNG',
      yaml: MAP_YAML(),
      pgm: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
      expected: ['room.pgm', 'PNG images are not supported'],
    },
    {
      name: 'truncated P5 data',
      yaml: MAP_YAML(),
      pgm: Buffer.concat([Buffer.from('P5\n4 2\n255\n', 'latin1'), Buffer.alloc(5, 254)]),
      expected: ['room.pgm', 'truncated pixel data: expected 8 bytes (4x2) after the header, found 5'],
    },
    { name: 'truncated P2 data', yaml: MAP_YAML(), pgm: 'P2\n4 2\n255\n254 254 254\n', expected: ['truncated pixel data: expected 8 values', 'found 3'] },
    { name: 'P2 value above maxval', yaml: MAP_YAML(), pgm: 'P2\n2 1\n255\n254\n300\n', expected: ['line 5: pixel value "300"'] },
    { name: 'negative resolution', yaml: MAP_YAML({ resolution: '-0.05' }), expected: ['resolution:'] },
    { name: 'zero resolution', yaml: MAP_YAML({ resolution: '0' }), expected: ['resolution:'] },
    { name: 'resolution as text', yaml: MAP_YAML({ resolution: 'fine' }), expected: ['resolution:', 'expected number'] },
    { name: 'bad YAML', yaml: 'image: room.pgm\nresolution: [0.05\n', expected: ['not valid YAML'] },
    { name: 'missing origin', yaml: MAP_YAML({ origin: '' }), expected: ['origin: missing'] },
    { name: 'short origin', yaml: MAP_YAML({ origin: '[0.0, 0.0]' }), expected: ['origin'] },
    { name: 'occupied_thresh above 1', yaml: MAP_YAML({ occupied_thresh: '1.5' }), expected: ['occupied_thresh:'] },
    { name: 'free_thresh negative', yaml: MAP_YAML({ free_thresh: '-0.1' }), expected: ['free_thresh:'] },
    { name: 'thresholds swapped', yaml: MAP_YAML({ free_thresh: '0.7' }), expected: ['free_thresh (0.7) must be below occupied_thresh (0.65)'] },
    { name: 'negate 2', yaml: MAP_YAML({ negate: '2' }), expected: ['negate:'] },
    { name: 'unknown mode', yaml: `${MAP_YAML()}\nmode: fancy`, expected: ['mode:'] },
    { name: 'a misspelt key', yaml: `${MAP_YAML()}\nfree_tresh: 0.2`, expected: ['free_tresh'] },
  ];

  for (const { name, yaml, pgm, expected } of cases) {
    it(`rejects ${name} with map_invalid naming the file`, () => {
      const yamlPath = join(dir, 'room.yaml');
      writeFileSync(yamlPath, yaml);
      writeFileSync(join(dir, 'room.pgm'), pgm ?? goodPgm);
      const error = catchError(() => loadMap(yamlPath));
      expect(error.code).toBe('map_invalid');
      expect(error.message).toContain(`${yamlPath}: `);
      for (const fragment of expected) expect(error.message).toContain(fragment);
    });
  }

  it('rejects a missing YAML file', () => {
    const error = catchError(() => loadMap(join(dir, 'absent.yaml')));
    expect(error.code).toBe('map_invalid');
    expect(error.message).toContain(`${join(dir, 'absent.yaml')}: cannot be read (ENOENT)`);
  });

  it('loads a well-formed file written the same way', () => {
    const yamlPath = join(dir, 'room.yaml');
    writeFileSync(yamlPath, MAP_YAML());
    writeFileSync(join(dir, 'room.pgm'), goodPgm);
    expect(loadMap(yamlPath)).toMatchObject({ width: 4, height: 2 });
  });
});

describe('EXPECTED FAILURE - broken places files', () => {
  let dir = '';
  let room: OccupancyMap;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tiepdan-places-'));
    room = loadMap(ROOM_YAML);
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const HOME = '{ id: home, kind: home, x: 2.5, y: 4.2, theta: 0 }';
  const DOCK = '{ id: dock, kind: dock, x: 0.9, y: 5.0, theta: 3.14 }';
  const COUNTER = '{ id: counter-1, kind: counter, fields: [civil_status], x: 7.8, y: 3.0, theta: 0 }';
  const file = (entries: readonly string[], frame = 'map'): string =>
    [`frame_id: ${frame}`, 'places:', ...entries.map((entry) => `  - ${entry}`)].join('\n');

  const cases: readonly { name: string; text: string; expected: string }[] = [
    { name: 'an unknown place kind', text: file([HOME, '{ id: hall, kind: lobby, x: 2, y: 2, theta: 0 }', DOCK, COUNTER]), expected: 'places[1].kind: unknown kind "lobby"' },
    {
      name: 'an unknown field',
      text: file([HOME, DOCK, '{ id: c, kind: counter, fields: [foo], x: 7.8, y: 3, theta: 0 }']),
      expected: 'places[2].fields[0]: unknown field "foo"',
    },
    { name: 'a duplicate id', text: file([HOME, DOCK, COUNTER, COUNTER.replace('x: 7.8', 'x: 7.0')]), expected: 'places[3].id: duplicate id "counter-1" (also places[2])' },
    { name: 'an empty id', text: file([HOME, DOCK, COUNTER, '{ id: "", kind: other, x: 2, y: 2, theta: 0 }']), expected: 'places[3].id: must not be empty' },
    { name: 'a counter without fields', text: file([HOME, DOCK, '{ id: c, kind: counter, x: 7.8, y: 3, theta: 0 }']), expected: 'places[2].fields: a counter must list at least one field' },
    { name: 'a counter with an empty field list', text: file([HOME, DOCK, '{ id: c, kind: counter, fields: [], x: 7.8, y: 3, theta: 0 }']), expected: 'places[2].fields: a counter must list' },
    { name: 'a place inside a wall', text: file([HOME, DOCK, COUNTER, '{ id: w, kind: other, x: 5.1, y: 1.0, theta: 0 }']), expected: 'places[3]: (5.10, 1.00) is in an occupied or unknown cell' },
    { name: 'a place outside the map', text: file([HOME, DOCK, COUNTER, '{ id: w, kind: other, x: 12, y: 1.0, theta: 0 }']), expected: 'places[3]: (12.00, 1.00) is outside the map' },
    { name: 'a missing home', text: file([DOCK, COUNTER]), expected: 'places: no place of kind home (exactly one is required)' },
    { name: 'two homes', text: file([HOME, DOCK, COUNTER, HOME.replace('id: home', 'id: home-2')]), expected: 'places[3].kind: a second home' },
    { name: 'no dock', text: file([HOME, COUNTER]), expected: 'no place of kind dock' },
    { name: 'no counter', text: file([HOME, DOCK]), expected: 'no place of kind counter' },
    { name: 'another frame', text: file([HOME, DOCK, COUNTER], 'odom'), expected: 'frame_id: must be "map", found "odom"' },
    { name: 'an infinite coordinate', text: file([HOME, DOCK, COUNTER.replace('x: 7.8', 'x: .inf')]), expected: 'places[2].x:' },
    { name: 'a missing coordinate', text: file([HOME, DOCK, COUNTER.replace('theta: 0', '')]), expected: 'places[2].theta: missing' },
    { name: 'a misspelt key', text: file([HOME, DOCK, COUNTER.replace('fields', 'feilds')]), expected: 'feilds' },
    { name: 'bad YAML', text: 'frame_id: map\nplaces: [ { id: home\n', expected: 'not valid YAML' },
  ];

  for (const { name, text, expected } of cases) {
    it(`rejects ${name} with places_invalid naming the file`, () => {
      const path = join(dir, 'room.places.yaml');
      writeFileSync(path, text);
      const error = catchError(() => loadPlaces(path, room));
      expect(error.code).toBe('places_invalid');
      expect(error.message).toContain(`${path}: `);
      expect(error.message).toContain(expected);
    });
  }

  it('gives non-counters an empty field list and keeps file order', () => {
    const places = parsePlaces('/p.yaml', file([HOME, DOCK, COUNTER]), room);
    expect(places.map((p) => [p.id, p.fields])).toEqual([
      ['home', []],
      ['dock', []],
      ['counter-1', ['civil_status']],
    ]);
  });

  it('rejects a missing places file', () => {
    const error = catchError(() => loadPlaces(join(dir, 'absent.places.yaml'), room));
    expect(error.code).toBe('places_invalid');
    expect(error.message).toContain('absent.places.yaml: cannot be read (ENOENT)');
  });
});
