import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import zxing from '@zxing/library';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkDigit, crossCheck, readMrz } from '../../../src/civic/id-card/mrz.js';
import { parseIdQr } from '../../../src/civic/id-card/qr-text.js';
import { decodeQrRgba, luminanceOf, readImageFile } from '../../../src/civic/id-card/qr-image.js';
import { createIdReader } from '../../../src/civic/id-card/reader.js';
import { iso, mrzText, qrText, syntheticCards } from '../../../sim/id-cards.js';

const NOW = new Date('2026-11-27T03:00:00Z');
const reader = createIdReader(() => NOW);
const cards = syntheticCards(12, 11);
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-id-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A QR code as an RGBA frame: the module matrix scaled up on a margin, as a camera sees a card; black
 * modules on white unless `background` gives the card's colour (RGB).
 */
function qrFrame(text: string | QRCode.QRCodeSegment[], scale = 4, margin = 16, background: readonly [number, number, number] = [255, 255, 255]): { rgba: Uint8ClampedArray; width: number; height: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const width = n * scale + 2 * margin;
  const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let i = 0; i < width * width; i += 1) rgba.set(background, i * 4);
  for (let y = 0; y < n; y += 1)
    for (let x = 0; x < n; x += 1) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy += 1)
        for (let dx = 0; dx < scale; dx += 1) {
          const i = ((margin + y * scale + dy) * width + margin + x * scale + dx) * 4;
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
    }
  return { rgba, width, height: width };
}

describe('the MRZ on the back of the card', () => {
  it.each(cards.map((c, i) => [i, c] as const))('reads synthetic card %i and agrees with its QR', (_i, c) => {
    const mrz = readMrz(mrzText(c));
    expect(mrz.ok).toBe(true);
    if (!mrz.ok) return;
    expect(mrz.record).toMatchObject({ idNumber: c.id, documentNumber: c.id.slice(3), dateOfBirth: iso(c.dob), sex: c.male ? 'male' : 'female' });
    expect(reader.readQrWithMrz(qrText(c), mrzText(c)).ok).toBe(true);
  });

  it('refuses a changed digit through the check digits (mrz_checksum)', () => {
    const [l1, l2, l3] = mrzText(cards[0]!).split('\n') as [string, string, string];
    const flip = (line: string, at: number) => line.slice(0, at) + (line[at] === '1' ? '2' : '1') + line.slice(at + 1);
    for (const broken of [[flip(l1, 7), l2, l3], [l1, flip(l2, 2), l3], [l1, flip(l2, 10), l3], [flip(l1, 20), l2, l3]]) {
      const r = readMrz(broken.join('\n'));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.code)).toContain('mrz_checksum');
    }
  });

  it('computes ICAO 9303 check digits (the specimen passport of Doc 9303 part 4)', () => {
    expect([checkDigit('L898902C3'), checkDigit('740812'), checkDigit('120415'), checkDigit('<<<<<<<<<<<<<<')]).toEqual(['6', '2', '9', '0']);
  });

  it('EXPECTED FAILURE - gives no check digit over a character the MRZ does not have', () => {
    expect(() => checkDigit('l898902c3')).toThrow(new RangeError('not an MRZ character: "l"'));
    for (const c of [' ', '-', '/', 'É', '[']) expect(() => checkDigit(`07909${c}`), JSON.stringify(c)).toThrow(RangeError);
  });

  it('refuses a wrong check digit of the 12-digit ID even when every ICAO check digit agrees', () => {
    const [l1, l2, l3] = mrzText(cards[0]!).split('\n') as [string, string, string];
    // TD1's composite check digit covers line 1 from position 6 and most of line 2: recompute it so
    // only the card's own check digit of the 12-digit ID (line 1, position 30) is wrong.
    const composite = (a: string, b: string) => checkDigit(a.slice(5, 30) + b.slice(0, 7) + b.slice(8, 15) + b.slice(18, 29));
    expect(composite(l1, l2)).toBe(l2[29]);
    const wrong = l1.slice(0, 29) + String((Number(l1[29]) + 1) % 10);
    const r = readMrz([wrong, l2.slice(0, 29) + composite(wrong, l2), l3].join('\n'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([{ code: 'mrz_checksum', field: 'mrz', message: 'the 12-digit ID in line 1 or its check digit is wrong' }]);
  });

  it('refuses what is not three lines of 30 (mrz_format)', () => {
    for (const text of ['', 'IDVNM', mrzText(cards[0]!).split('\n').slice(0, 2).join('\n'), mrzText(cards[0]!).replace('IDVNM', 'IDFRA')]) {
      const r = readMrz(text);
      expect(!r.ok && r.errors[0]!.code).toBe('mrz_format');
    }
  });

  it('refuses a QR and an MRZ from two different cards (qr_mrz_mismatch)', () => {
    const r = reader.readQrWithMrz(qrText(cards[0]!), mrzText(cards[1]!));
    expect(!r.ok && r.errors.map((e) => e.code)).toEqual(['qr_mrz_mismatch']);
    if (!r.ok) expect(r.errors[0]!.message).not.toContain(cards[0]!.id);
  });
});

interface MrzParts {
  readonly prefix: string;
  readonly id: string;
  readonly docNumber: string;
  readonly filler: string;
  readonly idCheck: string | null;
  readonly dob: string;
  readonly dobCheck: string | null;
  readonly sex: string;
  readonly expiry: string;
  readonly line3: string;
}

/**
 * A TD1 MRZ written field by field, every check digit computed unless given (a check digit given wrong
 * still has the composite one computed over it, so only that one is wrong).
 */
function mrzOf(over: Partial<MrzParts> = {}): string[] {
  const p: MrzParts = { prefix: 'IDVNM', id: '079090000123', docNumber: '090000123', filler: '<<', idCheck: null, dob: '900517', dobCheck: null, sex: 'M', expiry: '500517', line3: 'NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<', ...over };
  const l1 = `${p.prefix}${p.docNumber}${checkDigit(p.docNumber)}${p.id}${p.filler}${p.idCheck ?? checkDigit(p.id)}`;
  const head = `${p.dob}${p.dobCheck ?? checkDigit(p.dob)}${p.sex}${p.expiry}${checkDigit(p.expiry)}VNM${'<'.repeat(11)}`;
  const composite = l1.slice(5, 30) + head.slice(0, 7) + head.slice(8, 15) + head.slice(18, 29);
  return [l1, `${head}${checkDigit(composite)}`, p.line3];
}
const errorsOf = (text: string) => {
  const r = readMrz(text);
  return r.ok ? [] : r.errors;
};
const checksum = (message: string) => ({ code: 'mrz_checksum', field: 'mrz', message });
const LINE2_INVALID = [{ code: 'mrz_format', field: 'mrz', message: 'the date of birth, expiry or sex in line 2 is not valid' }];

describe('the MRZ, field by field', () => {
  it('reads every field: the ID, the document number, dates with the century from the ID, sex and names', () => {
    const male = readMrz(mrzOf().join('\n'));
    expect(male).toEqual({
      ok: true,
      record: { idNumber: '079090000123', documentNumber: '090000123', dateOfBirth: '1990-05-17', sex: 'male', expiryDate: '2050-05-17', surname: 'NGUYEN', givenNames: 'VAN AN' },
    });
    // Century digit 3: a woman born in the 2000s.
    const female = readMrz(mrzOf({ id: '079303000456', docNumber: '303000456', dob: '030512', sex: 'F', expiry: '430512', line3: 'TRAN<<THI<BE<<<<<<<<<<<<<<<<<<' }).join('\n'));
    expect(female.ok && female.record).toMatchObject({ dateOfBirth: '2003-05-12', sex: 'female', expiryDate: '2043-05-12', surname: 'TRAN', givenNames: 'THI BE' });
  });

  it('reads "991231" as a card that never expires', () => {
    const r = readMrz(mrzOf({ id: '079050000123', docNumber: '050000123', dob: '500101', expiry: '991231' }).join('\n'));
    expect(r.ok && r.record.expiryDate).toBeNull();
    expect(r.ok && r.record.dateOfBirth).toBe('1950-01-01');
  });

  it('takes the name as written: a compound surname, and a line with no given names', () => {
    const compound = readMrz(mrzOf({ line3: 'LE<VAN<<THI<BE<<<<<<<<<<<<<<<<' }).join('\n'));
    expect(compound.ok && [compound.record.surname, compound.record.givenNames]).toEqual(['LE VAN', 'THI BE']);
    const noGiven = readMrz(mrzOf({ line3: 'NGUYENVANANHOANGTHANHLONGMINHA' }).join('\n'));
    expect(noGiven.ok && [noGiven.record.surname, noGiven.record.givenNames]).toEqual(['NGUYENVANANHOANGTHANHLONGMINHA', '']);
    // A name one letter short of the line leaves a single filler, which is no separator.
    const surnameFiller = readMrz(mrzOf({ line3: 'NGUYENVANANHOANGTHANHLONGMINH<' }).join('\n'));
    expect(surnameFiller.ok && [surnameFiller.record.surname, surnameFiller.record.givenNames]).toEqual(['NGUYENVANANHOANGTHANHLONGMINH', '']);
    const givenFiller = readMrz(mrzOf({ line3: 'TRAN<<THI<NGOC<BICH<PHUONG<AN<' }).join('\n'));
    expect(givenFiller.ok && [givenFiller.record.surname, givenFiller.record.givenNames]).toEqual(['TRAN', 'THI NGOC BICH PHUONG AN']);
  });

  it('reads what scanners hand over: lower case, CR LF, a byte-order mark, blank lines and spaces around', () => {
    const r = readMrz(`\uFEFF${mrzOf().map((l) => `  ${l.toLowerCase()} `).join('\r\n\r\n')}\r\n`);
    expect(r.ok && r.record.idNumber).toBe('079090000123');
    expect(readMrz(mrzOf().join('\r')).ok).toBe(true);
  });

  it('refuses lines of the wrong length or with other characters, and a fourth line', () => {
    const format = [{ code: 'mrz_format', field: 'mrz', message: 'the MRZ must be three lines of 30 characters (A–Z, 0–9, <)' }];
    const [l1, l2, l3] = mrzOf() as [string, string, string];
    expect(errorsOf([l1, l2, `${l3}<`].join('\n'))).toEqual(format);
    expect(errorsOf([l1, l2, l3.slice(0, 29)].join('\n'))).toEqual(format);
    expect(errorsOf([l1, l2, `${l3.slice(0, 29)}-`].join('\n'))).toEqual(format);
    expect(errorsOf([l1, l2, `${l3.slice(0, 29)}É`].join('\n'))).toEqual(format);
    expect(errorsOf([l1, l2, `-${l3.slice(1)}`].join('\n'))).toEqual(format);
    expect(errorsOf([l1, l2, l3, l3].join('\n'))).toEqual(format);
    expect(errorsOf(['IDFRA' + l1.slice(5), l2, l3].join('\n'))).toEqual([{ code: 'mrz_format', field: 'mrz', message: 'the MRZ is not a Vietnamese ID card (TD1, IDVNM)' }]);
  });

  it('names the ICAO check digit that does not match', () => {
    expect(errorsOf(mrzOf({ dobCheck: String((Number(checkDigit('900517')) + 1) % 10) }).join('\n'))).toEqual([checksum('check digit mismatch: Birth date check digit')]);
  });

  it('refuses a 12-digit ID that is not twelve digits, is not followed by <<, or whose own check digit is wrong', () => {
    const wrongId = [checksum('the 12-digit ID in line 1 or its check digit is wrong')];
    expect(errorsOf(mrzOf({ id: '07909000012A' }).join('\n'))).toEqual(wrongId);
    expect(errorsOf(mrzOf({ filler: '<0' }).join('\n'))).toEqual(wrongId);
    expect(errorsOf(mrzOf({ filler: '0<' }).join('\n'))).toEqual(wrongId);
    expect(errorsOf(mrzOf({ idCheck: String((Number(checkDigit('079090000123')) + 1) % 10) }).join('\n'))).toEqual(wrongId);
  });

  it('refuses a document number that is not the last nine digits of the ID', () => {
    expect(errorsOf(mrzOf({ docNumber: '090000124' }).join('\n'))).toEqual([checksum('the document number is not the last nine digits of the ID')]);
  });

  it('refuses a date of birth or an expiry the calendar does not have, and a sex other than M or F', () => {
    expect(errorsOf(mrzOf({ dob: '901317' }).join('\n'))).toEqual(LINE2_INVALID);
    expect(errorsOf(mrzOf({ expiry: '501340' }).join('\n'))).toEqual(LINE2_INVALID);
    expect(errorsOf(mrzOf({ sex: '<' }).join('\n'))).toEqual(LINE2_INVALID);
    expect(errorsOf(mrzOf({ sex: 'X' }).join('\n'))).toEqual(LINE2_INVALID);
  });
});

describe('the QR and the MRZ of one card, together', () => {
  const born1990 = { id: '079090000123', oldId: '', name: 'Nguyễn Văn An', dob: { y: 1990, m: 5, d: 17 }, male: true, address: '12 Lê Lợi, Phường Bến Nghé, TP Hồ Chí Minh', issued: { y: 2021, m: 8, d: 10 }, layout: 'cccd2021' as const };
  const qr = (over: Partial<typeof born1990> = {}) => parseIdQr(qrText({ ...born1990, ...over }), NOW);

  it('agree: the QR\'s result is the answer', () => {
    expect(crossCheck(qr(), readMrz(mrzOf().join('\n')))).toEqual(qr());
  });

  it('name every field they disagree on, in order, and never the values', () => {
    const other = readMrz(mrzOf({ id: '079190000123', docNumber: '190000123', dob: '910517', sex: 'F' }).join('\n'));
    expect(crossCheck(qr(), other)).toEqual({ ok: false, errors: [{ code: 'qr_mrz_mismatch', field: 'mrz', message: 'the QR code and the MRZ disagree on: ID number, date of birth, sex' }], warnings: [] });
    const sexOnly = readMrz(mrzOf({ sex: 'F' }).join('\n'));
    expect(crossCheck(qr(), sexOnly)).toMatchObject({ errors: [{ message: 'the QR code and the MRZ disagree on: sex' }] });
    const dobOnly = readMrz(mrzOf({ dob: '900518' }).join('\n'));
    expect(crossCheck(qr(), dobOnly)).toMatchObject({ errors: [{ message: 'the QR code and the MRZ disagree on: date of birth' }] });
  });

  it('either one refused: its errors, the QR\'s first, with the QR\'s warnings', () => {
    const badMrz = readMrz('IDVNM');
    const goodMrz = readMrz(mrzOf().join('\n'));
    const badQr = qr({ name: '' });
    expect(badQr.ok).toBe(false);
    if (badQr.ok || badMrz.ok) return;
    expect(crossCheck(badQr, goodMrz)).toEqual(badQr);
    expect(crossCheck(badQr, badMrz)).toEqual({ ...badQr, errors: [...badQr.errors, ...badMrz.errors] });
    const abroad = qr({ id: '101090000123' });
    expect(abroad.warnings.map((w) => w.code)).toEqual(['registered_abroad']);
    expect(crossCheck(abroad, badMrz)).toEqual({ ok: false, errors: badMrz.errors, warnings: abroad.warnings });
  });
});

describe('the QR code in a camera image', () => {
  it.each(cards.slice(0, 6).map((c, i) => [i, c] as const))('decodes synthetic card %i from an RGBA frame, Vietnamese letters intact', (_i, c) => {
    const { rgba, width, height } = qrFrame(qrText(c));
    const r = reader.readImage(rgba, width, height);
    expect(r.ok && r.record.fullName === c.name && r.record.address === c.address).toBe(true);
  });

  it('decodes PNG and JPEG files', async () => {
    const c = cards[3]!;
    const png = join(dir, 'card.png');
    writeFileSync(png, await QRCode.toBuffer(qrText(c), { type: 'png', scale: 5 }));
    const frame = qrFrame(qrText(c), 5);
    const jpg = join(dir, 'card.jpg');
    writeFileSync(jpg, jpeg.encode({ data: Buffer.from(frame.rgba), width: frame.width, height: frame.height }, 90).data);
    for (const file of [png, jpg]) {
      const image = readImageFile(file);
      const r = reader.readImage(image.rgba, image.width, image.height);
      expect(r.ok && r.record.idNumber === c.id, file).toBe(true);
    }
  });

  it.each([
    ['red', [255, 0, 0]],
    ['green', [0, 255, 0]],
    ['blue', [0, 0, 255]],
  ] as const)('reads a black QR on a %s card: every colour counts towards the brightness', (_name, background) => {
    const c = cards[1]!;
    const { rgba, width, height } = qrFrame(qrText(c), 4, 16, background);
    expect(decodeQrRgba(rgba, width, height)).toEqual({ ok: true, text: qrText(c) });
  });

  it('weighs red, green and blue by ITU-R BT.601 for each pixel\'s brightness, and ignores alpha', () => {
    const pixels = [
      [255, 0, 0, 255],
      [0, 255, 0, 255],
      [0, 0, 255, 255],
      [255, 255, 255, 0],
      [0, 0, 0, 255],
      [100, 150, 200, 128],
    ];
    expect(Array.from(luminanceOf(Uint8Array.from(pixels.flat())))).toEqual([76, 150, 29, 255, 0, 141]);
  });

  it('takes the text as UTF-8, never a guessed character set: bytes that are not UTF-8 show as U+FFFD', () => {
    // "Tám" in Latin-1: left to guess, the decoder would read it as ISO-8859-1 and hide the damage.
    const { rgba, width, height } = qrFrame([{ data: Buffer.from('Tám', 'latin1'), mode: 'byte' }]);
    expect(decodeQrRgba(rgba, width, height)).toEqual({ ok: true, text: 'T\uFFFDm' });
  });

  it('finds a QR code of one-pixel modules in a tall frame, as from a card held far from the camera', () => {
    // The quick search looks at every tenth row of an 800-row frame and misses these finder patterns.
    const text = 'TIEPDAN-TEST';
    const small = qrFrame(text, 1, 8);
    const rgba = new Uint8ClampedArray(small.width * 800 * 4).fill(255);
    rgba.set(small.rgba, 400 * small.width * 4);
    expect(decodeQrRgba(rgba, small.width, 800)).toEqual({ ok: true, text });
  });

  it('EXPECTED FAILURE - lets a decoder failure through unless it only means no readable code', () => {
    const { rgba, width, height } = qrFrame('TIEPDAN-TEST');
    const decode = vi.spyOn(zxing.QRCodeReader.prototype, 'decode');
    try {
      for (const error of [new zxing.NotFoundException(), new zxing.ChecksumException(), new zxing.FormatException()]) {
        decode.mockImplementationOnce(() => {
          throw error;
        });
        expect(decodeQrRgba(rgba, width, height), error.constructor.name).toEqual({ ok: false, reason: 'no_qr_found', message: 'no readable QR code in the image' });
      }
      decode.mockImplementationOnce(() => {
        throw new TypeError('decoder bug');
      });
      expect(() => decodeQrRgba(rgba, width, height)).toThrow(new TypeError('decoder bug'));
    } finally {
      decode.mockRestore();
    }
  });

  it('refuses a frame whose size is no image, or too big to decode, before looking at the pixels', () => {
    const size = { ok: false, reason: 'image_invalid', message: 'the image size must be positive whole numbers of at most 40000000 pixels' };
    const pixels = new Uint8ClampedArray(16);
    for (const [width, height] of [[0, 4], [4, 0], [-2, -2], [2.5, 4], [4, 1.5], [Number.NaN, 4], [8000, 5001]] as const) {
      expect(decodeQrRgba(pixels, width, height), `${width}×${height}`).toEqual(size);
    }
    // 40 million pixels is the most it takes; the buffer is checked next.
    expect(decodeQrRgba(pixels, 8000, 5000)).toEqual({ ok: false, reason: 'image_invalid', message: 'the pixel buffer does not hold width × height × 4 bytes (RGBA)' });
    expect(decodeQrRgba(pixels, 2, 2)).toEqual({ ok: false, reason: 'no_qr_found', message: 'no readable QR code in the image' });
    expect(decodeQrRgba(new Uint8ClampedArray(15), 2, 2)).toMatchObject({ reason: 'image_invalid' });
    expect(decodeQrRgba(new Uint8ClampedArray(17), 2, 2)).toMatchObject({ reason: 'image_invalid' });
  });

  it('EXPECTED FAILURE - refuses a JPEG whose header claims more pixels than a frame may have, before decoding it', () => {
    const frame = qrFrame('TIEPDAN-TEST');
    const bytes = Buffer.from(jpeg.encode({ data: Buffer.from(frame.rgba), width: frame.width, height: frame.height }, 90).data);
    // The baseline frame header (FF C0, length, precision) is followed by the height and the width.
    const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]));
    bytes.writeUInt16BE(9000, sof + 5);
    bytes.writeUInt16BE(12000, sof + 7);
    const file = join(dir, 'huge.jpg');
    writeFileSync(file, bytes);
    expect(() => readImageFile(file)).toThrow(new Error('maxResolutionInMP limit exceeded by 68MP'));
  });

  it('takes a file as PNG or JPEG by its first bytes, nothing else', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    for (const [name, bytes] of [
      ['almost-png', Buffer.concat([png.subarray(0, 7), Buffer.from([0x00])])],
      ['ff-only', Buffer.from([0xff, 0x00, 0x00])],
      ['d8-only', Buffer.from([0x00, 0xd8, 0x00])],
      ['text', Buffer.from('not an image')],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      expect(() => readImageFile(file), name).toThrow(new Error('the file is neither PNG nor JPEG'));
    }
  });

  it('says no_qr_found for a frame without a QR code, and refuses a buffer of the wrong size', () => {
    const blank = new Uint8ClampedArray(120 * 80 * 4).fill(200);
    const r = reader.readImage(blank, 120, 80);
    expect(!r.ok && r.errors[0]!.code).toBe('no_qr_found');
    const wrong = reader.readImage(blank, 100, 100);
    expect(!wrong.ok && wrong.errors[0]!.code).toBe('no_qr_found');
    expect(() => readImageFile(join(dir, 'nothing.png'))).toThrow();
  });
});
