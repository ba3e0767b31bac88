import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { catalogFromProcedures, DEFAULT_CATALOG_DIR, loadCatalog } from '../../src/civic/catalog.js';
import { TiepdanError } from '../../src/ports/errors.js';

const REQUIRED_IDS = [
  'birth_registration', 'marriage_registration', 'death_registration', 'marital_status_certificate',
  'civil_status_extract_copy', 'paternity_recognition', 'civil_status_correction', 'copy_certification',
  'signature_certification', 'contract_certification', 'permanent_residence', 'temporary_residence', 'id_card',
  'household_business_registration', 'land_certificate', 'land_change_registration', 'construction_permit',
  'social_allowance', 'health_insurance', 'complaint_petition',
];

describe('procedure catalog', () => {
  it('ships every required procedure, each with sources and a legal basis', () => {
    const catalog = loadCatalog();
    for (const id of REQUIRED_IDS) {
      const p = catalog.get(id);
      expect(p, id).toBeDefined();
      expect(p!.sources.length).toBeGreaterThan(0);
      expect(p!.legalBasis.length).toBeGreaterThan(0);
    }
    expect(catalog.get('marriage_registration')!.idCards).toBe(2);
  });

  describe('a bad file fails naming the file, the place in it and the reason', () => {
    let dir = '';
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const withFile = (name: string, text: string) => {
      dir = mkdtempSync(join(tmpdir(), 'tiepdan-catalog-'));
      copyFileSync(join(DEFAULT_CATALOG_DIR, 'birth_registration.yaml'), join(dir, 'birth_registration.yaml'));
      writeFileSync(join(dir, name), text);
      return () => loadCatalog(dir);
    };
    const birth = readFileSync(join(DEFAULT_CATALOG_DIR, 'birth_registration.yaml'), 'utf8');

    it.each([
      ['bad YAML', 'x.yaml', 'id: [', /x\.yaml: not valid YAML/],
      ['wrong field', 'birth_registration.yaml', birth.replace(/^field: .*$/m, 'field: weddings'), /birth_registration\.yaml: field:/],
      ['unknown key', 'birth_registration.yaml', `${birth}\nfees: 1\n`, /birth_registration\.yaml: unknown key "fees"/],
      ['missing Korean name', 'birth_registration.yaml', birth.replace(/^(names:\n(?:  .*\n)*?)  ko: .*\n/m, '$1'), /birth_registration\.yaml: names\.ko:/],
      ['id not matching the file name', 'other.yaml', birth, /other\.yaml: id: "birth_registration" does not match the file name/],
    ])('%s', (_name, file, text, reason) => {
      const load = withFile(file, text);
      expect(load).toThrow(expect.objectContaining({ code: 'catalog_invalid', message: expect.stringMatching(reason) }));
    });
  });

  describe('a catalog directory', () => {
    let dir = '';
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'tiepdan-catalog-')));
    /** The error `load` throws, for its code, message and cause. */
    const failure = (load: () => unknown): TiepdanError => {
      try {
        load();
      } catch (error) {
        if (error instanceof TiepdanError) return error;
        throw error;
      }
      throw new Error('it loaded');
    };

    it('holds its procedures in the order of their file names, and reads only the *.yaml files', () => {
      fresh();
      for (const id of ['marriage_registration', 'birth_registration', 'copy_certification']) copyFileSync(join(DEFAULT_CATALOG_DIR, `${id}.yaml`), join(dir, `${id}.yaml`));
      writeFileSync(join(dir, 'README.md'), '# not a procedure');
      writeFileSync(join(dir, 'old.yaml.bak'), 'id: [');
      const catalog = loadCatalog(dir);
      expect(catalog.procedures().map((p) => p.id)).toEqual(['birth_registration', 'copy_certification', 'marriage_registration']);
      expect(catalog.get('copy_certification')?.id).toBe('copy_certification');
      expect(catalog.get('land_certificate')).toBeUndefined();
    });

    it('without procedure files, or missing, fails as catalog_invalid naming it', () => {
      fresh();
      writeFileSync(join(dir, 'notes.txt'), 'nothing here');
      const empty = failure(() => loadCatalog(dir));
      expect(empty.code).toBe('catalog_invalid');
      expect(empty.message).toBe(`tiepdan catalog_invalid: no procedure files (*.yaml) in ${dir}`);
      const missing = failure(() => loadCatalog(join(dir, 'nowhere')));
      expect(missing.message).toBe(`tiepdan catalog_invalid: cannot read catalog directory ${join(dir, 'nowhere')}`);
      expect((missing.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    });

    it('with a file that is not YAML fails with the parser\'s first line and the parser\'s error as cause', () => {
      fresh();
      writeFileSync(join(dir, 'x.yaml'), 'id: [\nnames: {');
      const error = failure(() => loadCatalog(dir));
      expect(error.code).toBe('catalog_invalid');
      expect(error.cause).toBeInstanceOf(Error);
      const parserMessage = (error.cause as Error).message;
      // The parser's message goes on with the offending lines quoted; only its first line, where it says what and where, is kept.
      expect(parserMessage.split('\n').length).toBeGreaterThan(1);
      expect(error.message).toBe(`tiepdan catalog_invalid: ${join(dir, 'x.yaml')}: not valid YAML (${parserMessage.split('\n')[0]})`);
      expect(error.message).toContain('at line 2, column 1');
    });

    it('with a procedure that breaks the schema fails as catalog_invalid', () => {
      fresh();
      writeFileSync(join(dir, 'birth_registration.yaml'), 'id: birth_registration\n');
      const error = failure(() => loadCatalog(dir));
      expect(error.code).toBe('catalog_invalid');
      expect(error.message).toMatch(/^tiepdan catalog_invalid: .*birth_registration\.yaml: /);
    });
  });

  it('refuses two procedures with one id', () => {
    const birth = loadCatalog().get('birth_registration')!;
    expect(() => catalogFromProcedures([birth, loadCatalog().get('copy_certification')!, birth])).toThrow(
      new TiepdanError('catalog_invalid', 'duplicate procedure id birth_registration'),
    );
    expect(catalogFromProcedures([birth]).procedures()).toEqual([birth]);
  });
});

