import { AudioListener } from '../adapters/audio/audio-listener.js';
import { arecordSource, wavFileSource, type FrameSource } from '../adapters/audio/frame-source.js';
import { SileroVad, VAD_FRAME_SAMPLES } from '../adapters/audio/silero-vad.js';
import { createPocketsphinxRecognizer } from '../adapters/asr/pocketsphinx.js';
import { createSherpaOnnxRecognizer } from '../adapters/asr/sherpa-onnx.js';
import { boundedRecognizer } from '../app/bounded-recognizer.js';
import { intentModelFromOption } from '../app/intent-model.js';
import { NODE_TIMERS } from '../app/watchdog-alerts.js';
import { loadCatalog } from '../civic/catalog.js';
import { maskTranscript } from '../console/controller-backend.js';
import { LANGS, type Lang } from '../ports/common.js';
import type { SpeechRecognizer } from '../ports/speech-recognizer.js';
import { interruptible, parse, UsageError } from './args.js';

export const LISTEN_HELP = `Usage: tiepdan listen (--wav FILE | --mic [--device D]) [--asr pocketsphinx | --asr sherpa --model-dir DIR]
                      [--lang vi|en|ko] [--intent-model DIR|keyword]

Runs the robot's ears on a recording or the microphone: Silero VAD finds speech, the recogniser
turns it into words, the intent model says what they mean. Prints one JSON object per utterance:
{startMs, endMs, text, lang, confidence, intent, procedure, intentConfidence}. Long digit runs are
masked in the text. Ctrl-C stops listening.

Options:
  --wav FILE       a WAV file, 16 kHz mono 16-bit (convert with sox IN -r 16000 -c 1 -b 16 OUT.wav)
  --mic            the default ALSA microphone, through arecord (Debian package alsa-utils)
  --device D       an ALSA capture device for --mic, such as plughw:1,0
  --asr NAME       pocketsphinx (default; English, with the lobby's language model) or sherpa
  --model-dir DIR  for --asr sherpa: an unpacked sherpa-onnx model directory for --lang
  --lang L         the language spoken (default en; sherpa models exist for vi and ko)
  --intent-model DIR|keyword  default models/intent, the shipped model
  -h, --help       show this help`;

export async function listenCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    wav: { type: 'string' },
    mic: { type: 'boolean' },
    device: { type: 'string' },
    asr: { type: 'string' },
    'model-dir': { type: 'string' },
    lang: { type: 'string' },
    'intent-model': { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(`${LISTEN_HELP}\n`);
    return 0;
  }
  if ((values.wav === undefined) === (values.mic !== true)) throw new UsageError('give exactly one of --wav FILE and --mic');
  const lang = (values.lang ?? 'en') as Lang;
  if (!LANGS.includes(lang)) throw new UsageError(`--lang must be one of ${LANGS.join(', ')}`);
  const asrName = values.asr ?? 'pocketsphinx';
  if (asrName !== 'pocketsphinx' && asrName !== 'sherpa') throw new UsageError('--asr must be pocketsphinx or sherpa');
  if (asrName === 'pocketsphinx' && lang !== 'en') throw new UsageError('pocketsphinx has an English model only; use --asr sherpa --model-dir DIR for vi or ko');
  if (asrName === 'sherpa' && values['model-dir'] === undefined) throw new UsageError('--asr sherpa needs --model-dir DIR');

  const catalog = loadCatalog();
  const source: FrameSource = values.wav !== undefined ? wavFileSource(values.wav, VAD_FRAME_SAMPLES) : arecordSource(VAD_FRAME_SAMPLES, values.device !== undefined ? { device: values.device } : {});
  const engine: SpeechRecognizer =
    asrName === 'pocketsphinx' ? await createPocketsphinxRecognizer({ catalog }) : await createSherpaOnnxRecognizer({ models: [{ lang, dir: values['model-dir']! }] });
  const recognizer = boundedRecognizer(engine, {
    clock: NODE_TIMERS,
    onHung: ({ boundMs }) => process.stderr.write(`watchdog asrHung: ${engine.name} gave no transcript within ${Math.round(boundMs)} ms and was stopped\n`),
  });
  const intentModel = await intentModelFromOption(values['intent-model'], catalog, (m) => process.stderr.write(`warning: ${m}\n`));
  const vad = await SileroVad.load();
  const interrupt = interruptible();
  let failed = false;
  const pending: Promise<void>[] = [];
  try {
    const listener = new AudioListener(source, vad, recognizer, {
      lang,
      onError: (where, error) => {
        failed = true;
        process.stderr.write(`${where}: ${error instanceof Error ? error.message : String(error)}\n`);
      },
      onTranscribed: (segment, _timing, text) => {
        if (text.trim() === '') return;
        pending.push(
          intentModel.classify(text).then((c) => {
            const line = { startMs: Math.round(segment.startMs), endMs: Math.round(segment.endMs), text: maskTranscript(text), lang, intent: c.intent, procedure: c.procedure, intentConfidence: Number(c.confidence.toFixed(3)) };
            process.stdout.write(`${JSON.stringify(line)}\n`);
          }),
        );
      },
    });
    interrupt.signal.addEventListener('abort', () => void listener.close(), { once: true });
    await listener.finished();
    await Promise.all(pending);
    process.stderr.write(`${listener.stats.segments} utterances, ${listener.stats.misfires} short noises ignored\n`);
    return failed ? 1 : 0;
  } finally {
    interrupt.dispose();
    await vad.close();
    await recognizer.close();
    await intentModel.close();
  }
}
