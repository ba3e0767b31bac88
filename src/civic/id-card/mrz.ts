import { parse as parseMrz } from 'mrz';
import type { IdError, IdRecord, IdResult, MrzRecord, MrzResult } from '../../ports/id-reader.js';
import { isoOf } from './dates.js';

/** What each MRZ character counts for in a check digit, by its index; `<` counts 0. */
const CHARACTER_VALUES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * ICAO 9303 check digit: digits as themselves, A–Z as 10–35, `<` as 0, weights 7, 3, 1. Any other
 * character (lower case included) has no value, so it is refused rather than given one.
 */
export function checkDigit(text: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    const value = c === '<' ? 0 : CHARACTER_VALUES.indexOf(c);
    if (value < 0) throw new RangeError(`not an MRZ character: "${c}"`);
    sum += value * weights[i % 3]!;
  }
  return String(sum % 10);
}

const checksumError = (message: string): IdError => ({ code: 'mrz_checksum', field: 'mrz', message });

/**
 * The TD1 MRZ on the back of the card (three lines of 30). Besides ICAO's check digits, Vietnamese
 * cards carry the whole 12-digit ID in line 1, positions 16–27, with a check digit at 30, and the
 * document number is its last nine digits (../shared/reference/cccd.md §2).
 */
export function readMrz(text: string): MrzResult {
  // trim() also drops a scanner's byte-order mark: U+FEFF is white space to ECMAScript.
  const lines = text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim().toUpperCase())
    .filter((l) => l !== '');
  if (lines.length !== 3 || lines.some((l) => l.length !== 30 || !/^[A-Z0-9<]+$/.test(l))) {
    return { ok: false, errors: [{ code: 'mrz_format', field: 'mrz', message: 'the MRZ must be three lines of 30 characters (A–Z, 0–9, <)' }] };
  }
  const [l1, l2, l3] = lines as [string, string, string];
  // Three lines of 30 are TD1 whatever they say: only the document code and the country tell the card.
  if (!l1.startsWith('IDVNM')) {
    return { ok: false, errors: [{ code: 'mrz_format', field: 'mrz', message: 'the MRZ is not a Vietnamese ID card (TD1, IDVNM)' }] };
  }
  // The library's other findings (dates, sex) are checked below with our own messages; its four
  // check digits (document number, birth date, expiry, composite) are labelled "… check digit".
  const errors: IdError[] = parseMrz(lines)
    .details.filter((d) => !d.valid && d.label.endsWith(' check digit'))
    .map((d) => checksumError(`check digit mismatch: ${d.label}`));
  const idNumber = l1.slice(15, 27);
  const documentNumber = l1.slice(5, 14);
  // idNumber is 12 characters of a checked 30-character line: a non-digit anywhere in it means no ID.
  if (/\D/.test(idNumber) || l1.slice(27, 29) !== '<<' || checkDigit(idNumber) !== l1[29]) {
    errors.push(checksumError('the 12-digit ID in line 1 or its check digit is wrong'));
  } else if (idNumber.slice(3) !== documentNumber) {
    errors.push(checksumError('the document number is not the last nine digits of the ID'));
  }
  if (errors.length > 0) return { ok: false, errors };
  const g = Number(idNumber[3]);
  const century = 1900 + 100 * Math.floor(g / 2);
  const dateOfBirth = isoOf(century + Number(l2.slice(0, 2)), Number(l2.slice(2, 4)), Number(l2.slice(4, 6)));
  const expiry = l2.slice(8, 14);
  const expiryDate = expiry === '991231' ? null : isoOf(2000 + Number(expiry.slice(0, 2)), Number(expiry.slice(2, 4)), Number(expiry.slice(4, 6)));
  if (dateOfBirth === null || (expiry !== '991231' && expiryDate === null) || !'MF'.includes(l2[7]!)) {
    return { ok: false, errors: [{ code: 'mrz_format', field: 'mrz', message: 'the date of birth, expiry or sex in line 2 is not valid' }] };
  }
  const [surname, given = ''] = l3.split('<<') as [string, ...string[]];
  return {
    ok: true,
    record: {
      idNumber,
      documentNumber,
      dateOfBirth,
      sex: l2[7] === 'M' ? 'male' : 'female',
      expiryDate,
      surname: surname.replace(/</g, ' ').trim(),
      givenNames: given.replace(/</g, ' ').trim(),
    },
  };
}

/** The QR and the MRZ of one card must agree on the ID, the date of birth and the sex. */
export function crossCheck(qr: IdResult, mrz: MrzResult): IdResult {
  if (!qr.ok) return mrz.ok ? qr : { ...qr, errors: [...qr.errors, ...mrz.errors] };
  if (!mrz.ok) return { ok: false, errors: mrz.errors, warnings: qr.warnings };
  const a: IdRecord = qr.record;
  const b: MrzRecord = mrz.record;
  const differ = [
    a.idNumber !== b.idNumber ? 'ID number' : null,
    a.dateOfBirth !== b.dateOfBirth ? 'date of birth' : null,
    a.sex !== b.sex ? 'sex' : null,
  ].filter((x): x is string => x !== null);
  if (differ.length === 0) return qr;
  return { ok: false, errors: [{ code: 'qr_mrz_mismatch', field: 'mrz', message: `the QR code and the MRZ disagree on: ${differ.join(', ')}` }], warnings: qr.warnings };
}
