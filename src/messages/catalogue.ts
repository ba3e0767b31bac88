import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { Catalog, Procedure } from '../ports/catalog.js';
import { LANGS, type Lang } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import { PROJECT_ROOT, projectPath } from '../paths.js';
import { describeIssues, formatIssuePath, parseYamlText } from '../validation.js';
import type { MessageId, SpeakParams } from '../../statecharts/guide.types.js';

/**
 * The robot's words, one YAML file per language in this directory (`vi.yaml`, `en.yaml`,
 * `ko.yaml`; the file header explains the format). This module holds only what needs logic:
 * the placeholders, the conditions and the few formatters (document lists, exemptions, counter
 * labels, the Korean topic particle). Every file is checked when the module loads.
 */

/** What a message may look up while it is rendered. */
export interface MessageContext {
  readonly catalog: Catalog;
  /** counter id -> how to say it, e.g. "counter-3" -> {vi:"quầy số 3", en:"counter 3", ko:"3번 창구"} */
  readonly counterLabel: (counterId: string, lang: Lang) => string;
}

export type Render = (params: SpeakParams, ctx: MessageContext) => string;

type Table = Readonly<Record<MessageId, Render>>;

/** The texts shipped with tiepdan. */
export const DEFAULT_MESSAGES_DIR = projectPath('src', 'messages');

/** Every id must have a text in every language; the type check below keeps this list complete. */
const MESSAGE_IDS = [
  'greeting',
  'prompt.askProcedure',
  'prompt.offerEscort',
  'prompt.idConsent',
  'prompt.anythingElse',
  'clarify.askProcedure',
  'clarify.notUnderstood',
  'clarify.outOfScope',
  'answer.overview',
  'answer.documents',
  'answer.fee',
  'answer.duration',
  'answer.location',
  'id.reading',
  'id.confirm',
  'id.readFailed',
  'ticket.issued',
  'ticket.failed',
  'escort.start',
  'escort.waiting',
  'escort.callOut',
  'escort.gaveUp',
  'escort.failed',
  'escort.halted',
  'escort.arrived',
  'handoff.staff',
  'goodbye',
  'power.critical',
  'link.down',
  'operator.text',
] as const satisfies readonly MessageId[];
const allMessageIdsListed: Exclude<MessageId, (typeof MESSAGE_IDS)[number]> extends never ? true : never = true;
void allMessageIdsListed;

/** The overview names this many documents; the rest are counted and left to the screen. */
const OVERVIEW_MAX_DOCUMENTS = 4;
/** A documents answer lists more, but the longest procedure (9 documents) would take minutes to say. */
const DOCUMENTS_ANSWER_MAX_DOCUMENTS = 6;
/** A fee answer names at most this many exemptions. */
const FEE_MAX_EXEMPTIONS = 2;

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Any value to one clean NFC line; non-strings (a missing param) become ''. */
function clean(value: unknown): string {
  return typeof value === 'string' ? value.normalize('NFC').replace(/\s+/gu, ' ').trim() : '';
}

/** Joins the non-empty parts into one utterance. */
function say(...parts: readonly (string | false | undefined)[]): string {
  return parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim())
    .join(' ');
}

/** Ends a sentence with a full stop unless it already ends with one. */
function sentence(text: string): string {
  const t = text.trim();
  return t === '' || /[.!?…]$/u.test(t) ? t : `${t}.`;
}

/** Drops the closing punctuation so the text can sit inside a list. */
function stripEnd(text: string): string {
  return text.trim().replace(/[\s.;,:]+$/u, '');
}

/**
 * Lowercases the first letter when the first word is an ordinary capitalised word ("The", "Tờ"),
 * so it can follow "First," or "For". Acronyms and mixed case ("ID", "VNeID") and "I" stay.
 */
function lowerFirst(text: string): string {
  const word = /^[\p{L}\p{M}]+/u.exec(text)?.[0] ?? '';
  if (word === '' || word === 'I' || !/^\p{Lu}[\p{Ll}\p{M}]*$/u.test(word)) return text;
  const first = text.slice(0, 1);
  return first.toLocaleLowerCase() + text.slice(1);
}

function upperFirst(text: string): string {
  return text.slice(0, 1).toLocaleUpperCase() + text.slice(1);
}

/**
 * Whether a Korean word ends in a consonant (batchim), for choosing 은/는 and 으로/로.
 * Digits are read Sino-Korean (3 = 삼). Undefined when it cannot tell (a Latin id).
 * `rieul` is true for a final ㄹ, which takes 로 rather than 으로.
 */
function koreanFinal(word: string): { readonly batchim: boolean; readonly rieul: boolean } | undefined {
  const last = /[\p{L}\p{N}](?=[^\p{L}\p{N}]*$)/u.exec(word)?.[0];
  if (last === undefined) return undefined;
  const code = last.codePointAt(0) ?? 0;
  if (code >= 0xac00 && code <= 0xd7a3) {
    const jong = (code - 0xac00) % 28;
    return { batchim: jong !== 0, rieul: jong === 8 };
  }
  const digitFinals: Readonly<Record<string, { batchim: boolean; rieul: boolean }>> = {
    '0': { batchim: true, rieul: false },
    '1': { batchim: true, rieul: true },
    '2': { batchim: false, rieul: false },
    '3': { batchim: true, rieul: false },
    '4': { batchim: false, rieul: false },
    '5': { batchim: false, rieul: false },
    '6': { batchim: true, rieul: false },
    '7': { batchim: true, rieul: true },
    '8': { batchim: true, rieul: true },
    '9': { batchim: false, rieul: false },
  };
  return digitFinals[last];
}

/** Topic particle: 창구는, 접수처는; 은(는) when the word's ending is unknown. */
function eunNeun(word: string): string {
  const final = koreanFinal(word);
  return word + (final === undefined ? '은(는)' : final.batchim ? '은' : '는');
}

// ---------------------------------------------------------------------------------------------
// Looking up params

function procedureOf(params: SpeakParams, ctx: MessageContext): Procedure | undefined {
  const id = clean(params.procedureId);
  return id === '' ? undefined : ctx.catalog.get(id);
}

/** The counter as it is said in `lang`, or undefined when the params name none. */
function counterOf(params: SpeakParams, ctx: MessageContext, lang: Lang): string | undefined {
  const id = clean(params.counterId);
  if (id === '') return undefined;
  const label = clean(ctx.counterLabel(id, lang));
  return label !== '' ? label : clean(defaultCounterLabel(id, lang)) || undefined;
}

function ticketOf(params: SpeakParams): string | undefined {
  return clean(params.ticketNumber) || undefined;
}

function items(list: readonly string[] | undefined): string[] {
  return (list ?? []).map(clean).filter((item) => item !== '');
}

// ---------------------------------------------------------------------------------------------
// Counters

/** "counter-3" -> "quầy số 3" / "counter 3" / "3번 창구"; any other id with '-' read as a space. */
export function defaultCounterLabel(counterId: string, lang: Lang): string {
  const id = clean(counterId);
  const match = /^counter-0*(\d+)$/iu.exec(id);
  if (match !== null) return LOADED.words[lang].counterLabel.replace('{number}', match[1] ?? '0');
  return id.replace(/-/gu, ' ').replace(/\s+/gu, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// The words each language needs besides its messages

interface Words {
  /** Whether document items and names are lowercased inside a sentence (not for Korean). */
  readonly hasCase: boolean;
  /** The fallback when no counter is known. */
  readonly rightCounter: string;
  /** How `counter-N` is said, with `{number}`. */
  readonly counterLabel: string;
  readonly ordinals: readonly string[];
  /** Used after the last ordinal. */
  readonly next: string;
  readonly listJoin: string;
  /** "N more documents on the screen", by plural category (`other` always present), with `{count}`. */
  readonly moreItems: Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };
}

function moreItems(words: Words, lang: Lang, n: number): string {
  const template = words.moreItems[new Intl.PluralRules(lang).select(n)] ?? words.moreItems.other;
  return template.replace('{count}', String(n));
}

/** Says up to `max` documents, each after an ordinal, then how many more are on the screen. */
function documentList(documents: readonly string[], lang: Lang, max: number): string {
  const words = LOADED.words[lang];
  const shown = documents.slice(0, max);
  const rest = documents.length - shown.length;
  const spoken =
    shown.length === 1
      ? sentence(upperFirst(shown[0] ?? ''))
      : say(
          ...shown.map((doc, i) => {
            const body = sentence(words.hasCase ? lowerFirst(doc) : doc);
            return `${words.ordinals[i] ?? words.next}, ${body}`;
          }),
        );
  return say(spoken, rest > 0 && moreItems(words, lang, rest));
}

/** Joins short list items (exemptions) into one clause without their own full stops. */
function joinList(list: readonly string[], lang: Lang): string {
  const words = LOADED.words[lang];
  return list.map((item) => stripEnd(words.hasCase ? lowerFirst(item) : item)).join(words.listJoin);
}

/** What a procedure says in one language; empty strings where the catalog has nothing. */
interface ProcedureText {
  /** As written in the catalog, for the start of a sentence. */
  readonly name: string;
  /** Ready for the middle of a sentence. */
  readonly inName: string;
  readonly documents: readonly string[];
  readonly fee: string;
  readonly exemptions: readonly string[];
  readonly time: string;
}

function procedureText(procedure: Procedure | undefined, lang: Lang): ProcedureText | undefined {
  if (procedure === undefined) return undefined;
  const name = clean(procedure.names?.[lang]);
  if (name === '') return undefined;
  return {
    name,
    inName: LOADED.words[lang].hasCase ? lowerFirst(name) : name,
    documents: items(procedure.documents?.[lang]),
    fee: sentence(clean(procedure.fee?.text?.[lang])),
    exemptions: items(procedure.fee?.exemptions?.[lang]),
    time: sentence(clean(procedure.processingTime?.text?.[lang])),
  };
}

// ---------------------------------------------------------------------------------------------
// Placeholders, conditions and filters

/** What one rendering knows, computed once from the params. */
interface Facts {
  readonly lang: Lang;
  readonly procedure: ProcedureText | undefined;
  readonly counter: string | undefined;
  readonly ticket: string | undefined;
  readonly text: string;
}

const PLACEHOLDERS = {
  procedure: (f: Facts) => f.procedure?.inName ?? '',
  procedure_name: (f: Facts) => f.procedure?.name ?? '',
  counter: (f: Facts) => f.counter ?? LOADED.words[f.lang].rightCounter,
  ticket: (f: Facts) => f.ticket ?? '',
  text: (f: Facts) => f.text,
  fee: (f: Facts) => f.procedure?.fee ?? '',
  time: (f: Facts) => f.procedure?.time ?? '',
  exemptions: (f: Facts) => joinList((f.procedure?.exemptions ?? []).slice(0, FEE_MAX_EXEMPTIONS), f.lang),
  document_summary: (f: Facts) => documentList(f.procedure?.documents ?? [], f.lang, OVERVIEW_MAX_DOCUMENTS),
  document_list: (f: Facts) => documentList(f.procedure?.documents ?? [], f.lang, DOCUMENTS_ANSWER_MAX_DOCUMENTS),
} as const satisfies Readonly<Record<string, (facts: Facts) => string>>;

const FILTERS = {
  upper_first: upperFirst,
  /** The Korean topic particle for the word's last sound: 창구는, 민원실은. */
  topic: eunNeun,
} as const satisfies Readonly<Record<string, (value: string) => string>>;

const CONDITIONS = {
  procedure: (f: Facts) => f.procedure !== undefined,
  counter: (f: Facts) => f.counter !== undefined,
  ticket: (f: Facts) => f.ticket !== undefined,
  documents: (f: Facts) => (f.procedure?.documents.length ?? 0) > 0,
  several_documents: (f: Facts) => (f.procedure?.documents.length ?? 0) > 1,
  fee: (f: Facts) => (f.procedure?.fee ?? '') !== '',
  time: (f: Facts) => (f.procedure?.time ?? '') !== '',
  exemptions: (f: Facts) => (f.procedure?.exemptions.length ?? 0) > 0,
  more_exemptions: (f: Facts) => (f.procedure?.exemptions.length ?? 0) > FEE_MAX_EXEMPTIONS,
} as const satisfies Readonly<Record<string, (facts: Facts) => boolean>>;

type Placeholder = keyof typeof PLACEHOLDERS;
type Filter = keyof typeof FILTERS;
/** A condition, or its negation written `no_<condition>`. */
interface Condition {
  readonly name: keyof typeof CONDITIONS;
  readonly negated: boolean;
}

/** A template cut at its placeholders, so rendering never rescans a value ("{" typed by an operator stays text). */
type Segment = string | { readonly placeholder: Placeholder; readonly filter: Filter | undefined };

/** A text, parts said one after the other, or a part said only when its conditions hold. */
type Node =
  | { readonly kind: 'text'; readonly segments: readonly Segment[] }
  | { readonly kind: 'parts'; readonly parts: readonly Node[] }
  | { readonly kind: 'when'; readonly conditions: readonly Condition[]; readonly say: Node };

function renderNode(node: Node, facts: Facts): string {
  switch (node.kind) {
    case 'text':
      return node.segments
        .map((segment) => {
          if (typeof segment === 'string') return segment;
          const value = PLACEHOLDERS[segment.placeholder](facts);
          return segment.filter === undefined ? value : FILTERS[segment.filter](value);
        })
        .join('');
    case 'parts':
      return say(...node.parts.map((part) => renderNode(part, facts)));
    case 'when':
      return node.conditions.every(({ name, negated }) => CONDITIONS[name](facts) !== negated) ? renderNode(node.say, facts) : '';
  }
}

// ---------------------------------------------------------------------------------------------
// Loading

const wordsSchema = z.strictObject({
  has_letter_case: z.boolean({ error: 'expected true or false' }),
  right_counter: z.string({ error: 'expected a string' }).min(1),
  counter_label: z.string({ error: 'expected a string' }).includes('{number}', { error: 'expected {number} in the label' }),
  ordinals: z.array(z.string({ error: 'expected a string' }).min(1)).min(1),
  next: z.string({ error: 'expected a string' }).min(1),
  list_join: z.string({ error: 'expected a string' }).min(1),
  more_items: z
    .partialRecord(z.enum(['zero', 'one', 'two', 'few', 'many', 'other']), z.string({ error: 'expected a string' }).includes('{count}'))
    .refine((forms) => forms.other !== undefined, 'expected at least the `other` form'),
});

const fileSchema = z.strictObject({
  words: wordsSchema,
  messages: z.partialRecord(z.enum(MESSAGE_IDS), z.unknown()),
});

const PLACEHOLDER = /\{([^{}]*)\}/gu;

/** Turns one message's YAML into a Node, collecting problems with where they are. */
function parseNode(raw: unknown, path: readonly PropertyKey[], problems: string[]): Node {
  const at = (): string => formatIssuePath(path);
  if (typeof raw === 'string') {
    const segments: Segment[] = [];
    let last = 0;
    for (const found of raw.matchAll(PLACEHOLDER)) {
      const [name = '', filter, extra] = (found[1] ?? '').split('|');
      if (!Object.hasOwn(PLACEHOLDERS, name)) problems.push(`${at()}: unknown placeholder ${found[0]}`);
      else if (extra !== undefined || (filter !== undefined && !Object.hasOwn(FILTERS, filter))) {
        problems.push(`${at()}: unknown filter in ${found[0]}`);
      }
      segments.push(raw.slice(last, found.index), { placeholder: name as Placeholder, filter: filter as Filter | undefined });
      last = found.index + found[0].length;
    }
    segments.push(raw.slice(last));
    if (/[{}]/u.test(raw.replace(PLACEHOLDER, ''))) problems.push(`${at()}: unbalanced { or }`);
    return { kind: 'text', segments: segments.filter((segment) => segment !== '') };
  }
  if (Array.isArray(raw)) {
    if (raw.length === 0) problems.push(`${at()}: expected at least one part`);
    return { kind: 'parts', parts: raw.map((part: unknown, index) => parseNode(part, [...path, index], problems)) };
  }
  if (typeof raw === 'object' && raw !== null) {
    const { when, say: sayRaw, ...rest } = raw as Record<string, unknown>;
    const unknownKeys = Object.keys(rest);
    if (unknownKeys.length > 0) problems.push(`${at()}: unknown key ${unknownKeys.map((key) => JSON.stringify(key)).join(', ')}`);
    const names = typeof when === 'string' ? [when] : Array.isArray(when) ? (when as unknown[]) : [];
    if (names.length === 0) problems.push(`${at()}.when: expected a condition or a list of conditions`);
    const conditions = names.map((name, index): Condition => {
      const text = typeof name === 'string' ? name : '';
      const negated = text.startsWith('no_');
      const base = negated ? text.slice(3) : text;
      if (!Object.hasOwn(CONDITIONS, base)) {
        problems.push(`${at()}.when${Array.isArray(when) ? `[${index}]` : ''}: unknown condition ${JSON.stringify(name)}`);
      }
      return { name: base as keyof typeof CONDITIONS, negated };
    });
    if (sayRaw === undefined) problems.push(`${at()}: expected \`say\` beside \`when\``);
    return { kind: 'when', conditions, say: parseNode(sayRaw ?? '', [...path, 'say'], problems) };
  }
  problems.push(`${at()}: expected a text, a list of parts or { when, say }`);
  return { kind: 'text', segments: [] };
}

interface MessageFile {
  readonly words: Words;
  readonly messages: Readonly<Record<MessageId, Node>>;
}

/** A data file as a person would name it: relative to the project when inside it. */
function displayPath(file: string): string {
  const rel = relative(PROJECT_ROOT, file);
  return rel === '' || rel.startsWith('..') ? file : rel.split(sep).join('/');
}

/** Validates one language's file; throws `messages_invalid` naming the file, the message id and the reason. */
export function parseMessageFile(file: string, source: string): MessageFile {
  const where = displayPath(file);
  let raw: unknown;
  try {
    raw = parseYamlText(source);
  } catch (cause) {
    throw new TiepdanError('messages_invalid', `${where}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new TiepdanError('messages_invalid', `${where}: ${describeIssues(parsed.error.issues)}`);
  const problems: string[] = [];
  const missing = MESSAGE_IDS.filter((id) => parsed.data.messages[id] === undefined);
  if (missing.length > 0) problems.push(`messages: no text for ${missing.join(', ')}`);
  const messages = Object.fromEntries(
    MESSAGE_IDS.map((id) => [id, parseNode(parsed.data.messages[id] ?? '', ['messages', id], problems)]),
  ) as Record<MessageId, Node>;
  if (problems.length > 0) throw new TiepdanError('messages_invalid', `${where}: ${problems.slice(0, 5).join('; ')}`);
  const words = parsed.data.words;
  return {
    words: {
      hasCase: words.has_letter_case,
      rightCounter: words.right_counter,
      counterLabel: words.counter_label,
      ordinals: words.ordinals,
      next: words.next,
      listJoin: words.list_join,
      moreItems: { ...words.more_items, other: words.more_items.other ?? '' },
    },
    messages,
  };
}

function loadMessageFiles(dir: string): { readonly words: Readonly<Record<Lang, Words>>; readonly messages: Readonly<Record<Lang, Readonly<Record<MessageId, Node>>>> } {
  const files = LANGS.map((lang) => {
    const file = join(dir, `${lang}.yaml`);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch (cause) {
      throw new TiepdanError('messages_invalid', `cannot read the ${lang} messages ${displayPath(file)}`, { cause });
    }
    return [lang, parseMessageFile(file, source)] as const;
  });
  return {
    words: Object.fromEntries(files.map(([lang, parsed]) => [lang, parsed.words])) as Record<Lang, Words>,
    messages: Object.fromEntries(files.map(([lang, parsed]) => [lang, parsed.messages])) as Record<Lang, Record<MessageId, Node>>,
  };
}

const LOADED = loadMessageFiles(DEFAULT_MESSAGES_DIR);

// ---------------------------------------------------------------------------------------------
// The catalogue

/** The operator's own words, only trimmed and NFC-normalised. */
function operatorText(params: SpeakParams): string {
  return typeof params.text === 'string' ? params.text.normalize('NFC').trim() : '';
}

function table(lang: Lang): Table {
  const out: Partial<Record<MessageId, Render>> = {};
  for (const id of MESSAGE_IDS) {
    const node = LOADED.messages[lang][id];
    // Every render returns NFC text and tolerates a missing params object.
    out[id] = (params, ctx) => {
      const p = params ?? {};
      const facts: Facts = {
        lang,
        procedure: procedureText(procedureOf(p, ctx), lang),
        counter: counterOf(p, ctx, lang),
        ticket: ticketOf(p),
        text: operatorText(p),
      };
      return renderNode(node, facts).normalize('NFC').trim();
    };
  }
  return Object.freeze(out as Record<MessageId, Render>);
}

export const MESSAGES: Readonly<Record<Lang, Table>> = Object.freeze({
  vi: table('vi'),
  en: table('en'),
  ko: table('ko'),
});

export function renderMessage(messageId: MessageId, lang: Lang, params: SpeakParams, ctx: MessageContext): string {
  const found = Object.hasOwn(MESSAGES, lang) ? MESSAGES[lang] : undefined;
  const render = found !== undefined && Object.hasOwn(found, messageId) ? found[messageId] : undefined;
  if (render === undefined) throw new TiepdanError('message_unknown', `no text for message ${String(messageId)} in language ${String(lang)}`);
  return render(params, ctx);
}
