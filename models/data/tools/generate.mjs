#!/usr/bin/env node
// Generates models/data/{train,dev,test}.tsv (text, intent, procedure), models/data/meta/*.tsv
// (language and split group of every line) and the count tables of models/data/README.md.
//
//   node models/data/tools/generate.mjs            (from the repository root; deterministic, seed below)
//
// Sources: hand-written templates and phrase lists in tools/content/, combined with a seeded PRNG.
// The held-out simulator corpus (sim/corpus/utterances.yaml) is read only to drop anything equal or
// close to one of its sentences.

import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

import { makeRng, hash32, normalize, fold, tokens, oneWordApart, jaccard, oneWordPairs, jaccardPairs, UnionFind, SPLITS } from './lib.mjs';
import { PROCEDURES, PROCEDURE_IDS } from './content/procedures.mjs';
import * as VI from './content/vi.mjs';
import * as EN from './content/en.mjs';
import * as KO from './content/ko.mjs';
import { WRAP } from './content/wrappers.mjs';
import { withVerb, topic, yo } from './content/korean.mjs';

export const SEED = 20250611;
/** Lines this close (token Jaccard) share a split group; the checker's hard limit is 0.9. */
const JACCARD_GROUP = 0.75;
/** Candidates this close (token Jaccard) to a held-out corpus sentence are dropped. */
const HELD_OUT_JACCARD = 0.7;
const HERE = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(HERE, '..');
const ROOT = resolve(DATA, '..', '..');

export const INTENTS = [
  'greet', 'ask_procedure', 'ask_documents', 'ask_fee', 'ask_duration', 'ask_location', 'request_escort', 'request_ticket',
  'check_queue', 'scan_id', 'affirm', 'deny', 'repeat', 'talk_to_staff', 'change_language', 'goodbye', 'complaint', 'out_of_scope',
];
export const LANGS = ['vi', 'en', 'ko'];

// How many lines to aim for, per language: `perProc` from procedure templates for each of the 20
// procedures, `plain` from templates that name none. Duplicates and near-corpus lines are dropped.
const TARGETS = {
  greet: { perProc: 0, plain: 150 },
  ask_procedure: { perProc: 55, plain: 24 },
  ask_documents: { perProc: 11, plain: 45 },
  ask_fee: { perProc: 10, plain: 40 },
  ask_duration: { perProc: 10, plain: 40 },
  ask_location: { perProc: 10, plain: 50 },
  request_escort: { perProc: 10, plain: 50 },
  request_ticket: { perProc: 3, plain: 120 },
  check_queue: { perProc: 3, plain: 120 },
  scan_id: { perProc: 3, plain: 120 },
  affirm: { perProc: 3, plain: 130 },
  deny: { perProc: 3, plain: 130 },
  repeat: { perProc: 2, plain: 130 },
  talk_to_staff: { perProc: 3, plain: 120 },
  change_language: { perProc: 0, plain: 150 },
  goodbye: { perProc: 2, plain: 140 },
  complaint: { perProc: 3, plain: 130 },
  out_of_scope: { perProc: 0, plain: 170 },
};

// ---------------------------------------------------------------------------------------------
// Templates: (a|b) alternatives, [a] optional, {SLOT} slots.

export function parseTemplate(src) {
  let i = 0;
  function seq(stop) {
    const alts = [[]];
    while (i < src.length) {
      const c = src[i];
      if (stop.includes(c)) break;
      if (c === '|') {
        alts.push([]);
        i += 1;
      } else if (c === '(' || c === '[') {
        i += 1;
        const inner = seq(c === '(' ? ')' : ']');
        i += 1; // closing bracket
        alts[alts.length - 1].push({ kind: c === '(' ? 'alt' : 'opt', alts: inner });
      } else if (c === '{') {
        const end = src.indexOf('}', i);
        alts[alts.length - 1].push({ kind: 'slot', name: src.slice(i + 1, end) });
        i = end + 1;
      } else {
        let j = i;
        while (j < src.length && !'([{|)]'.includes(src[j])) j += 1;
        alts[alts.length - 1].push({ kind: 'text', text: src.slice(i, j) });
        i = j;
      }
    }
    return alts;
  }
  return seq('');
}

export function render(alts, rng, slot) {
  const parts = rng.pick(alts);
  let out = '';
  for (const node of parts) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'slot') out += slot(node.name);
    else if (node.kind === 'alt') out += render(node.alts, rng, slot);
    else if (rng.chance(0.5)) out += render(node.alts, rng, slot);
  }
  return out;
}

export function tidy(text) {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.?!])/g, '$1')
    .replace(/,\s*,/g, ',')
    .replace(/^[,\s]+/, '')
    .replace(/[,\s]+$/, '')
    .trim();
}

const usesSlot = (src, names) => names.some((n) => src.includes(`{${n}}`));

// ---------------------------------------------------------------------------------------------
// Surface forms

const VI_NOISE = [
  ['đăng ký', ['đăng kí', 'dang ki', 'đk', 'dky', 'đăng kỷ']],
  ['khai sinh', ['khai xinh', 'khai sin']],
  ['tạm trú', ['tạm chú', 'tam chu', 'tạm chu']],
  ['thường trú', ['thường chú', 'thuong chu']],
  ['không', ['ko', 'k', 'hok', 'khum', 'khong']],
  ['được', ['dc', 'đc', 'đươc', 'dk']],
  ['giấy', ['giay', 'dấy', 'jấy']],
  ['gì', ['j', 'gi']],
  ['vậy', ['z', 'dzậy', 'zậy', 'vay']],
  ['phép', ['fép']],
  ['bao nhiêu', ['bn', 'bao nhiu', 'nhiu']],
  ['chứng thực', ['chứng thức', 'chung thuc']],
  ['căn cước', ['căn cứơc', 'can cuoc', 'căn cức']],
  ['hộ khẩu', ['ho khau', 'hộ khâu']],
  ['sổ đỏ', ['số đỏ', 'so do']],
  ['sổ hồng', ['số hồng', 'so hong']],
  ['kết hôn', ['kết hông', 'ket hon']],
  ['khai tử', ['khai tữ', 'khai tu']],
  ['xác nhận', ['sát nhận', 'xac nhan']],
  ['trợ cấp', ['chợ cấp', 'tro cap']],
  ['bảo hiểm', ['bảo hiễm', 'bao hiem']],
  ['muốn', ['mún', 'muon']],
  ['rồi', ['ròi', 'rùi']],
  ['quầy', ['quày', 'quay']],
  ['xây dựng', ['sây dựng', 'xay dung']],
  ['công chứng', ['công chứn', 'cong chung']],
  ['chữ ký', ['chữ kí', 'chu ki']],
  ['hợp đồng', ['hợp đòng', 'hop dong']],
  ['bản sao', ['bản xao']],
  ['mấy', ['mí']],
  ['biết', ['bít']],
  ['nhiều', ['nhìu']],
  ['thôi', ['thui']],
  ['hỏi', ['hõi']],
  ['giùm', ['dùm', 'zùm']],
];
const VI_DROPPABLE = new Set(['thì', 'là', 'cho', 'của', 'vậy', 'ạ', 'nha', 'để', 'có', 'mà', 'những', 'với']);
const TONES = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'];

function wrongTone(text, rng) {
  const words = text.split(' ');
  const marked = words.map((w, i) => [w, i]).filter(([w]) => /[\u0300\u0301\u0303\u0309\u0323]/.test(w.normalize('NFD')));
  if (marked.length === 0) return text;
  const [w, i] = rng.pick(marked);
  // Per letter: strip the tone, keep the vowel quality (â, ơ…), put another tone on.
  words[i] = [...w.normalize('NFC')]
    .map((ch) => {
      const nfd = ch.normalize('NFD');
      const current = TONES.find((t) => nfd.includes(t));
      if (current === undefined) return ch;
      const base = nfd.replace(current, '').normalize('NFC');
      return (base + rng.pick(TONES.filter((t) => t !== current))).normalize('NFC');
    })
    .join('');
  return words.join(' ');
}

function viNoise(text, rng) {
  let out = text;
  const ops = 1 + (rng.chance(0.3) ? 1 : 0);
  for (let k = 0; k < ops; k += 1) {
    const r = rng.next();
    if (r < 0.55) {
      const candidates = VI_NOISE.filter(([from]) => out.toLowerCase().includes(from));
      if (candidates.length > 0) {
        const [from, tos] = rng.pick(candidates);
        const idx = out.toLowerCase().indexOf(from);
        out = out.slice(0, idx) + rng.pick(tos) + out.slice(idx + from.length);
        continue;
      }
    }
    if (r < 0.8) {
      const words = out.split(' ');
      const droppable = words.map((w, i) => [w, i]).filter(([w, i]) => i > 0 && VI_DROPPABLE.has(w.toLowerCase().replace(/[,?.!]/g, '')));
      if (droppable.length > 0 && words.length > 3) {
        const [w, i] = rng.pick(droppable);
        const punct = w.match(/[,?.!]+$/)?.[0] ?? '';
        words.splice(i, 1);
        if (punct) words[i - 1] += punct;
        out = words.join(' ');
        continue;
      }
    }
    out = wrongTone(out, rng);
  }
  return out;
}

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function surfaceVi(text, rng, stats) {
  let out = text;
  let noisy = false;
  if (rng.chance(0.2)) {
    out = viNoise(out, rng);
    noisy = true;
  }
  const folded = rng.chance(0.5);
  if (folded) {
    out = fold(out);
    if (rng.chance(0.7)) out = out.replace(/[?.!]+$/, '');
    if (rng.chance(0.15)) out = capitalise(out);
  } else {
    if (rng.chance(0.55)) out = capitalise(out);
    if (rng.chance(0.3) && !/[?.!]$/.test(out)) out += isQuestionVi(out) ? '?' : '.';
  }
  stats.vi += 1;
  if (folded) stats.viFolded += 1;
  if (noisy) stats.viNoisy += 1;
  return out;
}

function isQuestionVi(s) {
  const words = s.toLowerCase().replace(/[^\p{L}\s]/gu, ' ').trim().split(/\s+/);
  const last = words[words.length - 1];
  return ['không', 'hông', 'hok', 'gì', 'đâu', 'nào', 'sao', 'mấy', 'chưa', 'hả', 'ha', 'chưa'].includes(last) || /(ở đâu|bao nhiêu|bao lâu)/.test(s);
}

const EN_TYPOS = [
  ['certificate', 'certficate'], ['registration', 'registeration'], ['please', 'pls'], [' you', ' u'], ['marriage', 'marrige'],
  ['documents', 'documnets'], ['where', 'wher'], ['what', 'wat'], ['permit', 'permitt'], ['insurance', 'insurence'], ['the ', 'teh '],
  ['birth', 'brith'], ['because', 'cuz'], ['license', 'lisence'], ['receive', 'recieve'], ['signature', 'signiture'],
];
const EN_DROPPABLE = new Set(['the', 'a', 'to', 'do', 'is', 'for', 'my', 'of', 'can']);

function surfaceEn(text, rng) {
  let out = capitalise(text);
  if (rng.chance(0.1)) {
    const cands = EN_TYPOS.filter(([a]) => out.toLowerCase().includes(a));
    if (cands.length > 0) {
      const [a, b] = rng.pick(cands);
      const idx = out.toLowerCase().indexOf(a);
      out = out.slice(0, idx) + b + out.slice(idx + a.length);
    }
  } else if (rng.chance(0.06)) {
    const words = out.split(' ');
    const cands = words.map((w, i) => [w, i]).filter(([w, i]) => i > 0 && EN_DROPPABLE.has(w.toLowerCase()));
    if (cands.length > 0 && words.length > 4) {
      words.splice(rng.pick(cands)[1], 1);
      out = words.join(' ');
    }
  }
  // Vietnamese words inside English: typed without marks about half the time.
  if (/[^\x00-\x7F’]/.test(out) && rng.chance(0.45)) out = fold(out);
  if (rng.chance(0.3)) out = out.toLowerCase().replace(/[?.!]+$/, '');
  else if (!/[?.!]/.test(out) && rng.chance(0.5)) out += /^(how|what|where|which|when|is|are|can|could|do|does|will|would|who|why|did|has)\b/i.test(out) ? '?' : '.';
  return out;
}

function surfaceKo(text, rng) {
  let out = text;
  if (rng.chance(0.2)) out = out.replace(/돼요/g, '되요');
  if (rng.chance(0.12)) out = out.replace(/예요/g, '에요');
  if (rng.chance(0.1)) {
    const spaces = [...out.matchAll(/ /g)].map((m) => m.index);
    if (spaces.length > 1) {
      const at = rng.pick(spaces);
      // Only where people really drop the space: before a verb or an auxiliary.
      if (/[\uac00-\ud7a3]/.test(out[at - 1] ?? '') && /^(하|할|해|했|수|와|돼|되|줄|주|드|가|싶)/.test(out.slice(at + 1))) out = out.slice(0, at) + out.slice(at + 1);
    }
  }
  if (/[A-Za-zÀ-ỹ]/.test(out) && rng.chance(0.4)) out = fold(out);
  if (rng.chance(0.35)) out = out.replace(/[?.!~]+$/, '');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Slot filling per language

export function filler(lang, rng, procId) {
  const values = new Map();
  const proc = procId ? PROCEDURES[procId][lang] : null;
  let person = null;
  let koItem = null;
  const N = () => String(rng.pick([12, 17, 23, 31, 38, 45, 52, 64, 71, 86, 97, 105, 118, 126, 134, 142, 159, 203, 215, 247]));
  const Q = () => String(1 + rng.int(8));
  return (name) => {
    if (values.has(name)) return values.get(name);
    let v;
    switch (name) {
      case 'I':
      case 'YOU':
        person ??= rng.pick(VI.PERSONS);
        v = name === 'I' ? person[0] : person[1];
        break;
      case 'VP':
      case 'NP':
      case 'CTX':
      case 'TOPIC':
        v = rng.pick(proc[name === 'TOPIC' ? 'topic' : name.toLowerCase()]);
        if (v.includes('{I}')) {
          person ??= rng.pick(VI.PERSONS);
          v = v.replaceAll('{I}', person[0]);
        }
        break;
      case 'N':
        v = N();
        break;
      case 'Q':
        v = Q();
        break;
      default: {
        // Korean procedure slots share one chosen item.
        koItem ??= rng.pick(proc.items);
        const [noun, verb] = koItem;
        const forms = { KR: 'R', KREO: 'REO', KGO: 'GO', KRG: 'RG', KL: 'L', KNEUN: 'NEUN', KHAE: 'HAE', KADN: 'ADN', KCAN: 'CAN' };
        if (name === 'KN') v = noun;
        else if (name === 'KNT') v = topic(noun);
        else if (name === 'KNY') v = yo(noun);
        else if (forms[name]) v = withVerb(rng, noun, verb, forms[name]);
        else throw new Error(`unknown slot ${name}`);
      }
    }
    values.set(name, v);
    return v;
  };
}

// ---------------------------------------------------------------------------------------------
// Held-out corpus: nothing equal or close to it may enter the data.

function loadCorpus() {
  const doc = parseYaml(readFileSync(join(ROOT, 'sim', 'corpus', 'utterances.yaml'), 'utf8'));
  const out = [];
  const walk = (node) => {
    if (typeof node === 'string') out.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(doc);
  return out;
}

export function corpusIndex() {
  const sentences = loadCorpus().map((s) => {
    const norm = normalize(s);
    const toks = tokens(norm);
    return { s, norm, toks, set: new Set(toks) };
  });
  const exact = new Set(sentences.map((x) => x.norm));
  const byToken = new Map();
  sentences.forEach((x, i) => {
    for (const t of x.set) byToken.set(t, [...(byToken.get(t) ?? []), i]);
  });
  /** The held-out sentence this text is equal or close to, or null. Close: one word apart, or token Jaccard >= HELD_OUT_JACCARD. */
  const near = (norm) => {
    if (exact.has(norm)) return norm;
    const toks = tokens(norm);
    const set = new Set(toks);
    const seen = new Set();
    for (const t of set) {
      for (const i of byToken.get(t) ?? []) {
        if (seen.has(i)) continue;
        seen.add(i);
        const c = sentences[i];
        if (oneWordApart(toks, c.toks)) return c.s;
        if (jaccard(set, c.set) >= HELD_OUT_JACCARD) return c.s;
      }
    }
    return null;
  };
  return { sentences, near };
}

// ---------------------------------------------------------------------------------------------
// Generation

const CONTENT = { vi: VI, en: EN, ko: KO };
const PROC_SLOTS = ['VP', 'NP', 'CTX', 'TOPIC', 'KN', 'KNT', 'KNY', 'KR', 'KREO', 'KGO', 'KRG', 'KL', 'KNEUN', 'KHAE', 'KADN', 'KCAN'];

function generateCandidates(corpus) {
  const rng = makeRng(SEED);
  const seenNorm = new Map(); // norm -> item
  const seenCanonical = new Set();
  const items = [];
  const stats = { vi: 0, viFolded: 0, viNoisy: 0, droppedCorpus: 0, droppedDup: 0, conflicts: [], corpusHits: [] };

  const tryAdd = (lang, intent, procId, tplKey, canonical) => {
    if (seenCanonical.has(`${lang}|${canonical}`)) return false;
    seenCanonical.add(`${lang}|${canonical}`);
    let text = lang === 'vi' ? surfaceVi(canonical, rng, stats) : lang === 'en' ? surfaceEn(canonical, rng) : surfaceKo(canonical, rng);
    text = text.normalize('NFC').replace(/[\t\r\n]+/g, ' ').trim();
    const norm = normalize(text);
    if (norm === '') return false;
    const prior = seenNorm.get(norm);
    if (prior) {
      if (prior.intent !== intent || prior.procedure !== (procId ?? '')) stats.conflicts.push([text, intent, procId, prior.text, prior.intent, prior.procedure]);
      stats.droppedDup += 1;
      return false;
    }
    const hit = corpus.near(norm);
    if (hit !== null) {
      stats.droppedCorpus += 1;
      if (stats.corpusHits.length < 400) stats.corpusHits.push([text, hit]);
      return false;
    }
    // The template a line comes from (with its procedure), kept in meta/ for the bench's
    // unseen-template evaluation; splitting groups near duplicates, not templates.
    const item = { text, intent, procedure: procId ?? '', lang, group: `${lang}:${intent}:${tplKey}${procId ? `:${procId}` : ''}`, norm };
    seenNorm.set(norm, item);
    items.push(item);
    return true;
  };

  for (const lang of LANGS) {
    const content = CONTENT[lang];
    for (const intent of INTENTS) {
      const target = TARGETS[intent];
      // Procedure templates: the same number of lines for every procedure.
      const procTemplates = (content.PROC[intent] ?? []).map((src, k) => ({ src, key: `p${k}`, ast: parseTemplate(src) }));
      if (target.perProc > 0 && procTemplates.length === 0) throw new Error(`${lang} ${intent}: no procedure templates`);
      for (const procId of target.perProc > 0 ? PROCEDURE_IDS : []) {
        let made = 0;
        let attempts = 0;
        let order = rng.shuffle(procTemplates);
        while (made < target.perProc && attempts < target.perProc * 40) {
          const tpl = order[attempts % order.length];
          attempts += 1;
          if (attempts % order.length === 0) order = rng.shuffle(procTemplates);
          if (!usesSlot(tpl.src, PROC_SLOTS)) throw new Error(`${lang} ${intent} procedure template without a procedure slot: ${tpl.src}`);
          if (tpl.src.includes('{CTX}') && !(PROCEDURES[procId][lang].ctx ?? []).length) continue;
          const canonical = tidy(render(tpl.ast, rng, filler(lang, rng, procId)));
          if (tryAdd(lang, intent, procId, tpl.key, canonical)) made += 1;
        }
      }
      // Plain templates, wrapped now and then in a neutral opener or closer.
      const plain = (content.PLAIN[intent] ?? []).map((src, k) => ({ src, key: `t${k}`, ast: parseTemplate(src) }));
      if (plain.length === 0) continue;
      const wrap = WRAP[lang][intent] ?? { open: [], close: [] };
      const openAst = wrap.open.map(parseTemplate);
      const closeAst = wrap.close.map(parseTemplate);
      // Every template gets used: templates are taken in turn, so a target below three lines a
      // template would leave the last ones out.
      const wanted = Math.max(target.plain, 3 * plain.length);
      const cap = Math.max(3, Math.ceil((wanted / plain.length) * 2));
      const perTpl = new Map();
      let made = 0;
      let attempts = 0;
      while (made < wanted && attempts < wanted * 60) {
        const tpl = plain[attempts % plain.length];
        attempts += 1;
        if ((perTpl.get(tpl.key) ?? 0) >= cap) continue;
        const slot = filler(lang, rng, null);
        let canonical = render(tpl.ast, rng, slot);
        const bare = (perTpl.get(tpl.key) ?? 0) === 0;
        const closable = lang === 'vi' || !/(\?|please|thanks|thank you|부탁)/i.test(canonical);
        if (!bare && openAst.length > 0 && rng.chance(0.45)) {
          // "Sorry, when will…": the core loses its capital after an opener (not "I", not "ID").
          const core = lang === 'en' && /^[A-Z][a-z']/.test(canonical) && !/^I[ ']/.test(canonical) ? canonical[0].toLowerCase() + canonical.slice(1) : canonical;
          canonical = `${render(rng.pick(openAst), rng, slot)} ${core}`;
        } else if (!bare && closable && closeAst.length > 0 && rng.chance(0.35)) {
          const closer = render(rng.pick(closeAst), rng, slot);
          const base = canonical.replace(/[?.!]$/, '');
          // Not "… đâu anh anh": a closer that repeats the last word is left off.
          if (!base.toLowerCase().endsWith(closer.replace(/^[ ,]+/, '').toLowerCase())) canonical = `${base}${closer}`;
        }
        canonical = tidy(canonical);
        if (tryAdd(lang, intent, null, tpl.key, canonical)) {
          made += 1;
          perTpl.set(tpl.key, (perTpl.get(tpl.key) ?? 0) + 1);
        }
      }
    }
  }
  return { items, stats };
}

// ---------------------------------------------------------------------------------------------
// Grouping and splitting

function splitItems(items) {
  const rng = makeRng(SEED ^ 0x5eed);
  const toks = items.map((it) => tokens(it.norm));
  const sets = toks.map((t) => new Set(t));
  const uf = new UnionFind(items.length);
  for (const [a, b] of oneWordPairs(toks)) uf.union(a, b);
  for (const [a, b] of jaccardPairs(sets, JACCARD_GROUP)) uf.union(a, b);

  const comps = new Map();
  items.forEach((_, i) => {
    const r = uf.find(i);
    comps.set(r, [...(comps.get(r) ?? []), i]);
  });
  const components = [...comps.values()].map((members, id) => {
    const strata = new Map();
    const procs = new Map();
    for (const i of members) {
      // Lines that name a procedure and lines that do not are separate strata: step 1 below favours
      // the former, and without this split it filled whole held-out strata with them (test goodbyes
      // that nearly all named a procedure while train's almost never did).
      const s = `${items[i].intent}|${items[i].lang}|${items[i].procedure ? 'p' : '-'}`;
      strata.set(s, (strata.get(s) ?? 0) + 1);
      if (items[i].procedure) {
        const p = `${items[i].procedure}|${items[i].lang}`;
        procs.set(p, (procs.get(p) ?? 0) + 1);
      }
    }
    return { id, members, strata, procs };
  });

  const totals = new Map();
  const bump = (key) => totals.set(key, (totals.get(key) ?? 0) + 1);
  for (const it of items) {
    bump(`${it.intent}|${it.lang}`);
    bump(`${it.intent}|${it.lang}|${it.procedure ? 'p' : '-'}`);
  }
  // About 10 % (at least 13) of each intent × language, shared between its two strata in proportion.
  const coarseOf = (s) => s.split('|').slice(0, 2).join('|');
  const wholeTarget = (s) => Math.max(13, Math.round(0.1 * totals.get(coarseOf(s))));
  const target = (s) => Math.max(1, Math.round((wholeTarget(s) * totals.get(s)) / totals.get(coarseOf(s))));
  // A component too big for the held-out quota of its intent × language stays in train.
  const tooBig = (c) => [...c.strata].some(([s, n]) => n > Math.max(4, 0.5 * wholeTarget(s)));

  const counts = { dev: new Map(), test: new Map() };
  const procCounts = { dev: new Map(), test: new Map() };
  const assign = new Map();
  const fits = (split, c, slack) => [...c.strata].every(([s, n]) => (counts[split].get(s) ?? 0) + n <= Math.ceil(target(s) * slack));
  const put = (split, c) => {
    assign.set(c.id, split);
    for (const [s, n] of c.strata) counts[split].set(s, (counts[split].get(s) ?? 0) + n);
    for (const [p, n] of c.procs) procCounts[split].set(p, (procCounts[split].get(p) ?? 0) + n);
  };

  const order = rng.shuffle(components).sort((a, b) => a.members.length - b.members.length);
  // Shuffled, then smallest first (stable sort keeps the shuffle among equal sizes).
  const free = () => order.filter((c) => !assign.has(c.id) && !tooBig(c));
  // 1. Every procedure named at least 4 times per language in test and 3 in dev.
  for (const [split, need] of [['test', 4], ['dev', 3]]) {
    for (const c of free()) {
      const helps = [...c.procs.keys()].some((p) => (procCounts[split].get(p) ?? 0) < need);
      if (helps && fits(split, c, 1.0)) put(split, c);
    }
  }
  // 2. Fill each intent × language stratum to about 10 % (at least 13).
  for (const split of ['test', 'dev']) {
    for (const c of free()) {
      const helps = [...c.strata].some(([s]) => (counts[split].get(s) ?? 0) < target(s));
      if (helps && fits(split, c, 1.1)) put(split, c);
    }
  }
  const splitOf = new Map();
  for (const c of components) for (const i of c.members) splitOf.set(i, assign.get(c.id) ?? 'train');
  return { splitOf, components, uf };
}

// ---------------------------------------------------------------------------------------------
// Output

function countTables(rows) {
  const lines = [];
  const head = `| intent | ${SPLITS.flatMap((s) => LANGS.map((l) => `${s} ${l}`)).join(' | ')} | total |`;
  lines.push(head, `| --- | ${SPLITS.flatMap(() => LANGS.map(() => '---:')).join(' | ')} | ---: |`);
  const cell = (split, lang, intent) => rows.filter((r) => r.split === split && r.lang === lang && (intent === null || r.intent === intent)).length;
  for (const intent of [...INTENTS, null]) {
    const cells = SPLITS.flatMap((s) => LANGS.map((l) => cell(s, l, intent)));
    lines.push(`| ${intent ?? '**all**'} | ${cells.join(' | ')} | ${cells.reduce((a, b) => a + b, 0)} |`);
  }
  return lines.join('\n');
}

function procTable(rows) {
  const lines = [];
  lines.push(`| procedure | ${SPLITS.flatMap((s) => LANGS.map((l) => `${s} ${l}`)).join(' | ')} | train ask_procedure vi / en / ko |`);
  lines.push(`| --- | ${SPLITS.flatMap(() => LANGS.map(() => '---:')).join(' | ')} | ---: |`);
  for (const p of PROCEDURE_IDS) {
    const cells = SPLITS.flatMap((s) => LANGS.map((l) => rows.filter((r) => r.split === s && r.lang === l && r.procedure === p).length));
    const ap = LANGS.map((l) => rows.filter((r) => r.split === 'train' && r.lang === l && r.procedure === p && r.intent === 'ask_procedure').length);
    lines.push(`| ${p} | ${cells.join(' | ')} | ${ap.join(' / ')} |`);
  }
  return lines.join('\n');
}

function main() {
  const catalogIds = readdirSync(join(ROOT, 'src', 'civic', 'catalog'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  const ours = [...PROCEDURE_IDS].sort();
  if (JSON.stringify(catalogIds) !== JSON.stringify(ours)) throw new Error(`procedure ids differ from the catalog: ${catalogIds} vs ${ours}`);

  const corpus = corpusIndex();
  const { items, stats } = generateCandidates(corpus);
  const { splitOf, components } = splitItems(items);

  const rows = items.map((it, i) => ({ ...it, split: splitOf.get(i), component: 0 }));
  const compOf = new Map();
  components.forEach((c, k) => c.members.forEach((i) => compOf.set(i, k)));
  rows.forEach((r, i) => (r.component = compOf.get(i)));

  mkdirSync(join(DATA, 'meta'), { recursive: true });
  const rng = makeRng(SEED ^ 0xf11e);
  for (const split of SPLITS) {
    const mine = rng.shuffle(rows.filter((r) => r.split === split));
    writeFileSync(join(DATA, `${split}.tsv`), mine.map((r) => `${r.text}\t${r.intent}\t${r.procedure}\n`).join(''));
    writeFileSync(
      join(DATA, 'meta', `${split}.tsv`),
      mine.map((r) => `${r.lang}\tc${r.component}\t${r.group}\n`).join(''),
    );
  }

  const viRows = rows.filter((r) => r.lang === 'vi');
  const viFolded = viRows.filter((r) => r.text === fold(r.text)).length;
  const summary = {
    lines: rows.length,
    components: components.length,
    largestComponent: Math.max(...components.map((c) => c.members.length)),
    droppedNearHeldOut: stats.droppedCorpus,
    droppedDuplicates: stats.droppedDup,
    labelConflicts: stats.conflicts.length,
    viLines: viRows.length,
    viWithoutDiacritics: viFolded,
    viNoisy: stats.viNoisy,
  };

  const template = readFileSync(join(HERE, 'README.template.md'), 'utf8');
  const readme = template
    .replace('<!-- COUNTS -->', countTables(rows))
    .replace('<!-- PROCEDURES -->', procTable(rows))
    .replace('<!-- SUMMARY -->', [
      `- lines: ${summary.lines} (train ${rows.filter((r) => r.split === 'train').length}, dev ${rows.filter((r) => r.split === 'dev').length}, test ${rows.filter((r) => r.split === 'test').length})`,
      `- split groups (connected components): ${summary.components}; largest: ${summary.largestComponent} lines`,
      `- Vietnamese lines without any diacritic: ${viFolded} of ${viRows.length} (${Math.round((100 * viFolded) / viRows.length)} %); with injected typing or recognition noise: ${stats.viNoisy}`,
      `- candidates dropped as equal or close to a held-out corpus sentence: ${stats.droppedCorpus}; as duplicates of an earlier line: ${stats.droppedDup}`,
    ].join('\n'))
    .replace('<!-- SEED -->', String(SEED));
  writeFileSync(join(DATA, 'README.md'), readme);

  console.log(JSON.stringify(summary, null, 1));
  if (stats.conflicts.length > 0) {
    console.log('label conflicts (same normalised text, different labels; the first one was kept):');
    for (const c of stats.conflicts.slice(0, 40)) console.log('  ', JSON.stringify(c));
  }
  if (process.argv.includes('--corpus-hits')) for (const h of stats.corpusHits) console.log('near held-out:', JSON.stringify(h));
}

// Run only as a script, so preview.mjs can import the template functions.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
