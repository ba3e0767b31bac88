import { readFileSync } from 'node:fs';
import { projectPath } from '../paths.js';

/** Code points, not UTF-16 units: "mật khẩu" counts as eight. */
export const MIN_PASSWORD_LENGTH = 10;
/** scrypt takes longer inputs, but no one types more; a cap keeps a hash request small. */
export const MAX_PASSWORD_LENGTH = 256;
/** Fewer distinct characters than this is a repetition ("abababab", "aaaaaaaaaa", "1212121212"). */
const MIN_DISTINCT = 5;

export const COMMON_PASSWORDS_FILE = projectPath('src', 'console', 'common-passwords.txt');

let common: ReadonlySet<string> | null = null;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(COMMON_PASSWORDS_FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return common;
}

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** True when every character is the previous one plus or minus one, alphabetically or along a keyboard row. */
function isRun(text: string): boolean {
  const chars = Array.from(text);
  if (chars.length < 3) return false;
  const steps = new Set<number>();
  for (let i = 1; i < chars.length; i += 1) steps.add(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!);
  if (steps.size === 1 && (steps.has(1) || steps.has(-1))) return true;
  return KEYBOARD_ROWS.some((row) => row.includes(text) || [...row].reverse().join('').includes(text));
}

/** The password with the digits and punctuation people add at the end ("password123!") taken off. */
function stem(text: string): string {
  return text.replace(/[\d\s\p{P}\p{S}]+$/u, '');
}

/**
 * Why a password is too weak to set, or null. The rules: at least `MIN_PASSWORD_LENGTH` characters;
 * not the user's name (with or without digits after it); not a common password, alone or with digits after it; not mostly one
 * repeated character or a short repeated pattern; not a run ("0123456789", "abcdefghij", a keyboard row).
 */
export function passwordProblem(password: string, userName?: string): string | null {
  const length = Array.from(password).length;
  if (length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.normalize('NFC').toLowerCase();
  const list = commonPasswords();
  const stemmed = stem(lower);
  if (userName !== undefined && (lower === userName.toLowerCase() || stemmed === userName.toLowerCase())) return 'a password must not be the user name';
  if (list.has(lower) || list.has(stemmed)) return 'that password is too common; choose another';
  if (new Set(Array.from(lower)).size < MIN_DISTINCT) return 'that password repeats too few characters; choose another';
  const compact = lower.replace(/[\s\p{P}]/gu, '');
  if (isRun(compact) || isRun(stemmed.replace(/[\s\p{P}]/gu, ''))) return 'that password is a run of keys or letters; choose another';
  return null;
}
