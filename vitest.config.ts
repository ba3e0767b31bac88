import { defineConfig } from 'vitest/config';

export default defineConfig({
  // xstate's development build adds checks that slow the model-based search several-fold.
  resolve: { conditions: ['module', 'node', 'import', 'default'] },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**', 'dist/**'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report is what CI counts from (.ci/run); the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
