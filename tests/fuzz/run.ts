/**
 * `npm run fuzz`: random and mutated input at every edge, counted. Each edge must answer bad input
 * with its own clear error (a TiepdanError, a refusal, an error reply), never crash; the live
 * controller must still be running after its websocket took the lot. Prints one line per edge.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { validateUtterance } from '../../src/adapters/text/text-listener.js';
import { loadIntentModel, SHIPPED_MODEL_DIR } from '../../src/app/intent-model.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { parseIdQr } from '../../src/civic/id-card/qr-text.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { startLiveLobby } from '../../src/cli/live-lobby.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { projectPath } from '../../src/paths.js';
import { TiepdanError } from '../../src/ports/errors.js';
import { openDatabase } from '../../src/store/database.js';
import { parseMap } from '../../src/maps/map.js';
import { qrText, syntheticCards } from '../../sim/id-cards.js';
import { loadScenario, parseScenario } from '../../sim/scenario.js';

const RUNS = Number(process.env['TIEPDAN_FUZZ_RUNS'] ?? 10_000);
const seed = Number(process.env['TIEPDAN_FUZZ_SEED'] ?? 20261127);

/** Random text with the characters that break parsers: separators, quotes, controls, Hangul, Vietnamese marks. */
const nasty = fc.string({ unit: fc.constantFrom(...'|\t\r\n"\'\\{}[]:,0123456789aăâđêôơưAĐ혼인 \u0000\u001f\u202e\ud83d\ude00'.split('')), maxLength: 300 });
/** A valid-looking thing with a few characters changed, dropped or doubled. */
const mutate = (base: string) =>
  fc.array(fc.tuple(fc.nat({ max: Math.max(0, base.length - 1) }), fc.constantFrom('drop', 'dup', 'swap'), fc.string({ maxLength: 3 })), { maxLength: 6 }).map((edits) => {
    let s = base;
    for (const [at, kind, text] of edits) {
      const i = Math.min(at, s.length);
      s = kind === 'drop' ? s.slice(0, i) + s.slice(i + 1) : kind === 'dup' ? s.slice(0, i) + s.slice(i, i + 5) + s.slice(i) : s.slice(0, i) + text + s.slice(i + 1);
    }
    return s;
  });

interface Tally {
  tried: number;
  refused: number;
  crashed: string[];
}

function edge(name: string, tally: Tally): void {
  process.stdout.write(`  ${name.padEnd(34)} ${tally.tried} tried, ${tally.refused} refused with a clear error, ${tally.crashed.length} crashed\n`);
  for (const c of tally.crashed.slice(0, 3)) process.stdout.write(`    crash: ${c}\n`);
}

/** Runs `check` on each sample; a TiepdanError is a clear refusal, anything else thrown is a crash. */
function fuzz<T>(arb: fc.Arbitrary<T>, check: (value: T) => boolean | void): Tally {
  const tally: Tally = { tried: 0, refused: 0, crashed: [] };
  for (const value of fc.sample(arb, { numRuns: RUNS, seed })) {
    tally.tried += 1;
    try {
      if (check(value) === false) tally.refused += 1;
    } catch (error) {
      if (error instanceof TiepdanError) tally.refused += 1;
      else tally.crashed.push(error instanceof Error ? error.message.slice(0, 120) : String(error));
    }
  }
  return tally;
}

process.stdout.write(`tiepdan fuzz (${RUNS} samples per edge, seed ${seed})\n`);

// QR text of ID cards: random, and mutations of a valid 2021 CCCD and a 2024 Căn cước (synthetic).
const cards = syntheticCards(8, 7).map(qrText);
const valid = cards.filter((text) => parseIdQr(text).ok).length;
const qr = fuzz(fc.oneof(nasty, fc.constantFrom(...cards).chain(mutate)), (text) => parseIdQr(text).ok);
edge(`QR text (parseIdQr; ${valid}/${cards.length} seeds valid)`, qr);

// Utterances: validated at the edge, then classified by both models.
const catalog = loadCatalog();
const keyword = createKeywordIntentModel(catalog);
const onnx = await loadIntentModel(SHIPPED_MODEL_DIR, catalog, () => {});
const utteranceTally: Tally = { tried: 0, refused: 0, crashed: [] };
for (const text of fc.sample(fc.oneof(nasty, fc.string({ maxLength: 2000 }), fc.constant(''), fc.string({ minLength: 10_000, maxLength: 10_050 })), { numRuns: RUNS, seed })) {
  utteranceTally.tried += 1;
  try {
    const u = validateUtterance({ text, source: 'kiosk' });
    await keyword.classify(u.text);
    await onnx.classify(u.text);
  } catch (error) {
    if (error instanceof TiepdanError) utteranceTally.refused += 1;
    else utteranceTally.crashed.push(error instanceof Error ? error.message.slice(0, 120) : String(error));
  }
}
edge('utterances (validate + classify)', utteranceTally);
await onnx.close();

// Scenario and map files: mutations of the shipped ones, and random YAML-ish text.
const scenarioFile = projectPath('sim', 'scenarios', 'morning-rush.yaml');
const scenarioText = readFileSync(scenarioFile, 'utf8');
const scenarios = fuzz(fc.oneof(nasty, mutate(scenarioText)), (text) => void parseScenario(scenarioFile, text));
edge('scenario files (parseScenario)', scenarios);
const mapFile = projectPath('sim', 'maps', 'test-room.yaml');
const mapText = readFileSync(mapFile, 'utf8');
const image = readFileSync(projectPath('sim', 'maps', 'test-room.pgm'));
const maps = fuzz(fc.oneof(nasty, mutate(mapText), fc.tuple(fc.nat({ max: image.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => ({ at, byte }))), (input) => {
    if (typeof input === 'string') return void parseMap(mapFile, input, () => image);
    const damaged = Buffer.from(image);
    damaged[input.at] = input.byte;
    return void parseMap(mapFile, mapText, () => damaged);
  });
edge('map files (parseMap)', maps);

// Websocket messages, to the live controller on the simulated lobby.
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-fuzz-'));
const stop = new AbortController();
const database = openDatabase(join(dir, 'fuzz.db'));
const lobby = await startLiveLobby({
  scenario: loadScenario(projectPath('sim', 'scenarios', 'lobby-live.yaml')),
  intentModel: keyword,
  catalog,
  queue: createMemoryQueue(),
  database,
  dataKey: randomBytes(32),
  host: '127.0.0.1',
  port: 0,
  speed: 20,
  webRoot: null,
  signal: stop.signal,
  // The flood limits are tested elsewhere; here every frame must reach the parser.
  limits: { messagesPerSecond: 1_000_000, maxStrikes: 1_000_000 },
});
lobby.users.add('fuzz', 'operator', 'fuzz password 1');
await lobby.started;
const res = await fetch(`${lobby.server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'fuzz', password: 'fuzz password 1' }) });
const ws = new WebSocket(`${lobby.server.url.replace('http', 'ws')}/ws`, { headers: { cookie: res.headers.get('set-cookie')!.split(';')[0]!, origin: lobby.server.url } });
let errors = 0;
let results = 0;
await new Promise<void>((resolve) => ws.once('open', () => resolve()));
ws.on('message', (data) => {
  const m = JSON.parse(String(data)) as { type: string };
  if (m.type === 'error') errors += 1;
  if (m.type === 'command.result') results += 1;
});
const base = { v: 1, robotId: 'robot-1', requestId: 'f' };
const frames = fc.sample(
  fc.oneof(
    nasty,
    fc.json(),
    fc.jsonValue().map((v) => JSON.stringify({ ...base, type: 'robot.say', text: v, lang: 'en' })),
    fc.constantFrom('robot.sendTo', 'citizen.say', 'queue.callNext', 'request.open', 'alert.ack', 'citizen.selectProcedure').chain((type) =>
      fc.dictionary(fc.constantFrom('placeId', 'text', 'counterId', 'ticketNumber', 'alertId', 'procedureId', 'lang', 'extra'), fc.oneof(nasty, fc.integer(), fc.constant(null))).map((fields) => JSON.stringify({ ...base, type, ...fields })),
    ),
  ),
  { numRuns: RUNS, seed },
);
for (const f of frames) ws.send(f);
// Every frame is answered: an error reply or a command result.
for (let waited = 0; errors + results < frames.length && waited < 30_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
const health = await fetch(`${lobby.server.url}/health`).then((r) => r.json() as Promise<{ ok: boolean }>);
process.stdout.write(
  `  ${'websocket frames (live controller)'.padEnd(34)} ${frames.length} sent, ${errors} answered with an error, ${results} with a command result, ` +
    `server ${health.ok ? 'up' : 'DOWN'}, controller ${lobby.server.clients() === 1 ? 'connected' : 'lost the client'}\n`,
);
ws.terminate();
stop.abort();
await lobby.done;
database.close();
rmSync(dir, { recursive: true, force: true });
const crashed = [qr, utteranceTally, scenarios, maps].reduce((n, t) => n + t.crashed.length, 0);
process.exitCode = crashed > 0 || !health.ok ? 1 : 0;
