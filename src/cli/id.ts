import { readFileSync } from 'node:fs';
import { maskRecord } from '../civic/id-card/mask.js';
import { readImageFile } from '../civic/id-card/qr-image.js';
import { createIdReader } from '../civic/id-card/reader.js';
import type { IdResult } from '../ports/id-reader.js';
import { parse, UsageError } from './args.js';

export const ID_HELP = `Usage: tiepdan id parse [--reveal] [--image FILE] [--mrz FILE]

Reads the QR text of a citizen ID card (CCCD 2021 or Căn cước 2024) on stdin, or decodes the QR
code in a PNG or JPEG image, validates it and prints one JSON object:
  { "ok": true|false, "record": {...} | null, "errors": [{ "code", "field", "message" }], "warnings": [...] }
The record is masked (0790*****123, N***** V** A) unless --reveal is given.

Options:
  --image FILE  decode the QR code in this PNG or JPEG file instead of reading stdin
  --mrz FILE    also read the MRZ (three lines of 30) from FILE and check it agrees with the QR
  --reveal      print the record in clear (personal data: only where the citizen sees it)
  -h, --help    show this help

Exit status: 0 when the card reads and validates, 1 when it does not, 2 for bad usage.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // Strict: bytes that are not UTF-8 become U+FFFD, which the parser rejects as an encoding error.
  return Buffer.concat(chunks).toString('utf8');
}

export async function idCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${ID_HELP}\n`);
    return 0;
  }
  if (sub !== 'parse') throw new UsageError(`unknown subcommand "${sub}"; use parse`);
  const { values } = parse(rest, { reveal: { type: 'boolean' }, image: { type: 'string' }, mrz: { type: 'string' } });
  if (values.help === true) {
    process.stdout.write(`${ID_HELP}\n`);
    return 0;
  }
  const reader = createIdReader();
  let result: IdResult;
  if (values.image !== undefined) {
    let image: ReturnType<typeof readImageFile>;
    try {
      image = readImageFile(values.image);
    } catch (error) {
      throw new UsageError(`--image ${values.image}: ${(error as Error).message}`);
    }
    result = reader.readImage(image.rgba, image.width, image.height);
  } else {
    const text = await readStdin();
    if (values.mrz !== undefined) {
      let mrz: string;
      try {
        mrz = readFileSync(values.mrz, 'utf8');
      } catch (error) {
        throw new UsageError(`--mrz ${values.mrz}: ${(error as Error).message}`);
      }
      result = reader.readQrWithMrz(text, mrz);
    } else result = reader.readQr(text);
  }
  const out = result.ok
    ? { ok: true, record: values.reveal === true ? result.record : maskRecord(result.record), errors: [], warnings: result.warnings }
    : { ok: false, record: null, errors: result.errors, warnings: result.warnings };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  return result.ok ? 0 : 1;
}
