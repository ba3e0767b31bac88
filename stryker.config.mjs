// @ts-check
import { GROUPS, selectedGroups } from './tests/mutation/groups.mjs';

const groups = selectedGroups();
const tag = groups.length === Object.keys(GROUPS).length ? 'all' : groups.join('+');

/**
 * Mutation testing (`npm run mutate`, see tests/mutation/README.md). Run through
 * tests/mutation/mutate.mjs, which picks the groups and prints the score per module.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  mutate: groups.flatMap((g) => GROUPS[g].mutate),
  testRunner: 'vitest',
  // Related mode: each mutant runs only the test files that import its file, then only the tests
  // whose coverage reached it (the vitest runner always measures coverage per test).
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Two cores shared with other work: one test worker, one checker.
  concurrency: 1,
  checkerNodeArgs: [],
  // A static mutant (in code that runs when its module loads) runs every test of the group, since any
  // test may see it. Groups whose load-time code matters (a machine's definition, pattern tables) run
  // them; the others leave them out (tests/mutation/groups.mjs).
  ignoreStatic: !groups.some((g) => GROUPS[g].staticMutants === 'run'),
  incremental: true,
  incrementalFile: `reports/mutation/${tag}/stryker-incremental.json`,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `reports/mutation/${tag}/mutation.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  // What the sandbox need not copy: build and test leftovers (dist/ is kept: the soak runs it).
  ignorePatterns: ['reports', '.test-tmp', 'var', 'coverage', '.vitest-report.json', '*.log'],
  tempDirName: '.stryker-tmp',
  timeoutMS: 60_000,
  thresholds: { high: 90, low: 75, break: null },
};
