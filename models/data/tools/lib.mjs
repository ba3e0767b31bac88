// Shared helpers of the intent-data generator and its checkers. Plain Node (>= 20), no dependencies.

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: small, fast, good enough for shuffling and sampling; same seed, same sequence. */
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    shuffle: (list) => {
      const out = [...list];
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

/** A stable 32-bit hash of a string (FNV-1a), to derive per-item seeds. */
export function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Normalisation: mirrors src/nlu/normalize.ts (normalizeText with foldDiacritics) so that the
// duplicate checks see texts the way the models do.

const HANGUL_RUN = /([\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]+)/;
const NOT_WORD = /[^\p{L}\p{N}\p{M}]+/gu;

/** Vietnamese folding: tone and vowel marks removed, đ → d. Hangul is left whole. */
export function fold(text) {
  return text
    .split(HANGUL_RUN)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.normalize('NFD').replace(/[\u0300-\u036F]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC'),
    )
    .join('');
}

/** NFC, lower case, diacritics folded, punctuation stripped, spaces collapsed. */
export function normalize(text) {
  const lower = text.normalize('NFC').toLowerCase().replace(NOT_WORD, ' ');
  return fold(lower).replace(/\s+/g, ' ').trim();
}

export function tokens(normalized) {
  return normalized.split(' ').filter((t) => t.length > 0);
}

// ---------------------------------------------------------------------------------------------
// Near duplicates

/**
 * One-word edits (a word substituted, inserted or deleted, or one shifted) count between lines
 * whose longer one has at least this many words: "chào em" / "chào anh" are one word apart, two
 * different one-word lines ("yes" / "ok") are not.
 */
export const ONE_WORD_MIN_LEN = 2;

/**
 * Keys such that two token sequences share one exactly when they are equal or one edit apart.
 * Full keys and deletion keys live in one space: the full key of a shorter text meets the deletion
 * keys of a longer one (an insertion); two deletion keys meet for a substitution or a shift.
 */
export function editKeyIndexKeys(toks) {
  const full = toks.join(' ');
  const out = [`${toks.length}|${full}`];
  if (toks.length >= ONE_WORD_MIN_LEN) {
    for (let i = 0; i < toks.length; i += 1) out.push(`${toks.length - 1}|${[...toks.slice(0, i), ...toks.slice(i + 1)].join(' ')}`);
  }
  return out;
}

/** True when two token sequences are equal or one word apart (see ONE_WORD_MIN_LEN). */
export function oneWordApart(a, b) {
  if (Math.max(a.length, b.length) < ONE_WORD_MIN_LEN) return a.join(' ') === b.join(' ');
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    let diff = 0;
    for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) diff += 1;
    return diff <= 1;
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  let j = 0;
  let skipped = 0;
  while (i < s.length && j < l.length) {
    if (s[i] === l[j]) {
      i += 1;
      j += 1;
    } else {
      skipped += 1;
      j += 1;
      if (skipped > 1) return false;
    }
  }
  return true;
}

export function jaccard(setA, setB) {
  let inter = 0;
  for (const t of setA) if (setB.has(t)) inter += 1;
  const union = setA.size + setB.size - inter;
  return union === 0 ? 1 : inter / union;
}

/**
 * All pairs (i, j), i < j, of token sets with Jaccard >= threshold, by prefix filtering: sets are
 * ordered rarest token first, and two sets that reach the threshold share a token in their prefixes.
 * `pairFilter(i, j)` can skip pairs early (e.g. same split).
 */
export function jaccardPairs(sets, threshold, pairFilter = () => true) {
  const freq = new Map();
  for (const s of sets) for (const t of s) freq.set(t, (freq.get(t) ?? 0) + 1);
  const ordered = sets.map((s) => [...s].sort((x, y) => (freq.get(x) - freq.get(y)) || (x < y ? -1 : x > y ? 1 : 0)));
  const index = new Map();
  const pairs = [];
  ordered.forEach((toks, i) => {
    const n = toks.length;
    const prefix = n - Math.ceil(threshold * n) + 1;
    const seen = new Set();
    for (let p = 0; p < Math.min(prefix, n); p += 1) {
      const list = index.get(toks[p]);
      if (list === undefined) continue;
      for (const j of list) {
        if (seen.has(j)) continue;
        seen.add(j);
        const m = sets[j].size;
        if (Math.min(n, m) / Math.max(n, m) < threshold) continue;
        if (!pairFilter(j, i)) continue;
        const jac = jaccard(sets[i], sets[j]);
        if (jac >= threshold) pairs.push([j, i, jac]);
      }
    }
    for (let p = 0; p < Math.min(prefix, n); p += 1) {
      const list = index.get(toks[p]) ?? [];
      list.push(i);
      index.set(toks[p], list);
    }
  });
  return pairs;
}

/** Pairs of indices whose token sequences are one word apart (ONE_WORD_MIN_LEN rule), i < j. */
export function oneWordPairs(tokLists, pairFilter = () => true) {
  const index = new Map();
  const pairs = new Set();
  tokLists.forEach((toks, i) => {
    for (const key of editKeyIndexKeys(toks)) {
      const list = index.get(key);
      if (list !== undefined) {
        for (const j of list) {
          if (j === i) continue;
          const a = Math.min(i, j);
          const b = Math.max(i, j);
          if (!pairFilter(a, b)) continue;
          if (oneWordApart(tokLists[a], tokLists[b]) || shiftMatch(tokLists[a], tokLists[b])) pairs.add(`${a},${b}`);
        }
      }
      index.set(key, [...(list ?? []), i]);
    }
  });
  return [...pairs].map((p) => p.split(',').map(Number));
}

/** Equal length, equal after deleting one (possibly different) token from each: a shifted one-word change. */
function shiftMatch(a, b) {
  if (a.length !== b.length || a.length < ONE_WORD_MIN_LEN) return false;
  const keysA = new Set(editKeyIndexKeys(a).slice(1));
  return editKeyIndexKeys(b).slice(1).some((k) => keysA.has(k));
}

// ---------------------------------------------------------------------------------------------
// Union-find

export class UnionFind {
  constructor(n) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(x) {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[x] !== r) {
      const next = this.parent[x];
      this.parent[x] = r;
      x = next;
    }
    return r;
  }
  union(a, b) {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

// ---------------------------------------------------------------------------------------------
// TSV

export const SPLITS = ['train', 'dev', 'test'];

export function readTsv(path, readFileSync) {
  const raw = readFileSync(path, 'utf8');
  const lines = raw.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

const VI_MARKED = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
const EN_HINTS = new Set([
  'i', 'my', 'me', 'we', 'our', 'you', 'your', 'the', 'a', 'is', 'are', 'do', 'does', 'can', 'could', 'what', 'where', 'how',
  'please', 'need', 'want', 'to', 'for', 'of', 'it', 'this', 'that', 'with', 'have', 'get', 'thanks', 'thank', 'yes', 'no',
  'hello', 'hi', 'take', 'there', 'here', 'would', 'like', 'much', 'long', 'number', 'sorry', 'again', 'okay', 'sure', 'its',
  'and', 'in', 'on', 'be', 'am', 'if', 'just', 'not', 'an', 'who', 'which', 'when', 'will', 'should', 'im', 'dont', 'bye',
  'wait', 'people', 'whats', 'say', 'speak', 'english', 'yeah', 'nope', 'ok', 'let', 'lets', 'go', 'good', 'morning',
]);
const VI_HINTS = new Set([
  'toi', 'tui', 'em', 'anh', 'chi', 'cho', 'hoi', 'lam', 'giay', 'o', 'dau', 'vay', 'khong', 'hong', 'ko', 'duoc', 'roi', 'nha',
  'muon', 'can', 'gi', 'bao', 'nhieu', 'lau', 'tien', 'da', 'di', 'voi', 'minh', 'con', 'chau', 'ba', 'ma', 'xin', 'dang', 'ky',
  'ki', 'thu', 'tuc', 'so', 'cua', 'la', 'thi', 'nay', 'nao', 'chua', 'oi', 'nhe', 'a', 'ha', 'gium', 'dum', 'lai', 'noi',
  'tieng', 'cam', 'on', 'chao', 'dung', 'phai', 'sai', 'vo', 'mat', 'ngay', 'quay', 'dan', 'dua', 'quet', 'can', 'cuoc', 'mang',
]);

/**
 * The language of a data line, from the text alone: Hangul means Korean; Latin text counts
 * Vietnamese marks and marker words against English ones. The generator records the language of
 * every line in meta/; the validator uses this only to cross-check that record.
 */
export function lineLang(text) {
  if (/[\uAC00-\uD7AF\u1100-\u11FF\u3130-\u318F]/.test(text)) return 'ko';
  let vi = 0;
  let en = 0;
  for (const raw of text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}\p{M}]+/u)) {
    if (raw === '') continue;
    if (VI_MARKED.test(raw)) vi += 1;
    else if (VI_HINTS.has(raw)) vi += 1;
    if (EN_HINTS.has(raw)) en += 1;
  }
  return vi > en ? 'vi' : 'en';
}
