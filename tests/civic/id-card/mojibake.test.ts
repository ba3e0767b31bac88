import { describe, expect, it } from 'vitest';
import { repairMojibake } from '../../../src/civic/id-card/mojibake.js';

/** UTF-8 bytes read one by one as Windows-1252, as a keyboard-wedge scanner does (the bytes it leaves undefined as C1 controls). */
const asWindows1252 = (text: string) => new TextDecoder('windows-1252').decode(new TextEncoder().encode(text));
/** UTF-8 bytes read as Latin-1: every byte the character of the same number. */
const asLatin1 = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));

describe('repairing text a scanner read in the wrong character set', () => {
  it('leaves plain ASCII and genuine Vietnamese alone', () => {
    expect(repairMojibake('Nguyen Van An')).toEqual({ kind: 'clean', text: 'Nguyen Van An' });
    expect(repairMojibake('Nguyễn Văn An, Phường Bến Nghé')).toEqual({ kind: 'clean', text: 'Nguyễn Văn An, Phường Bến Nghé' });
    // Latin-1 letters that are not UTF-8 as bytes: a French café is a café.
    expect(repairMojibake('Café Đà Lạt')).toEqual({ kind: 'clean', text: 'Café Đà Lạt' });
    expect(repairMojibake('café')).toEqual({ kind: 'clean', text: 'café' });
    expect(repairMojibake('')).toEqual({ kind: 'clean', text: '' });
  });

  it('turns UTF-8 read as Windows-1252 back into the letters, C1 controls included', () => {
    for (const name of ['Nguyễn Văn An', 'Đỗ Thị Hường', 'Trần Thị Ánh', 'Lý Tự Trọng']) {
      expect(repairMojibake(asWindows1252(name))).toEqual({ kind: 'repaired', text: name });
    }
  });

  it('turns UTF-8 read as Latin-1 back too: bytes 0x80–0x9F as C1 controls, 0xA0–0xFF as letters', () => {
    // Ā is C4 80, ğ C4 9F, an unbreakable space C2 A0, ÿ C3 BF: the edges of both ranges.
    for (const text of ['Ā', 'ğ', '\u00A0', 'ÿ', 'Đỗ Thị Hường', 'é']) expect(repairMojibake(asLatin1(text))).toEqual({ kind: 'repaired', text });
  });

  it('calls half-garbled text broken: each garbling mark, next to a letter Windows-1252 does not have', () => {
    // A letter outside Windows-1252 ("ă", "Ā") means the text cannot be bytes read one by one, so it
    // cannot be repaired; the marks of garbling beside it say it is not genuine either.
    // "á", "đ", "ư", "Ư", "ễ" and an unbreakable space, their UTF-8 bytes read as Windows-1252.
    const marks = ['Ã¡', 'Ä‘', 'Æ°', 'Æ¯', 'á»…', 'Â\u00A0'];
    for (const mark of marks) {
      expect(repairMojibake(`Nguy${mark}n Văn`), mark).toEqual({ kind: 'broken' });
      expect(repairMojibake(`Nguy${mark}n Ā`), mark).toEqual({ kind: 'broken' });
    }
    // The same letters with no mark beside them are genuine text.
    expect(repairMojibake('Ãn Văn')).toEqual({ kind: 'clean', text: 'Ãn Văn' });
    expect(repairMojibake('Äx Ā')).toEqual({ kind: 'clean', text: 'Äx Ā' });
  });

  it('calls text broken that carries the marks of garbling but cannot be repaired, or a replacement character', () => {
    // Đ read as Windows-1252 with the C1 control for 0x90 dropped by the scanner.
    expect(repairMojibake(asWindows1252('Đỗ Thị Hường').replace(/[\u0081\u008D\u008F\u0090\u009D]/g, ''))).toEqual({ kind: 'broken' });
    expect(repairMojibake('Nguyá»…n')).toEqual({ kind: 'repaired', text: 'Nguyễn' });
    expect(repairMojibake('Nguyá»…n Đà')).toEqual({ kind: 'broken' });
    expect(repairMojibake('H\uFFFDng')).toEqual({ kind: 'broken' });
    expect(repairMojibake('Hường\uFFFD')).toEqual({ kind: 'broken' });
  });
});
