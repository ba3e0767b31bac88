import { defineConfig, mergeConfig } from 'vitest/config';
import { excludedTests, includedTests, selectedGroups } from './tests/mutation/groups.mjs';
import { CheapestFirstSequencer, FileCostReporter } from './tests/mutation/cheapest-first.js';
import base from './vitest.config.js';

/**
 * The test suite as Stryker runs it (see stryker.config.mjs): the tests that judge the chosen groups,
 * minus what never helps a mutant and what the groups leave out (tests/mutation/groups.mjs), cheapest
 * file first.
 */
const config = mergeConfig(base, defineConfig({ test: { sequence: { sequencer: CheapestFirstSequencer } } }));
// Replaced, not merged (mergeConfig would add to the suite's lists): the groups' tests; no JSON
// report per mutant, and the reporter that times files for the sequencer.
config.test!.include = includedTests(selectedGroups());
config.test!.exclude = [...excludedTests(selectedGroups()), 'node_modules/**', 'dist/**'];
config.test!.reporters = [new FileCostReporter()];
export default config;
