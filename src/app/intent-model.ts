import { existsSync } from 'node:fs';
import { createOnnxIntentModel } from '../adapters/onnx/onnx-intent-model.js';
import { createKeywordIntentModel } from '../nlu/keyword-model.js';
import { projectPath } from '../paths.js';
import type { Catalog } from '../ports/catalog.js';
import type { IntentModel } from '../ports/intent-model.js';

/** Where the shipped model lives; `npm run train` rebuilds it. */
export const SHIPPED_MODEL_DIR = projectPath('models', 'intent');

/**
 * The ONNX model when it loads; otherwise the keyword model, with a warning that says why,
 * so a missing or broken model file degrades understanding instead of stopping the robot.
 */
export async function loadIntentModel(dir: string, catalog: Catalog, warn: (message: string) => void): Promise<IntentModel> {
  if (!existsSync(dir)) {
    warn(`intent model: no model at ${dir}; using the keyword model`);
    return createKeywordIntentModel(catalog);
  }
  try {
    return await createOnnxIntentModel(dir, catalog);
  } catch (error) {
    warn(`intent model: ${(error as Error).message}; using the keyword model`);
    return createKeywordIntentModel(catalog);
  }
}
