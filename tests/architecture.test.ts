import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../src/paths.js';

/** statecharts/ is pure: it imports xstate, its own files, and only types from the ports. */
describe('architecture', () => {
  const dir = projectPath('statecharts');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files)('statecharts/%s imports nothing with effects', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    const imports = [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^'"]*from\s+['"]([^'"]+)['"]/gm)];
    expect(imports.length).toBeGreaterThan(0);
    for (const [, isType, from] of imports) {
      const allowed = from === 'xstate' || from!.startsWith('./') || (isType !== undefined && from!.startsWith('../src/ports/'));
      expect({ file, from, allowed }).toEqual({ file, from, allowed: true });
    }
  });
});
