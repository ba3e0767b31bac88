import { defineConfig, mergeConfig } from 'vitest/config';
import { excludedTests, selectedGroups } from './tests/mutation/groups.mjs';
import base from './vitest.config.js';

/** The test suite as Stryker runs it (see stryker.config.mjs): the same tests, minus what never helps a mutant. */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [...excludedTests(selectedGroups()), 'node_modules/**', 'dist/**'],
      reporters: ['default'],
    },
  }),
);
