import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, mayDo, parseClientMessage, PROTOCOL_VERSION, type ClientMessage } from '../../src/console/protocol.js';

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
