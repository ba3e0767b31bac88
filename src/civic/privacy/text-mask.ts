/**
 * The one masking of free text (what the robot hears and says, error messages) before it reaches
 * the console, the JSON log or the terminal. An ID number keeps at most its last three digits, so a
 * birth year shown elsewhere cannot narrow it down (digits 5–6 are the year, 1–3 the province).
 */

/** Any Unicode decimal digit (full-width `０７９`, Arabic-Indic…) as its ASCII digit; other text unchanged. */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    if (d >= '0' && d <= '9') return d;
    // Unicode lays digits out as runs of ten from zero (the mathematical ones as several runs in a row).
    let zero = d.codePointAt(0)!;
    while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero -= 1;
    return String((d.codePointAt(0)! - zero) % 10);
  });
}

const MONTHS_EN = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
/**
 * Dates as people say or type them: d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, "ngày 15 tháng 3
 * năm 1985" (or without "ngày"), "15 March 1985". A two-digit year is not matched: "3/4" is too often
 * not a date.
 */
export const DATE_PATTERNS: readonly RegExp[] = [
  /(?<!\d)\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}(?!\d)/g,
  /(?<!\d)\d{4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,2}(?!\d)/g,
  /(?:ngày\s+)?\d{1,2}\s+tháng\s+\d{1,2}(?:\s*(?:,\s*)?năm\s+\d{4})?/giu,
  /(?:tháng\s+\d{1,2}\s+)?năm\s+(?:19|20)\d{2}(?!\d)/giu,
  new RegExp(`(?<!\\d)\\d{1,2}\\s+(?:${MONTHS_EN})\\.?,?\\s+\\d{4}(?!\\d)`, 'giu'),
  new RegExp(`(?:${MONTHS_EN})\\.?\\s+\\d{1,2},?\\s+\\d{4}(?!\\d)`, 'giu'),
];
export const MASKED_DATE = '**/**/****';

/**
 * Digit groups that together make a long number: "079 185 001 234", "0791-8500-1234", "025.123.456".
 * Separators are one space, dot or dash; six digits in all is where a number becomes personal (an ID,
 * a phone, a date without separators), below it is a counter, a ticket or a time.
 */
export const DIGIT_GROUPS = /(?<!\d)\d+(?:[ .\-–]\d+)*(?!\d)/g;
const MIN_MASKED_DIGITS = 6;

/** `*********234`: only the last three digits of a number of nine or more, two of a shorter one. */
export function maskNumber(digits: string): string {
  const keep = digits.length >= 9 ? 3 : 2;
  return `${'*'.repeat(digits.length - keep)}${digits.slice(-keep)}`;
}

/** Lower case, no diacritics, đ as d: how a recogniser may write a name it heard. */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** Words that name a kind of place, not a person's: learning them would mask half the conversation. */
const ADDRESS_WORDS = new Set(['so', 'duong', 'pho', 'ngo', 'hem', 'kiet', 'ngach', 'ap', 'thon', 'xom', 'to', 'khu', 'phuong', 'xa', 'quan', 'huyen', 'thi', 'tran', 'thanh', 'tinh', 'tp']);

/** Personal words a conversation learned from the card it read: masked until it ends. */
export interface LearnedTokens {
  /** Folded words (see `foldWord`) to mask wherever they stand alone. */
  readonly words: ReadonlySet<string>;
  /** House numbers ("12", "12/3", "45a"), masked only right before a learned street word. */
  readonly houseNumbers: ReadonlySet<string>;
}

export const NOTHING_LEARNED: LearnedTokens = { words: new Set(), houseNumbers: new Set() };

/** The name parts (two letters or more) and the street part of the address (before the first comma). */
export function tokensFromCard(card: { readonly fullName: string; readonly address: string }): LearnedTokens {
  const words = new Set<string>();
  const houseNumbers = new Set<string>();
  for (const w of card.fullName.split(/\s+/)) if (Array.from(w).length >= 2) words.add(foldWord(w));
  const street = card.address.split(',')[0] ?? '';
  for (const w of street.split(/\s+/)) {
    if (w === '') continue;
    if (/\d/.test(w)) houseNumbers.add(foldWord(w));
    else if (Array.from(w).length >= 2 && !ADDRESS_WORDS.has(foldWord(w))) words.add(foldWord(w));
  }
  return { words, houseNumbers };
}

/** Two sets of learned tokens as one. */
export function mergeTokens(a: LearnedTokens, b: LearnedTokens): LearnedTokens {
  return { words: new Set([...a.words, ...b.words]), houseNumbers: new Set([...a.houseNumbers, ...b.houseNumbers]) };
}

function maskLearned(text: string, learned: LearnedTokens): string {
  if (learned.words.size === 0) return text;
  // Words with their marks; house numbers with a slash or a letter (12/3, 45A).
  const tokens = [...text.matchAll(/[\p{L}\p{M}]+|[\p{N}][\p{N}/\p{L}]*/gu)];
  const hide = new Set<number>();
  tokens.forEach((t, i) => {
    const folded = foldWord(t[0]);
    if (learned.words.has(folded)) hide.add(i);
    else if (learned.houseNumbers.has(folded) && learned.words.has(foldWord(tokens[i + 1]?.[0] ?? ''))) hide.add(i);
  });
  if (hide.size === 0) return text;
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    if (!hide.has(i)) return;
    out += text.slice(at, t.index) + '*'.repeat(Array.from(t[0]).length);
    at = t.index + t[0].length;
  });
  return out + text.slice(at);
}

/**
 * Free text with personal data masked: dates, long numbers however grouped (digits of any script
 * read as ASCII first), and what this conversation learned from the card.
 */
export function maskPersonalText(text: string, learned: LearnedTokens = NOTHING_LEARNED): string {
  let out = asciiDigits(text);
  for (const pattern of DATE_PATTERNS) out = out.replace(pattern, MASKED_DATE);
  out = out.replace(DIGIT_GROUPS, (group) => {
    const digits = group.replace(/\D/g, '');
    return digits.length >= MIN_MASKED_DIGITS ? maskNumber(digits) : group;
  });
  return maskLearned(out, learned);
}

/** What one conversation learned, for masking its transcripts: learned when the card is read, forgotten when it ends. */
export interface ConversationMasker {
  learn(card: { readonly fullName: string; readonly address: string }): void;
  forget(): void;
  mask(text: string): string;
}

export function createConversationMasker(): ConversationMasker {
  let learned = NOTHING_LEARNED;
  return {
    learn: (card) => void (learned = mergeTokens(learned, tokensFromCard(card))),
    forget: () => void (learned = NOTHING_LEARNED),
    mask: (text) => maskPersonalText(text, learned),
  };
}
