import { maskName } from '../id-card/mask.js';
import { asciiDigits, DATE_PATTERNS, DIGIT_GROUPS, foldWord, MASKED_DATE, maskNumber } from './text-mask.js';

export type FindingKind = 'ID number' | 'old ID number' | 'date' | 'name';

/** Something that looks like personal data, as it may be shown: masked. */
export interface Finding {
  readonly kind: FindingKind;
  readonly masked: string;
}

/** A DDMMYYYY run that is a real calendar date (the QR's own date layout). */
function isCompactDate(digits: string): boolean {
  if (digits.length !== 8) return false;
  const d = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4));
  const y = Number(digits.slice(4));
  return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/**
 * What in `text` looks like personal data: 12-digit ID numbers and 9-digit old ones however grouped
 * (digits of any script), dates, and the given names (matched without case or diacritics). Masked
 * text is not found again: stars are not digits.
 */
export function findPersonalData(text: string, names: readonly string[] = []): Finding[] {
  const findings: Finding[] = [];
  let rest = asciiDigits(text);
  for (const pattern of DATE_PATTERNS) {
    rest = rest.replace(pattern, () => {
      findings.push({ kind: 'date', masked: MASKED_DATE });
      return ' ';
    });
  }
  for (const match of rest.matchAll(DIGIT_GROUPS)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length === 12) findings.push({ kind: 'ID number', masked: maskNumber(digits) });
    else if (digits.length === 9) findings.push({ kind: 'old ID number', masked: maskNumber(digits) });
    else if (isCompactDate(digits)) findings.push({ kind: 'date', masked: MASKED_DATE });
  }
  const folded = ` ${foldWord(text).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  for (const name of names) {
    const key = foldWord(name).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (key !== '' && folded.includes(` ${key} `)) findings.push({ kind: 'name', masked: maskName(name) });
  }
  return findings;
}
