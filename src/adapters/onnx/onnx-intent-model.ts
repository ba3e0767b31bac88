import type { Catalog } from '../../ports/catalog.js';
import { LANGS, type Lang } from '../../ports/common.js';
import { TiepdanError } from '../../ports/errors.js';
import { INTENTS, type Classification, type Intent, type IntentModel } from '../../ports/intent-model.js';
import { IntentRuntime } from '../../nlu/intent-package.js';
import { detectLanguage } from '../../nlu/normalize.js';

const isIntent = (label: string): label is Intent => (INTENTS as readonly string[]).includes(label);

/**
 * `IntentModel` over the trained ONNX package. The model's labels must be this project's intents and
 * its slots the catalog's procedure ids, or loading fails: a model trained on another label set is a
 * configuration error, not something to guess around.
 */
export async function createOnnxIntentModel(dir: string, catalog: Catalog): Promise<IntentModel & { close(): Promise<void> }> {
  const runtime = await IntentRuntime.load(dir);
  const heads = runtime.metadata.heads;
  const intents = heads.find((h) => h.name === 'intent')!.labels;
  const unknownIntent = intents.find((l) => !isIntent(l));
  const unknownSlot = heads.find((h) => h.name === 'slot')?.labels.find((l) => l !== '' && catalog.get(l) === undefined);
  if (unknownIntent !== undefined || unknownSlot !== undefined) {
    await runtime.close();
    throw new TiepdanError(
      'model_invalid',
      `${dir}: ${unknownIntent !== undefined ? `intent label "${unknownIntent}" is not one of this controller's intents` : `procedure "${unknownSlot}" is not in the catalog`}`,
    );
  }
  return {
    name: 'onnx',
    async classify(text: string): Promise<Classification> {
      const p = await runtime.predict(text);
      const lang: Lang = LANGS.includes(p.lang as Lang) ? (p.lang as Lang) : detectLanguage(text).lang;
      return {
        intent: p.intent as Intent,
        procedure: p.slot === '' ? null : p.slot,
        lang,
        confidence: p.intentProbability,
        alternatives: p.top
          .filter((t) => t.label !== p.intent)
          .slice(0, 3)
          .map((t) => ({ intent: t.label as Intent, procedure: null, confidence: Math.min(t.probability, p.intentProbability) })),
      };
    },
    close: () => runtime.close(),
  };
}
