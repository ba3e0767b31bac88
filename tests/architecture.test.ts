import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../src/paths.js';

/**
 * The direction of dependencies (docs/architecture.md): the statechart is pure; nothing in src/
 * imports the simulator except the entry points in src/cli, and the robot's own path not even
 * there; the simulator offers ports and never builds a controller or picks an intent model.
 */

interface Import {
  /** Project-relative path of the imported file, or the package name. */
  readonly target: string;
  readonly typeOnly: boolean;
  /** `import()` at run time, not at load time. */
  readonly dynamic: boolean;
}

const ROOT = projectPath();

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'web' ? [] : tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import of a source file, static and dynamic, resolved to the project file it names. */
export function importsOf(file: string, source = readFileSync(file, 'utf8')): Import[] {
  const found: Import[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean): void => {
    const target = spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))) : spec;
    found.push({ target, typeOnly, dynamic });
  };
  for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) add(m[2]!, m[1] !== undefined, false);
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) add(m[1]!, false, true);
  return found;
}

const rel = (path: string): string => relative(ROOT, path);
const inSim = (target: string): boolean => target.startsWith('sim/');

/** The files a module loads when it is loaded: static imports, followed through the project. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of importsOf(join(ROOT, path))) {
      if (!i.dynamic && !i.typeOnly && (i.target.startsWith('src/') || i.target.startsWith('sim/') || i.target.startsWith('statecharts/')) && existsSync(join(ROOT, i.target))) visit(i.target);
    }
  };
  visit(entry);
  return seen;
}

describe('architecture', () => {
  const statecharts = tsFiles(projectPath('statecharts'));
  it.each(statecharts.map(rel))('%s imports xstate, its own files and only types from the ports', (file) => {
    const imports = importsOf(join(ROOT, file));
    expect(imports.length).toBeGreaterThan(0);
    for (const i of imports) {
      const allowed = i.target === 'xstate' || i.target.startsWith('statecharts/') || (i.typeOnly && i.target.startsWith('src/ports/'));
      expect({ file, ...i, allowed }).toEqual({ file, ...i, allowed: true });
    }
  });

  const src = tsFiles(projectPath('src')).map(rel);
  it.each(src.filter((f) => !f.startsWith('src/cli/')))('%s does not import the simulator', (file) => {
    const bad = importsOf(join(ROOT, file)).filter((i) => inSim(i.target));
    expect(bad, `${file} imports ${bad.map((i) => i.target).join(', ')}`).toEqual([]);
  });

  // The robot runs `tiepdan start --base ros2` and `tiepdan map check`: what they load must not include the simulator.
  it.each(['src/cli/main.ts', 'src/cli/start.ts', 'src/cli/robot-lobby.ts', 'src/cli/controller-process.ts', 'src/cli/ros2-sim-controller-process.ts', 'src/cli/map.ts'])('%s loads no simulator code', (entry) => {
    const loaded = [...staticClosure(entry)].filter(inSim);
    expect(loaded, `${entry} loads ${loaded.join(', ')}`).toEqual([]);
  });

  // The simulator hands out ports; which controller runs on them, and with which model, is the caller's.
  const forbiddenInSim = ['src/app/controller.ts', 'src/app/compose.ts', 'src/app/in-process-host.ts', 'src/app/intent-model.ts', 'src/nlu/', 'src/adapters/onnx/'];
  it.each(tsFiles(projectPath('sim')).map(rel))('%s builds no controller and picks no intent model', (file) => {
    const bad = importsOf(join(ROOT, file)).filter((i) => !i.typeOnly && forbiddenInSim.some((f) => i.target.startsWith(f)));
    expect(bad, `${file} imports ${bad.map((i) => i.target).join(', ')}`).toEqual([]);
  });

  it('finds a planted import of the simulator, static or dynamic', () => {
    const file = projectPath('src', 'app', 'planted.ts');
    expect(importsOf(file, "import { Random } from '../../sim/random.js';").map((i) => i.target)).toEqual(['sim/random.ts']);
    expect(importsOf(file, "const m = await import('../../sim/runner.js');").map((i) => i.target)).toEqual(['sim/runner.ts']);
    expect(importsOf(file, "import type { World } from '../../sim/world.js';").map((i) => i.typeOnly)).toEqual([true]);
  });
});
