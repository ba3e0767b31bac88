import { defineConfig } from 'vitest/config';

export default defineConfig({
  // xstate's development build adds checks that slow the model-based exploration several-fold.
  resolve: { conditions: ['module', 'node', 'import', 'default'] },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**', 'dist/**'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
