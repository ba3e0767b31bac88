import { describe, expect, it } from 'vitest';
import type { TextListener } from '../../src/adapters/text/text-listener.js';
import type { Controller } from '../../src/app/controller.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { controllerBackend, maskTranscript } from '../../src/console/controller-backend.js';
import type { User } from '../../src/console/users.js';
import type { GuideEvent } from '../../statecharts/guide.types.js';

const operator: User = { name: 'op', role: 'operator', counterId: null, mustChangePassword: false };
const base = { v: 1 as const, robotId: 'robot-1', requestId: 'r1' };

describe('console commands as controller events', () => {
  it('turns each operator command into its statechart event, and refuses what the robot cannot do yet', () => {
    const sent: GuideEvent[] = [];
    // Only send() and snapshot() of the controller are used by the backend.
    const controller = { send: (e: GuideEvent) => sent.push(e), snapshot: () => ({ value: 'idle' }) } as unknown as Controller;
    const backend = controllerBackend('robot-1', { controller, listener: {} as TextListener, queue: createMemoryQueue(), places: [] });
    for (const type of ['robot.estop', 'robot.releaseEstop', 'escort.cancel', 'conversation.handBack'] as const) {
      expect(backend.command({ ...base, type }, operator)).toEqual({ ok: true });
    }
    expect(backend.command({ ...base, type: 'robot.say', text: 'Xin chờ', lang: 'vi' }, operator)).toEqual({ ok: true });
    expect(sent).toEqual([
      { type: 'operator.estop' },
      { type: 'operator.releaseEstop' },
      { type: 'operator.cancelEscort' },
      { type: 'operator.handBack' },
      { type: 'operator.say', text: 'Xin chờ', lang: 'vi' },
    ]);
    expect(backend.command({ ...base, type: 'robot.sendTo', placeId: 'counter-1' }, operator)).toEqual({ ok: false, reason: 'no such place on this map' });
  });

  it('masks long numbers said aloud before a transcript leaves the robot, keeping at most the last three digits', () => {
    expect(maskTranscript('số căn cước của tôi là 079303001234 nha')).toBe('số căn cước của tôi là *********234 nha');
    expect(maskTranscript('quầy số 3, vé A012')).toBe('quầy số 3, vé A012');
    expect(maskTranscript('mã 123456 và 1234567 và số cũ 012345678')).toBe('mã ****56 và *****67 và số cũ ******678');
  });
});
