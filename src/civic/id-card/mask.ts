import type { IdRecord } from '../../ports/id-reader.js';

/**
 * How an ID number may appear outside the step that uses it (kiosk confirmation, console, logs):
 * `*********123`. Only the last three digits: the first six are province, century/sex and birth year,
 * so showing them beside a birth year left three random digits to guess.
 */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return `${'*'.repeat(id.length - 3)}${id.slice(-3)}`;
}

/** Each word keeps its first letter; the rest become stars. */
export function maskName(name: string): string {
  return (name.match(/\S+/g) ?? [])
    .map((w) => {
      const letters = Array.from(w);
      return letters[0]! + '*'.repeat(letters.length - 1);
    })
    .join(' ');
}

/** Only the last part (the province or city) stays readable. */
export function maskAddress(address: string): string {
  const parts = address.split(',').map((p) => p.trim());
  return parts.length <= 1 ? '***' : `***, ${parts.at(-1)}`;
}

/**
 * Nothing of the date of birth is shown where the ID number is: its year is digits 5–6 of the number.
 * The counter reads the whole date from the sealed request when it needs it.
 */
export function maskDate(_iso: string): string {
  return '**/**/****';
}

export interface MaskedIdRecord {
  readonly layout: IdRecord['layout'];
  readonly idNumber: string;
  readonly oldIdNumber: string | null;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly sex: IdRecord['sex'];
  readonly address: string;
  readonly issueDate: string;
  readonly registeredAbroad: boolean;
}

export function maskRecord(record: IdRecord): MaskedIdRecord {
  return {
    layout: record.layout,
    idNumber: maskIdNumber(record.idNumber),
    oldIdNumber: record.oldIdNumber === null ? null : maskIdNumber(record.oldIdNumber),
    fullName: maskName(record.fullName),
    dateOfBirth: maskDate(record.dateOfBirth),
    sex: record.sex,
    address: maskAddress(record.address),
    issueDate: record.issueDate,
    registeredAbroad: record.registeredAbroad,
  };
}
