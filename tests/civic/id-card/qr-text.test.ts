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

describe('each rule of the QR text, alone, with what it tells the operator', () => {
  // A woman born 12 May 2003 in Ho Chi Minh City, card of 1 August 2021: valid as it stands.
  const base = { ...card, id: '079303001234', oldId: '', name: 'Trần Thị Mai', dob: { y: 2003, m: 5, d: 12 }, male: false, issued: { y: 2021, m: 8, d: 1 }, layout: 'cccd2021' as const };
  const text = qrText(base);
  const error = (code: string, field: string, message: string) => ({ ok: false, errors: [{ code, field, message }], warnings: [] });
  const warned = (r: IdResult) => r.warnings.map((w) => [w.code, w.field, w.message]);

  it('reads the valid card with no warning', () => {
    const r = parse(text);
    expect(r).toEqual({
      ok: true,
      record: { layout: 'cccd2021', idNumber: '079303001234', oldIdNumber: null, fullName: 'Trần Thị Mai', dateOfBirth: '2003-05-12', sex: 'female', address: base.address, issueDate: '2021-08-01', birthRegistrationCode: '079', registeredAbroad: false },
      warnings: [],
    });
  });

  it.each([
    ['six fields', text.split('|').slice(0, 6).join('|'), error('field_count', 'payload', 'a card\'s QR has 7 or 11 fields separated by "|", this one has 6')],
    ['nine fields, not all empty', `${text}|x|`, error('field_count', 'payload', 'a card\'s QR has 7 or 11 fields separated by "|", this one has 9')],
    ['eight fields, the last filled', `${text}|x`, error('field_count', 'payload', 'a card\'s QR has 7 or 11 fields separated by "|", this one has 8')],
    ['twelve fields, the last filled', `${text}|||||x`, error('field_count', 'payload', 'a card\'s QR has 7 or 11 fields separated by "|", this one has 12')],
    ['an ID of 11 digits', withFields(base, { 0: '07930300123' }), error('id_format', 'idNumber', 'the ID number must be exactly 12 digits')],
    ['an ID of 13 digits', withFields(base, { 0: '0793030012345' }), error('id_format', 'idNumber', 'the ID number must be exactly 12 digits')],
    ['an ID with a letter', withFields(base, { 0: '07930300123A' }), error('id_format', 'idNumber', 'the ID number must be exactly 12 digits')],
    // A malformed ID gets that one error: its digits are not read for a province, country, century or year.
    ['an ID with a letter first', withFields(base, { 0: 'A79303001234' }), error('id_format', 'idNumber', 'the ID number must be exactly 12 digits')],
    ['an ID of 13 digits, a country code first', withFields(base, { 0: '1079303001234' }), error('id_format', 'idNumber', 'the ID number must be exactly 12 digits')],
    ['an old ID of 5 digits', withFields(base, { 1: '12345' }), error('id_format', 'oldIdNumber', 'the old ID number must be empty, 9 or 12 digits')],
    ['an old ID of 10 digits', withFields(base, { 1: '0251234567' }), error('id_format', 'oldIdNumber', 'the old ID number must be empty, 9 or 12 digits')],
    ['an old ID of 9 digits and a letter', withFields(base, { 1: '025123456A' }), error('id_format', 'oldIdNumber', 'the old ID number must be empty, 9 or 12 digits')],
    ['an old ID of 13 digits', withFields(base, { 1: '0251234567890' }), error('id_format', 'oldIdNumber', 'the old ID number must be empty, 9 or 12 digits')],
    ['no name', withFields(base, { 2: '' }), error('field_empty', 'fullName', 'the name is empty')],
    ['a digit in the name', withFields(base, { 2: 'Trần Thị Mai 2' }), error('encoding', 'fullName', 'the name contains characters a name cannot have')],
    ['a name that starts with a digit', withFields(base, { 2: '2 Trần Thị Mai' }), error('encoding', 'fullName', 'the name contains characters a name cannot have')],
    ['no address', withFields(base, { 5: '' }), error('field_empty', 'address', 'the address is empty')],
    ['a sex written in English', withFields(base, { 4: 'F' }), error('sex_value', 'sex', 'the sex must be "Nam" or "Nữ"')],
    // With no sex read, the ID's fourth digit has nothing to disagree with: a man's card says only what is wrong.
    ['a sex written in English on a man\'s card', withFields(base, { 0: '079203001234', 4: 'M' }), error('sex_value', 'sex', 'the sex must be "Nam" or "Nữ"')],
    ['a date of birth that is no date', withFields(base, { 3: '30022003' }), error('date_invalid', 'dateOfBirth', 'the date of birth is not a real DDMMYYYY date')],
    ['an issue date that is no date', withFields(base, { 6: '31042021' }), error('date_invalid', 'issueDate', 'the issue date is not a real DDMMYYYY date')],
    ['an issue date after today', withFields(base, { 6: '28112026' }), error('issue_date', 'issueDate', 'the issue date is in the future')],
    ['an issue date before the birth', withFields(base, { 6: '11052003' }), error('issue_date', 'issueDate', 'the issue date is not after the date of birth')],
    ['an issue date on the day of birth', withFields(base, { 6: '12052003' }), error('issue_date', 'issueDate', 'the issue date is not after the date of birth')],
    ['a province code that is none', withFields(base, { 0: '003303001234' }), error('province_code', 'idNumber', 'the first three digits are not a province or country code')],
    ['a century digit for a man', withFields(base, { 0: '079203001234' }), error('century_sex_mismatch', 'idNumber', 'the fourth digit does not agree with the century of birth and the sex')],
    ['a century digit for the 1900s', withFields(base, { 0: '079103001234' }), error('century_sex_mismatch', 'idNumber', 'the fourth digit does not agree with the century of birth and the sex')],
    ['a birth year digit off by one', withFields(base, { 0: '079304001234' }), error('birth_year_mismatch', 'idNumber', 'the fifth and sixth digits do not agree with the year of birth')],
    ['a control character', withFields(base, { 5: 'Số 5\u0007 Lê Lợi' }), error('encoding', 'payload', 'the text contains control characters; please scan again')],
    ['a C1 control character', withFields(base, { 5: 'Số 5\u0085 Lê Lợi' }), error('encoding', 'payload', 'the text contains control characters; please scan again')],
    ['a NUL inside', withFields(base, { 5: 'Số 5\u0000 Lê Lợi' }), error('encoding', 'payload', 'the text contains control characters; please scan again')],
    ['a replacement character', text.replace('Mai', 'M\uFFFDi'), error('encoding', 'payload', 'the text arrived garbled (a scanner or decoder read it in the wrong character set) and cannot be repaired; please scan again')],
    ['more than 2000 characters', `${text}${' '.repeat(2001 - text.length)}x`, error('field_count', 'payload', 'the scan is not a card\'s QR text (more than 2000 characters)')],
  ])('%s', (_name, input, expected) => {
    expect(parse(input)).toEqual(expected);
  });

  it('lets no error through on its own: a card with several faults gets them all, in order', () => {
    const r = parse(withFields(base, { 0: '07930300123', 2: '', 4: 'F', 5: '' }));
    expect(codes(r)).toEqual(['id_format', 'field_empty', 'field_empty', 'sex_value']);
  });

  it('a payload of exactly 2000 characters is read as text, not refused for its size', () => {
    expect(codes(parse('x'.repeat(2000)))).toEqual(['field_count']);
    expect(parse('x'.repeat(2000))).toMatchObject({ errors: [{ message: 'a card\'s QR has 7 or 11 fields separated by "|", this one has 1' }] });
    expect(parse(42 as unknown as string)).toEqual(error('field_count', 'payload', 'the scan is not a card\'s QR text (more than 2000 characters)'));
  });

  it('accepts a date of birth of today and an issue date of today, and says which date is wrong otherwise', () => {
    // Born today (27 November 2026, a girl: century digit 3), card issued today: only the issue date is wrong.
    const newborn = withFields(base, { 0: '079326001234', 3: '27112026', 6: '27112026' });
    expect(parse(newborn)).toEqual(error('issue_date', 'issueDate', 'the issue date is not after the date of birth'));
    expect(parse(withFields(base, { 6: '27112026' })).ok).toBe(true);
    // Born tomorrow: that is said first, and the card's other disagreements with it after.
    expect(codes(parse(withFields(base, { 0: '079326001234', 3: '28112026', 6: '01012026' })))).toEqual(['date_invalid', 'issue_date']);
    expect(parse(withFields(base, { 0: '079326001234', 3: '28112026', 6: '01012026' }))).toMatchObject({ errors: [{ field: 'dateOfBirth', message: 'the date of birth is in the future' }, {}] });
  });

  it('takes what an old card and a name may hold: a 9- or 12-digit old ID, apostrophes, hyphens and dots', () => {
    const old9 = parse(withFields(base, { 1: '025123456' }));
    expect(old9.ok && old9.record.oldIdNumber).toBe('025123456');
    expect(old9.warnings).toEqual([]);
    const old12 = parse(withFields(base, { 1: '025123456789' }));
    expect(old12.ok && old12.record.oldIdNumber).toBe('025123456789');
    expect(warned(old12)).toEqual([['old_id_12_digits', 'oldIdNumber', 'the old ID number has 12 digits (an older 12-digit CMND)']]);
    const name = parse(withFields(base, { 2: "H'Hen Niê-Mlô J. Mai" }));
    expect(name.ok && name.record.fullName).toBe("H'Hen Niê-Mlô J. Mai");
  });

  it('says what it tolerated: a birth registered abroad, a repaired text, empty trailing fields, filled extra fields, an early 2024 layout', () => {
    expect(warned(parse(withFields(base, { 0: '175303001234' })))).toEqual([['registered_abroad', 'idNumber', 'the birth was registered abroad (a country code)']]);
    const garbled = new TextDecoder('windows-1252').decode(new TextEncoder().encode(text));
    expect(warned(parse(garbled))).toEqual([['encoding_repaired', 'payload', 'the text arrived as UTF-8 read as Windows-1252 and was repaired']]);
    const trailing = parse(`${text}|||`);
    expect(trailing.ok && trailing.record.layout).toBe('cccd2021');
    expect(warned(trailing)).toEqual([['trailing_fields', 'payload', '3 empty fields after the issue date were ignored']]);
    // One empty field after the seven is a scanner's `|` suffix: dropped without a word, as one after eleven.
    expect(parse(`${text}|`)).toEqual(parse(text));
    const card2024 = { ...base, layout: 'cancuoc2024' as const, issued: { y: 2024, m: 7, d: 1 } };
    const read2024 = parse(`${qrText(card2024)}|`);
    expect(read2024.ok && read2024.record.layout).toBe('cancuoc2024');
    expect(read2024.warnings).toEqual([]);
    const filled = parse([...qrText(card2024).split('|').slice(0, 7), '', 'x', '', ''].join('|'));
    expect(filled.ok && filled.record.layout).toBe('cancuoc2024');
    expect(warned(filled)).toEqual([['extra_fields_filled', 'extraFields', 'the four fields after the issue date are not empty; they are not read']]);
    const early = parse(qrText({ ...card2024, issued: { y: 2024, m: 6, d: 30 } }));
    expect(warned(early)).toEqual([['issued_before_layout', 'issueDate', 'an 11-field card issued before 1 July 2024']]);
    // The seven-field card of the same day is what it should be.
    expect(parse(qrText({ ...base, issued: { y: 2024, m: 6, d: 30 } })).warnings).toEqual([]);
  });

  it('trims each field and the ends of the payload (spaces, NULs), nothing inside', () => {
    const spaced = text.split('|').map((f) => ` ${f}\t`).join('|');
    expect(parse(spaced)).toEqual(parse(text));
    expect(parse(`\u0000 ${text}\u0000\u0000`)).toEqual(parse(text));
    expect(parse(`\u0000\u0000${text}`)).toEqual(parse(text));
    expect(parse(`\uFEFF${text}`)).toEqual(parse(text));
    // A byte-order mark anywhere but first is not a scanner's: it stays, and the name check sees it.
    expect(codes(parse(withFields(base, { 2: 'Trần\uFEFFThị Mai' })))).toEqual(['encoding']);
  });
});
