import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Three small pages served by the controller itself; `TIEPDAN_WEB_OUT` lets tests build elsewhere. */
export default defineConfig({
  root: here('.'),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: process.env['TIEPDAN_WEB_OUT'] ?? here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or styles: the server's Content-Security-Policy allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      // zod's sources carry /*@__PURE__*/ notes Rollup cannot place; harmless, and noise in every build.
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
      input: {
        console: here('console/index.html'),
        kiosk: here('kiosk/index.html'),
        counter: here('counter/index.html'),
      },
    },
  },
});
