/**
 * What mutation testing covers, by module: the code that keeps people safe, their data private and
 * their tickets unique. `npm run mutate -- --group <name>` mutates one group; several `--group`s
 * add up; none means all of them.
 */
export const GROUPS = {
  statecharts: ['statecharts/**/*.ts'],
  controller: ['src/app/controller.ts', 'src/app/checkpoint.ts', 'src/app/compose.ts'],
  civic: ['src/civic/**/*.ts'],
  console: ['src/console/protocol.ts', 'src/console/connection.ts', 'src/console/users.ts', 'src/console/connection-slots.ts', 'src/console/client-address.ts'],
  sim: ['sim/world.ts', 'sim/soak/week.ts'],
};

/**
 * Tests that never run under mutation: benchmarks and browser tests always; the soak (a controller
 * in a child process running dist/, ~1 min a run) only when the simulator's own counters are mutated,
 * since elsewhere it would rerun for every mutant of the queue it touches without testing the child.
 */
export function excludedTests(groups) {
  return ['tests/bench/**', 'tests/browser/**', 'tests/fuzz/**', ...(groups.includes('sim') ? [] : ['tests/sim/soak.test.ts'])];
}

/** The groups named in $TIEPDAN_MUTATE_GROUPS (comma-separated), all of them when unset. */
export function selectedGroups(env = process.env) {
  const names = (env.TIEPDAN_MUTATE_GROUPS ?? '').split(',').filter((n) => n !== '');
  const unknown = names.filter((n) => !(n in GROUPS));
  if (unknown.length > 0) throw new Error(`mutate: unknown group ${unknown.join(', ')}; the groups are ${Object.keys(GROUPS).join(', ')}`);
  return names.length > 0 ? names : Object.keys(GROUPS);
}
