import { describe, expect, it } from 'vitest';
import {
  asciiDigits,
  createConversationMasker,
  foldWord,
  maskNumber,
  maskPersonalText,
  mergeTokens,
  NOTHING_LEARNED,
  tokensFromCard,
} from '../../../src/civic/privacy/text-mask.js';

const card = { fullName: 'Đặng Thị Hồng Nhung', address: '12/3 Đường Võ Văn Tần, Phường Võ Thị Sáu, Quận 3, TP Hồ Chí Minh' };

describe('digits of any script', () => {
  it('are read as ASCII digits; other text stays as it is', () => {
    expect(asciiDigits('số ０７９ và ٠١٢ và ०९ và 𝟎𝟗 và 𝟘𝟡 và ７')).toBe('số 079 và 012 và 09 và 09 và 09 và 7');
    expect(asciiDigits('A001 lúc 9:30, Ⅻ ½')).toBe('A001 lúc 9:30, Ⅻ ½');
  });
});

describe('masking free text', () => {
  it.each([
    ['15/03/1985', 'sinh **/**/****'],
    ['5/3/1985', 'sinh **/**/****'],
    ['15-03-1985', 'sinh **/**/****'],
    ['15.03.1985', 'sinh **/**/****'],
    ['15 / 03 / 1985', 'sinh **/**/****'],
    ['1985-03-15', 'sinh **/**/****'],
    ['1985/3/5', 'sinh **/**/****'],
    ['ngày 15 tháng 3 năm 1985', 'sinh **/**/****'],
    ['15 tháng 3 năm 1985', 'sinh **/**/****'],
    ['15 tháng 3, năm 1985', 'sinh **/**/****'],
    ['tháng 3 năm 1985', 'sinh **/**/****'],
    ['năm 1985', 'sinh **/**/****'],
    ['Năm 2003', 'sinh **/**/****'],
    ['15 March 1985', 'sinh **/**/****'],
    ['15 Mar. 1985', 'sinh **/**/****'],
    ['March 15, 1985', 'sinh **/**/****'],
    ['sept 5 1985', 'sinh **/**/****'],
  ])('masks a date said as "%s"', (date, masked) => {
    expect(maskPersonalText(`sinh ${date}`)).toBe(masked);
  });

  it('leaves what only looks like part of a date: two-digit years, a year that is no birth year, times and fractions', () => {
    for (const text of ['ngày 3/4', 'sinh 15/03/85', 'lúc 9:30', 'năm 2150', '15 tháng 3 lúc 9:30']) {
      expect(maskPersonalText(text), text).toBe(text.replace('15 tháng 3', '**/**/****'));
    }
  });

  it('masks numbers of six digits and more however grouped, keeping the last three of nine or more and two of shorter', () => {
    expect(maskPersonalText('số 079185001234 ạ')).toBe('số *********234 ạ');
    expect(maskPersonalText('số 079 185 001 234')).toBe('số *********234');
    expect(maskPersonalText('số 0791-8500-1234')).toBe('số *********234');
    expect(maskPersonalText('số 0791–8500–1234')).toBe('số *********234');
    expect(maskPersonalText('số cũ 025.123.456')).toBe('số cũ ******456');
    expect(maskPersonalText('gọi 12345678')).toBe('gọi ******78');
    expect(maskPersonalText('mã 123456')).toBe('mã ****56');
    expect(maskPersonalText('số ０７９１８５００１２３４')).toBe('số *********234');
  });

  it('leaves counters, tickets, times and short numbers alone', () => {
    for (const text of ['vé A001', 'quầy 12, lúc 9:30', 'phòng 12345', 'số 12 345', '3 người, 45 phút']) expect(maskPersonalText(text), text).toBe(text);
    // Two separators in a row end a number: the groups are counted apart.
    expect(maskPersonalText('123  456')).toBe('123  456');
  });

  it('masks numbers as the last step of dates: a date written without separators is still a number', () => {
    expect(maskPersonalText('15031985')).toBe('******85');
  });
});

describe('numbers and words', () => {
  it('mask a number down to its last three digits from nine on, two below', () => {
    expect(maskNumber('079185001234')).toBe('*********234');
    expect(maskNumber('025123456')).toBe('******456');
    expect(maskNumber('12345678')).toBe('******78');
    expect(maskNumber('123456')).toBe('****56');
  });

  it('fold a word as a recogniser may write it: lower case, no marks, đ as d', () => {
    expect(foldWord('Đặng')).toBe('dang');
    expect(foldWord('NGUYỄN')).toBe('nguyen');
    expect(foldWord('đường')).toBe('duong');
    expect(foldWord('Hồ')).toBe('ho');
  });
});

describe('what a conversation learns from the card it read', () => {
  it('is the name parts and the street words, not the kinds of place, with the house number apart', () => {
    const learned = tokensFromCard(card);
    expect([...learned.words].sort()).toEqual(['dang', 'hong', 'nhung', 'tan', 'thi', 'van', 'vo']);
    expect([...learned.houseNumbers]).toEqual(['12/3']);
  });

  it('skips one-letter name parts and street words, and an address with no street', () => {
    const learned = tokensFromCard({ fullName: 'Lê Văn A', address: 'Số 45A Ngõ B, Hà Nội' });
    expect([...learned.words].sort()).toEqual(['le', 'van']);
    expect([...learned.houseNumbers]).toEqual(['45a']);
    expect(tokensFromCard({ fullName: 'Mai', address: '' })).toEqual({ words: new Set(['mai']), houseNumbers: new Set() });
  });

  it('two cards together are both learned', () => {
    const both = mergeTokens(tokensFromCard(card), tokensFromCard({ fullName: 'Trần Văn Bình', address: '7 Lê Lợi, Hà Nội' }));
    expect([...both.words].sort()).toEqual(['binh', 'dang', 'hong', 'le', 'loi', 'nhung', 'tan', 'thi', 'tran', 'van', 'vo']);
    expect([...both.houseNumbers].sort()).toEqual(['12/3', '7']);
  });

  it('masks those words wherever they stand alone, letter for letter, whatever their case or marks', () => {
    const learned = tokensFromCard(card);
    expect(maskPersonalText('tôi là Đặng Thị Hồng Nhung nhé', learned)).toBe('tôi là **** *** **** ***** nhé');
    expect(maskPersonalText('em dang nhung day', learned)).toBe('em **** ***** day');
    // Inside other words they stay: "Nhungs" is not "Nhung", "Tấn" folds to "tan" and is masked.
    expect(maskPersonalText('Nhungs Tấn', learned)).toBe('Nhungs ***');
  });

  it('masks a house number only right before a learned street word', () => {
    const learned = tokensFromCard(card);
    expect(maskPersonalText('nhà 12/3 Võ Văn Tần', learned)).toBe('nhà **** ** *** ***');
    expect(maskPersonalText('quầy 12/3 nhé', learned)).toBe('quầy 12/3 nhé');
    expect(maskPersonalText('12/3', learned)).toBe('12/3');
  });

  it('changes nothing when nothing was learned, or nothing learned is said', () => {
    expect(maskPersonalText('Đặng Thị Hồng Nhung', NOTHING_LEARNED)).toBe('Đặng Thị Hồng Nhung');
    expect(maskPersonalText('xin chào', tokensFromCard(card))).toBe('xin chào');
    expect(maskPersonalText('', tokensFromCard(card))).toBe('');
  });
});

describe('the masker of one conversation', () => {
  it('masks what it learned until the conversation ends, then forgets it; numbers and dates always', () => {
    const masker = createConversationMasker();
    expect(masker.mask('Nhung sinh 15/03/1985')).toBe('Nhung sinh **/**/****');
    masker.learn(card);
    masker.learn({ fullName: 'Trần Văn Bình', address: '' });
    expect(masker.mask('Nhung và Bình')).toBe('***** và ****');
    masker.forget();
    expect(masker.mask('Nhung và Bình, 079185001234')).toBe('Nhung và Bình, *********234');
  });
});
