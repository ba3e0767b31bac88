import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLanguage, foldDiacritics, MAX_INPUT_CHARS, normalizeText, tokenize } from '../../src/nlu/normalize.js';

const FOLD = { foldDiacritics: true } as const;

describe('normalizeText', () => {
  it('lower-cases, turns punctuation into spaces and collapses whitespace', () => {
    expect(normalizeText('  Xin chào!!  Tôi cần   làm GIẤY khai sinh...  ')).toBe('xin chào tôi cần làm giấy khai sinh');
    expect(normalizeText('What\'s the fee?\tFor a birth-certificate')).toBe('what s the fee for a birth certificate');
  });

  it('folds Vietnamese diacritics when asked', () => {
    expect(normalizeText('Đăng ký khai sinh', FOLD)).toBe('dang ky khai sinh');
    expect(normalizeText('Sổ hồng, SỔ ĐỎ; thường trú', FOLD)).toBe('so hong so do thuong tru');
  });

  it('gives the same output for NFC and NFD input', () => {
    const nfc = 'Chứng thực bản sao từ bản chính, đăng ký kết hôn'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(normalizeText(nfd)).toBe(normalizeText(nfc));
    expect(normalizeText(nfd, FOLD)).toBe(normalizeText(nfc, FOLD));
    const hangulNfd = '출생신고 하려고요'.normalize('NFD');
    expect(normalizeText(hangulNfd)).toBe('출생신고 하려고요');
  });

  it('keeps Hangul whole, with or without folding', () => {
    expect(normalizeText('출생신고를 하고 싶어요.', FOLD)).toBe('출생신고를 하고 싶어요');
    expect(normalizeText('ㅋㅋㅋ 네!')).toBe('ㅋㅋㅋ 네');
  });

  it('handles the empty string and whitespace only', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' \n\t ')).toBe('');
    expect(tokenize(normalizeText(''))).toEqual([]);
  });

  it('removes emoji, including joiner sequences, variation selectors and skin tones', () => {
    expect(normalizeText('chào 👋🏽 em ❤️ 👨‍👩‍👧 nha 🇻🇳')).toBe('chào em nha');
    expect(normalizeText('😀😀😀')).toBe('');
  });

  it('removes control characters and zero-width characters', () => {
    expect(normalizeText('khai\u0000 sinh\u0007')).toBe('khai sinh');
    expect(normalizeText('kết\u200Bhôn')).toBe('kết hôn');
    expect(normalizeText('bảo\u00ADhiểm\u200D')).toBe('bảohiểm');
    expect(normalizeText('line1\r\nline2\u2028line3')).toBe('line1 line2 line3');
  });

  it('survives lone surrogates', () => {
    expect(normalizeText('a\uD800b')).toBe('a b');
    expect(normalizeText('\uDC00tạm trú\uD83D', FOLD)).toBe('tam tru');
  });

  it('caps the input at MAX_INPUT_CHARS before any other work', () => {
    const long = 'khai sinh '.repeat(1000);
    expect(long.length).toBe(10_000);
    const out = normalizeText(long, FOLD);
    expect(out.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
    expect(out.startsWith('khai sinh khai sinh')).toBe(true);
  });

  it('keeps digits and letters of other scripts', () => {
    expect(normalizeText('Quầy số 5 — 50.000đ', FOLD)).toBe('quay so 5 50 000d');
    expect(normalizeText('東京 Москва')).toBe('東京 москва');
  });

  it('is total and idempotent on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), (text, fold) => {
        const once = normalizeText(text, { foldDiacritics: fold });
        expect(normalizeText(once, { foldDiacritics: fold })).toBe(once);
        expect(once).toBe(once.trim());
        expect(once.includes('  ')).toBe(false);
      }),
    );
  });
});

describe('foldDiacritics', () => {
  it('removes tone and vowel marks and maps đ/Đ', () => {
    expect(foldDiacritics('Đăng ký khai sinh')).toBe('Dang ky khai sinh');
    expect(foldDiacritics('ăâđêôơư àáảãạ ỳýỷỹỵ')).toBe('aadeoou aaaaa yyyyy');
  });

  it('leaves Hangul untouched, even next to Vietnamese', () => {
    expect(foldDiacritics('출생신고')).toBe('출생신고');
    expect(foldDiacritics('đăng ký 출생신고 ở đâu')).toBe('dang ky 출생신고 o dau');
    // Conjoining jamo must not be recomposed or stripped either.
    const jamo = '출생'.normalize('NFD');
    expect(foldDiacritics(jamo)).toBe(jamo);
  });
});

describe('tokenize', () => {
  it('splits on spaces and keeps Hangul words whole', () => {
    expect(tokenize('혼인신고는 어디서 해요')).toEqual(['혼인신고는', '어디서', '해요']);
    expect(tokenize('dang ky khai sinh')).toEqual(['dang', 'ky', 'khai', 'sinh']);
  });
});

describe('detectLanguage', () => {
  it.each([
    ['출생신고 하려고요', 'ko'],
    ['ID card 재발급', 'ko'],
    ['Tôi muốn đăng ký khai sinh', 'vi'],
    ['cho em hoi lam giay khai sinh o dau', 'vi'],
    ['bao nhieu tien vay chi', 'vi'],
    ['dang ky ket hon can gi', 'vi'],
    ['khong', 'vi'],
    ['How much does a birth certificate cost?', 'en'],
    ['I want to register my marriage', 'en'],
    ['Can I get a ticket to the counter', 'en'],
    ['', 'en'],
  ] as const)('%j is %s', (text, lang) => {
    const result = detectLanguage(text);
    expect(result.lang).toBe(lang);
    expect(result.confidence).toBeGreaterThan(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it('is unsure when there is no evidence', () => {
    expect(detectLanguage('12345 😀').confidence).toBeLessThan(0.5);
  });
});
