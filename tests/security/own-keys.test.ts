/**
 * Finding 12: a key chosen from outside (a kiosk's procedure id, a classifier's procedure, a QR
 * code's province) is looked up among the catalog's own keys only, never on Object.prototype:
 * `selectProcedure "constructor"` must be as unknown as any other made-up procedure.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { guideMachine, type GuideEvent } from '../../statecharts/index.js';
import { controllerBackend } from '../../src/console/controller-backend.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import type { Controller } from '../../src/app/controller.js';
import type { TextListener } from '../../src/adapters/text/text-listener.js';
import { ownValue } from '../../src/util/own.js';
import { TEST_INPUT } from '../statecharts/guide.fixtures.js';

/** Names every plain object answers to without owning them; those a procedure id's pattern lets through are the dangerous ones. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);
const PASSES_ID_PATTERN = PROTOTYPE_NAMES.filter((name) => /^[a-z][a-z0-9_]{1,63}$/.test(name));

describe('keys picked from outside are own keys only', () => {
  it('some prototype name fits the procedure id pattern (else this file tests nothing)', () => {
    expect(PASSES_ID_PATTERN).toContain('constructor');
  });

  it.each(PASSES_ID_PATTERN)('the statechart treats a kiosk choice of "%s" as an unknown procedure', (name) => {
    const idle = initialTransition(guideMachine, TEST_INPUT)[0];
    const select = (procedureId: string) => transition(guideMachine, idle, { type: 'kiosk.procedureSelected', procedureId, lang: 'en' } as GuideEvent)[0];
    expect(select(name).value).toEqual(select('no_such_procedure').value);
    expect(select(name).value).toEqual(idle.value);
    expect(select(name).context.procedureId).toBeNull();
  });

  it.each(PASSES_ID_PATTERN)('the console refuses selectProcedure "%s" before it reaches the controller', (name) => {
    const sent: GuideEvent[] = [];
    const controller = { send: (event: GuideEvent) => void sent.push(event) } as unknown as Controller;
    const backend = controllerBackend('robot-1', {
      controller,
      listener: {} as TextListener,
      queue: createMemoryQueue(),
      places: [],
      procedureIds: new Set(['marriage_registration']),
    });
    const kiosk = { name: 'kiosk-1', role: 'kiosk', counterId: null, mustChangePassword: false } as const;
    const select = (procedureId: string) => ({ v: 1, robotId: 'robot-1', requestId: `select-${procedureId}`, type: 'citizen.selectProcedure', procedureId }) as const;
    expect(backend.command(select(name), kiosk)).toEqual({ ok: false, reason: 'no such procedure' });
    expect(backend.command(select('marriage_registration'), kiosk)).toEqual({ ok: true });
    expect(sent.map((e) => e.type)).toEqual(['kiosk.procedureSelected']);
  });

  it('ownValue finds own entries and nothing inherited', () => {
    const record: Readonly<Record<string, number>> = { a: 1 };
    expect(ownValue(record, 'a')).toBe(1);
    for (const name of PROTOTYPE_NAMES) expect(ownValue(record, name)).toBeUndefined();
  });
});
