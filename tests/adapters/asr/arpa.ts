/** An independent reader of ARPA files, to check what domain-lm.ts writes by what the format means. */

export interface ArpaModel {
  readonly order: number;
  /** Declared counts from the `\data\` header, per order. */
  readonly declared: readonly number[];
  /** Per order (index n - 1): n-gram key -> { log10 prob, log10 back-off (0 when absent) }. */
  readonly grams: readonly Map<string, { readonly logProb: number; readonly logBackoff: number; readonly hasBackoff: boolean }>[];
}

export function parseArpa(text: string): ArpaModel {
  const lines = text.split('\n');
  if (lines[0] !== '\\data\\') throw new Error('ARPA: first line is not \\data\\');
  const declared: number[] = [];
  let i = 1;
  for (; i < lines.length && lines[i] !== ''; i += 1) {
    const m = /^ngram (\d+)=(\d+)$/.exec(lines[i]!);
    if (!m || Number(m[1]) !== declared.length + 1) throw new Error(`ARPA: bad header line ${i + 1}: ${lines[i]}`);
    declared.push(Number(m[2]));
  }
  const order = declared.length;
  const grams: ArpaModel['grams'][number][] = [];
  let n = 0;
  for (; i < lines.length; i += 1) {
    const line = lines[i]!;
    if (line === '') continue;
    if (line === '\\end\\') {
      if (n !== order) throw new Error('ARPA: \\end\\ before every order');
      return { order, declared, grams };
    }
    const section = /^\\(\d+)-grams:$/.exec(line);
    if (section) {
      n = Number(section[1]);
      if (n !== grams.length + 1) throw new Error(`ARPA: section ${n} out of order`);
      grams.push(new Map());
      continue;
    }
    const fields = line.split('\t');
    if (n === 0) throw new Error(`ARPA: line ${i + 1} outside a section`);
    const expected = n < order ? [2, 3] : [2];
    if (!expected.includes(fields.length)) throw new Error(`ARPA: line ${i + 1} has ${fields.length} fields`);
    const words = fields[1]!.split(' ');
    if (words.length !== n) throw new Error(`ARPA: line ${i + 1} is not a ${n}-gram`);
    const logProb = Number(fields[0]);
    const logBackoff = fields.length === 3 ? Number(fields[2]) : 0;
    if (!Number.isFinite(logProb) || !Number.isFinite(logBackoff)) throw new Error(`ARPA: line ${i + 1} has a non-number`);
    grams[n - 1]!.set(fields[1]!, { logProb, logBackoff, hasBackoff: fields.length === 3 });
  }
  throw new Error('ARPA: no \\end\\');
}

/** p(word | history) by the back-off rule, for a history of any length (longer ones are cut). */
export function probability(model: ArpaModel, history: readonly string[], word: string): number {
  const h = history.slice(Math.max(0, history.length - (model.order - 1)));
  let logBackoff = 0;
  for (let start = 0; start <= h.length; start += 1) {
    const context = h.slice(start);
    const gram = model.grams[context.length]!.get([...context, word].join(' '));
    if (gram) return 10 ** (logBackoff + gram.logProb);
    logBackoff += model.grams[context.length - 1]?.get(context.join(' '))?.logBackoff ?? 0;
  }
  return 0;
}

/** Every word the model predicts: its unigrams except `<s>`. */
export function predictedVocabulary(model: ArpaModel): string[] {
  return [...model.grams[0]!.keys()].filter((w) => w !== '<s>');
}
