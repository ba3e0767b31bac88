import type { IdReader, IdResult } from '../../ports/id-reader.js';
import { crossCheck, readMrz } from './mrz.js';
import { decodeQrRgba } from './qr-image.js';
import { parseIdQr } from './qr-text.js';

/** The IdReader over the QR text parser, the MRZ reader and the image decoder; `now` decides "in the future". */
export function createIdReader(now: () => Date = () => new Date()): IdReader {
  return {
    readQr: (text) => parseIdQr(text, now()),
    readQrWithMrz: (text, mrz) => crossCheck(parseIdQr(text, now()), readMrz(mrz)),
    readImage(rgba, width, height): IdResult {
      const decoded = decodeQrRgba(rgba, width, height);
      if (!decoded.ok) return { ok: false, errors: [{ code: 'no_qr_found', field: 'image', message: decoded.message }], warnings: [] };
      return parseIdQr(decoded.text, now());
    },
  };
}
