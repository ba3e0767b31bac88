import type { IdError, IdField, IdRecord, IdResult, IdWarning } from '../../ports/id-reader.js';
import { serviceDay } from '../service-day.js';
import { isoFromDdmmyyyy } from './dates.js';
import { repairMojibake } from './mojibake.js';
import { isCountryCode, PROVINCES } from './provinces.js';
import { ownValue } from '../../util/own.js';

/** The 2024 Căn cước card: its QR carries four more fields, after the 2021 card's seven. */
const LAYOUT_2024_FROM = '2024-07-01';
/** Longer than any real QR payload; a scanner gone wrong, not a card. */
const MAX_PAYLOAD_CHARS = 2000;

const fail = (code: IdError['code'], field: IdField, message: string): IdError => ({ code, field, message });

/**
 * Parses and validates the text of a CCCD / Căn cước QR code as scanners deliver it
 * (../shared/reference/cccd.md §1): `id|oldId|name|DDMMYYYY|Nam/Nữ|address|DDMMYYYY[|||||]`.
 * Never throws; every problem is an error with a stable code, and no message repeats the input.
 */
export function parseIdQr(raw: string, now: Date = new Date()): IdResult {
  const warnings: IdWarning[] = [];
  const errors: IdError[] = [];
  if (typeof raw !== 'string' || raw.length > MAX_PAYLOAD_CHARS) {
    return { ok: false, errors: [fail('field_count', 'payload', `the scan is not a card's QR text (more than ${MAX_PAYLOAD_CHARS} characters)`)], warnings };
  }
  // Scanners add a suffix (CR, CR LF, Tab) and some a byte-order mark; only the two ends are trimmed.
  let text = raw.replace(/^\uFEFF/, '').replace(/^[\s\u0000]+|[\s\u0000]+$/g, '');
  const repaired = repairMojibake(text);
  if (repaired.kind === 'broken') {
    return { ok: false, errors: [fail('encoding', 'payload', 'the text arrived garbled (a scanner or decoder read it in the wrong character set) and cannot be repaired; please scan again')], warnings };
  }
  if (repaired.kind === 'repaired') {
    warnings.push({ code: 'encoding_repaired', field: 'payload', message: 'the text arrived as UTF-8 read as Windows-1252 and was repaired' });
  }
  text = repaired.text.normalize('NFC');
  if (/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(text)) {
    return { ok: false, errors: [fail('encoding', 'payload', 'the text contains control characters; please scan again')], warnings };
  }
  let fields = text.split('|').map((f) => f.trim());
  // A scanner configured with `|` as suffix leaves one empty field at the end.
  if ((fields.length === 8 || fields.length === 12) && fields.at(-1) === '') fields = fields.slice(0, -1);
  let layout: IdRecord['layout'];
  const extra = fields.slice(7);
  if (fields.length === 11) {
    layout = 'cancuoc2024';
    if (extra.some((f) => f !== '')) {
      warnings.push({ code: 'extra_fields_filled', field: 'extraFields', message: 'the four fields after the issue date are not empty; they are not read' });
    }
  } else if (fields.length >= 7 && extra.every((f) => f === '')) {
    layout = 'cccd2021';
    if (extra.length > 0) warnings.push({ code: 'trailing_fields', field: 'payload', message: `${extra.length} empty fields after the issue date were ignored` });
  } else {
    return { ok: false, errors: [fail('field_count', 'payload', `a card's QR has 7 or 11 fields separated by "|", this one has ${fields.length}`)], warnings };
  }
  const [idNumber, oldId, fullName, dob, sexText, address, issued] = fields as [string, string, string, string, string, string, string];

  if (!/^\d{12}$/.test(idNumber)) errors.push(fail('id_format', 'idNumber', 'the ID number must be exactly 12 digits'));
  if (oldId !== '' && !/^\d{9}$/.test(oldId)) {
    if (/^\d{12}$/.test(oldId)) warnings.push({ code: 'old_id_12_digits', field: 'oldIdNumber', message: 'the old ID number has 12 digits (an older 12-digit CMND)' });
    else errors.push(fail('id_format', 'oldIdNumber', 'the old ID number must be empty, 9 or 12 digits'));
  }
  if (fullName === '') errors.push(fail('field_empty', 'fullName', 'the name is empty'));
  else if (!/^[\p{L}\p{M}' .-]+$/u.test(fullName)) errors.push(fail('encoding', 'fullName', 'the name contains characters a name cannot have'));
  if (address === '') errors.push(fail('field_empty', 'address', 'the address is empty'));

  const sex = sexText === 'Nam' ? 'male' : sexText === 'Nữ' ? 'female' : null;
  if (sex === null) errors.push(fail('sex_value', 'sex', 'the sex must be "Nam" or "Nữ"'));

  const today = serviceDay(now.getTime());
  const dateOfBirth = isoFromDdmmyyyy(dob);
  if (dateOfBirth === null) errors.push(fail('date_invalid', 'dateOfBirth', 'the date of birth is not a real DDMMYYYY date'));
  else if (dateOfBirth > today) errors.push(fail('date_invalid', 'dateOfBirth', 'the date of birth is in the future'));
  const issueDate = isoFromDdmmyyyy(issued);
  if (issueDate === null) errors.push(fail('date_invalid', 'issueDate', 'the issue date is not a real DDMMYYYY date'));
  else if (issueDate > today) errors.push(fail('issue_date', 'issueDate', 'the issue date is in the future'));
  else if (dateOfBirth !== null && issueDate <= dateOfBirth) errors.push(fail('issue_date', 'issueDate', 'the issue date is not after the date of birth'));
  else if (layout === 'cancuoc2024' && issueDate < LAYOUT_2024_FROM) {
    warnings.push({ code: 'issued_before_layout', field: 'issueDate', message: 'an 11-field card issued before 1 July 2024' });
  }

  const code = idNumber.slice(0, 3);
  const registeredAbroad = isCountryCode(code);
  if (/^\d{12}$/.test(idNumber)) {
    if (ownValue(PROVINCES, code) === undefined && !registeredAbroad) {
      errors.push(fail('province_code', 'idNumber', 'the first three digits are not a province or country code'));
    } else if (registeredAbroad) {
      warnings.push({ code: 'registered_abroad', field: 'idNumber', message: 'the birth was registered abroad (a country code)' });
    }
    // PPP G YY RRRRRR: G gives the century and the sex, YY the year (Thông tư 07/2016, Art. 7).
    const g = Number(idNumber[3]);
    const century = 1900 + 100 * Math.floor(g / 2);
    const male = g % 2 === 0;
    if (dateOfBirth !== null) {
      const year = Number(dateOfBirth.slice(0, 4));
      if (Math.floor(year / 100) * 100 !== century || (sex !== null && male !== (sex === 'male'))) {
        errors.push(fail('century_sex_mismatch', 'idNumber', 'the fourth digit does not agree with the century of birth and the sex'));
      } else if (Number(idNumber.slice(4, 6)) !== year % 100) {
        errors.push(fail('birth_year_mismatch', 'idNumber', 'the fifth and sixth digits do not agree with the year of birth'));
      }
    }
  }

  if (errors.length > 0 || sex === null || dateOfBirth === null || issueDate === null) return { ok: false, errors, warnings };
  return {
    ok: true,
    record: {
      layout,
      idNumber,
      oldIdNumber: oldId === '' ? null : oldId,
      fullName,
      dateOfBirth,
      sex,
      address,
      issueDate,
      birthRegistrationCode: code,
      registeredAbroad,
    },
    warnings,
  };
}
