import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const ALL_TESTS = ['tests/**/*.test.ts'];

/**
 * Whole-lobby scenario tests: a simulated lobby (or a controller over it) run end to end, seconds to
 * a minute each, reaching most of the code. A group leaves them out where its own unit tests are
 * meant to do the job: they would rerun for every mutant they reach. Leaving tests out can only
 * lower a score, never raise it.
 */
const SCENARIO_TESTS = ['tests/sim/**', 'tests/e2e/**', 'tests/console/live-lobby.test.ts', 'tests/observability/live-lobby.test.ts'];

/**
 * Tests whose verdict depends on how loaded the machine is (an event-loop stall bound, a heartbeat
 * answered within 2 s): under mutation, with the code instrumented and two cores shared, a failure
 * could be the machine's and would count as a kill. Left out where they do not test the group.
 */
const LOAD_SENSITIVE_TESTS = ['tests/observability/event-loop-watchdog.test.ts', 'tests/console/upgrade.test.ts', 'tests/security/login-flood.test.ts'];

/**
 * Tests that judge other code and reach the group's only through a shared input: speech synthesis and
 * recognition on synthesized audio (the catalog gives them words, seconds a run), and the CLI run from
 * dist/, which mutation never changes.
 */
const SPEECH_TESTS = ['tests/adapters/asr/**', 'tests/adapters/speech/**'];
const BUILT_CLI_TESTS = ['tests/security/privacy-report.test.ts'];

/**
 * Line ranges (Stryker's `file:start-end`) of the lines of `file` that match `pattern`: a group that
 * owns a code path crossing a larger module (the restart path through the composition root) mutates
 * those lines only, found again on every run so the ranges follow the code.
 */
function linesMatching(file, pattern) {
  const lines = readFileSync(`${root}/${file}`, 'utf8').split('\n');
  return lines.flatMap((line, i) => (pattern.test(line) && !/^\s*(\/\/|\*|\/\*\*)/.test(line) ? [`${file}:${i + 1}-${i + 1}`] : []));
}

/**
 * What mutation testing covers, by module: the code that keeps people safe, their data private and
 * their tickets unique. `npm run mutate -- --group <name>` mutates one group; several `--group`s
 * add up; none means all of them.
 * - `mutate`: Stryker's mutate patterns (globs, or `file:start-end` line ranges).
 * - `tests`: the test files that judge the group's mutants (of those that import the mutated file);
 *   `leaveOut`: test files among them that do not (see the lists above).
 * - `staticMutants`: `run` also mutates code that runs when a module loads (a machine's definition,
 *   a table of patterns), running every test of the group for each; `ignore` leaves such mutants out.
 */
export const GROUPS = {
  // Judged by the machine's own tests (model-based and promises) and the controller's, which drive
  // it through its ports; not by the console's, which import it only to draw its states. The
  // machine's transitions are its definition, built when the module loads: its static mutants are
  // the ones that matter most, and the model-based test explores the machine at load time.
  statecharts: { mutate: ['statecharts/**/*.ts'], tests: ['tests/statecharts/**/*.test.ts', 'tests/app/**/*.test.ts'], leaveOut: [], staticMutants: 'run' },
  // What the controller keeps across a crash and how it starts again: the checkpoint store, and the
  // lines of the composition root that read, write or act on the checkpoint.
  checkpoint: {
    mutate: ['src/app/checkpoint.ts', ...linesMatching('src/app/compose.ts', /checkpoint|startAfterRestart/i)],
    tests: ALL_TESTS,
    leaveOut: [...SCENARIO_TESTS, ...LOAD_SENSITIVE_TESTS, ...BUILT_CLI_TESTS],
    staticMutants: 'run',
  },
  controller: { mutate: ['src/app/controller.ts', 'src/app/compose.ts'], tests: ALL_TESTS, leaveOut: [], staticMutants: 'ignore' },
  civic: {
    mutate: ['src/civic/**/*.ts'],
    tests: ALL_TESTS,
    leaveOut: [...SCENARIO_TESTS, ...LOAD_SENSITIVE_TESTS, ...SPEECH_TESTS, ...BUILT_CLI_TESTS],
    staticMutants: 'run',
  },
  // The console's authorization and its message protocol.
  console: {
    mutate: [
      'src/console/protocol.ts',
      'src/console/users.ts',
      'src/console/password-hash.ts',
      'src/console/password-strength.ts',
      'src/console/login-throttle.ts',
      'src/console/origins.ts',
      'src/console/session-cookie.ts',
      'src/console/role-view.ts',
      'src/console/client-address.ts',
    ],
    tests: ALL_TESTS,
    leaveOut: [...SCENARIO_TESTS, ...LOAD_SENSITIVE_TESTS],
    staticMutants: 'run',
  },
  // The console's sockets: connections, the upgrade, address slots.
  'console-wire': {
    mutate: ['src/console/connection.ts', 'src/console/upgrade.ts', 'src/console/connection-slots.ts'],
    tests: ALL_TESTS,
    leaveOut: SCENARIO_TESTS,
    staticMutants: 'ignore',
  },
  sim: { mutate: ['sim/world.ts', 'sim/soak/week.ts'], tests: ALL_TESTS, leaveOut: [], staticMutants: 'ignore' },
};

/** The test files mutation runs may use: those of the chosen groups. */
export function includedTests(groups) {
  return [...new Set(groups.flatMap((g) => GROUPS[g].tests))];
}

/**
 * Tests that never run under mutation: benchmarks, browser tests and the fuzzer always; the soak (a
 * controller in a child process running dist/, ~1 min a run) only when the simulator's own counters
 * are mutated, since elsewhere it would rerun for every mutant of the queue it touches without testing
 * the child; and the tests every chosen group leaves out.
 */
export function excludedTests(groups) {
  const leftOutByAll = (groups.length === 0 ? [] : GROUPS[groups[0]].leaveOut).filter((pattern) => groups.every((g) => GROUPS[g].leaveOut.includes(pattern)));
  return ['tests/bench/**', 'tests/browser/**', 'tests/fuzz/**', ...(groups.includes('sim') ? [] : ['tests/sim/soak.test.ts']), ...leftOutByAll];
}

/** The groups named in $TIEPDAN_MUTATE_GROUPS (comma-separated), all of them when unset. */
export function selectedGroups(env = process.env) {
  const names = (env.TIEPDAN_MUTATE_GROUPS ?? '').split(',').filter((n) => n !== '');
  const unknown = names.filter((n) => !(n in GROUPS));
  if (unknown.length > 0) throw new Error(`mutate: unknown group ${unknown.join(', ')}; the groups are ${Object.keys(GROUPS).join(', ')}`);
  return names.length > 0 ? names : Object.keys(GROUPS);
}

/**
 * The group a mutant belongs to, by its file and 1-based line; null when none of `groups` mutates it.
 * A group that names the line (a range) wins over one that mutates the whole file.
 */
export function groupOfMutant(groups, file, line) {
  const inRange = (pattern) => {
    const range = /^(.*):(\d+)-(\d+)$/.exec(pattern);
    return range !== null && file === range[1] && line >= Number(range[2]) && line <= Number(range[3]);
  };
  return groups.find((g) => GROUPS[g].mutate.some(inRange)) ?? groups.find((g) => GROUPS[g].mutate.some((pattern) => globMatches(file, pattern))) ?? null;
}

function globMatches(file, pattern) {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(?:.*/)?').replace(/\*/g, '[^/]*')}$`);
  return re.test(file);
}
