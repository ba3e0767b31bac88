/**
 * English lobby requests, synthesized with espeak-ng and resampled with sox, for the recognition test
 * and the ASR benchmark. The expected intent and procedure are what a person would label them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Intent, IntentModel } from '../../../src/ports/intent-model.js';
import type { SpeechRecognizer } from '../../../src/ports/speech-recognizer.js';

export interface LobbyRequest {
  readonly text: string;
  readonly intent: Intent;
  readonly procedure: string | null;
}

export const LOBBY_REQUESTS: readonly LobbyRequest[] = [
  { text: 'I want to register my marriage', intent: 'ask_procedure', procedure: 'marriage_registration' },
  { text: 'Where do I get a queue number?', intent: 'request_ticket', procedure: null },
  { text: 'How much does a birth certificate cost?', intent: 'ask_fee', procedure: 'birth_registration' },
  { text: 'Yes please', intent: 'affirm', procedure: null },
  { text: 'Take me to the counter', intent: 'request_escort', procedure: null },
  { text: 'What documents do I need for a temporary residence registration?', intent: 'ask_documents', procedure: 'temporary_residence' },
  { text: 'How long does it take to get a construction permit?', intent: 'ask_duration', procedure: 'construction_permit' },
  { text: 'No thank you', intent: 'deny', procedure: null },
  { text: 'I would like to talk to a staff member', intent: 'talk_to_staff', procedure: null },
  { text: 'Can you speak Vietnamese?', intent: 'change_language', procedure: null },
  { text: 'Hello, good morning', intent: 'greet', procedure: null },
  { text: 'Thank you, goodbye', intent: 'goodbye', procedure: null },
  { text: 'How many people are ahead of me?', intent: 'check_queue', procedure: null },
  { text: 'I want to scan my ID card', intent: 'scan_id', procedure: null },
  { text: 'Can you say that again?', intent: 'repeat', procedure: null },
  { text: 'Where is the counter for land certificates?', intent: 'ask_location', procedure: 'land_certificate' },
  { text: 'I need to register a death', intent: 'ask_procedure', procedure: 'death_registration' },
  { text: 'The line is too long and the staff are rude', intent: 'complaint', procedure: null },
  { text: 'I need a certified copy of my documents', intent: 'ask_procedure', procedure: 'copy_certification' },
  { text: 'What is the weather like today?', intent: 'out_of_scope', procedure: null },
];

/**
 * The voices the recognition test runs: espeak-ng's en-us with two Klatt-synthesizer variants. The
 * default en-us formant voice is far from the speech pocketsphinx's acoustic model was trained on
 * (measured word error rate about 50 % against about 13 % with these); the benchmark reports it too.
 */
export const TEST_VOICES = ['en-us+klatt', 'en-us+klatt4'] as const;
export const DEFAULT_VOICE = 'en-us';

export const ESPEAK = '/usr/bin/espeak-ng';
export const SOX = '/usr/bin/sox';

/** `espeak-ng -v VOICE -w` then sox to 16 kHz mono 16-bit (0.8 volume first: the Klatt voices clip). */
export function synthesize(text: string, voice: string): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-asr-'));
  try {
    const wav = join(dir, 'speech.wav');
    execFileSync(ESPEAK, ['-v', voice, '-w', wav, text], { stdio: ['ignore', 'ignore', 'pipe'] });
    const raw = execFileSync(SOX, ['-v', '0.8', wav, '-t', 'raw', '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const samples = new Int16Array(raw.length / 2);
    for (let i = 0; i < samples.length; i += 1) samples[i] = raw.readInt16LE(i * 2);
    return samples;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lower-case words without punctuation, as transcripts are written. */
export const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '');

/** Word-level edit distance (substitutions, insertions, deletions). */
export function wordErrors(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[hypothesis.length]!;
}

/** Errors over reference words, summed over the whole set (not a mean of per-sentence rates). */
export function wordErrorRate(pairs: readonly { readonly reference: string; readonly hypothesis: string }[]): number {
  let errors = 0;
  let total = 0;
  for (const { reference, hypothesis } of pairs) {
    const ref = words(reference);
    errors += wordErrors(ref, words(hypothesis));
    total += ref.length;
  }
  return total === 0 ? 0 : errors / total;
}

export interface RecognitionRow {
  readonly voice: string;
  readonly request: LobbyRequest;
  readonly transcript: string;
  readonly confidence: number;
  /** Wall time of `transcribe` alone (synthesis not included). */
  readonly ms: number;
  readonly intent: string;
  readonly procedure: string | null;
  /** The intent is the expected one, and so is the procedure when the request names one. */
  readonly understood: boolean;
}

export interface RecognitionResult {
  readonly rows: readonly RecognitionRow[];
  readonly wordErrorRate: number;
  readonly intentAccuracy: number;
}

/** Synthesizes every request in every voice, transcribes it, and classifies the transcript. */
export async function measureRecognition(recognizer: SpeechRecognizer, model: IntentModel, voices: readonly string[]): Promise<RecognitionResult> {
  const rows: RecognitionRow[] = [];
  for (const voice of voices) {
    for (const request of LOBBY_REQUESTS) {
      const samples = synthesize(request.text, voice);
      const start = performance.now();
      const transcript = await recognizer.transcribe({ samples, sampleRate: 16_000, lang: 'en' }, { signal: new AbortController().signal });
      const ms = performance.now() - start;
      const c = await model.classify(transcript.text);
      const understood = c.intent === request.intent && (request.procedure === null || c.procedure === request.procedure);
      rows.push({ voice, request, transcript: transcript.text, confidence: transcript.confidence, ms, intent: c.intent, procedure: c.procedure, understood });
    }
  }
  return {
    rows,
    wordErrorRate: wordErrorRate(rows.map((r) => ({ reference: r.request.text, hypothesis: r.transcript }))),
    intentAccuracy: rows.filter((r) => r.understood).length / rows.length,
  };
}
