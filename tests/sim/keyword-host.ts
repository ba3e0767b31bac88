import { inProcessHost, type InProcessHostOptions } from '../../src/app/in-process-host.js';
import type { ControllerHost } from '../../src/app/lobby-host.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';

/** The controller in the test's process with the keyword model, as most simulator tests run it. */
export function keywordHost(options: Partial<InProcessHostOptions> = {}): ControllerHost {
  const catalog = options.catalog ?? loadCatalog();
  return inProcessHost({ intentModel: createKeywordIntentModel(catalog), catalog, ...options });
}
