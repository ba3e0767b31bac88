import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { Catalog } from '../ports/catalog.js';
import { LANGS, type Lang } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import { INTENTS, type Classification, type Intent, type IntentAlternative, type IntentModel } from '../ports/intent-model.js';
import { PROJECT_ROOT, projectPath } from '../paths.js';
import { describeIssues, formatIssuePath, parseYamlText } from '../validation.js';
import { detectLanguage, normalizeText, tokenize } from './normalize.js';

/**
 * The rule-based intent model: phrase tables and a handful of rules, no learned weights. It answers
 * when the ONNX model is missing and is the baseline that model is benchmarked against, so every
 * rule here is one a person can read and argue with.
 *
 * The phrase tables are data, one YAML file per language in `src/nlu/keywords/`; the file header
 * there explains the template syntax and the weights. Templates are written with diacritics for
 * readability and folded like every input before matching, so each covers the spelling with and
 * without diacritics.
 */

// ---------------------------------------------------------------------------------------------
// Tables

/** The phrase tables shipped with tiepdan: `vi.yaml`, `en.yaml`, `ko.yaml`. */
export const DEFAULT_KEYWORDS_DIR = projectPath('src', 'nlu', 'keywords');

/**
 * Operations that say what is wanted of a document without naming a procedure ("xin lại", "wrong",
 * "재발급"). Each applies to the procedure named nearest to it: a copy of a birth certificate is a
 * civil-status extract, a wrong date on one is a correction, a new name on a red book is a land
 * change; a lost ID card is still the ID-card procedure. With nothing named, `fallback` (if any).
 */
type ModifierOp = 'copy' | 'change';

interface ModifierKind {
  readonly op: ModifierOp;
  readonly weight: number;
  readonly fallback: string | null;
}

/** The `modifiers` keys of a phrase file. They are shared by the languages, so they are defined here once. */
const MODIFIER_KINDS = {
  copy: { op: 'copy', weight: 0.9, fallback: null },
  /** An explicit correction ("sai ngày sinh", "wrong name"): a correction even with no record named. */
  correction: { op: 'change', weight: 0.9, fallback: 'civil_status_correction' },
  /** Attributes of a civil-status record: named next to one, they are usually what is to be corrected. */
  record_attribute: { op: 'change', weight: 0.6, fallback: 'civil_status_correction' },
  /** A bare change ("sửa", "update"): it needs a procedure nearby to mean anything. */
  change: { op: 'change', weight: 0.9, fallback: null },
} as const satisfies Readonly<Record<string, ModifierKind>>;
type ModifierKindName = keyof typeof MODIFIER_KINDS;
const MODIFIER_KIND_NAMES = Object.keys(MODIFIER_KINDS) as [ModifierKindName, ...ModifierKindName[]];

const MODIFIER_TARGETS: Readonly<Record<ModifierOp, Readonly<Record<string, string>>>> = {
  copy: {
    birth_registration: 'civil_status_extract_copy',
    marriage_registration: 'civil_status_extract_copy',
    death_registration: 'civil_status_extract_copy',
  },
  change: {
    birth_registration: 'civil_status_correction',
    marriage_registration: 'civil_status_correction',
    death_registration: 'civil_status_correction',
    civil_status_extract_copy: 'civil_status_correction',
    land_certificate: 'land_change_registration',
  },
};

/** Bonus for the object of a request verb; it breaks ties, it does not beat a stronger term. */
const REQUEST_BONUS = 0.3;
/** How far the object may sit from its verb, in characters of the space-free text: about four short words. */
const REQUEST_REACH_LATIN_CHARS = 20;
/** Korean: the verb ending follows its object almost at once, after at most a particle. */
const REQUEST_REACH_HANGUL_CHARS = 3;

/** 'start': counts in a short utterance or at its start (after particles such as "dạ"); 'short': only in a short one. */
const GATES = ['any', 'start', 'short'] as const;
type Gate = (typeof GATES)[number];

const termSchema = z.string({ error: 'expected a string' }).refine((value) => value.trim() !== '', 'expected a non-empty string');
const termsSchema = z.array(termSchema, { error: 'expected a list of strings' });
const weight = z.number({ error: 'expected a number' }).positive('expected a weight above 0');
/** A word compared with the folded input as it is: it must already be folded, or it never matches. */
const foldedWord = termSchema.refine(
  (value) => normalizeText(value, { foldDiacritics: true }) === value && !value.includes(' '),
  'expected one word, lower case, without diacritics or punctuation',
);

const keywordFileSchema = z.strictObject({
  /** Template parts used by several terms of this file, written `{name}` in a term. */
  fragments: z.record(z.string().regex(/^[a-z_]+$/u, 'expected a fragment name in lower_snake_case'), termSchema).default({}),
  /** Key terms per catalog procedure id; ids the catalog lacks are skipped. */
  procedures: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]*$/u, 'expected a procedure id in lower_snake_case'),
      z.array(z.strictObject({ weight, terms: termsSchema.min(1, 'expected at least one term') })),
    )
    .default({}),
  modifiers: z.partialRecord(z.enum(MODIFIER_KIND_NAMES), termsSchema).default({}),
  /**
   * Request verbs. The procedure right after one (right before one, in Korean) is the object of
   * the request, so it outranks procedures mentioned as background.
   */
  requests: termsSchema.default([]),
  intents: z
    .partialRecord(
      z.enum(INTENTS),
      z.array(z.strictObject({ weight, gate: z.enum(GATES).default('any'), terms: termsSchema.min(1, 'expected at least one term') })),
    )
    .default({}),
  /** Phrases with no target: they only hide the shorter cues inside them. */
  shadows: termsSchema.default([]),
  /** Openers that do not count as content, so "dạ vâng" and "uh, yes" still start with their answer. */
  lead_particles: z.array(foldedWord).default([]),
  /** Words that name no topic outside the centre (folded). Any other uncovered word in a procedure question is off topic. */
  function_words: z.array(foldedWord).default([]),
  /** Spelling variants folded to one token before matching ("ki" -> "ky", "dk" -> "dang ky"). */
  token_aliases: z.record(foldedWord, z.array(foldedWord).min(1, 'expected at least one token')).default({}),
  /** Chat respellings of a word's start ("fép" -> "phép"), tried in order, only for unknown words. */
  teencode: z.array(z.strictObject({ from: foldedWord, to: foldedWord })).default([]),
});
type KeywordFile = z.output<typeof keywordFileSchema>;

interface TermGroup {
  readonly weight: number;
  readonly terms: readonly string[];
}

interface CueGroup extends TermGroup {
  readonly intent: Intent;
  readonly gate: Gate;
}

interface ModifierGroup extends ModifierKind {
  readonly terms: readonly string[];
}

/** The tables of every language, merged in the order the model adds them. */
export interface KeywordTables {
  readonly procedures: ReadonlyMap<string, readonly TermGroup[]>;
  readonly modifiers: readonly ModifierGroup[];
  readonly requests: readonly string[];
  readonly cues: readonly CueGroup[];
  readonly shadows: readonly string[];
  readonly leadParticles: ReadonlySet<string>;
  readonly functionWords: ReadonlySet<string>;
  readonly tokenAliases: ReadonlyMap<string, readonly string[]>;
  readonly teencode: readonly (readonly [string, string])[];
}

/** A data file as a person would name it: relative to the project when inside it. */
function displayPath(file: string): string {
  const rel = relative(PROJECT_ROOT, file);
  return rel === '' || rel.startsWith('..') ? file : rel.split(sep).join('/');
}

const FRAGMENT = /\{([^{}]*)\}/gu;
const TEMPLATE_SYNTAX = /[()[\]{}|]/u;

/**
 * Validates one language's phrase file; throws `keywords_invalid` naming the file, the key and the
 * reason. Fragments are substituted here, and every template must expand to plain phrases.
 */
export function parseKeywordFile(file: string, source: string): KeywordFile {
  const where = displayPath(file);
  let raw: unknown;
  try {
    raw = parseYamlText(source);
  } catch (cause) {
    throw new TiepdanError('keywords_invalid', `${where}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  const parsed = keywordFileSchema.safeParse(raw);
  if (!parsed.success) throw new TiepdanError('keywords_invalid', `${where}: ${describeIssues(parsed.error.issues)}`);
  const data = parsed.data;

  const problems: string[] = [];
  const resolve = (term: string, path: readonly PropertyKey[]): string => {
    let known = true;
    const out = term.replace(FRAGMENT, (whole, name: string) => {
      const fragment = Object.hasOwn(data.fragments, name) ? data.fragments[name] : undefined;
      if (fragment === undefined) {
        known = false;
        problems.push(`${formatIssuePath(path)}: unknown fragment ${whole}`);
      }
      return fragment ?? whole;
    });
    if (known && expandTemplate(out).some((phrase) => TEMPLATE_SYNTAX.test(phrase))) {
      problems.push(`${formatIssuePath(path)}: unbalanced (…) or […] in "${term}"`);
    }
    return out;
  };
  const resolveAll = (terms: readonly string[], path: readonly PropertyKey[]): string[] =>
    terms.map((term, index) => resolve(term, [...path, index]));

  const procedures = Object.fromEntries(
    Object.entries(data.procedures).map(([id, groups]) => [
      id,
      groups.map((group, index) => ({ ...group, terms: resolveAll(group.terms, ['procedures', id, index, 'terms']) })),
    ]),
  );
  const modifiers = Object.fromEntries(
    Object.entries(data.modifiers).map(([kind, terms]) => [kind, resolveAll(terms ?? [], ['modifiers', kind])]),
  );
  const intents = Object.fromEntries(
    Object.entries(data.intents).map(([intent, groups]) => [
      intent,
      (groups ?? []).map((group, index) => ({ ...group, terms: resolveAll(group.terms, ['intents', intent, index, 'terms']) })),
    ]),
  );
  const requests = resolveAll(data.requests, ['requests']);
  const shadows = resolveAll(data.shadows, ['shadows']);
  if (problems.length > 0) throw new TiepdanError('keywords_invalid', `${where}: ${problems.slice(0, 5).join('; ')}`);
  return { ...data, procedures, modifiers, intents, requests, shadows };
}

/**
 * Merges the languages' files. The order is the one the model has always added phrases in, by
 * procedure (then language), by modifier kind, by intent: when a phrase has several targets, their
 * order decides exact ties, so it must not depend on which file a term sits in.
 */
function mergeKeywordFiles(files: readonly { readonly file: string; readonly data: KeywordFile }[]): KeywordTables {
  const procedureIds = [...new Set(files.flatMap(({ data }) => Object.keys(data.procedures)))];
  const intentNames = [...new Set(files.flatMap(({ data }) => Object.keys(data.intents) as Intent[]))];
  const tokenAliases = new Map<string, readonly string[]>();
  for (const { file, data } of files) {
    for (const [token, replacement] of Object.entries(data.token_aliases)) {
      if (tokenAliases.has(token)) {
        throw new TiepdanError('keywords_invalid', `${displayPath(file)}: token_aliases.${token}: already given in another language's file`);
      }
      tokenAliases.set(token, replacement);
    }
  }
  return {
    procedures: new Map(procedureIds.map((id) => [id, files.flatMap(({ data }) => data.procedures[id] ?? [])])),
    modifiers: MODIFIER_KIND_NAMES.flatMap((kind) =>
      files.flatMap(({ data }) => {
        const terms = data.modifiers[kind];
        return terms === undefined ? [] : [{ ...MODIFIER_KINDS[kind], terms }];
      }),
    ),
    requests: files.flatMap(({ data }) => data.requests),
    cues: intentNames.flatMap((intent) =>
      files.flatMap(({ data }) => (data.intents[intent] ?? []).map((group) => ({ intent, ...group }))),
    ),
    shadows: files.flatMap(({ data }) => data.shadows),
    leadParticles: new Set(files.flatMap(({ data }) => data.lead_particles)),
    functionWords: new Set(files.flatMap(({ data }) => data.function_words)),
    tokenAliases,
    teencode: files.flatMap(({ data }) => data.teencode.map(({ from, to }) => [from, to] as const)),
  };
}

const loaded = new Map<string, KeywordTables>();

/** Reads `<lang>.yaml` for every language in `dir`, once per directory; every file must exist and be valid. */
export function loadKeywordTables(dir: string = DEFAULT_KEYWORDS_DIR): KeywordTables {
  const cached = loaded.get(dir);
  if (cached !== undefined) return cached;
  const files = LANGS.map((lang: Lang) => {
    const file = join(dir, `${lang}.yaml`);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new TiepdanError('keywords_invalid', `cannot read the ${lang} phrase table ${displayPath(file)}`, { cause });
    }
    return { file, data: parseKeywordFile(file, source) };
  });
  const tables = mergeKeywordFiles(files);
  loaded.set(dir, tables);
  return tables;
}

// ---------------------------------------------------------------------------------------------
// Compilation

type Target =
  | { readonly kind: 'procedure'; readonly id: string; readonly weight: number }
  | { readonly kind: 'intent'; readonly intent: Intent; readonly weight: number; readonly gate: Gate }
  | { readonly kind: 'modifier'; readonly op: ModifierOp; readonly weight: number; readonly fallback: string | null }
  | { readonly kind: 'request' };

interface Phrase {
  /** The phrase with spaces removed: matched against the space-free text, so Korean spacing never matters. */
  readonly body: string;
  readonly hangul: boolean;
  /** Latin phrases: the folded tokens, matched token by token. */
  readonly tokens: readonly string[];
  readonly targets: Target[];
}

interface CompiledTables {
  /** Latin phrases keyed by first token; longest first. */
  readonly byFirstToken: ReadonlyMap<string, readonly Phrase[]>;
  /** Phrases containing Hangul keyed by first character, matched inside the space-free text. */
  readonly byFirstChar: ReadonlyMap<string, readonly Phrase[]>;
  readonly vocabulary: ReadonlySet<string>;
  /** Single-deletion variants of long vocabulary words, for edit-distance-1 lookup without a scan. */
  readonly deletions: ReadonlyMap<string, readonly string[]>;
  readonly catalogIds: ReadonlySet<string>;
  readonly leadParticles: ReadonlySet<string>;
  readonly functionWords: ReadonlySet<string>;
  readonly tokenAliases: ReadonlyMap<string, readonly string[]>;
  readonly teencode: readonly (readonly [string, string])[];
}

const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]/;
const SCRIPT_BOUNDARY = /([\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]+)/;
const LATIN_WORD = /^[a-z]+$/;
const VIETNAMESE_MARKS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
const MIN_TYPO_WORD = 6;
const GROUP = /\(([^()]*)\)|\[([^[\]]*)\]/;

/** Expands `(a|b)` and `[a|b]` into every concrete phrase. */
export function expandTemplate(template: string): string[] {
  const found = GROUP.exec(template);
  if (found === null) return [template.replace(/\s+/g, ' ').trim()];
  const options = found[1] !== undefined ? found[1].split('|') : [...(found[2] ?? '').split('|'), ''];
  const before = template.slice(0, found.index);
  const after = template.slice(found.index + found[0].length);
  return options.flatMap((option) => expandTemplate(`${before}${option}${after}`));
}

/** One matchable unit of the input, with its place in the space-free text. */
interface Piece {
  readonly text: string;
  readonly hangul: boolean;
  readonly start: number;
  readonly end: number;
}

function piecesOf(normalized: string): Piece[] {
  const pieces: Piece[] = [];
  let offset = 0;
  for (const token of tokenize(normalized)) {
    for (const part of token.split(SCRIPT_BOUNDARY)) {
      if (part.length === 0) continue;
      pieces.push({ text: part, hangul: HANGUL.test(part), start: offset, end: offset + part.length });
      offset += part.length;
    }
  }
  return pieces;
}

function aliased(token: string, aliases: ReadonlyMap<string, readonly string[]>): readonly string[] {
  return aliases.get(token) ?? [token];
}

function phraseTokens(normalized: string, aliases: ReadonlyMap<string, readonly string[]>): string[] {
  return piecesOf(normalized).flatMap((piece) => aliased(piece.text, aliases));
}

function sameTarget(a: Target, b: Target): boolean {
  if (a.kind === 'procedure' && b.kind === 'procedure') return a.id === b.id;
  if (a.kind === 'intent' && b.kind === 'intent') return a.intent === b.intent;
  if (a.kind === 'modifier' && b.kind === 'modifier') return a.op === b.op;
  return a.kind === 'request' && b.kind === 'request';
}

/**
 * Southern speech (and ASR trained on it) merges initial "tr" into "ch" ("tạm chú"), and spelling
 * mixes up "s" and "x" ("khai xinh"). Multi-word Vietnamese procedure phrases get those variants.
 */
function southernVariants(tokens: readonly string[]): string[][] {
  if (tokens.length < 2) return [];
  const tr = (token: string): string => (token.startsWith('tr') ? `ch${token.slice(2)}` : token);
  const sx = (token: string): string => (token.startsWith('s') ? `x${token.slice(1)}` : token);
  const variants = [tokens.map(tr), tokens.map(sx), tokens.map((token) => sx(tr(token)))];
  const original = tokens.join(' ');
  return variants.filter((variant, index) => {
    const joined = variant.join(' ');
    return joined !== original && variants.findIndex((other) => other.join(' ') === joined) === index;
  });
}

/** Every contiguous part of a phrase shorter than the phrase itself, as table keys. */
function innerKeys(phrase: Phrase): string[] {
  const keys: string[] = [];
  if (phrase.hangul) {
    for (let i = 0; i < phrase.body.length; i += 1) {
      for (let j = i + 1; j <= phrase.body.length; j += 1) if (j - i < phrase.body.length) keys.push(`h:${phrase.body.slice(i, j)}`);
    }
    return keys;
  }
  for (let i = 0; i < phrase.tokens.length; i += 1) {
    for (let j = i + 1; j <= phrase.tokens.length; j += 1) {
      if (j - i < phrase.tokens.length) keys.push(`l:${phrase.tokens.slice(i, j).join(' ')}`);
    }
  }
  return keys;
}

function compile(catalog: Catalog, source: KeywordTables): CompiledTables {
  const phrases = new Map<string, Phrase>();
  const catalogIds = new Set(catalog.procedures().map((procedure) => procedure.id));
  const addTokens = (tokens: readonly string[], hangul: boolean, target: Target | null): void => {
    if (tokens.length === 0) return;
    const body = tokens.join('');
    const key = hangul ? `h:${body}` : `l:${tokens.join(' ')}`;
    let phrase = phrases.get(key);
    if (phrase === undefined) {
      phrase = { body, hangul, tokens, targets: [] };
      phrases.set(key, phrase);
    }
    if (target === null) return;
    const index = phrase.targets.findIndex((other) => sameTarget(other, target));
    const previous = index >= 0 ? phrase.targets[index] : undefined;
    if (previous === undefined) phrase.targets.push(target);
    else if ('weight' in previous && 'weight' in target && previous.weight < target.weight) phrase.targets[index] = target;
  };
  const add = (text: string, target: Target | null, vietnamese = VIETNAMESE_MARKS.test(text)): void => {
    const normalized = normalizeText(text, { foldDiacritics: true });
    if (normalized.length === 0) return;
    const hangul = HANGUL.test(normalized);
    const tokens = hangul ? [normalized.replace(/ /g, '')] : phraseTokens(normalized, source.tokenAliases);
    addTokens(tokens, hangul, target);
    if (!hangul && vietnamese && target?.kind === 'procedure') {
      for (const variant of southernVariants(tokens)) addTokens(variant, false, target);
    }
  };

  for (const procedure of catalog.procedures()) {
    for (const lang of ['vi', 'en', 'ko'] as const) {
      // A formal name is specific when it matches whole; everyday synonyms count as key terms.
      add(procedure.names[lang], { kind: 'procedure', id: procedure.id, weight: 1.2 }, lang === 'vi');
      for (const synonym of procedure.synonyms[lang]) add(synonym, { kind: 'procedure', id: procedure.id, weight: 1 }, lang === 'vi');
    }
  }
  for (const [id, groups] of source.procedures) {
    if (!catalogIds.has(id)) continue;
    for (const { weight, terms } of groups) {
      for (const term of terms) for (const text of expandTemplate(term)) add(text, { kind: 'procedure', id, weight });
    }
  }
  for (const { op, weight, fallback, terms } of source.modifiers) {
    const usable = fallback !== null && catalogIds.has(fallback) ? fallback : null;
    for (const term of terms) for (const text of expandTemplate(term)) add(text, { kind: 'modifier', op, weight, fallback: usable });
  }
  for (const term of source.requests) for (const text of expandTemplate(term)) add(text, { kind: 'request' });
  for (const { intent, weight, gate, terms } of source.cues) {
    for (const term of terms) for (const text of expandTemplate(term)) add(text, { kind: 'intent', intent, weight, gate });
  }
  for (const shadow of source.shadows) for (const text of expandTemplate(shadow)) add(text, null);

  // A longer phrase hides the shorter ones inside it, so it must weigh at least as much for the same
  // procedure: the synonym "trích lục khai sinh" may not be weaker than the term "trích lục".
  for (const phrase of phrases.values()) {
    phrase.targets.forEach((target, index) => {
      if (target.kind !== 'procedure') return;
      let weight = target.weight;
      for (const key of innerKeys(phrase)) {
        for (const inner of phrases.get(key)?.targets ?? []) {
          if (inner.kind === 'procedure' && inner.id === target.id) weight = Math.max(weight, inner.weight);
        }
      }
      if (weight > target.weight) phrase.targets[index] = { ...target, weight };
    });
  }

  const byFirstToken = new Map<string, Phrase[]>();
  const byFirstChar = new Map<string, Phrase[]>();
  const vocabulary = new Set<string>();
  for (const phrase of phrases.values()) {
    if (phrase.hangul) {
      pushTo(byFirstChar, String.fromCodePoint(phrase.body.codePointAt(0) ?? 0), phrase);
    } else {
      pushTo(byFirstToken, phrase.tokens[0] ?? '', phrase);
      for (const token of phrase.tokens) vocabulary.add(token);
    }
  }
  for (const list of byFirstToken.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  for (const list of byFirstChar.values()) list.sort((a, b) => b.body.length - a.body.length);

  const deletions = new Map<string, string[]>();
  for (const word of vocabulary) {
    if (word.length < MIN_TYPO_WORD || !LATIN_WORD.test(word)) continue;
    for (const variant of deletionVariants(word)) pushTo(deletions, variant, word);
  }
  return {
    byFirstToken,
    byFirstChar,
    vocabulary,
    deletions,
    catalogIds,
    leadParticles: source.leadParticles,
    functionWords: source.functionWords,
    tokenAliases: source.tokenAliases,
    teencode: source.teencode,
  };
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function deletionVariants(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i += 1) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance ≤ 1 (one insertion, deletion, substitution or adjacent swap). */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (i === a.length && i === b.length) return true;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const ENGLISH_SUFFIXES: readonly (readonly [string, string])[] = [
  ['ies', 'y'], ['ied', 'y'], ['es', ''], ['s', ''], ['ing', ''], ['ing', 'e'], ['ed', ''], ['ed', 'e'], ['d', ''],
];

interface ResolvedToken {
  readonly token: string;
  readonly corrected: boolean;
}

function resolveToken(token: string, tables: CompiledTables): ResolvedToken {
  if (tables.vocabulary.has(token) || !LATIN_WORD.test(token) || token.length < 3) return { token, corrected: false };
  for (const [from, to] of tables.teencode) {
    const respelled = token.startsWith(from) ? to + token.slice(from.length) : '';
    if (tables.vocabulary.has(respelled)) return { token: respelled, corrected: false };
  }
  // Folded Vietnamese syllables never end in these suffixes, so stripping them only touches English.
  for (const [suffix, replacement] of ENGLISH_SUFFIXES) {
    if (token.length > suffix.length + 2 && token.endsWith(suffix)) {
      const stem = token.slice(0, token.length - suffix.length) + replacement;
      if (tables.vocabulary.has(stem)) return { token: stem, corrected: false };
    }
  }
  if (token.length < MIN_TYPO_WORD - 1) return { token, corrected: false };
  const candidates = new Set<string>();
  for (const variant of deletionVariants(token)) for (const word of tables.deletions.get(variant) ?? []) candidates.add(word);
  // A wrong first letter is rare in typing and common between real words ("center"/"renter"), so it must match.
  const accepted = [...candidates]
    .filter((word) => (word[0] === token[0] || (word[0] === token[1] && word[1] === token[0])) && withinOneEdit(token, word))
    .sort();
  const best = accepted[0];
  return best === undefined ? { token, corrected: false } : { token: best, corrected: true };
}

// ---------------------------------------------------------------------------------------------
// Matching

interface Match {
  readonly phrase: Phrase;
  /** Offsets in the space-free text, whatever the script. */
  readonly start: number;
  readonly end: number;
  readonly corrected: boolean;
  /** The targets left after gating. */
  readonly targets: readonly Target[];
}

interface Analysis {
  readonly matches: readonly Match[];
  readonly pieces: readonly Piece[];
  readonly compactLength: number;
  readonly short: boolean;
  /** Where content starts once openers such as "dạ" are skipped. */
  readonly leadEnd: number;
}

interface MatchToken {
  readonly token: string;
  readonly corrected: boolean;
  readonly start: number;
  readonly end: number;
}

function analyse(text: string, tables: CompiledTables): Analysis {
  const normalized = normalizeText(text, { foldDiacritics: true });
  const pieces = piecesOf(normalized);
  const compact = pieces.map((piece) => piece.text).join('');
  const tokens: MatchToken[] = [];
  for (const piece of pieces) {
    if (piece.hangul) {
      tokens.push({ token: piece.text, corrected: false, start: piece.start, end: piece.end });
      continue;
    }
    for (const alias of aliased(piece.text, tables.tokenAliases)) {
      const resolved = resolveToken(alias, tables);
      tokens.push({ ...resolved, start: piece.start, end: piece.end });
    }
  }
  let leadEnd = 0;
  for (const piece of pieces) {
    if (!tables.leadParticles.has(piece.text)) break;
    leadEnd = piece.end;
  }
  const short = pieces.length <= 4 && compact.length <= 16;

  const raw: Omit<Match, 'targets'>[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    for (const phrase of tables.byFirstToken.get(tokens[i]?.token ?? '') ?? []) {
      const length = phrase.tokens.length;
      if (i + length > tokens.length) continue;
      let ok = true;
      for (let k = 1; k < length && ok; k += 1) ok = tokens[i + k]?.token === phrase.tokens[k];
      if (!ok) continue;
      const span = tokens.slice(i, i + length);
      raw.push({
        phrase,
        start: span[0]?.start ?? 0,
        end: span[span.length - 1]?.end ?? 0,
        corrected: span.some((token) => token.corrected),
      });
    }
  }
  if (HANGUL.test(compact)) {
    const pieceStarts = new Set(pieces.map((piece) => piece.start));
    const inside: Omit<Match, 'targets'>[] = [];
    for (let start = 0; start < compact.length; start += 1) {
      const char = compact[start] ?? '';
      const atPieceStart = pieceStarts.has(start);
      if (!atPieceStart && !HANGUL.test(char)) continue;
      for (const phrase of tables.byFirstChar.get(char) ?? []) {
        if (!compact.startsWith(phrase.body, start)) continue;
        const match = { phrase, start, end: start + phrase.body.length, corrected: false };
        if (atPieceStart || phrase.body.length >= 3 || isEnding(phrase)) raw.push(match);
        else inside.push(match);
      }
    }
    // A two-syllable noun found inside a word is a coincidence ("인증" in "혼인증명서", "진정" across
    // "빠진 정보") unless a known word ends right where it starts ("신분증재발급").
    for (const match of inside) {
      if (raw.some((other) => other.end === match.start)) raw.push(match);
    }
  }

  // Gate before shadowing: a "yes" cue that does not count here must not hide the words inside it.
  const gated: Match[] = [];
  for (const match of raw) {
    const targets = match.phrase.targets.filter(
      (target) =>
        target.kind !== 'intent' ||
        target.gate === 'any' ||
        short ||
        (target.gate === 'start' && match.start <= leadEnd),
    );
    if (targets.length === 0 && match.phrase.targets.length > 0) continue;
    gated.push({ ...match, targets });
  }
  return { matches: dropShadowed(gated), pieces, compactLength: compact.length, short, leadEnd };
}

/** Intent cues and request verbs are endings in Korean, found inside a word by design. */
function isEnding(phrase: Phrase): boolean {
  return phrase.targets.some((target) => target.kind === 'intent' || target.kind === 'request');
}

/** The longest phrase wins: a match lying inside a longer one ("khai sinh" in "trích lục khai sinh") is dropped. */
function dropShadowed(matches: readonly Match[]): Match[] {
  return matches.filter(
    (inner) =>
      !matches.some(
        (outer) =>
          outer !== inner &&
          outer.start <= inner.start &&
          inner.end <= outer.end &&
          outer.end - outer.start > inner.end - inner.start,
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// Scoring

interface Scored {
  readonly key: string;
  score: number;
  first: number;
}

function addScore(map: Map<string, Scored>, key: string, weight: number, position: number): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, { key, score: weight, first: position });
  else {
    entry.score += weight;
    entry.first = Math.min(entry.first, position);
  }
}

function ranked(map: ReadonlyMap<string, Scored>): Scored[] {
  return [...map.values()].sort((a, b) => b.score - a.score || a.first - b.first);
}

interface ProcedureHit {
  readonly match: Match;
  readonly id: string;
  readonly weight: number;
}

function centre(match: Match): number {
  return (match.start + match.end) / 2;
}

function isRequestObject(hit: ProcedureHit, markers: readonly Match[]): boolean {
  return markers.some((marker) => {
    if (marker === hit.match) return false;
    if (marker.phrase.hangul) return marker.start >= hit.match.end && marker.start - hit.match.end <= REQUEST_REACH_HANGUL_CHARS;
    const gap = hit.match.start - marker.end;
    return gap >= 0 && gap <= REQUEST_REACH_LATIN_CHARS;
  });
}

function scoreProcedures(analysis: Analysis, tables: CompiledTables): { procedures: Map<string, Scored>; corrected: boolean } {
  const procedures = new Map<string, Scored>();
  const hits: ProcedureHit[] = [];
  const markers: Match[] = [];
  const modifiers: { readonly match: Match; readonly op: ModifierOp; readonly weight: number; readonly fallback: string | null }[] = [];
  let corrected = false;
  for (const match of analysis.matches) {
    for (const target of match.targets) {
      if (target.kind === 'procedure') {
        hits.push({ match, id: target.id, weight: target.weight });
        corrected ||= match.corrected;
      } else if (target.kind === 'modifier') modifiers.push({ match, op: target.op, weight: target.weight, fallback: target.fallback });
      else if (target.kind === 'request' || (target.kind === 'intent' && target.intent === 'ask_procedure')) markers.push(match);
    }
  }
  for (const hit of hits) {
    const bonus = isRequestObject(hit, markers) ? REQUEST_BONUS : 0;
    addScore(procedures, hit.id, hit.weight + bonus, hit.match.start);
  }

  const transformed = new Map<string, { base: number; added: number; first: number }>();
  for (const mod of modifiers) {
    let nearest: ProcedureHit | undefined;
    for (const hit of hits) {
      if (hit.match === mod.match) continue;
      if (nearest === undefined || Math.abs(centre(hit.match) - centre(mod.match)) < Math.abs(centre(nearest.match) - centre(mod.match))) {
        nearest = hit;
      }
    }
    const target = nearest === undefined ? mod.fallback : MODIFIER_TARGETS[mod.op][nearest.id];
    if (target === undefined || target === null || !tables.catalogIds.has(target)) continue;
    const base = nearest === undefined ? 0 : (procedures.get(nearest.id)?.score ?? 0);
    const entry = transformed.get(target) ?? { base: 0, added: 0, first: mod.match.start };
    transformed.set(target, {
      base: Math.max(entry.base, base),
      added: entry.added + mod.weight,
      first: Math.min(entry.first, mod.match.start),
    });
  }
  for (const [id, { base, added, first }] of transformed) addScore(procedures, id, base + added, first);
  return { procedures, corrected };
}

function uncoveredContent(analysis: Analysis, tables: CompiledTables): number {
  let count = 0;
  for (const piece of analysis.pieces) {
    if (tables.functionWords.has(piece.text) || /^\p{N}+$/u.test(piece.text)) continue;
    const covered = analysis.matches.some((match) => match.start < piece.end && piece.start < match.end);
    if (!covered) count += 1;
  }
  return count;
}

const SOCIAL: ReadonlySet<Intent> = new Set(['greet', 'goodbye', 'affirm', 'deny']);
/** Questions that need a procedure; asked about anything else, they are out of scope. */
const PROCEDURE_QUESTIONS: ReadonlySet<Intent> = new Set(['ask_fee', 'ask_documents', 'ask_duration', 'ask_location']);
/** After a leading "yes"/"no", these are the answer's elaboration ("sure, take me there"), not a new request. */
const ANSWER_FOLLOW_UPS: ReadonlySet<Intent> = new Set(['request_escort', 'repeat', 'ask_procedure']);
/** A specific cue this weak yields to a named procedure ("a Vietnamese wife" is not a language switch). */
const SPECIFIC_OVER_PROCEDURE = 0.75;
/** A procedure score below this came from hint words only. */
const WEAK_EVIDENCE = 0.9;
const MAX_ALTERNATIVES = 3;

function share(top: number, second: number): number {
  return top / (top + second + 0.35);
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

interface Candidate {
  readonly intent: Intent;
  readonly procedure: string | null;
  readonly confidence: number;
}

function decide(text: string, tables: CompiledTables): Candidate[] {
  const analysis = analyse(text, tables);
  const { procedures, corrected } = scoreProcedures(analysis, tables);
  const intents = new Map<string, Scored>();
  let leadingAnswer: { readonly intent: Intent; readonly weight: number } | null = null;
  for (const match of analysis.matches) {
    for (const target of match.targets) {
      if (target.kind !== 'intent') continue;
      addScore(intents, target.intent, target.weight, match.start);
      // An opener alone ("dạ") is politeness, not an answer; the answer is the cue right after it.
      const answer = target.intent === 'affirm' || target.intent === 'deny';
      if (answer && match.start <= analysis.leadEnd && match.end > analysis.leadEnd) {
        if (leadingAnswer === null || target.weight > leadingAnswer.weight) {
          leadingAnswer = { intent: target.intent, weight: target.weight };
        }
      }
    }
  }

  const procRank = ranked(procedures);
  const intentRank = ranked(intents);
  const topProc = procRank[0];
  const procConf = topProc === undefined ? 0 : share(topProc.score, procRank[1]?.score ?? 0);
  const procedure = topProc?.key ?? null;
  const typo = corrected ? 0.92 : 1;

  const specific = intentRank.filter((entry) => entry.key !== 'ask_procedure' && !SOCIAL.has(entry.key as Intent));
  const social = intentRank.filter((entry) => SOCIAL.has(entry.key as Intent));
  const askProcedure = intents.get('ask_procedure');
  const candidates: Candidate[] = [];
  const push = (intent: Intent, proc: string | null, confidence: number): void => {
    candidates.push({ intent, procedure: proc, confidence: clamp01(confidence * typo) });
  };
  const socialConf = social[0] === undefined ? 0 : 0.2 + 0.6 * share(social[0].score, social[1]?.score ?? 0);

  const bestSpecific = specific[0];
  const specificConf = bestSpecific === undefined ? 0 : share(bestSpecific.score, specific[1]?.score ?? 0);
  const answerFirst =
    topProc === undefined &&
    leadingAnswer !== null &&
    (bestSpecific === undefined || ANSWER_FOLLOW_UPS.has(bestSpecific.key as Intent));
  if (answerFirst && leadingAnswer !== null) {
    const closing = social.find((entry) => entry.key === 'goodbye');
    push(closing === undefined ? leadingAnswer.intent : 'goodbye', null, socialConf);
  } else if (bestSpecific !== undefined && (bestSpecific.score >= SPECIFIC_OVER_PROCEDURE || topProc === undefined)) {
    const intent = bestSpecific.key as Intent;
    const offTopic = PROCEDURE_QUESTIONS.has(intent) || bestSpecific.score < SPECIFIC_OVER_PROCEDURE;
    if (topProc !== undefined) push(intent, procedure, 0.35 + 0.3 * specificConf + 0.3 * procConf);
    else if (offTopic && uncoveredContent(analysis, tables) > 0) push('out_of_scope', null, 0.35);
    else push(intent, null, 0.2 + 0.6 * specificConf);
  } else if (topProc !== undefined && topProc.score < WEAK_EVIDENCE && bestSpecific === undefined && uncoveredContent(analysis, tables) > 0) {
    // Only a hint ("quán", "식당") among words the tables do not know: a chat about something else.
    push('out_of_scope', null, 0.35);
  } else if (topProc !== undefined) {
    push('ask_procedure', procedure, 0.25 + 0.6 * procConf + (askProcedure === undefined ? 0 : 0.08));
  } else if (social[0] !== undefined) {
    push(social[0].key as Intent, null, socialConf);
  } else if (askProcedure !== undefined && uncoveredContent(analysis, tables) === 0) {
    push('ask_procedure', null, 0.3 + 0.2 * share(askProcedure.score, 0));
  } else {
    push('out_of_scope', null, analysis.compactLength === 0 ? 0.1 : 0.3);
  }

  // Alternatives: the other readings the rules saw, each scaled by how far it trails the winner.
  const chosen = candidates[0];
  if (chosen === undefined) return candidates;
  for (const entry of procRank.slice(1)) {
    const intent = chosen.intent === 'out_of_scope' || SOCIAL.has(chosen.intent) ? 'ask_procedure' : chosen.intent;
    push(intent, entry.key, chosen.confidence * 0.8 * (entry.score / (topProc?.score ?? entry.score)));
  }
  const topIntentScore = intentRank[0]?.score ?? 1;
  for (const entry of intentRank) {
    const intent = entry.key as Intent;
    push(intent, SOCIAL.has(intent) ? null : procedure, chosen.confidence * 0.75 * Math.min(1, entry.score / topIntentScore));
  }
  if (topProc !== undefined && chosen.intent !== 'ask_procedure') push('ask_procedure', procedure, chosen.confidence * 0.6);
  if (procedure === 'complaint_petition' && chosen.intent !== 'complaint') push('complaint', procedure, chosen.confidence * 0.5);
  return candidates;
}

function classifySync(text: string, tables: CompiledTables): Classification {
  const { lang } = detectLanguage(text);
  const candidates = decide(text, tables);
  const chosen = candidates[0] ?? { intent: 'out_of_scope' as const, procedure: null, confidence: 0.1 };
  const seen = new Set([`${chosen.intent}|${chosen.procedure ?? ''}`]);
  const alternatives: IntentAlternative[] = [];
  for (const candidate of candidates.slice(1).sort((a, b) => b.confidence - a.confidence)) {
    const key = `${candidate.intent}|${candidate.procedure ?? ''}`;
    if (seen.has(key) || alternatives.length >= MAX_ALTERNATIVES) continue;
    seen.add(key);
    // An alternative never outranks the answer, whatever the heuristics above produced.
    alternatives.push({ ...candidate, confidence: clamp01(Math.min(candidate.confidence, chosen.confidence * 0.95)) });
  }
  return { intent: chosen.intent, procedure: chosen.procedure, lang, confidence: chosen.confidence, alternatives };
}

/**
 * The rule-based IntentModel over `catalog`, with the shipped phrase tables unless others are given.
 * Terms for procedures the catalog lacks are ignored.
 */
export function createKeywordIntentModel(catalog: Catalog, keywords: KeywordTables = loadKeywordTables()): IntentModel {
  const tables = compile(catalog, keywords);
  return {
    name: 'keyword',
    classify(text: string): Promise<Classification> {
      try {
        return Promise.resolve(classifySync(typeof text === 'string' ? text : String(text), tables));
      } catch {
        // The rules are total on strings; this keeps the port's promise that classify never rejects.
        return Promise.resolve({ intent: 'out_of_scope', procedure: null, lang: 'en', confidence: 0.1, alternatives: [] });
      }
    },
  };
}
