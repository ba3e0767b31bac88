/**
 * nlp.js as a baseline for the bench: the same train split, one classifier for the intent and one
 * for the procedure ("none" when no procedure is named), each with nlp.js's own tokenizers (English
 * and Korean; Vietnamese has no nlp.js language package, so it gets the generic one).
 */
import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en-min';
import { LangKo } from '@nlpjs/lang-ko';
import { Nlp, type NlpInstance } from '@nlpjs/nlp';
import type { LabelledText } from '../../src/nlu/dataset.js';
import { detectLanguage } from '../../src/nlu/normalize.js';
import type { Intent, IntentModel } from '../../src/ports/intent-model.js';

const NONE = 'none';

async function trainOne(rows: readonly LabelledText[], labelOf: (row: LabelledText) => string): Promise<NlpInstance> {
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangEn);
  container.use(LangKo);
  // nlp.js logs every training epoch unless its per-language defaults say otherwise.
  container.registerConfiguration('nlu-??', { keepStopwords: true, nonefeatureValue: 1, nonedeltaMultiplier: 1.2, spellCheck: false, spellCheckDistance: 1, filterZeros: true, log: false }, true);
  // Its logger warns about every training line made only of its stop words ("네에"): not bench output.
  const quiet = () => {};
  container.register('logger', { trace: quiet, debug: quiet, info: quiet, log: quiet, warn: quiet, error: quiet, fatal: quiet }, true);
  const nlp = container.get('nlp');
  nlp.settings['autoSave'] = false;
  nlp.addLanguage(['vi', 'en', 'ko']);
  for (const row of rows) nlp.addDocument(detectLanguage(row.text).lang, row.text, labelOf(row));
  await nlp.train();
  return nlp;
}

export async function trainNlpjsModel(rows: readonly LabelledText[]): Promise<IntentModel> {
  const intents = await trainOne(rows, (r) => r.label);
  const procedures = await trainOne(rows, (r) => (r.slot === '' ? NONE : r.slot));
  return {
    name: 'nlp.js',
    async classify(text) {
      const { lang } = detectLanguage(text);
      const intent = await intents.process(lang, text);
      const procedure = await procedures.process(lang, text);
      return {
        // nlp.js answers "None" below its own threshold: that is its out-of-scope.
        intent: (intent.intent === 'None' ? 'out_of_scope' : intent.intent) as Intent,
        procedure: procedure.intent === NONE || procedure.intent === 'None' ? null : procedure.intent,
        lang,
        confidence: intent.score,
        alternatives: [],
      };
    },
  };
}
