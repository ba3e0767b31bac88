import { describe, expect, it } from 'vitest';
import { maskAddress, maskDate, maskIdNumber, maskName, maskRecord } from '../../../src/civic/id-card/mask.js';
import { prefillFields } from '../../../src/civic/id-card/prefill.js';
import type { IdRecord } from '../../../src/ports/id-reader.js';

const record = (over: Partial<IdRecord> = {}): IdRecord => ({
  layout: 'cccd2021',
  idNumber: '079203001234',
  oldIdNumber: '025123456',
  fullName: 'Nguyễn Văn An',
  dateOfBirth: '1990-05-17',
  sex: 'male',
  address: 'Số 12, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh',
  issueDate: '2021-08-10',
  birthRegistrationCode: '079',
  registeredAbroad: false,
  ...over,
});

describe('masking what the kiosk, console and logs may show', () => {
  it('shows only the last three digits of an ID, and nothing of one shorter than eight', () => {
    expect(maskIdNumber('079203001234')).toBe('*********234');
    expect(maskIdNumber('025123456')).toBe('******456');
    expect(maskIdNumber('12345678')).toBe('*****678');
    expect(maskIdNumber('1234567')).toBe('*******');
    expect(maskIdNumber('')).toBe('');
  });

  it('keeps the first letter of each word of a name, whatever the spacing, counting letters not bytes', () => {
    expect(maskName('Nguyễn Văn An')).toBe('N***** V** A*');
    expect(maskName('  Trần\tThị\n\nBé ')).toBe('T*** T** B*');
    expect(maskName('김민준')).toBe('김**');
    expect(maskName('')).toBe('');
  });

  it('keeps only the last part of an address', () => {
    expect(maskAddress('Số 12, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh')).toBe('***, TP Hồ Chí Minh');
    expect(maskAddress(' Thôn 3 ,  Hà Nội  ')).toBe('***, Hà Nội');
    expect(maskAddress('Hà Nội')).toBe('***');
    expect(maskAddress('')).toBe('***');
  });

  it('shows nothing of a date, not even the year the ID number would narrow down', () => {
    expect(maskDate('1990-05-17')).toBe('**/**/****');
  });

  it('masks every personal field of a record and leaves none in clear', () => {
    const r = record();
    const masked = maskRecord(r);
    expect(masked).toEqual({
      layout: 'cccd2021',
      idNumber: '*********234',
      oldIdNumber: '******456',
      fullName: 'N***** V** A*',
      dateOfBirth: '**/**/****',
      sex: 'male',
      address: '***, TP Hồ Chí Minh',
      issueDate: '2021-08-10',
      registeredAbroad: false,
    });
    expect(maskRecord(record({ oldIdNumber: null })).oldIdNumber).toBeNull();
    const text = JSON.stringify(masked);
    for (const secret of [r.idNumber, r.oldIdNumber!, '0792', 'Nguyễn', 'Phường Bến Nghé', '05-17', '1990']) expect(text).not.toContain(secret);
  });
});

describe('pre-filling the counter\'s form from the cards read', () => {
  it('takes only the fields the form needs, one set per card, with the sex as the form writes it', () => {
    const bride = record({ idNumber: '001301000111', fullName: 'Trần Thị Bé', sex: 'female' });
    expect(prefillFields([record(), bride], ['fullName', 'sex'])).toEqual({
      'card1.fullName': 'Nguyễn Văn An',
      'card1.sex': 'Nam',
      'card2.fullName': 'Trần Thị Bé',
      'card2.sex': 'Nữ',
    });
    expect(prefillFields([record()], ['idNumber', 'dateOfBirth', 'permanentAddress', 'issueDate'])).toEqual({
      'card1.idNumber': '079203001234',
      'card1.dateOfBirth': '1990-05-17',
      'card1.permanentAddress': 'Số 12, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh',
      'card1.issueDate': '2021-08-10',
    });
    expect(prefillFields([record()], [])).toEqual({});
  });
});
