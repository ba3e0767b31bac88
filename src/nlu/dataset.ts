import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TiepdanError } from '../ports/errors.js';

/** One labelled line of a TSV file: `text<TAB>label[<TAB>slot]`. */
export interface LabelledText {
  readonly text: string;
  readonly label: string;
  /** The third column (a procedure id); empty when absent. */
  readonly slot: string;
}

export interface Dataset {
  readonly file: string;
  readonly rows: readonly LabelledText[];
  /** Whether the file has the third column. */
  readonly hasSlot: boolean;
  /** sha256 of the file's bytes, recorded in the model's metadata. */
  readonly sha256: string;
}

const MAX_TEXT_CHARS = 1000;

/** Reads a 2- or 3-column TSV; every line must have the same number of columns. Errors name the file and line. */
export function readDataset(file: string): Dataset {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new TiepdanError('dataset_invalid', `${file}: cannot read the file`, { cause });
  }
  const text = bytes.toString('utf8');
  const rows: LabelledText[] = [];
  let columns = 0;
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    const parts = line.split('\t');
    if (parts.length < 2 || parts.length > 3) throw new TiepdanError('dataset_invalid', `${where}: expected 2 or 3 tab-separated columns, found ${parts.length}`);
    if (columns === 0) columns = parts.length;
    else if (parts.length !== columns) throw new TiepdanError('dataset_invalid', `${where}: ${parts.length} columns where earlier lines have ${columns}`);
    const [body, label, slot] = parts as [string, string, string | undefined];
    if (body.trim() === '') throw new TiepdanError('dataset_invalid', `${where}: the text is empty`);
    if (body.length > MAX_TEXT_CHARS) throw new TiepdanError('dataset_invalid', `${where}: the text is longer than ${MAX_TEXT_CHARS} characters`);
    if (!/^[\p{L}\p{N}_.:-]+$/u.test(label)) throw new TiepdanError('dataset_invalid', `${where}: the label must be one word of letters, digits, _ . : -`);
    rows.push({ text: body.normalize('NFC'), label, slot: (slot ?? '').trim() });
  });
  if (rows.length === 0) throw new TiepdanError('dataset_invalid', `${file}: no examples`);
  return { file, rows, hasSlot: columns === 3, sha256: createHash('sha256').update(bytes).digest('hex') };
}
