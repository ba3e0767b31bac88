import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALERT_KINDS,
  consoleRecordSchema,
  MAX_MESSAGE_BYTES,
  mayDo,
  parseClientMessage,
  PROTOCOL_VERSION,
  serverMessageSchema,
  type ClientMessage,
  type ConsoleRecord,
} from '../../src/console/protocol.js';

const base = { v: PROTOCOL_VERSION, robotId: 'robot-1', requestId: 'r1' };
const estop: ClientMessage = { ...base, type: 'robot.estop' };

describe('the console protocol', () => {
  it('accepts well-formed commands and citizen input', () => {
    for (const m of [
      estop,
      { ...base, type: 'robot.say', text: 'Xin chờ một chút', lang: 'vi' },
      { ...base, type: 'robot.sendTo', placeId: 'counter-3' },
      { ...base, type: 'queue.callNext', counterId: 'counter-3' },
      { ...base, type: 'citizen.selectProcedure', procedureId: 'marriage_registration' },
      { ...base, type: 'citizen.answer', answer: 'yes' },
    ]) {
      expect(parseClientMessage(JSON.stringify(m))).toEqual({ ok: true, message: m });
    }
  });

  it.each([
    ['not JSON', '{"type": robot.estop}', 'not_json'],
    ['an array', '[1,2]', 'invalid'],
    ['an unknown type', JSON.stringify({ ...base, type: 'robot.selfDestruct' }), 'invalid'],
    ['a missing robot id', JSON.stringify({ v: 1, requestId: 'r', type: 'robot.estop' }), 'invalid'],
    ['an unknown field', JSON.stringify({ ...estop, extra: 1 }), 'invalid'],
    ['another protocol version', JSON.stringify({ ...estop, v: 2 }), 'invalid'],
    ['a language that is not served', JSON.stringify({ ...base, type: 'robot.say', text: 'hi', lang: 'fr' }), 'invalid'],
    ['an oversized message', JSON.stringify({ ...base, type: 'robot.say', text: 'a'.repeat(MAX_MESSAGE_BYTES), lang: 'en' }), 'too_large'],
  ])('refuses %s with a reason', (_name, frame, code) => {
    const r = parseClientMessage(frame);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe(code);
  });

  it('never throws on any frame, and never repeats the frame in its reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 6000 }), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ ...base, type: 'robot.say', lang: 'en', text: v }))), (frame) => {
        const r = parseClientMessage(frame);
        if (!r.ok) {
          const secrets = frame.match(/[\p{L}\p{N}]{6,}/gu) ?? [];
          for (const s of secrets.slice(0, 20)) if (!['message', 'invalid'].includes(s)) expect(r.reason).not.toContain(s);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('lets viewers do nothing, the kiosk only citizen input, officers only their own counter', () => {
    const callOwn: ClientMessage = { ...base, type: 'queue.callNext', counterId: 'counter-3' };
    const callOther: ClientMessage = { ...base, type: 'queue.callNext', counterId: 'counter-4' };
    const tap: ClientMessage = { ...base, type: 'citizen.selectProcedure', procedureId: 'marriage_registration' };
    expect([mayDo('viewer', estop, null), mayDo('viewer', tap, null)]).toEqual([false, false]);
    expect([mayDo('kiosk', estop, null), mayDo('kiosk', tap, null)]).toEqual([false, true]);
    expect([mayDo('officer', callOwn, 'counter-3'), mayDo('officer', callOther, 'counter-3'), mayDo('officer', estop, 'counter-3')]).toEqual([true, false, false]);
    expect([mayDo('operator', estop, null), mayDo('operator', tap, null), mayDo('admin', estop, null)]).toEqual([true, false, true]);
  });
});

describe('client messages, field by field', () => {
  const parse = (m: object) => parseClientMessage(JSON.stringify({ ...base, ...m }));
  const ok = (m: object) => expect(parse(m), JSON.stringify(m).slice(0, 80)).toMatchObject({ ok: true });
  const invalid = (m: object, reason?: string) => expect(parse(m), JSON.stringify(m).slice(0, 80)).toMatchObject({ ok: false, code: 'invalid', ...(reason !== undefined ? { reason } : {}) });

  it('takes every command and citizen input there is, with exactly its fields', () => {
    const all: object[] = [
      ...['robot.pause', 'robot.resume', 'robot.estop', 'robot.releaseEstop', 'robot.goHome', 'robot.dock', 'escort.cancel', 'conversation.takeOver', 'conversation.handBack'].map((type) => ({ type })),
      { type: 'robot.sendTo', placeId: 'counter-3' },
      { type: 'robot.say', text: 'Xin chờ', lang: 'vi' },
      { type: 'alert.ack', alertId: 'a-7' },
      { type: 'queue.callNext', counterId: 'counter-3' },
      { type: 'request.open', ticketNumber: 'A001' },
      { type: 'citizen.say', text: 'hello' },
      { type: 'citizen.say', text: 'hello', lang: 'en' },
      { type: 'citizen.selectProcedure', procedureId: 'birth_registration' },
      { type: 'citizen.selectLanguage', lang: 'ko' },
      { type: 'citizen.answer', answer: 'no' },
    ];
    for (const m of all) ok(m);
    for (const m of all) invalid({ ...m, extra: true });
    invalid({ type: 'robot.sendTo' });
    invalid({ type: 'citizen.answer', answer: 'maybe' });
    invalid({ type: 'citizen.selectLanguage', lang: 'fr' });
  });

  it('takes ids of 1 to 64 letters, digits, _ . : -', () => {
    for (const id of ['a', 'A-1_b.c:d', 'x'.repeat(64)]) ok({ type: 'robot.sendTo', placeId: id });
    for (const id of ['', 'x'.repeat(65), 'counter 3', 'counter/3', 'quầy', 'a\nb']) invalid({ type: 'robot.sendTo', placeId: id }, '"placeId" is not valid (invalid_format)');
    invalid({ ...base, robotId: 'robot 1', type: 'robot.estop' }, '"robotId" is not valid (invalid_format)');
  });

  it('takes said text of 1 to 500 characters, trimmed', () => {
    expect(parse({ type: 'robot.say', text: '  Xin chờ một chút  ', lang: 'vi' })).toMatchObject({ ok: true, message: { text: 'Xin chờ một chút' } });
    expect(parse({ type: 'citizen.say', text: '\thello\n' })).toMatchObject({ ok: true, message: { text: 'hello' } });
    ok({ type: 'robot.say', text: 'x'.repeat(500), lang: 'en' });
    ok({ type: 'robot.say', text: ` ${'x'.repeat(500)} `, lang: 'en' });
    invalid({ type: 'robot.say', text: 'x'.repeat(501), lang: 'en' }, '"text" is not valid (too_big)');
    invalid({ type: 'robot.say', text: '   ', lang: 'en' }, '"text" is not valid (too_small)');
    invalid({ type: 'citizen.say', text: '' }, '"text" is not valid (too_small)');
    invalid({ type: 'citizen.say', text: 'x'.repeat(501) }, '"text" is not valid (too_big)');
  });

  it('takes ticket numbers as printed and procedure ids as the catalog writes them', () => {
    for (const ticketNumber of ['A001', 'K9999']) ok({ type: 'request.open', ticketNumber });
    for (const ticketNumber of ['A01', 'A12345', 'a001', 'AB01', ' A001']) invalid({ type: 'request.open', ticketNumber });
    for (const procedureId of ['ab', 'birth_registration', `a${'b'.repeat(63)}`]) ok({ type: 'citizen.selectProcedure', procedureId });
    for (const procedureId of ['a', `a${'b'.repeat(64)}`, '1ab', 'Birth', 'birth-registration', '_ab']) invalid({ type: 'citizen.selectProcedure', procedureId });
  });

  it('says what is wrong without the frame: the message, a field, its size, or not JSON', () => {
    expect(parseClientMessage('[1,2]')).toEqual({ ok: false, code: 'invalid', reason: 'the message is not valid (invalid_type)' });
    expect(parseClientMessage('{}')).toEqual({ ok: false, code: 'invalid', reason: '"type" is not valid (invalid_union)' });
    expect(parseClientMessage(JSON.stringify({ v: 1, requestId: 'r', type: 'robot.estop' }))).toEqual({ ok: false, code: 'invalid', reason: '"robotId" is not valid (invalid_type)' });
    expect(parseClientMessage(JSON.stringify({ ...estop, v: 2 }))).toEqual({ ok: false, code: 'invalid', reason: '"v" is not valid (invalid_value)' });
    expect(parseClientMessage('{"type":')).toEqual({ ok: false, code: 'not_json', reason: 'a message must be one JSON object' });
    expect(parseClientMessage('')).toEqual({ ok: false, code: 'not_json', reason: 'a message must be one JSON object' });
  });

  it('counts a frame in bytes, at most 4096, whether text or a buffer', () => {
    const frame = (bytes: number) => {
      const empty = JSON.stringify({ ...base, type: 'robot.say', text: '', lang: 'vi' });
      // Each "ệ" is three bytes in UTF-8; the rest is ASCII.
      const wide = 'ệ'.repeat(Math.floor((bytes - empty.length) / 3));
      return JSON.stringify({ ...base, type: 'robot.say', text: wide + 'x'.repeat(bytes - empty.length - 3 * wide.length), lang: 'vi' });
    };
    expect(Buffer.byteLength(frame(4096))).toBe(4096);
    expect(frame(4096).length).toBeLessThan(4096);
    // 4096 bytes is not too large (its 1,300 "ệ" are too long a text, which is another matter).
    expect(parseClientMessage(frame(4096))).toMatchObject({ ok: false, code: 'invalid' });
    expect(parseClientMessage(frame(4097))).toEqual({ ok: false, code: 'too_large', reason: 'messages are at most 4096 bytes' });
    expect(parseClientMessage(Buffer.from(frame(4097)))).toMatchObject({ code: 'too_large' });
    expect(parseClientMessage(Buffer.from(JSON.stringify(estop)))).toEqual({ ok: true, message: estop });
  });
});

describe('who may send what', () => {
  const types: ClientMessage[] = [
    ...(['robot.pause', 'robot.resume', 'robot.estop', 'robot.releaseEstop', 'robot.goHome', 'robot.dock', 'escort.cancel', 'conversation.takeOver', 'conversation.handBack'] as const).map(
      (type): ClientMessage => ({ ...base, type }),
    ),
    { ...base, type: 'robot.sendTo', placeId: 'home' },
    { ...base, type: 'robot.say', text: 'hi', lang: 'en' },
    { ...base, type: 'alert.ack', alertId: 'a1' },
    { ...base, type: 'queue.callNext', counterId: 'counter-3' },
    { ...base, type: 'request.open', ticketNumber: 'A001' },
    { ...base, type: 'citizen.say', text: 'hi' },
    { ...base, type: 'citizen.selectProcedure', procedureId: 'birth_registration' },
    { ...base, type: 'citizen.selectLanguage', lang: 'vi' },
    { ...base, type: 'citizen.answer', answer: 'yes' },
  ];
  const allowed = (role: Parameters<typeof mayDo>[0], counterId: string | null = null) => types.filter((m) => mayDo(role, m, counterId)).map((m) => m.type);
  const operatorCommands = types.map((m) => m.type).filter((t) => !t.startsWith('citizen.') && t !== 'request.open');

  it('operators and admins: every robot, conversation, alert and queue command, no citizen input, no request', () => {
    expect(allowed('operator')).toEqual(operatorCommands);
    expect(allowed('admin')).toEqual(operatorCommands);
  });

  it('the kiosk: citizen input only; viewers: nothing', () => {
    expect(allowed('kiosk')).toEqual(['citizen.say', 'citizen.selectProcedure', 'citizen.selectLanguage', 'citizen.answer']);
    expect(allowed('viewer')).toEqual([]);
  });

  it('officers: call the next ticket at their own counter, and open requests', () => {
    expect(allowed('officer', 'counter-3')).toEqual(['queue.callNext', 'request.open']);
    expect(allowed('officer', 'counter-4')).toEqual(['request.open']);
    expect(allowed('officer', null)).toEqual(['request.open']);
  });
});

describe('server messages', () => {
  const out = { v: PROTOCOL_VERSION, robotId: 'robot-1' };
  const queue = { fields: [{ field: 'land', waiting: 2, lastCalled: 'F001', estimatedWaitS: 600 }], counters: [{ id: 'counter-6', fields: ['land'], lastCalled: null, waiting: ['F002'] }] };
  const card = { layout: 'cccd2021', idNumber: '*********234', oldIdNumber: null, fullName: 'N***** V** A*', dateOfBirth: '**/**/****', sex: 'male', address: '***, TP Hồ Chí Minh', issueDate: '2021-08-10', registeredAbroad: false };
  const records: ConsoleRecord[] = [
    { kind: 'state', interaction: 'idle', safety: 'normal', power: 'ok', link: 'up' },
    { kind: 'heard', text: 'xin chào', lang: null },
    { kind: 'understood', intent: 'greet', procedure: null, lang: 'vi', confidence: 0.9 },
    { kind: 'said', messageId: 'greeting', lang: 'vi', text: 'Xin chào', params: { procedureId: 'x' } },
    { kind: 'nav', purpose: 'escort', placeId: 'counter-1', result: { kind: 'failed', reason: 'blocked', detail: 'corridor' } },
    { kind: 'nav', purpose: 'return', placeId: 'home', result: null },
    { kind: 'ticket', number: 'A001', counterId: 'counter-1' },
    { kind: 'idRead', procedureId: 'birth_registration', requestId: 'r1', cards: [card, card] },
    { kind: 'idRejected', codes: ['id_format'] },
    { kind: 'alert', alert: 'eventLoopSlow' },
    { kind: 'alert', alert: 'personLost' },
    { kind: 'error', where: 'speak', message: 'speaker hung' },
  ];
  const messages: object[] = [
    { ...out, type: 'snapshot', user: { name: 'lan', role: 'officer', counterId: 'counter-1', mustChangePassword: false }, state: { starting: false, active: ['interaction', 'interaction.idle'], queue, alerts: [{ alertId: 'a1', kind: 'linkDown', tS: 3 }] } },
    { ...out, type: 'snapshot', user: { name: 'k', role: 'kiosk', counterId: null, mustChangePassword: true }, state: { starting: true, active: [], queue: null, alerts: [] } },
    { ...out, type: 'telemetry', tS: 1.5, atMs: 1_700_000_000_000, pose: { xM: 1, yM: -2, yawRad: 0.5 }, linearMps: 0.4, batteryPercent: 80, path: [{ xM: 0, yM: 0 }], people: [{ id: 'p1', xM: 2, yM: 3 }] },
    { ...out, type: 'states', active: ['interaction'] },
    ...records.map((record) => ({ ...out, type: 'record', tS: 2, record })),
    { ...out, type: 'queue', queue },
    { ...out, type: 'alert', alert: { alertId: 'a2', kind: 'baseSilent', tS: 4 } },
    { ...out, type: 'alert.acked', alertId: 'a2', by: 'lan' },
    { ...out, type: 'command.result', requestId: 'r1', ok: true },
    { ...out, type: 'command.result', requestId: 'r2', ok: false, reason: 'not allowed', data: { x: 1 } },
    { ...out, type: 'error', code: 'rate_limited', reason: 'slow down' },
  ];

  it('takes every message the server sends, every record kind and alert kind', () => {
    for (const m of messages) expect(serverMessageSchema.safeParse(m).success, JSON.stringify(m).slice(0, 100)).toBe(true);
    for (const alert of ALERT_KINDS) expect(consoleRecordSchema.safeParse({ kind: 'alert', alert }).success, alert).toBe(true);
    expect(ALERT_KINDS).toHaveLength(12);
  });

  it('refuses what the server must not send: long texts, too many cards, unknown kinds, odd numbers, extra fields', () => {
    const record = (r: object) => serverMessageSchema.safeParse({ ...out, type: 'record', tS: 1, record: r }).success;
    expect(record({ kind: 'heard', text: 'x'.repeat(2000), lang: 'vi' })).toBe(true);
    expect(record({ kind: 'heard', text: 'x'.repeat(2001), lang: 'vi' })).toBe(false);
    expect(record({ kind: 'idRead', procedureId: 'p', requestId: 'r', cards: [card, card, card, card] })).toBe(true);
    expect(record({ kind: 'idRead', procedureId: 'p', requestId: 'r', cards: [card, card, card, card, card] })).toBe(false);
    expect(record({ kind: 'idRead', procedureId: 'p', requestId: 'r', cards: [{ ...card, idNumber: '079203001234', extra: 1 }] })).toBe(false);
    expect(record({ kind: 'alert', alert: 'selfDestruct' })).toBe(false);
    expect(record({ kind: 'understood', intent: 'greet', procedure: null, lang: 'vi', confidence: Number.POSITIVE_INFINITY })).toBe(false);
    expect(record({ kind: 'state', interaction: 'idle', safety: 'normal', power: 'ok', link: 'up', extra: 1 })).toBe(false);
    const withQueue = (q: object) => serverMessageSchema.safeParse({ ...out, type: 'queue', queue: q }).success;
    expect(withQueue({ ...queue, fields: [{ ...queue.fields[0], waiting: -1 }] })).toBe(false);
    expect(withQueue({ ...queue, fields: [{ ...queue.fields[0], waiting: 1.5 }] })).toBe(false);
    expect(serverMessageSchema.safeParse({ ...out, type: 'error', code: 'teapot', reason: 'x' }).success).toBe(false);
    expect(serverMessageSchema.safeParse({ ...out, v: 2, type: 'states', active: [] }).success).toBe(false);
  });
});
