import type { IdRecord } from '../../ports/id-reader.js';

/**
 * How ID data may appear outside the step that uses it (kiosk confirmation, console, logs):
 * `0790*****123`, `N***** V** A` (../shared/ARCHITECTURE.md, Data and privacy).
 */
export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 7)}${id.slice(-3)}`;
}

/** Each word keeps its first letter; the rest become stars. */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter((w) => w !== '')
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

/** The year stays: the counter confirms age brackets, not birthdays. */
export function maskDate(iso: string): string {
  return `**/**/${iso.slice(0, 4)}`;
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
