#!/usr/bin/env node
// Checks that no line of one split duplicates or nearly duplicates a line of another, and that no
// line is equal or close to the held-out simulator corpus (sim/corpus/utterances.yaml).
//
//   node models/data/tools/check-splits.mjs [--show N]
//
// Texts are compared normalised: NFC, lower case, Vietnamese diacritics folded (đ → d), punctuation
// stripped, spaces collapsed (the normalisation of src/nlu/normalize.ts). Reported:
//   1. exact normalised duplicates across splits                      (must be 0)
//   2. pairs across splits with token Jaccard >= 0.9                  (must be 0)
//   3. pairs across splits one word apart (the grouping rule: one word substituted, inserted,
//      deleted or shifted; two different one-word texts do not count) (must be 0)
//   4. lines equal to, one word from, or with Jaccard >= 0.9 to a held-out corpus sentence (must be 0)
// Also, for information: duplicates inside a split, and the closest cross-split pairs (Jaccard).
// Exit status 1 when any "must be 0" count is not.

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { SPLITS, normalize, tokens, jaccard, jaccardPairs, oneWordPairs, oneWordApart } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const DATA = resolve(HERE, '..');
const ROOT = resolve(DATA, '..', '..');
const showArg = process.argv.indexOf('--show');
const SHOW = showArg > 0 ? Number(process.argv[showArg + 1]) : 5;

const rows = [];
for (const split of SPLITS) {
  const lines = readFileSync(join(DATA, `${split}.tsv`), 'utf8').split('\n').slice(0, -1);
  for (const line of lines) {
    const text = line.split('\t')[0];
    const norm = normalize(text);
    rows.push({ split, text, norm, toks: tokens(norm) });
  }
}
const sets = rows.map((r) => new Set(r.toks));
const cross = (i, j) => rows[i].split !== rows[j].split;
const show = (label, pairs) => {
  for (const [i, j, extra] of pairs.slice(0, SHOW)) {
    console.log(`    ${rows[i].split}: ${rows[i].text}  <->  ${rows[j].split}: ${rows[j].text}${extra !== undefined ? `  (${extra.toFixed(3)})` : ''}`);
  }
};

// 1. exact normalised duplicates
const byNorm = new Map();
rows.forEach((r, i) => byNorm.set(r.norm, [...(byNorm.get(r.norm) ?? []), i]));
const exactCross = [];
let exactWithin = 0;
for (const idx of byNorm.values()) {
  if (idx.length < 2) continue;
  for (let a = 0; a < idx.length; a += 1)
    for (let b = a + 1; b < idx.length; b += 1) {
      if (cross(idx[a], idx[b])) exactCross.push([idx[a], idx[b]]);
      else exactWithin += 1;
    }
}

// 2. Jaccard >= 0.9 across splits
const jac = jaccardPairs(sets, 0.9, cross);
// 3. one word apart across splits
const oneWord = oneWordPairs(rows.map((r) => r.toks), cross);

// 4. the held-out corpus
const corpus = [];
const walk = (n) => (typeof n === 'string' ? corpus.push(n) : Array.isArray(n) ? n.forEach(walk) : n && typeof n === 'object' ? Object.values(n).forEach(walk) : null);
walk(parseYaml(readFileSync(join(ROOT, 'sim', 'corpus', 'utterances.yaml'), 'utf8')));
const held = corpus.map((s) => {
  const norm = normalize(s);
  return { s, norm, toks: tokens(norm), set: new Set(tokens(norm)) };
});
const heldHits = [];
let heldMax = 0;
rows.forEach((r, i) => {
  for (const h of held) {
    const j = jaccard(sets[i], h.set);
    if (j > heldMax) heldMax = j;
    if (r.norm === h.norm || j >= 0.9 || oneWordApart(r.toks, h.toks)) heldHits.push([i, h.s, j]);
  }
});

// Information: the closest cross-split pairs.
const near = jaccardPairs(sets, 0.75, cross).sort((a, b) => b[2] - a[2]);

console.log(`lines: ${rows.length} (${SPLITS.map((s) => `${s} ${rows.filter((r) => r.split === s).length}`).join(', ')})`);
console.log(`1. exact normalised duplicates across splits: ${exactCross.length}`);
show('exact', exactCross);
console.log(`2. cross-split pairs with token Jaccard >= 0.9: ${jac.length}`);
show('jaccard', jac);
console.log(`3. cross-split pairs one word apart: ${oneWord.length}`);
show('one word', oneWord);
console.log(`4. lines equal or close to a held-out corpus sentence: ${heldHits.length} (highest Jaccard to any held-out sentence: ${heldMax.toFixed(3)})`);
for (const [i, s, j] of heldHits.slice(0, SHOW)) console.log(`    ${rows[i].split}: ${rows[i].text}  <->  held-out: ${s}  (${j.toFixed(3)})`);
console.log(`info: exact normalised duplicates inside a split: ${exactWithin}`);
console.log(`info: cross-split pairs with Jaccard in [0.75, 0.9): ${near.length}; closest:`);
show('near', near);

const failed = exactCross.length + jac.length + oneWord.length + heldHits.length > 0;
console.log(failed ? 'FAILED' : 'OK: no duplicates or near duplicates across splits, none of the held-out corpus');
process.exit(failed ? 1 : 0);
