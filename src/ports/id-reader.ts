/**
 * Reading a citizen's ID card (CCCD 2021 or Căn cước 2024): the QR text, the MRZ on the back, or a
 * camera image of the QR. A record holds personal data: it lives only as long as the step that needs
 * it and is shown or logged only masked (src/civic/id-card/mask.ts).
 */

/** Stable codes: callers and tests branch on these, never on message text. */
export const ID_ERROR_CODES = [
  'field_count',
  'field_empty',
  'id_format',
  'province_code',
  'century_sex_mismatch',
  'birth_year_mismatch',
  'date_invalid',
  'sex_value',
  'encoding',
  'issue_date',
  'mrz_format',
  'mrz_checksum',
  'qr_mrz_mismatch',
  'no_qr_found',
] as const;
export type IdErrorCode = (typeof ID_ERROR_CODES)[number];

/** Field names as they appear in errors and records; an error names the field, never its value. */
export type IdField =
  | 'payload'
  | 'idNumber'
  | 'oldIdNumber'
  | 'fullName'
  | 'dateOfBirth'
  | 'sex'
  | 'address'
  | 'issueDate'
  | 'extraFields'
  | 'mrz'
  | 'image';

export interface IdError {
  readonly code: IdErrorCode;
  readonly field: IdField;
  /** Says what is wrong with the field; never contains any of the input. */
  readonly message: string;
}

export interface IdWarning {
  readonly code: 'encoding_repaired' | 'trailing_fields' | 'registered_abroad' | 'old_id_12_digits' | 'extra_fields_filled' | 'issued_before_layout';
  readonly field: IdField;
  readonly message: string;
}

export interface IdRecord {
  /** `cccd2021`: 7 QR fields; `cancuoc2024`: 11. */
  readonly layout: 'cccd2021' | 'cancuoc2024';
  readonly idNumber: string;
  readonly oldIdNumber: string | null;
  readonly fullName: string;
  /** ISO date, yyyy-mm-dd. */
  readonly dateOfBirth: string;
  readonly sex: 'male' | 'female';
  readonly address: string;
  /** ISO date, yyyy-mm-dd. */
  readonly issueDate: string;
  /** The first three digits: where the birth was registered. */
  readonly birthRegistrationCode: string;
  readonly registeredAbroad: boolean;
}

export type IdResult =
  | { readonly ok: true; readonly record: IdRecord; readonly warnings: readonly IdWarning[] }
  | { readonly ok: false; readonly errors: readonly IdError[]; readonly warnings: readonly IdWarning[] };

/** What the MRZ (TD1, three lines of 30) says; names there have no diacritics. */
export interface MrzRecord {
  readonly idNumber: string;
  readonly documentNumber: string;
  /** ISO date; the century comes from the ID number's century digit. */
  readonly dateOfBirth: string;
  readonly sex: 'male' | 'female';
  /** ISO date, or null for "no expiry" (991231). */
  readonly expiryDate: string | null;
  readonly surname: string;
  readonly givenNames: string;
}

export type MrzResult =
  | { readonly ok: true; readonly record: MrzRecord }
  | { readonly ok: false; readonly errors: readonly IdError[] };

export interface IdReader {
  /** The text a QR scanner (USB/HID or serial) or a decoder gives. */
  readQr(text: string): IdResult;
  /** The QR text and the MRZ lines together, cross-checked. */
  readQrWithMrz(text: string, mrz: string): IdResult;
  /** An RGBA camera frame (width × height × 4 bytes). */
  readImage(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): IdResult;
}
