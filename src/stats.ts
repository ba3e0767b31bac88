/**
 * The project's one definition of the summary statistics that reports, benchmarks and the
 * simulator's `--json` summary print, so one figure means the same thing wherever it appears.
 */

/**
 * The nearest-rank percentile: the smallest value with at least `q` of the values at or below it,
 * always one of the values and never interpolated between two. It is the definition of the
 * simulator's `--json` summary (`p95TimeToCounterS`), of the HTML report and of the NLU latencies;
 * a figure that only says "p95" must not change with the tool that printed it.
 *
 * `values` need not be sorted (a sorted copy is taken); `q` is a fraction in [0, 1]. Returns 0 for
 * no values, so an empty run prints a number rather than a gap in a JSON summary.
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

/**
 * Arithmetic mean, summed left to right (the order matters in the last bit, and summaries compared
 * across versions must match exactly). Returns 0 for no values, like `percentile`.
 */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Rounded to 0.1: the resolution of every seconds figure in the summaries. */
export const round1 = (x: number): number => Math.round(x * 10) / 10;
