import { writeFileSync } from 'node:fs';
import { loadCatalog } from '../civic/catalog.js';
import { CHECK_IMAGE_LEGEND, checkImage, checkMapFiles, NARROW_WIDTH_M, type MapCheckReport } from '../maps/map-check.js';
import { ROBOT_CLEARANCE_M } from '../maps/footprint.js';
import { FIELDS, type Field } from '../ports/robot-base.js';
import { numberOption, parse, UsageError } from './args.js';

export const MAP_HELP = `Usage: tiepdan map check MAP.yaml [--places FILE] [--png OUT] [--json] [--clearance M] [--narrow M]
                        [--fields F,F...]

Checks that a map (ROS map_server YAML + image) and its places file will work for the robot:
  - the places file loads: one home, a dock, counters with fields, every place on a free cell;
  - home, every dock, counter and entrance is reachable from home by the robot's footprint with its
    clearance, and none is closer to an obstacle than that clearance (other places: a note);
  - every field of the procedure catalog (or of --fields) has a counter the robot reaches;
  - narrow passages the robot drives through are listed (a note, not a problem).

Options:
  --places FILE  the places file; default: MAP's .places.yaml beside it
  --png OUT      write the map as a PNG with what the check found drawn on it
  --json         print one JSON object with the report instead of text
  --clearance M  how far the robot's centre keeps from walls and obstacles, in metres
                 (default ${ROBOT_CLEARANCE_M}: radius 0.3 m plus a margin, as the simulator plans)
  --narrow M     list passages whose free width is under M metres (default ${NARROW_WIDTH_M})
  --fields F,F   the fields this centre offers, when not all of the catalog's
                 (${FIELDS.join(', ')})
  -h, --help     show this help

The picture: ${CHECK_IMAGE_LEGEND}.

Exit status: 0 when the map is fine, 1 when it has problems (including a map or places file that
does not load), 2 for bad usage.`;

function fieldsOption(value: string): Field[] {
  const fields = value.split(',').map((f) => f.trim()).filter((f) => f !== '');
  if (fields.length === 0) throw new UsageError('--fields needs at least one field');
  for (const field of fields) {
    if (!(FIELDS as readonly string[]).includes(field)) throw new UsageError(`--fields: unknown field "${field}" (expected some of ${FIELDS.join(', ')})`);
  }
  return fields as Field[];
}

function printReport(report: MapCheckReport, out: NodeJS.WritableStream): void {
  const counts = { counter: 0, dock: 0, other: 0 };
  for (const p of report.places) {
    if (p.kind === 'counter') counts.counter++;
    else if (p.kind === 'dock') counts.dock++;
    else counts.other++;
  }
  const lines = [
    `map check ${report.mapFile}`,
    `  places ${report.placesFile}: ${report.places.length} (${counts.counter} counters, ${counts.dock} docks, ${counts.other} others); robot clearance ${report.clearanceM} m`,
  ];
  if (report.fieldsServed.length > 0) lines.push(`  fields with a counter the robot reaches: ${report.fieldsServed.join(', ')}`);
  if (report.narrowPassages.length === 0) lines.push(`  narrow passages (free width under ${report.narrowWidthM} m): none`);
  else {
    lines.push(`  narrow passages (free width under ${report.narrowWidthM} m): ${report.narrowPassages.length}`);
    for (const p of report.narrowPassages) lines.push(`    ${p.widthM.toFixed(2)} m wide at (${p.at.xM.toFixed(2)}, ${p.at.yM.toFixed(2)})`);
  }
  for (const note of report.notes) lines.push(`  note: ${note.message}`);
  for (const problem of report.problems) lines.push(`  problem: ${problem.message}`);
  lines.push(report.ok ? '  ok' : `  ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`, '');
  out.write(lines.join('\n'));
}

export async function mapCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${MAP_HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'check') throw new UsageError(`unknown subcommand "${sub}" (expected check)`);
  const { values, positionals } = parse(
    rest,
    { places: { type: 'string' }, png: { type: 'string' }, json: { type: 'boolean' }, clearance: { type: 'string' }, narrow: { type: 'string' }, fields: { type: 'string' } },
    true,
  );
  if (values.help === true) {
    process.stdout.write(`${MAP_HELP}\n`);
    return 0;
  }
  const [mapFile, ...extra] = positionals;
  if (mapFile === undefined) throw new UsageError('the map YAML to check is required: tiepdan map check MAP.yaml');
  if (extra.length > 0) throw new UsageError(`one map at a time; unexpected ${extra.map((e) => `"${e}"`).join(' ')}`);
  const clearanceM = numberOption('clearance', values.clearance, 0.01, 5);
  const narrowWidthM = numberOption('narrow', values.narrow, 0.1, 20);
  const fields = values.fields === undefined ? undefined : fieldsOption(values.fields);
  const check = checkMapFiles(mapFile, {
    catalog: loadCatalog(),
    ...(values.places !== undefined ? { placesFile: values.places } : {}),
    ...(clearanceM !== undefined ? { clearanceM } : {}),
    ...(narrowWidthM !== undefined ? { narrowWidthM } : {}),
    ...(fields !== undefined ? { fields } : {}),
  });
  if (values.png !== undefined && check.cells !== null) {
    writeFileSync(values.png, checkImage(check));
    if (values.json !== true) process.stdout.write(`picture: ${values.png}\n`);
  }
  if (values.json === true) process.stdout.write(`${JSON.stringify(check.report)}\n`);
  else printReport(check.report, process.stdout);
  return check.report.ok ? 0 : 1;
}
