import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { drawTestRoom } from '../../sim/maps/make-ward-lobby.js';
import { mapCommand } from '../../src/cli/map.js';
import { UsageError } from '../../src/cli/args.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { checkImage, checkMap, checkMapFiles, NARROW_WIDTH_M, type MapCheck } from '../../src/maps/map-check.js';
import { ROBOT_CLEARANCE_M } from '../../src/maps/footprint.js';
import { loadMap, worldToCell } from '../../src/maps/map.js';
import { projectPath } from '../../src/paths.js';
import type { Field } from '../../src/ports/robot-base.js';
import { INFLATION_RADIUS_M } from '../../sim/runner.js';

const catalog = loadCatalog();
const MAPS = projectPath('sim', 'maps');
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-map-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The test room (10 x 6 m: two rooms, a 1.2 m door at x 5..5.2, y 2.4..3.6), or with its door closed. */
function room(name: string, options: { doorWidthM?: number } = {}): string {
  const drawn = drawTestRoom(options);
  writeFileSync(join(dir, `${name}.pgm`), drawn.pgm);
  writeFileSync(join(dir, `${name}.yaml`), drawn.yaml.replace('test-room.pgm', `${name}.pgm`));
  return join(dir, `${name}.yaml`);
}
const OPEN = room('open');
const CLOSED = room('closed', { doorWidthM: 0 });

const HOME = '  - { id: home, kind: home, x: 2.5, y: 4.2, theta: 0 }';
const DOCK = '  - { id: dock, kind: dock, x: 0.9, y: 5.0, theta: 3.14 }';
const COUNTER = '  - { id: counter-1, kind: counter, fields: [civil_status, certification], x: 7.8, y: 3.0, theta: 0 }';
const TWO_FIELDS = ['civil_status', 'certification'] as const;

function places(name: string, ...lines: string[]): string {
  const file = join(dir, `${name}.places.yaml`);
  writeFileSync(file, ['frame_id: map', 'places:', ...lines, ''].join('\n'));
  return file;
}

function check(mapFile: string, placesFile: string, fields: readonly Field[] | null = TWO_FIELDS): MapCheck {
  return checkMapFiles(mapFile, { placesFile, catalog, ...(fields !== null ? { fields } : {}) });
}

const messages = (c: MapCheck): string[] => c.report.problems.map((p) => p.message);

describe('map check on the shipped maps', () => {
  it('passes the ward lobby with every field of the catalog served', () => {
    const { report } = checkMapFiles(join(MAPS, 'ward-lobby.yaml'), { catalog });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.fieldsServed).toHaveLength(9);
    expect(report.places.every((p) => p.verdict === 'ok')).toBe(true);
  });

  it('passes the test room for the two fields it serves, and names the seven it does not serve otherwise', () => {
    expect(checkMapFiles(join(MAPS, 'test-room.yaml'), { catalog, fields: ['civil_status', 'certification'] }).report.problems).toEqual([]);
    const all = checkMapFiles(join(MAPS, 'test-room.yaml'), { catalog });
    expect(all.report.ok).toBe(false);
    expect(messages(all)).toHaveLength(7);
    expect(messages(all)).toContain('fields: no counter serves the field "land" (land_certificate, land_change_registration)');
  });

  it('passes the L-shaped hall', () => {
    expect(checkMapFiles(join(MAPS, 'l-hall.yaml'), { catalog }).report.problems).toEqual([]);
  });

  it('keeps the same clearance as the simulator plans with', () => {
    expect(ROBOT_CLEARANCE_M).toBe(INFLATION_RADIUS_M);
    expect(checkMapFiles(join(MAPS, 'ward-lobby.yaml')).report.clearanceM).toBe(INFLATION_RADIUS_M);
  });
});

describe('EXPECTED FAILURE - broken places files, each rejected naming the place and the reason', () => {
  it('a counter inside a wall', () => {
    const c = check(OPEN, places('in-wall', HOME, DOCK, '  - { id: counter-1, kind: counter, fields: [civil_status, certification], x: 5.1, y: 1.0, theta: 0 }'));
    expect(c.report.ok).toBe(false);
    expect(messages(c)[0]).toMatch(/^counter-1: places\[2\]: \(5\.10, 1\.00\) is in an occupied or unknown cell of .*open\.yaml$/);
    expect(c.report.places.find((p) => p.id === 'counter-1')?.verdict).toBe('problem');
    // The only counter of both fields does not work, so neither field is served.
    expect(messages(c)).toContain('fields: the field "civil_status" is served only by counter-1, which the robot cannot reach');
  });

  it('an unreachable dock, in the far room behind a closed door', () => {
    const c = check(CLOSED, places('cut-off', HOME, '  - { id: dock, kind: dock, x: 7.0, y: 1.0, theta: 0 }', '  - { id: counter-1, kind: counter, fields: [civil_status, certification], x: 3.5, y: 2.5, theta: 0 }'));
    expect(messages(c)).toEqual([
      'dock: (7.00, 1.00) cannot be reached from home (2.50, 4.20): walls, or gaps narrower than the robot needs (0.90 m and a little), cut it off',
    ]);
  });

  it('a dock closer to a wall than the robot clearance', () => {
    const c = check(OPEN, places('tight', HOME, '  - { id: dock, kind: dock, x: 0.5, y: 5.0, theta: 3.14 }', COUNTER));
    expect(messages(c)).toEqual([
      "dock: (0.50, 5.00) is about 0.33 m from the nearest wall or obstacle, closer than the robot's clearance of 0.45 m: the robot cannot stop there",
    ]);
  });

  it('a counter missing its fields, and a field of the catalog no counter serves', () => {
    const c = check(OPEN, places('no-fields', HOME, DOCK, '  - { id: counter-1, kind: counter, x: 7.8, y: 3.0, theta: 0 }'), ['civil_status', 'land']);
    expect(messages(c)).toEqual([
      'counter-1: places[2].fields: a counter must list at least one field it serves',
      'fields: no counter serves the field "civil_status" (birth_registration, civil_status_correction, civil_status_extract_copy, death_registration, marital_status_certificate, marriage_registration, paternity_recognition)',
      'fields: no counter serves the field "land" (land_certificate, land_change_registration)',
    ]);
  });

  it('a file that is not YAML, a missing home, and a file that is not there', () => {
    const bad = check(OPEN, places('bad-yaml', HOME, '  - { id: dock, kind: dock, x: 0.9'));
    expect(messages(bad)).toHaveLength(1);
    expect(messages(bad)[0]).toMatch(/^tiepdan places_invalid: .*bad-yaml\.places\.yaml: not valid YAML \(/);
    expect(check(OPEN, places('no-home', DOCK, COUNTER)).report.problems.map((p) => p.message)).toContain('places: no place of kind home (exactly one is required)');
    const missing = check(OPEN, join(dir, 'nowhere.places.yaml'));
    expect(messages(missing)).toEqual([`tiepdan places_invalid: ${join(dir, 'nowhere.places.yaml')}: cannot be read (ENOENT)`]);
    expect(messages(checkMapFiles(join(dir, 'nowhere.yaml'), { catalog }))[0]).toMatch(/nowhere\.yaml: cannot be read \(ENOENT\)/);
  });

  it('a home inside a wall: that one problem, not every place unreachable after it', () => {
    const c = check(OPEN, places('home-in-wall', '  - { id: home, kind: home, x: 5.1, y: 1.0, theta: 0 }', DOCK, COUNTER));
    expect(messages(c)).toEqual([expect.stringMatching(/^home: places\[0\]: \(5\.10, 1\.00\) is in an occupied or unknown cell of /)]);
  });

  it('a duplicate id, named even though the second place is left out', () => {
    const c = check(OPEN, places('twice', HOME, DOCK, COUNTER, '  - { id: dock, kind: dock, x: 1.2, y: 1.2, theta: 0 }'));
    expect(messages(c)).toEqual(['dock: places[3].id: duplicate id "dock" (also places[1])']);
    expect(c.report.places.filter((p) => p.id === 'dock')).toEqual([{ id: 'dock', kind: 'dock', xM: 0.9, yM: 5, verdict: 'ok' }]);
  });

  it('a place the robot never drives to, cut off: a note, not a problem', () => {
    const c = check(CLOSED, places('note', HOME, DOCK, '  - { id: counter-1, kind: counter, fields: [civil_status, certification], x: 3.5, y: 2.5, theta: 0 }', '  - { id: kiosk, kind: other, x: 7.0, y: 1.0, theta: 0 }'));
    expect(c.report.ok).toBe(true);
    expect(c.report.notes.map((n) => n.message)).toEqual([expect.stringMatching(/^kiosk: \(7\.00, 1\.00\) cannot be reached from home/)]);
  });
});

describe('clearance and narrow passages', () => {
  const good = (): string => places('good', HOME, DOCK, COUNTER);

  it('lists the 1.2 m door between the rooms and the 1.2 m entrance as narrow, and nothing under a lower threshold', () => {
    const c = check(OPEN, good());
    expect(c.report.narrowWidthM).toBe(NARROW_WIDTH_M);
    const door = c.report.narrowPassages.find((p) => p.at.xM > 4.9 && p.at.xM < 5.3);
    expect(door).toMatchObject({ widthM: 1.2 });
    expect(door!.at.yM).toBeGreaterThan(2.4);
    expect(door!.at.yM).toBeLessThan(3.6);
    expect(checkMapFiles(OPEN, { placesFile: good(), narrowWidthM: 1.0 }).report.narrowPassages).toEqual([]);
  });

  it('cuts the far room off for a robot whose clearance does not fit through the door', () => {
    const c = checkMapFiles(OPEN, { placesFile: good(), clearanceM: 0.65 });
    expect(messages(c)).toEqual([expect.stringMatching(/^counter-1: \(7\.80, 3\.00\) cannot be reached from home/)]);
  });

  it('EXPECTED FAILURE - refuses a clearance that is not a positive number', () => {
    const map = loadMap(OPEN);
    expect(() => checkMap(map, 'x.places.yaml', readFileSync(good(), 'utf8'), { clearanceM: -1 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});

describe('the picture', () => {
  it('marks problem places red, fine ones green, the door orange and the cut-off room pink', () => {
    const c = check(CLOSED, places('picture', HOME, DOCK, COUNTER));
    const png = PNG.sync.read(checkImage(c));
    const map = c.cells!.map;
    const at = (xM: number, yM: number): number[] => {
      const { cx, cy } = worldToCell(map, { xM, yM });
      const i = ((map.height - 1 - cy) * map.width + cx) * 4;
      return [...png.data.subarray(i, i + 4)];
    };
    expect(at(7.8, 3.0)).toEqual([0xd7, 0x19, 0x1c, 0xff]); // counter-1, cut off: red
    expect(at(2.5, 4.2)).toEqual([0x1a, 0x96, 0x41, 0xff]); // home: green
    expect(at(7.0, 1.0)).toEqual([0xf4, 0xb6, 0xc2, 0xff]); // clear floor of the far room: pink
    expect(at(3.5, 2.0)).toEqual([0xff, 0xff, 0xff, 0xff]); // where the robot goes: white
    const open = check(OPEN, places('picture-open', HOME, DOCK, COUNTER));
    const openPng = PNG.sync.read(checkImage(open));
    const { cx, cy } = worldToCell(map, { xM: 5.1, yM: 3.0 });
    const i = ((map.height - 1 - cy) * map.width + cx) * 4;
    expect([...openPng.data.subarray(i, i + 4)]).toEqual([0xf5, 0x9e, 0x0b, 0xff]); // the door: orange
  });
});

describe('tiepdan map check', () => {
  async function run(argv: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      return { code: await mapCommand(argv), out };
    } finally {
      vi.restoreAllMocks();
    }
  }

  it('exits 0 on the shipped lobby, and writes the picture', async () => {
    const png = join(dir, 'lobby.png');
    const { code, out } = await run(['check', join(MAPS, 'ward-lobby.yaml'), '--png', png]);
    expect(code).toBe(0);
    expect(out).toMatch(/places .*ward-lobby\.places\.yaml: 15 \(8 counters, 1 docks, 6 others\)/);
    expect(out).toMatch(/\n {2}ok\n$/);
    expect(PNG.sync.read(readFileSync(png)).width).toBe(600);
  });

  it('exits 1 with one line a problem, and --json prints the report', async () => {
    const file = places('cli', HOME, '  - { id: dock, kind: dock, x: 7.0, y: 1.0, theta: 0 }', '  - { id: counter-1, kind: counter, fields: [civil_status, certification], x: 3.5, y: 2.5, theta: 0 }');
    const text = await run(['check', CLOSED, '--places', file, '--fields', 'civil_status,certification']);
    expect(text.code).toBe(1);
    expect(text.out).toContain('  problem: dock: (7.00, 1.00) cannot be reached from home');
    expect(text.out).toContain('  1 problem\n');
    const json = await run(['check', CLOSED, '--places', file, '--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.out) as { ok: boolean; problems: { placeId: string | null }[] };
    expect(report.ok).toBe(false);
    // The dock, and the seven fields nobody serves.
    expect(report.problems.map((p) => p.placeId)).toEqual(['dock', null, null, null, null, null, null, null]);
  });

  it('EXPECTED FAILURE - bad usage is a UsageError (exit 2)', async () => {
    await expect(run(['check'])).rejects.toThrow(UsageError);
    await expect(run(['check', 'a.yaml', 'b.yaml'])).rejects.toThrow(/one map at a time/);
    await expect(run(['verify', 'a.yaml'])).rejects.toThrow(/unknown subcommand "verify"/);
    await expect(run(['check', 'a.yaml', '--clearance', 'wide'])).rejects.toThrow(/--clearance must be a number/);
    await expect(run(['check', 'a.yaml', '--fields', 'civil_status,parking'])).rejects.toThrow(/unknown field "parking"/);
    await expect(run(['check', 'a.yaml', '--colour'])).rejects.toThrow(UsageError);
    expect((await run([])).code).toBe(2);
  });

  it('prints its help', async () => {
    const { code, out } = await run(['check', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: tiepdan map check MAP\.yaml/);
    for (const option of ['--places', '--png', '--json', '--clearance', '--narrow', '--fields']) expect(out).toContain(option);
  });
});
