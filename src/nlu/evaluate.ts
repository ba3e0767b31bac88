import { performance } from 'node:perf_hooks';
import type { LabelledText } from './dataset.js';
import { percentile } from '../stats.js';
import { score, type Scores } from './metrics.js';
import { detectLanguage, foldDiacritics } from './normalize.js';

/** What a classifier says about one text, reduced to what evaluation compares. */
export interface Guess {
  readonly label: string;
  /** Empty when no slot (procedure) is named. */
  readonly slot: string;
}

export interface GroupFigures {
  readonly examples: number;
  readonly intentAccuracy: number;
  /** Null when the data has no slot column. */
  readonly slotAccuracy: number | null;
}

export interface Evaluation extends GroupFigures {
  readonly intent: Scores;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /**
   * By the language the text is written in (detected from its script and words, since the data
   * carries no language column), plus "vi-folded": every Vietnamese line again with its diacritics
   * removed, the way many citizens type and some recognisers write.
   */
  readonly byLanguage: Readonly<Record<string, GroupFigures>>;
}

function figures(rows: readonly LabelledText[], guesses: readonly Guess[], hasSlot: boolean): GroupFigures {
  const right = (pick: (r: LabelledText, g: Guess) => boolean) => rows.filter((r, i) => pick(r, guesses[i]!)).length / Math.max(1, rows.length);
  return {
    examples: rows.length,
    intentAccuracy: right((r, g) => r.label === g.label),
    slotAccuracy: hasSlot ? right((r, g) => r.slot === g.slot) : null,
  };
}

/** Classifies every row (one at a time, timing each call) and scores the answers overall and per language. */
export async function evaluate(rows: readonly LabelledText[], hasSlot: boolean, classify: (text: string) => Promise<Guess>): Promise<Evaluation> {
  const guesses: Guess[] = [];
  const latencies: number[] = [];
  for (const row of rows) {
    const start = performance.now();
    guesses.push(await classify(row.text));
    latencies.push(performance.now() - start);
  }
  const langs = rows.map((r) => detectLanguage(r.text).lang);
  const byLanguage: Record<string, GroupFigures> = {};
  for (const lang of ['vi', 'en', 'ko'] as const) {
    const idx = langs.flatMap((l, i) => (l === lang ? [i] : []));
    if (idx.length === 0) continue;
    byLanguage[lang] = figures(
      idx.map((i) => rows[i]!),
      idx.map((i) => guesses[i]!),
      hasSlot,
    );
  }
  const vi = rows.filter((_, i) => langs[i] === 'vi');
  if (vi.length > 0) {
    const folded = vi.map((r) => ({ ...r, text: foldDiacritics(r.text) }));
    const foldedGuesses: Guess[] = [];
    for (const row of folded) foldedGuesses.push(await classify(row.text));
    byLanguage['vi-folded'] = figures(folded, foldedGuesses, hasSlot);
  }
  return {
    ...figures(rows, guesses, hasSlot),
    intent: score(
      rows.map((r) => r.label),
      guesses.map((g) => g.label),
    ),
    latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    byLanguage,
  };
}
