import type { Lang } from '../ports/common.js';

/**
 * The one text normalisation of tiepdan. The keyword model, the ONNX featurizer and its training
 * script all call these functions, so a change here changes every model's input: retrain after it.
 */

export interface NormalizeOptions {
  readonly foldDiacritics: boolean;
}

/** Longer inputs are cut before any Unicode work, so a pasted essay costs the same as a sentence. */
export const MAX_INPUT_CHARS = 1000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Line breaks, tabs and the zero-width space separate words; every other invisible joins them.
const SEPARATOR_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029\u200B]/g;
// Format characters (zero-width joiners, bidi marks, emoji tags) would otherwise glue words together.
const INVISIBLES = /[\p{Cc}\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;
// A combining mark left without its base (after an emoji or punctuation was removed) is noise.
const ORPHAN_MARKS = /(^|\s)\p{M}+/gu;
const SPACES = / {2,}/g;
const COMBINING_DIACRITICS = /[\u0300-\u036F]/g;
// Syllables, conjoining jamo and compatibility jamo: folding must never touch them.
const HANGUL_RUN = /([\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]+)/;
const HANGUL_CHAR = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]/g;
const LATIN_CHAR = /\p{Script=Latin}/gu;

/**
 * NFC, locale-independent lower case, controls removed, punctuation and symbols turned into spaces,
 * whitespace collapsed. Letters and digits of every script survive; Hangul is left whole.
 */
export function normalizeText(text: string, options: NormalizeOptions = { foldDiacritics: false }): string {
  let out = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  out = out.replace(LONE_SURROGATE, ' ').replace(SEPARATOR_CONTROLS, ' ').replace(INVISIBLES, '');
  // toLowerCase, not toLocaleLowerCase: a Turkish locale on the robot must not change the model input.
  out = out.normalize('NFC').toLowerCase();
  out = out.replace(NOT_WORD, ' ').replace(ORPHAN_MARKS, '$1');
  if (options.foldDiacritics) out = foldDiacritics(out);
  return out.replace(SPACES, ' ').trim();
}

function foldRun(run: string): string {
  return run.normalize('NFD').replace(COMBINING_DIACRITICS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/**
 * Removes Vietnamese tone and vowel marks (and any other U+0300–U+036F mark) and maps đ to d.
 * NFD would split Hangul syllables into jamo, so Hangul runs are passed through untouched.
 */
export function foldDiacritics(text: string): string {
  const parts = text.split(HANGUL_RUN);
  // split() with one capture group alternates: even indices are non-Hangul, odd ones Hangul runs.
  return parts.map((part, index) => (index % 2 === 1 ? part : foldRun(part))).join('');
}

/** Splits normalised text on spaces; a Hangul word (with its particles) stays one token. */
export function tokenize(normalized: string): string[] {
  return normalized.split(' ').filter((token) => token.length > 0);
}

// Letters that occur in Vietnamese but not in English or French loanwords.
const VI_SPECIFIC = /[ăđơưảẳẩẻểỉỏổởủửỷạặậẹệịọộợụựỵãẵẫẽễĩõỗỡũữỹằầềồờừỳắấếốớứ]/;
// Marked letters also found in French loanwords ("café", "à la carte"): weaker evidence.
const VI_SHARED = /[àáâèéêìíòóôùúýõ]/;

/** Vietnamese function words and frequent content words, diacritics folded. */
const VI_WORDS = new Set([
  'toi', 'em', 'anh', 'chi', 'lam', 'giay', 'dau', 'nhieu', 'khong', 'duoc', 'gi', 'nha', 'vay',
  'la', 'cua', 'co', 'minh', 'muon', 'dang', 'ky', 'ki', 'ho', 'thu', 'tuc', 'lau', 'ngay', 'tien',
  'roi', 'nao', 'di', 'va', 'voi', 'nay', 'thi', 'hong', 'da', 'oi', 'nhe', 'day', 'duong', 'quay',
  'xin', 'hoi', 'cho', 'khai', 'sinh', 'ket', 'hon', 'tam', 'tru', 'thuong', 'chung', 'thuc', 'nhan',
  'vien', 'phai', 'dung', 'biet', 'gium', 'dum', 'giup', 'nguoi', 'nhu', 'cuoc', 'tro', 'cap', 'xay',
  'dat', 'kinh', 'doanh', 'bao', 'hiem', 'vo', 'chong', 'con', 'ba', 'ong', 'chu', 'bac',
  'ne', 'ha', 'ak', 'ah', 'dzay', 'dza', 'vang', 'u', 'ua', 'sao', 'chut', 'mot', 'hai', 'nam',
  'cai', 'nhung', 'cac', 'neu', 'de', 'tai', 'vi', 'rang', 'lai', 'nua', 'luon', 'het', 'ngoai',
  'trong', 'tren', 'duoi', 'sau', 'truoc', 'ra', 'vao', 'len', 'xuong', 'qua', 'mang', 'theo',
]);

/** English function words and words of the domain that are not also Vietnamese syllables. */
const EN_WORDS = new Set([
  'i', 'you', 'my', 'your', 'is', 'are', 'am', 'was', 'were', 'what', 'where', 'how', 'when', 'which',
  'who', 'why', 'need', 'want', 'for', 'of', 'with', 'please', 'register', 'registration', 'certificate',
  'get', 'help', 'much', 'many', 'take', 'here', 'there', 'this', 'that', 'it', 'does', 'did', 'have',
  'has', 'would', 'like', 'could', 'should', 'will', 'and', 'or', 'not', 'yes', 'thank', 'thanks',
  'hello', 'good', 'morning', 'afternoon', 'sorry', 'excuse', 'our', 'we', 'they', 'be', 'at', 'on',
  'from', 'about', 'by', 'birth', 'marriage', 'death', 'land', 'permit', 'copy', 'card', 'insurance',
  'complaint', 'fee', 'documents', 'counter', 'ticket', 'number', 'staff', 'baby', 'wife', 'husband',
  'house', 'business', 'building', 'id', 'just', 'some', 'any', 'an', 'if', 'into', 'long',
  'days', 'wait', 'queue', 'turn', 'again', 'speak', 'english', 'korean', 'bye', 'okay', 'yeah',
  'the', 'do', 'to', 'me', 'can', 'no',
]);

/** Two-word Vietnamese collocations; one of these outweighs a stray English-looking word. */
const VI_BIGRAMS = new Set([
  'o dau', 'bao nhieu', 'bao lau', 'may ngay', 'giay to', 'ho so', 'thu tuc', 'dang ky', 'khai sinh',
  'ket hon', 'tam tru', 'thuong tru', 'can cuoc', 'lam sao', 'the nao', 'cho hoi', 'cho em', 'cho toi',
  'xin chao', 'cam on', 'khong phai', 'dung roi', 'duoc khong', 'nhan vien', 'lay so', 'so do', 'so hong',
]);

// Syllables as common in folded Vietnamese as in English ("mấy"/"may", "bán"/"ban") count for neither.
// "can", "to" and "the" stay English: the Vietnamese bigrams above outweigh them in a real sentence.
for (const shared of ['an', 'so', 'con', 'ban', 'den', 'ma', 'hi', 'bay', 'sang', 'ten', 'may', 'hon', 'pho', 'me']) {
  VI_WORDS.delete(shared);
  EN_WORDS.delete(shared);
}

/** Cheap script and word-list evidence; good enough to pick the reply language of a kiosk turn. */
export function detectLanguage(text: string): { lang: Lang; confidence: number } {
  const normalized = normalizeText(text);
  const hangul = normalized.match(HANGUL_CHAR)?.length ?? 0;
  const latin = normalized.match(LATIN_CHAR)?.length ?? 0;
  if (hangul > 0 && hangul * 3 >= latin) {
    return { lang: 'ko', confidence: round(0.6 + 0.4 * (hangul / (hangul + latin))) };
  }
  let vi = 0;
  let en = 0;
  const rawTokens = tokenize(normalized);
  const folded = rawTokens.map((token) => foldDiacritics(token));
  rawTokens.forEach((token, index) => {
    if (VI_SPECIFIC.test(token)) vi += 2;
    else if (VI_SHARED.test(token)) vi += 1;
    else if (VI_WORDS.has(folded[index] ?? '')) vi += 1;
    else if (EN_WORDS.has(token)) en += 1;
    const next = folded[index + 1];
    if (next !== undefined && VI_BIGRAMS.has(`${folded[index]} ${next}`)) vi += 2;
  });
  if (hangul > 0) return { lang: 'ko', confidence: 0.5 };
  if (vi === 0 && en === 0) return { lang: 'en', confidence: 0.34 };
  const margin = Math.abs(vi - en) / (vi + en + 1);
  if (vi > en) return { lang: 'vi', confidence: round(0.5 + 0.49 * margin) };
  return { lang: 'en', confidence: round(vi === en ? 0.4 : 0.5 + 0.49 * margin) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
