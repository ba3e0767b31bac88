#!/usr/bin/env node
/**
 * `npm run mutate [-- --group <name>]... [stryker options]`: runs Stryker over the chosen groups
 * (tests/mutation/groups.mjs), then prints the mutation score per group and per file from the JSON
 * report. Anything else on the command line goes to `stryker run` (e.g. `--dryRunOnly`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUPS, groupOfMutant } from './groups.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm run mutate [-- --group <name>]... [stryker run options]

Builds dist/, then runs Stryker over the chosen groups of modules (all when none is named) and
prints the mutation score (killed + timed out over valid mutants) per group and per file.
Groups: ${Object.keys(GROUPS).join(', ')} (tests/mutation/groups.mjs).
Runs are incremental: results are kept in reports/mutation/<groups>/, with the HTML and JSON reports.
Other options go to \`stryker run\`, e.g. --dryRunOnly to check the set-up.
See tests/mutation/README.md; npm run mutate:known plants the known bugs one by one.`);
  process.exit(0);
}
const groups = [];
const passThrough = [];
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === '--group') groups.push(...(args[++i] ?? '').split(','));
  else if (arg.startsWith('--group=')) groups.push(...arg.slice('--group='.length).split(','));
  else passThrough.push(arg);
}
const unknown = groups.filter((g) => !(g in GROUPS));
if (unknown.length > 0 || groups.includes('')) {
  console.error(`mutate: unknown group "${unknown.join(', ')}"; the groups are ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}
const chosen = groups.length > 0 ? [...new Set(groups)] : Object.keys(GROUPS);
const tag = chosen.length === Object.keys(GROUPS).length ? 'all' : chosen.join('+');

const startMs = performance.now();
// Some tests run the controller from the build (dist/), as in production: build it from the code as it is.
console.log('mutate: building dist/ for the tests that run the build');
const build = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('mutate: the build failed; fix it before mutating');
  process.exit(1);
}
const run = spawnSync(join(root, 'node_modules', '.bin', 'stryker'), ['run', 'stryker.config.mjs', ...passThrough], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TIEPDAN_MUTATE_GROUPS: chosen.join(',') },
});
const minutes = (performance.now() - startMs) / 60_000;

const reportFile = join(root, 'reports', 'mutation', tag, 'mutation.json');
if (passThrough.includes('--dryRunOnly') || !existsSync(reportFile)) {
  console.log(`mutate: ${chosen.join(', ')} in ${minutes.toFixed(1)} min (no report)`);
  process.exit(run.status ?? 1);
}

// Stryker's score: detected (killed, timed out) over valid mutants (those and survived, no coverage);
// compile and runtime errors and ignored mutants do not count.
const DETECTED = new Set(['Killed', 'Timeout']);
const VALID = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const groupOf = (file, line) => groupOfMutant(chosen, file, line) ?? '?';
const rows = new Map();
const count = (key, status) => {
  const row = rows.get(key) ?? { detected: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, valid: 0, errors: 0, ignored: 0 };
  if (DETECTED.has(status)) row.detected += 1;
  if (status === 'Killed') row.killed += 1;
  if (status === 'Timeout') row.timeout += 1;
  if (status === 'Survived') row.survived += 1;
  if (status === 'NoCoverage') row.noCoverage += 1;
  if (VALID.has(status)) row.valid += 1;
  if (status === 'CompileError' || status === 'RuntimeError') row.errors += 1;
  if (status === 'Ignored') row.ignored += 1;
  rows.set(key, row);
};
for (const [file, { mutants }] of Object.entries(report.files)) {
  const path = relative(root, join(root, file)).split('\\').join('/');
  for (const m of mutants) {
    const group = groupOf(path, m.location.start.line);
    count(`group ${group}`, m.status);
    count(`  ${group} ${path}`, m.status);
    count('all', m.status);
  }
}
const pct = (r) => (r.valid === 0 ? '   n/a' : `${((100 * r.detected) / r.valid).toFixed(1).padStart(5)}%`);
// Each group's line, then its files.
const keys = [...rows.keys()].filter((k) => k !== 'all').sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
function sortKey(key) {
  return key.startsWith('group ') ? `${key.slice(6)} ` : `${key.trim().split(' ')[0]}  ${key.trim().split(' ')[1]}`;
}
const label = (key) => (key.startsWith('group ') || key === 'all' ? key : `  ${key.trim().split(' ')[1]}`);
const width = Math.max(...keys.map((k) => label(k).length), 10);
console.log(`\n${'module'.padEnd(width)}  score  killed timeout survived no-cover errors ignored`);
for (const key of [...keys, 'all']) {
  const r = rows.get(key);
  const cells = [r.killed, r.timeout, r.survived, r.noCoverage, r.errors, r.ignored].map((n, i) => String(n).padStart([7, 7, 8, 8, 6, 7][i]));
  console.log(`${label(key).padEnd(width)} ${pct(r)} ${cells.join(' ')}`);
}
console.log(`\nmutate: ${chosen.join(', ')} in ${minutes.toFixed(1)} min; reports/mutation/${tag}/mutation.html`);
process.exit(run.status ?? 1);
