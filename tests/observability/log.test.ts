import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerRecord } from '../../src/app/controller.js';
import type { MaskedIdRecord } from '../../src/civic/id-card/mask.js';
import { createLog, logRecord, openRotatingFile, REDACTED } from '../../src/observability/log.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiepdan-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

// Synthetic, and deliberately in clear where a record would carry it masked: the logger must not rely on callers.
const NAME = 'NGUYỄN THỊ MINH KHAI';
const ADDRESS = '18 Lý Thường Kiệt, Phường Cửa Nam, Hà Nội';
const ORIGIN = 'Xã Tân Lập, Huyện Đan Phượng';
const ID = '079303001234';
const OLD_ID = '025123456';
const BIRTH = '17/05/1990';
const card = { layout: 'cccd-2024', idNumber: ID, oldIdNumber: OLD_ID, fullName: NAME, dateOfBirth: BIRTH, sex: 'F', address: ADDRESS, issueDate: '01/07/2024', registeredAbroad: false } as unknown as MaskedIdRecord;
const SECRETS = [ID, OLD_ID, NAME, 'MINH KHAI', ADDRESS, 'Lý Thường Kiệt', ORIGIN, BIRTH];

describe('the structured log', () => {
  it('writes one JSON line per controller record with no personal data in clear', () => {
    const dir = tempDir();
    const file = join(dir, 'var', 'log', 'tiepdan.log');
    const log = createLog({ file, bindings: { robotId: 'robot-1' } });
    const records: ControllerRecord[] = [
      { kind: 'state', interaction: 'serving.listening', safety: 'normal', power: 'ok', link: 'up' },
      { kind: 'heard', text: `số căn cước của tôi là ${ID}, số cũ ${OLD_ID}`, lang: 'vi' },
      { kind: 'understood', intent: 'scan_id', procedure: 'marriage_registration', lang: 'vi', confidence: 0.93 },
      { kind: 'said', messageId: 'operator.say', lang: 'vi', text: `Chào chị, số ${ID} đã nhận`, params: { text: `Chào chị, số ${ID} đã nhận` } },
      { kind: 'idRead', procedureId: 'marriage_registration', requestId: 'robot-1-1700000000000-1', cards: [card, card] },
      { kind: 'ticket', number: 'A001', counterId: 'counter-1' },
      { kind: 'error', where: 'readId', message: `card ${ID} could not be sealed` },
    ];
    records.forEach((r, i) => logRecord(log.logger, 10 + i, r));
    // Other callers: a pre-filled form, a nested request, an error, a message with a number in it.
    log.logger.info({ fields: { fullName: NAME, permanentAddress: ADDRESS, placeOfOrigin: ORIGIN } }, 'request pre-filled');
    log.logger.warn({ request: { idNumber: ID, fullName: NAME, dateOfBirth: BIRTH, address: ADDRESS } }, 'request sent to counter');
    log.logger.error({ err: new Error(`sealing failed for ${ID}`) }, 'seal failed for %s', ID);
    log.logger.info(`citizen said ${ID}`);
    log.close();

    const text = readFileSync(file, 'utf8');
    const parsed = lines(file);
    expect(parsed).toHaveLength(records.length + 4);
    expect(parsed.slice(0, records.length).map((l) => l['kind'])).toEqual(records.map((r) => r.kind));
    expect(parsed[0]).toMatchObject({ robotId: 'robot-1', tS: 10, kind: 'state', interaction: 'serving.listening', level: 30 });
    expect(parsed[2]).toMatchObject({ kind: 'understood', intent: 'scan_id', procedure: 'marriage_registration', confidence: 0.93 });
    expect(parsed[4]).toMatchObject({ kind: 'idRead', requestId: 'robot-1-1700000000000-1', cards: [REDACTED, REDACTED] });
    expect(parsed[6]).toMatchObject({ kind: 'error', level: 50 });
    expect(parsed.at(-2)).toMatchObject({ level: 50, err: { type: 'Error', message: 'sealing failed for *********234' }, msg: 'seal failed for *********234' });
    expect(parsed[1]!['text']).toBe('số căn cước của tôi là *********234, số cũ ******456');
    // No 9- to 12-digit run anywhere (the 13-digit `time` is not one), and none of the card's words.
    expect(text.match(/(?<!\d)\d{9,12}(?!\d)/g)).toBeNull();
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);
  });

  it('EXPECTED FAILURE - refuses limits that cannot hold a line', () => {
    const file = join(tempDir(), 'x.log');
    expect(() => openRotatingFile({ file, maxBytes: 100 })).toThrow(/tiepdan log_options: the log size limit must be at least 1024 bytes/);
    expect(() => openRotatingFile({ file, maxFiles: 0 })).toThrow(/tiepdan log_options: keep at least one log file/);
  });
});

describe('log rotation', () => {
  it('keeps at most N files of at most the size limit, newest lines in the current file', () => {
    const dir = tempDir();
    const file = join(dir, 'tiepdan.log');
    const log = createLog({ file, maxBytes: 4096, maxFiles: 3 });
    for (let i = 0; i < 1000; i += 1) log.logger.info({ i, padding: 'x'.repeat(i % 50) }, 'line');
    // One line larger than a file: replaced by a notice, so the limit still holds.
    log.logger.info({ big: 'y'.repeat(10_000) }, 'too big');
    log.logger.info({ i: 1000 }, 'last');
    log.close();
    expect(readdirSync(dir).sort()).toEqual(['tiepdan.log', 'tiepdan.log.1', 'tiepdan.log.2']);
    for (const name of readdirSync(dir)) {
      expect(statSync(join(dir, name)).size, name).toBeLessThanOrEqual(4096);
      expect(() => lines(join(dir, name)), name).not.toThrow();
    }
    const current = lines(file);
    expect(current.at(-1)).toMatchObject({ i: 1000, msg: 'last' });
    expect(current.at(-2)?.['msg']).toMatch(/^a log line of \d+ bytes was longer than the file limit and was dropped$/);
    // In order across files: oldest kept in .2, then .1, then the current file.
    const all = [...lines(`${file}.2`), ...lines(`${file}.1`), ...current].map((l) => l['i']).filter((i) => typeof i === 'number') as number[];
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(all.at(-1)).toBe(1000);
  });

  it('appends to an existing file within the limit, and with one file starts it again', () => {
    const dir = tempDir();
    const file = join(dir, 'tiepdan.log');
    writeFileSync(file, `${JSON.stringify({ msg: 'before' })}\n`);
    const kept = openRotatingFile({ file, maxBytes: 1024, maxFiles: 1 });
    kept.write(`${JSON.stringify({ msg: 'after' })}\n`);
    expect(lines(file).map((l) => l['msg'])).toEqual(['before', 'after']);
    for (let i = 0; i < 100; i += 1) kept.write(`${JSON.stringify({ i, pad: 'z'.repeat(40) })}\n`);
    kept.end();
    expect(readdirSync(dir)).toEqual(['tiepdan.log']);
    expect(statSync(file).size).toBeLessThanOrEqual(1024);
    expect(lines(file).at(-1)).toMatchObject({ i: 99 });
  });

  it('keeps the controller running when the disk fails: lines are dropped and the failure reported once', () => {
    const dir = tempDir();
    const file = join(dir, 'logs', 'tiepdan.log');
    const errors: Error[] = [];
    const out = openRotatingFile({ file, maxBytes: 1024, maxFiles: 2, onError: (e) => errors.push(e) });
    rmSync(join(dir, 'logs'), { recursive: true });
    for (let i = 0; i < 100; i += 1) expect(out.write(`${JSON.stringify({ i, pad: 'z'.repeat(40) })}\n`)).toBe(true);
    out.end();
    expect(errors).toHaveLength(1);
    expect(out.dropped).toBeGreaterThan(0);
    expect(existsSync(file)).toBe(false);
  });
});
