import { deflateSync } from 'node:zlib';
import { TiepdanError } from '../src/ports/errors.js';

/**
 * Minimal PNG writer for simulator reports: 8-bit RGBA, no interlace, filter type 0 on every row.
 * Filter 0 compresses occupancy grids (long runs of one colour) well enough that smarter
 * per-row filter choice is not worth its code.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BYTES_PER_PIXEL = 4;
const BIT_DEPTH = 8;
const COLOR_TYPE_RGBA = 6;
/** The PNG spec caps width and height at 2^31 - 1. */
const MAX_DIMENSION_PX = 0x7fffffff;

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses) over the bytes, continuing from `previous` for chunked input. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  // The CRC covers the chunk type and data, not the length.
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** `rgba` holds `width * height` pixels, row by row from the top, 4 bytes each. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION_PX) {
      throw new TiepdanError('png_invalid', `${name} must be an integer from 1 to ${MAX_DIMENSION_PX}, got ${value}`);
    }
  }
  const rowBytes = width * BYTES_PER_PIXEL;
  if (rgba.length !== rowBytes * height) {
    throw new TiepdanError('png_invalid', `expected ${rowBytes * height} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = BIT_DEPTH;
  header[9] = COLOR_TYPE_RGBA;
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method: adaptive (each row then names its filter type)
  header[12] = 0; // interlace: none

  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    const rowStart = y * (rowBytes + 1);
    raw[rowStart] = 0; // filter type None
    raw.set(rgba.subarray(y * rowBytes, (y + 1) * rowBytes), rowStart + 1);
  }

  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
