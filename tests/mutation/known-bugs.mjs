#!/usr/bin/env node
/**
 * `npm run mutate:known [-- --only <text>]`: plants each bug of known-bugs.json, one at a time, in a
 * copy of the project (the files git tracks or would track, as they are now) and runs the tests named
 * for it. A bug the tests do not notice is a missing test: the run then exits 1. The project's own
 * files are never changed, so an interrupted run leaves no bug behind.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(`usage: npm run mutate:known [-- --only <text>]

Plants each bug listed in tests/mutation/known-bugs.json in a temporary copy of the project and runs
the tests named for it; each bug must make them fail. --only runs the bugs whose name contains <text>.
Exit status: 0 when every bug was caught, 1 when one was not, 2 for a bad list or option.`);
  process.exit(0);
}
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
if ((onlyAt >= 0 && (only === undefined || only === '')) || args.some((a, i) => a.startsWith('-') && a !== '--only' && i !== onlyAt + 1)) {
  console.error('mutate:known: unknown option; see --help');
  process.exit(2);
}

const list = JSON.parse(readFileSync(join(root, 'tests/mutation/known-bugs.json'), 'utf8'));
const bugs = list.bugs.filter((b) => only === undefined || b.name.includes(only));
if (bugs.length === 0) {
  console.error(`mutate:known: no bug's name contains "${only}"`);
  process.exit(2);
}
for (const bug of bugs) {
  const text = readFileSync(join(root, bug.file), 'utf8');
  const times = text.split(bug.find).length - 1;
  if (times !== 1) {
    console.error(`mutate:known: "${bug.name}": its text occurs ${times} times in ${bug.file}, not once; update known-bugs.json to the code`);
    process.exit(2);
  }
}

const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
  .stdout.split('\0')
  .filter((f) => f !== '' && !f.startsWith('node_modules'));
const work = mkdtempSync(join(tmpdir(), 'tiepdan-known-bugs-'));
const results = [];
try {
  bugs.forEach((bug, i) => {
    const copy = join(work, String(i));
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      try {
        cpSync(join(root, file), join(copy, file));
      } catch {
        // A file git still lists but the working tree has deleted: the copy goes without it too.
      }
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const target = join(copy, bug.file);
    writeFileSync(target, readFileSync(target, 'utf8').replace(bug.find, () => bug.replace));
    console.log(`[${i + 1}/${bugs.length}] ${bug.name}`);
    if (bug.build === true) {
      const built = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: copy, stdio: 'inherit' });
      if (built.status !== 0) {
        results.push({ bug, verdict: 'does not build' });
        return;
      }
    }
    const vitest = ['run', ...bug.tests, '--reporter=dot', ...(bug.testNamePattern ? ['--testNamePattern', bug.testNamePattern] : [])];
    const run = spawnSync(join(root, 'node_modules/.bin/vitest'), vitest, { cwd: copy, encoding: 'utf8' });
    const failed = /(\d+) failed/.exec(`${run.stdout}${run.stderr}`);
    // Caught means a test failed on the bug, not that vitest could not start.
    results.push({ bug, verdict: run.status !== 0 && failed !== null ? `caught (${failed[1]} failed)` : run.status === 0 ? 'MISSED' : 'ERROR' });
    if (run.status !== 0 && failed === null) console.log(`${run.stdout}${run.stderr}`.slice(-2000));
    rmSync(copy, { recursive: true, force: true });
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}

const width = Math.max(...results.map((r) => r.bug.name.length));
for (const { bug, verdict } of results) console.log(`${bug.name.padEnd(width)}  ${verdict.padEnd(22)}  ${bug.tests.join(' ')}`);
const missed = results.filter((r) => !r.verdict.startsWith('caught'));
console.log(`${results.length - missed.length} of ${results.length} planted bugs caught`);
process.exit(missed.length === 0 ? 0 : 1);
