#!/usr/bin/env node
// Validates models/data/{train,dev,test}.tsv: line format, labels, NFC, counts per intent, language
// and split against the acceptance criteria. Exit status 1 when anything fails.
//
//   node models/data/tools/validate.mjs [--quiet]

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPLITS, fold, lineLang } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(HERE, '..');
const ROOT = resolve(DATA, '..', '..');
const quiet = process.argv.includes('--quiet');

const intentSrc = readFileSync(join(ROOT, 'src', 'ports', 'intent-model.ts'), 'utf8');
const INTENTS = [...intentSrc.slice(intentSrc.indexOf('INTENTS = ['), intentSrc.indexOf('] as const')).matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
const PROCS = readdirSync(join(ROOT, 'src', 'civic', 'catalog')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
const LANGS = ['vi', 'en', 'ko'];

const errors = [];
const fail = (msg) => errors.push(msg);
const rows = [];

for (const split of SPLITS) {
  const path = join(DATA, `${split}.tsv`);
  const raw = readFileSync(path, 'utf8');
  if (raw.charCodeAt(0) === 0xfeff) fail(`${split}: starts with a BOM`);
  if (raw.includes('\r')) fail(`${split}: contains CR characters`);
  if (!raw.endsWith('\n')) fail(`${split}: no newline at end of file`);
  const lines = raw.split('\n').slice(0, -1);
  const metaPath = join(DATA, 'meta', `${split}.tsv`);
  const meta = existsSync(metaPath) ? readFileSync(metaPath, 'utf8').split('\n').slice(0, -1) : null;
  if (meta && meta.length !== lines.length) fail(`${split}: meta has ${meta.length} lines, data ${lines.length}`);
  lines.forEach((line, k) => {
    const where = `${split}:${k + 1}`;
    const f = line.split('\t');
    if (f.length !== 3) return fail(`${where}: ${f.length} fields`);
    const [text, intent, procedure] = f;
    if (text !== text.normalize('NFC')) fail(`${where}: text not NFC`);
    if (line !== line.normalize('NFC')) fail(`${where}: line not NFC`);
    if (text.trim() !== text || text === '' || /\s{2,}/.test(text)) fail(`${where}: stray whitespace or empty text`);
    if (/[\u0000-\u001f\u007f]/.test(text)) fail(`${where}: control character in text`);
    if (!INTENTS.includes(intent)) fail(`${where}: unknown intent ${intent}`);
    if (procedure !== '' && !PROCS.includes(procedure)) fail(`${where}: unknown procedure ${procedure}`);
    const lang = meta ? meta[k].split('\t')[0] : lineLang(text);
    if (!LANGS.includes(lang)) fail(`${where}: bad language ${lang} in meta`);
    rows.push({ split, text, intent, procedure, lang, detected: lineLang(text) });
  });
}

const count = (pred) => rows.filter(pred).length;
const table = [];
for (const intent of INTENTS) {
  const cells = {};
  for (const split of SPLITS) for (const lang of LANGS) cells[`${split} ${lang}`] = count((r) => r.split === split && r.lang === lang && r.intent === intent);
  table.push({ intent, ...cells });
  for (const lang of LANGS) {
    if (cells[`train ${lang}`] < 80) fail(`train ${intent} ${lang}: ${cells[`train ${lang}`]} < 80`);
    if (cells[`dev ${lang}`] < 10) fail(`dev ${intent} ${lang}: ${cells[`dev ${lang}`]} < 10`);
    if (cells[`test ${lang}`] < 10) fail(`test ${intent} ${lang}: ${cells[`test ${lang}`]} < 10`);
  }
}
const procTable = [];
for (const p of PROCS) {
  const cells = {};
  for (const lang of LANGS) {
    cells[`train ask_procedure ${lang}`] = count((r) => r.split === 'train' && r.lang === lang && r.procedure === p && r.intent === 'ask_procedure');
    cells[`test ${lang}`] = count((r) => r.split === 'test' && r.lang === lang && r.procedure === p);
    cells[`dev ${lang}`] = count((r) => r.split === 'dev' && r.lang === lang && r.procedure === p);
    if (cells[`train ask_procedure ${lang}`] < 15) fail(`train ask_procedure ${p} ${lang}: ${cells[`train ask_procedure ${lang}`]} < 15`);
    if (cells[`test ${lang}`] < 3) fail(`test ${p} ${lang}: named ${cells[`test ${lang}`]} times < 3`);
  }
  procTable.push({ procedure: p, ...cells });
}

const total = rows.length;
const share = Object.fromEntries(SPLITS.map((s) => [s, +(count((r) => r.split === s) / total).toFixed(3)]));
const vi = rows.filter((r) => r.lang === 'vi');
const viFolded = vi.filter((r) => r.text === fold(r.text)).length;
const disagree = rows.filter((r) => r.detected !== r.lang);

if (!quiet) {
  console.log('lines per intent, language and split:');
  console.table(table);
  console.log('procedure mentions (any intent) in dev/test, and ask_procedure lines in train:');
  console.table(procTable);
}
console.log(`total ${total}; split shares ${JSON.stringify(share)}`);
console.log(`Vietnamese lines without diacritics: ${viFolded}/${vi.length} (${((100 * viFolded) / vi.length).toFixed(1)} %)`);
console.log(`lines with a procedure: ${count((r) => r.procedure !== '')}; without: ${count((r) => r.procedure === '')}`);
console.log(`language in meta vs. guessed from the text: ${disagree.length} disagreements (the guess is crude: short folded Vietnamese and mixed-language lines)`);
if (!quiet) for (const r of disagree.slice(0, 15)) console.log(`   meta ${r.lang}, detected ${r.detected}: ${r.text}`);
if (share.train < 0.75 || share.train > 0.85 || share.dev < 0.07 || share.test < 0.07) fail(`split shares off 80/10/10: ${JSON.stringify(share)}`);
if (errors.length > 0) {
  console.log(`FAILED: ${errors.length} problem(s)`);
  for (const e of errors.slice(0, 60)) console.log('  ', e);
  process.exit(1);
}
console.log('OK: format, labels, NFC and counts all pass');
