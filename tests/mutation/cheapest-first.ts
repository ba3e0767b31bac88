import { BaseSequencer, type Reporter, type TestModule, type TestSpecification } from 'vitest/node';

/**
 * Test files in order of what they cost, cheapest first, for mutation runs. Stryker stops a mutant's
 * run at its first failing test, and vitest's own order puts the slowest files first (best for a
 * full suite on many workers, worst here): a mutant the unit tests kill would wait for the model
 * search or a speech test first. The cost is a file's whole time (import, collection, tests), the
 * most seen in this process: the dry run times every file in full, later runs filter tests by name.
 */
const secondsOf = new Map<string, number>();

/** Records what each test file took. */
export class FileCostReporter implements Reporter {
  onTestModuleEnd(module: TestModule): void {
    const d = module.diagnostic();
    const seconds = (d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration) / 1000;
    secondsOf.set(module.moduleId, Math.max(seconds, secondsOf.get(module.moduleId) ?? 0));
  }
}

/** Cheapest known file first; files not timed yet keep vitest's order, before the timed ones. */
export class CheapestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const cost = (spec: TestSpecification) => secondsOf.get(spec.moduleId) ?? -1;
    return base.map((spec, i) => ({ spec, i })).sort((a, b) => cost(a.spec) - cost(b.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}
