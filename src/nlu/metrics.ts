export interface LabelScore {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface Scores {
  readonly accuracy: number;
  readonly macroF1: number;
  readonly perLabel: readonly LabelScore[];
  /** Most frequent (truth → predicted) mistakes, most common first. */
  readonly confusions: readonly { readonly truth: string; readonly predicted: string; readonly count: number }[];
}

export function score(truth: readonly string[], predicted: readonly string[], maxConfusions = 10): Scores {
  const labels = [...new Set([...truth, ...predicted])].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const confusions = new Map<string, number>();
  let correct = 0;
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    if (t === p) {
      correct += 1;
      tp.set(t, (tp.get(t) ?? 0) + 1);
    } else {
      fp.set(p, (fp.get(p) ?? 0) + 1);
      fn.set(t, (fn.get(t) ?? 0) + 1);
      const key = `${t}\u0000${p}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
    }
  });
  const perLabel = labels.map((label) => {
    const a = tp.get(label) ?? 0;
    const precision = a + (fp.get(label) ?? 0) === 0 ? 0 : a / (a + (fp.get(label) ?? 0));
    const recall = a + (fn.get(label) ?? 0) === 0 ? 0 : a / (a + (fn.get(label) ?? 0));
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support: a + (fn.get(label) ?? 0) };
  });
  const supported = perLabel.filter((l) => l.support > 0);
  return {
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1: supported.length === 0 ? 0 : supported.reduce((s, l) => s + l.f1, 0) / supported.length,
    perLabel,
    confusions: [...confusions]
      .map(([key, count]) => {
        const [t, p] = key.split('\u0000') as [string, string];
        return { truth: t, predicted: p, count };
      })
      .sort((a, b) => b.count - a.count || (a.truth < b.truth ? -1 : 1))
      .slice(0, maxConfusions),
  };
}
