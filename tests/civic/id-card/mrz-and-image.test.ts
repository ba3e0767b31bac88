import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDigit, readMrz } from '../../../src/civic/id-card/mrz.js';
import { readImageFile } from '../../../src/civic/id-card/qr-image.js';
import { createIdReader } from '../../../src/civic/id-card/reader.js';
import { iso, mrzText, qrText, syntheticCards } from '../../../sim/id-cards.js';

const NOW = new Date('2026-11-27T03:00:00Z');
const reader = createIdReader(() => NOW);
const cards = syntheticCards(12, 11);
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-id-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A QR code as an RGBA frame: the module matrix scaled up on a white margin, as a camera sees a card. */
function qrFrame(text: string, scale = 4, margin = 16): { rgba: Uint8ClampedArray; width: number; height: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const width = n * scale + 2 * margin;
  const rgba = new Uint8ClampedArray(width * width * 4).fill(255);
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

  it('says no_qr_found for a frame without a QR code, and refuses a buffer of the wrong size', () => {
    const blank = new Uint8ClampedArray(120 * 80 * 4).fill(200);
    const r = reader.readImage(blank, 120, 80);
    expect(!r.ok && r.errors[0]!.code).toBe('no_qr_found');
    const wrong = reader.readImage(blank, 100, 100);
    expect(!wrong.ok && wrong.errors[0]!.code).toBe('no_qr_found');
    expect(() => readImageFile(join(dir, 'nothing.png'))).toThrow();
  });
});
