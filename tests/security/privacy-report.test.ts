import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../src/paths.js';
import { syntheticCards } from '../../sim/id-cards.js';

/** These run the built CLI (npx tsc -p tsconfig.json first), as an operator would. */
const MAIN = projectPath('dist', 'src', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-privacy-report-'));
const db = join(dir, 'var', 'tiepdan.db');
const log = join(dir, 'var', 'log', 'tiepdan.log');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TIEPDAN_')));

const tiepdan = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { env, encoding: 'utf8', timeout: 120_000 });
let started: ReturnType<typeof tiepdan>;

beforeAll(() => {
  // A day of the ID-scan scenario through `tiepdan start`: database, log and key as on a first start.
  started = tiepdan('start', '--scenario', projectPath('sim', 'scenarios', 'id-scans.yaml'), '--speed', '2000', '--seed', '1', '--port', '0', '--db', db, '--log', log);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tiepdan start keeps what it writes private', () => {
  it('generates a key file beside the database on first start, says so, and keeps every file 0600', () => {
    expect(started.status, started.stderr).toBe(0);
    expect(started.stdout).toMatch(/data key: generated .*tiepdan\.key/);
    for (const file of [db, `${db}-wal`, `${db}-shm`, log, join(dir, 'var', 'tiepdan.key')].filter(existsSync)) {
      expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
    }
  });
});

describe('tiepdan privacy report', () => {
  it('finds nothing after a day of ID scans, and exits 0', () => {
    const report = tiepdan('privacy', 'report', '--db', db, '--log', log);
    expect(report.stdout + report.stderr).toMatch(/nothing/);
    expect(report.status).toBe(0);
  });

  it('finds a clear ID number planted in the log and a name in a console stream, shows them masked, and exits 1', () => {
    const card = syntheticCards(1, 99)[0]!;
    const spaced = `${card.id.slice(0, 3)} ${card.id.slice(3, 6)} ${card.id.slice(6, 9)} ${card.id.slice(9)}`;
    appendFileSync(log, `${JSON.stringify({ level: 30, msg: 'heard', text: `số ${spaced}` })}\n`);
    const stream = join(dir, 'console.jsonl');
    writeFileSync(stream, `${JSON.stringify({ type: 'record', record: { kind: 'heard', text: `tôi là ${card.name}` } })}\n`);
    const names = join(dir, 'names.txt');
    writeFileSync(names, `${card.name}\n`);
    const report = tiepdan('privacy', 'report', '--db', db, '--log', log, '--stream', stream, '--names', names);
    expect(report.status).toBe(1);
    expect(report.stdout).toContain(`${log}:`);
    expect(report.stdout).toContain(`${stream}:1`);
    expect(report.stdout).toMatch(/ID number/);
    expect(report.stdout).toMatch(/name/);
    expect(report.stdout + report.stderr).not.toContain(card.id.slice(0, 9));
    expect(report.stdout + report.stderr).not.toContain(card.name);
  });

  it('explains itself with --help', () => {
    const help = tiepdan('privacy', 'report', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: tiepdan privacy report/);
  });
});
