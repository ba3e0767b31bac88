import * as fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CATALOG_DIR, loadCatalog } from '../../src/civic/catalog.js';

// Some file systems list a directory in an order of their own; this one lists it backwards.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return { ...real, readdirSync: (dir: fs.PathLike) => real.readdirSync(dir, 'utf8').sort().reverse() };
});

describe('the catalog order', () => {
  it('is the order of the file names, whatever order the file system lists them in', () => {
    expect(fs.readdirSync(DEFAULT_CATALOG_DIR)[0]).toBe('temporary_residence.yaml');
    const ids = loadCatalog().procedures().map((p) => p.id);
    expect(ids[0]).toBe('birth_registration');
    expect(ids.map((id) => `${id}.yaml`)).toEqual(fs.readdirSync(DEFAULT_CATALOG_DIR).filter((name) => name.endsWith('.yaml')).reverse());
  });
});
