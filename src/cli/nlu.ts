import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { loadIntentModel, SHIPPED_MODEL_DIR } from '../app/intent-model.js';
import { loadCatalog } from '../civic/catalog.js';
import { readDataset } from '../nlu/dataset.js';
import { assertModelDirUsable, DEFAULT_TRAIN_SETTINGS, IntentRuntime, trainIntentPackage, writeIntentPackage } from '../nlu/intent-package.js';
import { evaluate, type Evaluation } from '../nlu/evaluate.js';
import { intOption, numberOption, parse, progressLine, UsageError } from './args.js';

export const NLU_HELP = `Usage: tiepdan nlu <train|eval|classify> [options]

  tiepdan nlu train --train F --dev F --out DIR [--seed N] [--epochs N] [--dim N] [--buckets N] [--lr X] [--label-smoothing X]
      Trains the intent model on TSV files (text<TAB>label[<TAB>procedure]) and writes
      DIR/model.onnx and DIR/model.json. Deterministic for a seed.
  tiepdan nlu eval --model DIR --test F [--json]
      Accuracy, macro-F1, per-label scores, the worst confusions and latency p50/p99.
  tiepdan nlu classify [--model DIR]
      Reads lines on stdin, prints one JSON object per line:
      {intent, procedure, lang, confidence, alternatives}. Default model: models/intent.

Defaults: seed ${DEFAULT_TRAIN_SETTINGS.seed}, epochs ${DEFAULT_TRAIN_SETTINGS.epochs}, dim ${DEFAULT_TRAIN_SETTINGS.dim}, buckets ${DEFAULT_TRAIN_SETTINGS.buckets},
learning rate ${DEFAULT_TRAIN_SETTINGS.learningRate} (decayed linearly to 0), label smoothing ${DEFAULT_TRAIN_SETTINGS.labelSmoothing ?? 0}, then the intent head temperature-scaled on dev.
The model file is buckets × dim × 4 bytes.`;

function progress(total: number): (epoch: number, loss: number) => void {
  return (epoch, loss) => {
    if (process.stderr.isTTY !== true) return;
    process.stderr.write(`${progressLine('training', epoch / total, `epoch ${epoch}/${total}  loss ${loss.toFixed(3)}`)}${epoch === total ? '\n' : ''}`);
  };
}

async function train(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    train: { type: 'string' },
    dev: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    epochs: { type: 'string' },
    dim: { type: 'string' },
    buckets: { type: 'string' },
    lr: { type: 'string' },
    'label-smoothing': { type: 'string' },
  });
  if (values.help === true) return help();
  if (values.train === undefined || values.dev === undefined || values.out === undefined) throw new UsageError('--train, --dev and --out are required');
  const settings = {
    seed: intOption('seed', values.seed, 0, 2 ** 32 - 1) ?? DEFAULT_TRAIN_SETTINGS.seed,
    epochs: intOption('epochs', values.epochs, 1, 1000) ?? DEFAULT_TRAIN_SETTINGS.epochs,
    dim: intOption('dim', values.dim, 2, 512) ?? DEFAULT_TRAIN_SETTINGS.dim,
    buckets: intOption('buckets', values.buckets, 64, 4_000_000) ?? DEFAULT_TRAIN_SETTINGS.buckets,
    learningRate: numberOption('lr', values.lr, 1e-4, 10) ?? DEFAULT_TRAIN_SETTINGS.learningRate,
    labelSmoothing: numberOption('label-smoothing', values['label-smoothing'], 0, 0.99) ?? DEFAULT_TRAIN_SETTINGS.labelSmoothing ?? 0,
    calibrateConfidence: DEFAULT_TRAIN_SETTINGS.calibrateConfidence ?? false,
  };
  assertModelDirUsable(values.out);
  const train = readDataset(values.train);
  const dev = readDataset(values.dev);
  const start = performance.now();
  const pkg = trainIntentPackage(train, dev, settings, progress(settings.epochs));
  writeIntentPackage(values.out, pkg);
  process.stdout.write(
    `wrote ${values.out}/model.onnx (${(pkg.onnx.length / 1e6).toFixed(2)} MB) and model.json in ${((performance.now() - start) / 1000).toFixed(1)} s; ` +
      `out-of-scope threshold ${pkg.metadata.thresholds.outOfScope} (${pkg.metadata.thresholds.outOfScopeLabel ?? 'no out-of-scope label'})\n`,
  );
  return 0;
}

async function evaluateCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { model: { type: 'string' }, test: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help === true) return help();
  if (values.model === undefined || values.test === undefined) throw new UsageError('--model and --test are required');
  const test = readDataset(values.test);
  const runtime = await IntentRuntime.load(values.model);
  let result: Evaluation;
  try {
    result = await evaluate(test.rows, test.hasSlot, async (text) => {
      const p = await runtime.predict(text);
      return { label: p.intent, slot: p.slot };
    });
  } finally {
    await runtime.close();
  }
  if (values.json === true) {
    const { intent, ...rest } = result;
    process.stdout.write(`${JSON.stringify({ ...rest, intentMacroF1: intent.macroF1, perLabel: intent.perLabel, confusions: intent.confusions })}\n`);
    return 0;
  }
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const slotText = (x: number | null) => (x === null ? '' : `, procedure ${pct(x)}`);
  process.stdout.write(
    [
      `${result.examples} examples from ${values.test}`,
      `intent accuracy ${pct(result.intentAccuracy)}, macro-F1 ${pct(result.intent.macroF1)}${result.slotAccuracy !== null ? `; procedure accuracy ${pct(result.slotAccuracy)}` : ''}`,
      'per language (detected from the text; vi-folded = the Vietnamese lines again without diacritics):',
      ...Object.entries(result.byLanguage).map(([lang, g]) => `  ${lang.padEnd(10)} ${String(g.examples).padStart(5)}  intent ${pct(g.intentAccuracy)}${slotText(g.slotAccuracy)}`),
      `latency per utterance (featurizing included): p50 ${result.latencyMs.p50.toFixed(3)} ms, p99 ${result.latencyMs.p99.toFixed(3)} ms`,
      'per label (precision / recall / F1, support):',
      ...result.intent.perLabel.map((l) => `  ${l.label.padEnd(24)} ${pct(l.precision)} / ${pct(l.recall)} / ${pct(l.f1)}  ${l.support}`),
      'worst confusions (truth -> predicted):',
      ...result.intent.confusions.map((c) => `  ${c.truth} -> ${c.predicted}: ${c.count}`),
      '',
    ].join('\n'),
  );
  return 0;
}

async function classify(argv: string[]): Promise<number> {
  const { values } = parse(argv, { model: { type: 'string' } });
  if (values.help === true) return help();
  const model = await loadIntentModel(values.model ?? SHIPPED_MODEL_DIR, loadCatalog(), (m) => process.stderr.write(`warning: ${m}\n`));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const c = await model.classify(line);
    process.stdout.write(`${JSON.stringify({ intent: c.intent, procedure: c.procedure, lang: c.lang, confidence: Number(c.confidence.toFixed(4)), alternatives: c.alternatives })}\n`);
  }
  return 0;
}

function help(): number {
  process.stdout.write(`${NLU_HELP}\n`);
  return 0;
}

export async function nluCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'train':
      return train(rest);
    case 'eval':
      return evaluateCommand(rest);
    case 'classify':
      return classify(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      return help();
    default:
      throw new UsageError(`unknown subcommand "${sub}"; use train, eval or classify`);
  }
}
