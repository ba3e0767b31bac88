import { readFileSync } from 'node:fs';
import zxing from '@zxing/library';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

// @zxing/library is CommonJS without static named exports for Node's ESM loader.
const { BinaryBitmap, DecodeHintType, HybridBinarizer, NotFoundException, ChecksumException, FormatException, QRCodeReader, RGBLuminanceSource } = zxing;

/** Camera frames larger than this are refused rather than decoded (8K RGBA is about 130 MB). */
const MAX_PIXELS = 40_000_000;

/** Brightness of each RGBA pixel with the ITU-R BT.601 weights; the alpha byte is ignored. */
export function luminanceOf(rgba: Uint8Array | Uint8ClampedArray): Uint8ClampedArray {
  const luminance = new Uint8ClampedArray(rgba.length / 4);
  // Stryker disable next-line EqualityOperator: a typed array drops a write past its end, so one more turn changes nothing
  for (let i = 0; i < luminance.length; i += 1) {
    luminance[i] = (rgba[i * 4]! * 299 + rgba[i * 4 + 1]! * 587 + rgba[i * 4 + 2]! * 114) / 1000;
  }
  return luminance;
}

export type QrDecode = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: 'no_qr_found' | 'image_invalid'; readonly message: string };

/**
 * Finds and decodes a QR code in an RGBA frame. The character set is forced to UTF-8: letting the
 * decoder guess is how Vietnamese names turn into Big5 or Shift-JIS mojibake (cccd.md §1.6).
 */
export function decodeQrRgba(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): QrDecode {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width * height > MAX_PIXELS) {
    return { ok: false, reason: 'image_invalid', message: `the image size must be positive whole numbers of at most ${MAX_PIXELS} pixels` };
  }
  if (rgba.length !== width * height * 4) {
    return { ok: false, reason: 'image_invalid', message: 'the pixel buffer does not hold width × height × 4 bytes (RGBA)' };
  }
  const luminance = luminanceOf(rgba);
  const hints = new Map<zxing.DecodeHintType, unknown>([
    [DecodeHintType.CHARACTER_SET, 'UTF-8'],
    // Stryker disable next-line BooleanLiteral: @zxing/library tries harder when the hint is present, whatever its value
    [DecodeHintType.TRY_HARDER, true],
  ]);
  try {
    const result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height))), hints);
    return { ok: true, text: result.getText() };
  } catch (error) {
    if (error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException) {
      return { ok: false, reason: 'no_qr_found', message: 'no readable QR code in the image' };
    }
    throw error;
  }
}

/**
 * Reads a PNG or JPEG file (by its first bytes, not its name) into RGBA. A JPEG of more pixels than a
 * frame may have is refused from its header, before its pixels take memory.
 */
export function readImageFile(file: string): { rgba: Uint8Array; width: number; height: number } {
  const bytes = readFileSync(file);
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    const png = PNG.sync.read(bytes);
    return { rgba: png.data, width: png.width, height: png.height };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1_000_000 });
    return { rgba: img.data, width: img.width, height: img.height };
  }
  throw new Error('the file is neither PNG nor JPEG');
}
