import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { loadCatalog } from '../../../src/civic/catalog.js';
import { defaultCounterLabel, renderMessage, type MessageContext } from '../../../src/messages/catalogue.js';
import type { Lang } from '../../../src/ports/common.js';
import type { SpeechRate, SpeechRequest } from '../../../src/ports/speaker.js';
import type { MessageId, SpeakParams } from '../../../statecharts/guide.types.js';
import { systemTool } from '../../system.js';

export const SOX = '/usr/bin/sox';
export const soxTool = systemTool(SOX, 'sox');

const ctx: MessageContext = { catalog: loadCatalog(), counterLabel: defaultCounterLabel };

/** A request carrying a real sentence from the message catalogue. */
export function catalogueRequest(messageId: MessageId, lang: Lang, rate: SpeechRate = 'normal', params: SpeakParams = {}): SpeechRequest {
  return { text: renderMessage(messageId, lang, params, ctx), lang, messageId, rate };
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory, removed when the test file ends. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tiepdan-${name}-`));
  tempDirs.push(dir);
  return dir;
}

export interface SoxStat {
  readonly lengthS: number;
  readonly rmsAmplitude: number;
}

/** `sox FILE -n stat` (it reports on stderr). */
export function soxStat(file: string): SoxStat {
  const run = spawnSync(SOX, [file, '-n', 'stat'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sox stat failed on ${file}: ${run.stderr}`);
  const report = run.stderr;
  const field = (label: string): number => {
    const match = new RegExp(`^${label}:\\s*(-?[0-9.]+)`, 'mu').exec(report);
    if (match === null) throw new Error(`sox stat has no "${label}" for ${file}:\n${report}`);
    return Number(match[1]);
  };
  return { lengthS: field('Length \\(seconds\\)'), rmsAmplitude: field('RMS\\s+amplitude') };
}

/** Speech, not silence, and as long as the text: between 0.03 and 0.3 seconds a character. */
export function expectSpokenWav(file: string, text: string): SoxStat {
  const stat = soxStat(file);
  expect(stat.rmsAmplitude, `${file} RMS amplitude`).toBeGreaterThan(0.01);
  const perChar = stat.lengthS / [...text].length;
  expect(perChar, `${file}: ${stat.lengthS} s for ${[...text].length} characters`).toBeGreaterThan(0.03);
  expect(perChar, `${file}: ${stat.lengthS} s for ${[...text].length} characters`).toBeLessThan(0.3);
  return stat;
}

/** Whether a process with this id still exists (a zombie counts: it has not been reaped). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
