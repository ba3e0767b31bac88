import type { IdDataField } from '../../ports/catalog.js';
import type { IdRecord } from '../../ports/id-reader.js';

const VALUE_OF: Readonly<Record<IdDataField, (r: IdRecord) => string>> = {
  idNumber: (r) => r.idNumber,
  fullName: (r) => r.fullName,
  dateOfBirth: (r) => r.dateOfBirth,
  sex: (r) => (r.sex === 'male' ? 'Nam' : 'Nữ'),
  permanentAddress: (r) => r.address,
  issueDate: (r) => r.issueDate,
};

/**
 * The fields of the counter's form, from the cards read: only what the procedure's form needs
 * (the catalog's `idData`), one set per card (`card1.fullName`, `card2.fullName` for marriage).
 */
export function prefillFields(records: readonly IdRecord[], needed: readonly IdDataField[]): Record<string, string> {
  const fields: Record<string, string> = {};
  records.forEach((record, i) => {
    for (const name of needed) fields[`card${i + 1}.${name}`] = VALUE_OF[name](record);
  });
  return fields;
}
