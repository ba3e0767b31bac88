import { existsSync } from 'node:fs';
import { createOnnxIntentModel } from '../adapters/onnx/onnx-intent-model.js';
import { createKeywordIntentModel } from '../nlu/keyword-model.js';
import { withFallback } from './fallback-intent-model.js';
import { projectPath } from '../paths.js';
import type { Catalog } from '../ports/catalog.js';
import type { IntentModel } from '../ports/intent-model.js';

/** Where the shipped model lives; `npm run train` rebuilds it. */
export const SHIPPED_MODEL_DIR = projectPath('models', 'intent');

/** An intent model the caller owns: `close` frees what loading took (the ONNX session). */
export type OwnedIntentModel = IntentModel & { close(): Promise<void> };

function keyword(catalog: Catalog): OwnedIntentModel {
  return Object.assign(createKeywordIntentModel(catalog), { close: async () => {} });
}

/**
 * The ONNX model when it loads; otherwise the keyword model, with a warning that says why,
 * so a missing or broken model file degrades understanding instead of stopping the robot.
 * `onFailing` is called each time the loaded model fails so often at run time that the keyword
 * model takes over (the `intentModelFailed` alert); the warning says the same in words.
 */
export async function loadIntentModel(dir: string, catalog: Catalog, warn: (message: string) => void, onFailing?: () => void): Promise<OwnedIntentModel> {
  if (!existsSync(dir)) {
    warn(`intent model: no model at ${dir}; using the keyword model`);
    return keyword(catalog);
  }
  try {
    const onnx = await createOnnxIntentModel(dir, catalog);
    // At run time too: a model that starts failing hands each utterance to the keyword model.
    const report = (message: string, change: 'rested' | 'retrying'): void => {
      warn(message);
      if (change === 'rested') onFailing?.();
    };
    return Object.assign(withFallback(onnx, createKeywordIntentModel(catalog), report), { close: () => onnx.close() });
  } catch (error) {
    warn(`intent model: ${(error as Error).message}; using the keyword model`);
    return keyword(catalog);
  }
}

/** What `--intent-model` names: `keyword` for the rule-based model, else a model directory (default: the shipped one). */
export async function intentModelFromOption(
  value: string | undefined,
  catalog: Catalog,
  warn: (message: string) => void,
  onFailing?: () => void,
): Promise<OwnedIntentModel> {
  if (value === 'keyword') return keyword(catalog);
  return loadIntentModel(value ?? SHIPPED_MODEL_DIR, catalog, warn, onFailing);
}
