#!/usr/bin/env node
// Renders sample sentences from the templates of one language and intent, to check new templates
// without regenerating the splits.
//
//   node models/data/tools/preview.mjs <vi|en|ko> <intent> [--count N] [--proc PROCEDURE_ID]
//
// Without --proc it renders the plain templates (PLAIN), with it the procedure templates (PROC).
// Exit status 1 when a template does not parse or names an unknown slot.

import { makeRng } from './lib.mjs';
import { parseTemplate, render, tidy, filler, INTENTS, LANGS } from './generate.mjs';
import { PROCEDURE_IDS } from './content/procedures.mjs';
import * as VI from './content/vi.mjs';
import * as EN from './content/en.mjs';
import * as KO from './content/ko.mjs';

const args = process.argv.slice(2);
const [lang, intent] = args;
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes('--help') || !LANGS.includes(lang) || !INTENTS.includes(intent)) {
  console.log(`usage: preview.mjs <${LANGS.join('|')}> <intent> [--count N] [--proc ID]\nintents: ${INTENTS.join(' ')}`);
  process.exit(args.includes('--help') ? 0 : 2);
}
const proc = opt('--proc');
if (proc !== undefined && !PROCEDURE_IDS.includes(proc)) {
  console.error(`unknown procedure ${proc}; one of ${PROCEDURE_IDS.join(' ')}`);
  process.exit(2);
}
const count = Number(opt('--count') ?? 2);
const content = { vi: VI, en: EN, ko: KO }[lang];
const templates = (proc === undefined ? content.PLAIN : content.PROC)[intent] ?? [];
const rng = makeRng(1);
let failures = 0;
templates.forEach((src, k) => {
  try {
    const ast = parseTemplate(src);
    for (let i = 0; i < count; i += 1) console.log(`${String(k).padStart(3)}  ${tidy(render(ast, rng, filler(lang, rng, proc ?? null)))}`);
  } catch (error) {
    failures += 1;
    console.error(`${String(k).padStart(3)}  FAILED ${JSON.stringify(src)}: ${error.message}`);
  }
});
console.log(`${templates.length} templates`);
process.exit(failures > 0 ? 1 : 0);
