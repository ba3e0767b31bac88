import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeRecord } from '../../src/cli/start.js';
import { maskTranscript } from '../../src/console/controller-backend.js';
import { forConsole } from '../../src/console/lobby-console.js';
import { createLog, logRecord } from '../../src/observability/log.js';
import { composedRig } from './privacy-rig.js';

const dir = mkdtempSync(join(tmpdir(), 'tiepdan-privacy-transcripts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Invented numbers and dates, said the ways people say them, each with the digits that must not survive. */
const SAID: readonly [string, string][] = [
  ['số căn cước 079 185 001 234 ạ', '079185001234'],
  ['số của em là 0791-8500-1234', '079185001234'],
  ['em sinh 15/03/1985', '15031985'],
  ['ngày sinh 5/3/1985', '531985'],
  ['born 15-03-1985', '15031985'],
  ['date 1985-03-15', '19850315'],
  ['tôi sinh ngày 15 tháng 3 năm 1985', '1531985'],
  ['số ０７９１８５００１２３４', '079185001234'],
  ['số cũ 025.123.456', '025123456'],
];

/** The digits left in a text, full-width ones read as digits. */
const digitsOf = (text: string) => text.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)).replace(/\D/g, '');

describe('personal data said aloud is masked the same way on the console, in the log and in the terminal', () => {
  it.each(SAID)('%s', (text, secret) => {
    const masked = maskTranscript(text);
    const left = digitsOf(masked);
    // At most the last three digits may stay, and never the year.
    expect(left.length, masked).toBeLessThanOrEqual(3);
    expect(secret.endsWith(left) || left === '', masked).toBe(true);
    const record = { kind: 'heard' as const, text, lang: 'vi' as const };
    expect(digitsOf(describeRecord(record) ?? '').length, 'terminal').toBeLessThanOrEqual(3);
    expect(digitsOf(JSON.stringify(forConsole(record))).length, 'console').toBeLessThanOrEqual(3);
  });

  it('the log file holds none of it', () => {
    const file = join(dir, 'said.log');
    const log = createLog({ file });
    for (const [text] of SAID) logRecord(log.logger, 1, { kind: 'heard', text, lang: 'vi' });
    log.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    for (const line of lines) expect(digitsOf(line).length, line).toBeLessThanOrEqual(3);
  });

  it('names and street learned from the card are masked for the rest of the conversation, and forgotten after it', async () => {
    const r = composedRig();
    r.citizenAtHome();
    await r.composed.start();
    for (const text of ['birth certificate for my baby', 'yes', 'yes']) await r.answer(text);
    const card = r.cards[0]!;
    const [surname, middle, given] = card.name.split(' ') as [string, string, string];
    const street = card.address.split(',')[0]!;
    await r.answer('yes', 'escorting');
    r.listener.push({ text: `tôi là ${card.name}, nhà ở ${street}` });
    await r.run(1);
    const lastHeard = () => r.records.filter((x) => x.kind === 'heard').map((x) => (x.kind === 'heard' ? x.text : '')).at(-1)!;
    const told = lastHeard();
    for (const part of [surname, middle, given, street, ...street.split(' ').filter((w) => /^\p{L}{2,}$/u.test(w))]) {
      expect(told, `"${part}" in clear`).not.toContain(part);
    }
    // Lower case and without diacritics, as a recogniser may write it.
    const plain = card.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
    r.listener.push({ text: `em ${plain} day` });
    await r.run(1);
    expect(lastHeard()).toBe(`em ${'*'.repeat(plain.split(' ')[0]!.length)} ${'*'.repeat(plain.split(' ')[1]!.length)} ${'*'.repeat(plain.split(' ')[2]!.length)} day`);
    // The conversation ends: what it learned goes with it.
    await r.waitFor('"interaction":"idle"', 900);
    r.listener.push({ text: `${given} ơi` });
    await r.run(1);
    expect(lastHeard()).toBe(`${given} ơi`);
    await r.composed.stop();
  });
});
