import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../../src/civic/privacy/scan.js';

const kinds = (text: string, names: readonly string[] = []) => findPersonalData(text, names).map((f) => f.kind);

describe('looking for personal data in clear', () => {
  it('finds 12-digit ID numbers and 9-digit old ones however grouped or written, and shows them masked', () => {
    expect(findPersonalData('heard: 079185001234')).toEqual([{ kind: 'ID number', masked: '*********234' }]);
    expect(findPersonalData('số 079 185 001 234 và 025.123.456')).toEqual([
      { kind: 'ID number', masked: '*********234' },
      { kind: 'old ID number', masked: '******456' },
    ]);
    expect(kinds('số ０７９１８５００１２３４')).toEqual(['ID number']);
  });

  it('finds dates as said or written, and DDMMYYYY runs that are real dates', () => {
    expect(findPersonalData('sinh ngày 15 tháng 3 năm 1985')).toEqual([{ kind: 'date', masked: '**/**/****' }]);
    expect(kinds('15/03/1985 và 1985-03-15')).toEqual(['date', 'date']);
    expect(findPersonalData('dob 15031985')).toEqual([{ kind: 'date', masked: '**/**/****' }]);
    for (const compact of ['01011900', '31122100', '31011990', '01121990']) expect(kinds(compact), compact).toEqual(['date']);
  });

  it('leaves numbers that are none of these: other lengths, and eight digits that are no date', () => {
    for (const text of ['01011899', '01012101', '00011990', '32011990', '01001990', '01131990', '1234567', '0912345678', '07918500123', 'A001', '']) {
      expect(kinds(text), text).toEqual([]);
    }
  });

  it('does not find masked data again: stars are not digits', () => {
    expect(findPersonalData('số *********234, sinh **/**/****, tên N***** V** A*', ['Nguyễn Văn An'])).toEqual([]);
  });

  it('finds the given names as whole words, without case or diacritics, shown masked', () => {
    expect(findPersonalData('tôi là NGUYEN van An.', ['Nguyễn Văn An'])).toEqual([{ kind: 'name', masked: 'N***** V** A*' }]);
    expect(findPersonalData('Nguyễn Văn An', ['Nguyễn Văn An', 'Trần Thị Bé'])).toEqual([{ kind: 'name', masked: 'N***** V** A*' }]);
    // Part of the name, or the name inside longer words, is not the name.
    expect(kinds('Nguyễn Văn', ['Nguyễn Văn An'])).toEqual([]);
    expect(kinds('xNguyễn Văn Anh', ['Nguyễn Văn An'])).toEqual([]);
    // A name with nothing to look for is skipped, not found everywhere.
    expect(kinds('anything at all', ['', ' - '])).toEqual([]);
  });
});
