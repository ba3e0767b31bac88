import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_DIR, loadCatalog } from '../../src/civic/catalog.js';

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
      expect(load).toThrow(reason);
    });
  });
});
