import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root, found from this module's location, so shipped data resolves the same
 * whether the code runs from `src/` (tests) or from the built `dist/src/`.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'civic', 'catalog'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`tiepdan: cannot find the project root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot();
export const projectPath = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);

/** The built web pages (`npm run build` writes them with Vite from `src/web/`). */
export const WEB_ROOT = projectPath('dist', 'web');
