import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskRecord } from '../../../src/civic/id-card/mask.js';
import { parseIdQr } from '../../../src/civic/id-card/qr-text.js';
import { ID_ERROR_CODES, type IdResult } from '../../../src/ports/id-reader.js';
import { ddmmyyyy, iso, qrText, syntheticCards, type SyntheticCard } from '../../../sim/id-cards.js';

const NOW = new Date('2026-11-27T03:00:00Z');
const cards = syntheticCards(40, 7);
const parse = (text: string) => parseIdQr(text, NOW);
const codes = (r: IdResult) => (r.ok ? [] : r.errors.map((e) => e.code));
/** The QR fields of a card with some replaced, in the card's layout. */
function withFields(card: SyntheticCard, change: Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, string>>): string {
  const fields = qrText(card).split('|');
  for (const [i, v] of Object.entries(change)) fields[Number(i)] = v;
  return fields.join('|');
}
const card = cards[0]!;

describe('reading the QR text of a CCCD / Căn cước card', () => {
  it.each(cards.map((c, i) => [i, c] as const))('reads synthetic card %i in its layout, every field in place', (_i, c) => {
    const r = parse(qrText(c));
    expect(r.ok, JSON.stringify(codes(r))).toBe(true);
    if (!r.ok) return;
    expect(r.record).toMatchObject({
      layout: c.layout,
      idNumber: c.id,
      oldIdNumber: c.oldId === '' ? null : c.oldId,
      fullName: c.name,
      dateOfBirth: iso(c.dob),
      sex: c.male ? 'male' : 'female',
      address: c.address,
      issueDate: iso(c.issued),
      birthRegistrationCode: c.id.slice(0, 3),
      registeredAbroad: false,
    });
  });

  it.each([
    ['CR', '\r'],
    ['CR LF', '\r\n'],
    ['Tab', '\t'],
    ['spaces', '   '],
    ['a trailing |', '|'],
    ['a trailing | and CR LF', '|\r\n'],
  ])('tolerates what scanners append: %s', (_name, suffix) => {
    for (const c of cards.slice(0, 4)) expect(parse(`\uFEFF${qrText(c)}${suffix}`).ok).toBe(true);
  });

  it('keeps empty fields: an empty old ID does not shift the name into its place', () => {
    const c = cards.find((x) => x.oldId === '')!;
    const r = parse(qrText(c));
    expect(r.ok && r.record.oldIdNumber === null && r.record.fullName === c.name).toBe(true);
  });

  it('repairs UTF-8 read as Windows-1252 (keyboard-wedge scanners) and says so', () => {
    for (const c of cards.slice(0, 10)) {
      const garbled = new TextDecoder('windows-1252').decode(new TextEncoder().encode(qrText(c)));
      expect(garbled).not.toBe(qrText(c));
      const r = parse(garbled);
      expect(r.ok && r.record.fullName === c.name && r.record.address === c.address).toBe(true);
      expect(r.warnings.map((w) => w.code)).toContain('encoding_repaired');
    }
  });

  it('refuses garbled text it cannot repair (bytes a keyboard wedge dropped) with "encoding"', () => {
    // "Đ" is C4 90 and "ờ" E1 BB 9D: 0x90 and 0x9D are invisible and get lost.
    const c = { ...card, name: 'Đỗ Thị Hường', address: '5 Lê Lợi, Phường Bến Thành, TP Hồ Chí Minh' };
    const garbled = new TextDecoder('windows-1252').decode(new TextEncoder().encode(qrText(c))).replace(/[\u0081\u008D\u008F\u0090\u009D]/g, '');
    expect(codes(parse(garbled))).toEqual(['encoding']);
    expect(codes(parse(qrText(c).replace('Hường', 'H\uFFFDng')))).toEqual(['encoding']);
  });

  it('rejects each broken rule with its stable code', () => {
    const born2003 = { ...card, id: `079303${card.id.slice(6)}`, dob: { y: 2003, m: 5, d: 12 }, male: false, issued: { y: 2021, m: 8, d: 1 }, layout: 'cccd2021' as const };
    expect(parse(qrText(born2003)).ok).toBe(true);
    const cases: [string, string, string][] = [
      ['field_count', qrText(born2003).split('|').slice(0, 6).join('|'), 'payload'],
      ['field_count', `${qrText(born2003)}|x|y`, 'payload'],
      ['field_empty', withFields(born2003, { 2: '' }), 'fullName'],
      ['id_format', withFields(born2003, { 0: '07930300123' }), 'idNumber'],
      ['id_format', withFields(born2003, { 0: '07930300123A' }), 'idNumber'],
      ['id_format', withFields(born2003, { 1: '12345' }), 'oldIdNumber'],
      ['province_code', withFields(born2003, { 0: `003${born2003.id.slice(3)}` }), 'idNumber'],
      ['province_code', withFields(born2003, { 0: `300${born2003.id.slice(3)}` }), 'idNumber'],
      ['century_sex_mismatch', withFields(born2003, { 0: `0792${born2003.id.slice(4)}` }), 'idNumber'],
      ['century_sex_mismatch', withFields(born2003, { 0: `0791${born2003.id.slice(4)}` }), 'idNumber'],
      ['birth_year_mismatch', withFields(born2003, { 0: `079304${born2003.id.slice(6)}` }), 'idNumber'],
      ['date_invalid', withFields(born2003, { 3: '30022003' }), 'dateOfBirth'],
      ['date_invalid', withFields(born2003, { 3: '2003-05-12' }), 'dateOfBirth'],
      ['date_invalid', withFields(born2003, { 6: '31042021' }), 'issueDate'],
      ['sex_value', withFields(born2003, { 4: 'F' }), 'sex'],
      ['sex_value', withFields(born2003, { 4: 'nữ' }), 'sex'],
      ['issue_date', withFields(born2003, { 6: '01012030' }), 'issueDate'],
      ['issue_date', withFields(born2003, { 6: '01012000' }), 'issueDate'],
      ['encoding', withFields(born2003, { 2: 'Trần\u0007Mai' }), 'payload'],
    ];
    for (const [code, text, field] of cases) {
      const r = parse(text);
      expect(r.ok, `${code} ${field}`).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => [e.code, e.field]), code).toContainEqual([code, field]);
    }
  });

  it('accepts a leap day in a leap year only', () => {
    const leap = { ...card, id: `${card.id.slice(0, 3)}${card.male ? 0 : 1}88${card.id.slice(6)}`, dob: { y: 1988, m: 2, d: 29 } };
    expect(parse(qrText(leap)).ok).toBe(true);
    expect(codes(parse(withFields(leap, { 3: ddmmyyyy({ y: 1988, m: 2, d: 30 }) })))).toContain('date_invalid');
  });

  it('accepts a birth registered abroad (country code 101–295) with a warning', () => {
    const abroad = { ...card, id: `175${card.id.slice(3)}` };
    const r = parse(qrText(abroad));
    expect(r.ok && r.record.registeredAbroad).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain('registered_abroad');
  });

  it('never throws, whatever it is given, and always answers with known codes', () => {
    const valid = qrText(card);
    const mutated = fc.tuple(fc.nat(valid.length), fc.nat(valid.length), fc.string({ maxLength: 8 })).map(([a, b, s]) => valid.slice(0, Math.min(a, b)) + s + valid.slice(Math.max(a, b)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), mutated), (text) => {
        const r = parse(text);
        if (!r.ok) for (const e of r.errors) expect(ID_ERROR_CODES).toContain(e.code);
      }),
      { numRuns: 3000 },
    );
  });

  it('never puts the input into an error message', () => {
    // Every field value the card has, at least three characters long, must not appear in any message.
    fc.assert(
      fc.property(fc.nat(cards.length - 1), fc.nat(6), fc.string({ minLength: 0, maxLength: 20 }), (i, field, replacement) => {
        const c = cards[i]!;
        const text = withFields(c, { [field]: replacement } as Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, string>>);
        const r = parse(text);
        // The sex field's two values are the only input the messages may name ("Nam" or "Nữ").
        const secrets = [...text.split('|').filter((_, k) => k !== 4), ...c.name.split(' '), c.id.slice(3), c.id.slice(0, 9)].filter((s) => s.trim().length >= 3 && s.trim() !== 'Nam');
        const messages = [...(r.ok ? [] : r.errors), ...r.warnings].map((e) => e.message).join('\n');
        for (const secret of secrets) expect(messages).not.toContain(secret.trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('masks what it shows: no name part, ID number or address street survives', () => {
    for (const c of cards) {
      const r = parse(qrText(c));
      if (!r.ok) throw new Error('synthetic card did not read');
      const masked = maskRecord(r.record);
      const shown = JSON.stringify(masked);
      expect(masked.idNumber).toBe(`*********${c.id.slice(-3)}`);
      expect(shown).not.toContain(String(c.dob.y));
      expect(shown).not.toContain(c.id);
      for (const part of c.name.split(' ')) if (Array.from(part).length > 1) expect(masked.fullName).not.toContain(part);
      for (const part of c.address.split(',').slice(0, -1)) expect(shown).not.toContain(part.trim());
      expect(shown).not.toContain(ddmmyyyy(c.dob));
      expect(shown).not.toContain(iso(c.dob));
    }
  });
});
