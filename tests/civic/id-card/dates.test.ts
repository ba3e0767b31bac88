import { describe, expect, it } from 'vitest';
import { isoFromDdmmyyyy, isoOf } from '../../../src/civic/id-card/dates.js';
import { isCountryCode, PROVINCES } from '../../../src/civic/id-card/provinces.js';

describe('dates as cards write them', () => {
  it('reads DDMMYYYY as an ISO date, zero-padded', () => {
    expect(isoFromDdmmyyyy('17051990')).toBe('1990-05-17');
    expect(isoFromDdmmyyyy('01012000')).toBe('2000-01-01');
    expect(isoFromDdmmyyyy('31121800')).toBe('1800-12-31');
  });

  it('refuses anything but exactly eight digits', () => {
    for (const text of ['', '1705199', '170519900', '1705199x', 'x17051990', '17051990x', '17-05-1990', ' 17051990']) expect(isoFromDdmmyyyy(text), text).toBeNull();
  });

  it('refuses dates the calendar does not have: month 0 or 13, day 0, a day past the month end', () => {
    expect(isoOf(1990, 0, 10)).toBeNull();
    expect(isoOf(1990, 13, 10)).toBeNull();
    expect(isoOf(1990, 12, 10)).toBe('1990-12-10');
    expect(isoOf(1990, 1, 10)).toBe('1990-01-10');
    expect(isoOf(1990, 5, 0)).toBeNull();
    expect(isoOf(1990, 5, 1)).toBe('1990-05-01');
    expect(isoOf(1990, 4, 31)).toBeNull();
    expect(isoOf(1990, 4, 30)).toBe('1990-04-30');
    expect(isoOf(1990, 2, 29)).toBeNull();
    expect(isoOf(2000, 2, 29)).toBe('2000-02-29');
  });

  it('refuses years before 1800, the oldest a living citizen can be born in with room to spare', () => {
    expect(isoOf(1799, 12, 31)).toBeNull();
    expect(isoOf(1800, 1, 1)).toBe('1800-01-01');
  });
});

describe('country codes of births registered abroad', () => {
  it('are the three-digit codes 101 to 295', () => {
    for (const code of ['101', '150', '295']) expect(isCountryCode(code), code).toBe(true);
    for (const code of ['100', '296', '079', '000', '999', '1010', '10', '', ' 101', '101 ', '10a']) expect(isCountryCode(code), code).toBe(false);
  });
});

describe('province codes of births registered at home', () => {
  it('are the 63 legacy provinces, each with its name and its province since the 2025 merger', () => {
    const entries = Object.entries(PROVINCES);
    expect(entries).toHaveLength(63);
    for (const [code, p] of entries) {
      expect(code, code).toMatch(/^0\d\d$/);
      expect(isCountryCode(code), code).toBe(false);
      expect(p.name.trim(), code).not.toBe('');
    }
    expect(new Set(entries.map(([, p]) => p.name)).size).toBe(63);
    // Nghị quyết 202/2025/QH15: 34 provinces and cities from 1 July 2025 (../shared/reference/cccd.md §3.2).
    expect([...new Set(entries.map(([, p]) => p.since2025))].sort()).toEqual(
      [
        'An Giang', 'Bắc Ninh', 'Cà Mau', 'Cao Bằng', 'Điện Biên', 'Đắk Lắk', 'Đồng Nai', 'Đồng Tháp', 'Gia Lai', 'Hà Nội', 'Hà Tĩnh', 'Hưng Yên',
        'Khánh Hòa', 'Lai Châu', 'Lâm Đồng', 'Lạng Sơn', 'Lào Cai', 'Nghệ An', 'Ninh Bình', 'Phú Thọ', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sơn La',
        'Tây Ninh', 'Thái Nguyên', 'Thanh Hóa', 'TP Cần Thơ', 'TP Đà Nẵng', 'TP Hải Phòng', 'TP Hồ Chí Minh', 'TP Huế', 'Tuyên Quang', 'Vĩnh Long',
      ].sort(),
    );
    expect(PROVINCES['079']).toEqual({ name: 'TP Hồ Chí Minh', since2025: 'TP Hồ Chí Minh' });
    expect(PROVINCES['074']).toEqual({ name: 'Bình Dương', since2025: 'TP Hồ Chí Minh' });
  });
});
