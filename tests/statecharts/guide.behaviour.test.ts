/**
 * The guide machine's behaviour, rule by rule, from outside: who it greets, how it reads the battery,
 * how often it asks again, how it follows a citizen, what it says and where it drives.
 */
import { describe, expect, it } from 'vitest';
import { classified, required } from '../../statecharts/guide.context.js';
import { TEST_INPUT, TEST_SETTINGS } from './guide.fixtures.js';
import {
  alerts,
  announced,
  battery,
  drive,
  heard,
  inputOf,
  interaction,
  navDone,
  people,
  says,
  saying,
  spoke,
  start,
  timeout,
  type DriveEvent,
  type Snapshot,
} from './guide.drive.js';

const power = (s: Snapshot) => (s.value as { power: string }).power;
/** Runs `events` from `from`, firing the named timeouts of the states it is in along the way. */
function run(from: Snapshot, steps: readonly (DriveEvent | { readonly fire: string })[]) {
  let snapshot = from;
  const effects: ReturnType<typeof drive>['effects'] = [];
  for (const step of steps) {
    const event = 'fire' in step ? timeout(snapshot, step.fire) : step;
    const next = drive(snapshot, [event]);
    snapshot = next.snapshot;
    effects.push(...next.effects);
  }
  return { snapshot, effects };
}
const listening = (settings = {}) => drive(start(settings), [people(['p1', 1]), spoke]).snapshot;
/** Told about a birth registration at counter 1 and asked whether to walk along. */
const offered = (settings = {}) => drive(listening(settings), [...says({ procedure: 'birth_registration' }), spoke, spoke]).snapshot;
/** Walking the citizen p1 to counter 1 (no card reader). */
const escorting = (settings = {}) => {
  const s = drive(offered({ idReaderAvailable: false, ...settings }), [...says({ intent: 'affirm' }), { type: 'xstate.done.actor.issueTicket', output: { number: 'A001', counterId: 'counter-1' } }, spoke]).snapshot;
  expect(interaction(s)).toBe('serving.escorting.leading');
  return s;
};

describe('greeting', () => {
  it('greets someone within the greeting radius, not beyond', () => {
    expect(interaction(drive(start(), [people(['p1', TEST_SETTINGS.greetRadiusM])]).snapshot)).toBe('serving.greeting');
    expect(interaction(drive(start(), [people(['p1', TEST_SETTINGS.greetRadiusM + 0.01])]).snapshot)).toBe('idle');
    expect(saying(drive(start(), [people(['p1', 1])]).snapshot)).toBe('greeting');
  });

  it('follows the nearest person in reach, the smaller id on a tie, whatever order they are reported in', () => {
    const citizen = (...list: [string, number][]) => drive(start(), [people(...list)]).snapshot.context.citizenId;
    expect(citizen(['p2', 1], ['p1', 1])).toBe('p1');
    expect(citizen(['p1', 1], ['p2', 1])).toBe('p1');
    expect(citizen(['p1', 1.2], ['p2', 0.4], ['p3', 0.9])).toBe('p2');
    expect(citizen(['p9', 0.2], ['p1', 1.4])).toBe('p9');
    expect(citizen(['far', 0.1 + TEST_SETTINGS.greetRadiusM], ['p5', 1])).toBe('p5');
  });
});

describe('the battery', () => {
  const level = (from: Snapshot, ...events: DriveEvent[]) => power(drive(from, events).snapshot);

  it('is critical at the critical mark, low from there to the low mark, ok above', () => {
    expect(level(start(), battery(TEST_SETTINGS.batteryCriticalPercent))).toBe('critical');
    expect(level(start(), battery(TEST_SETTINGS.batteryCriticalPercent + 1))).toBe('low');
    expect(level(start(), battery(TEST_SETTINGS.batteryLowPercent))).toBe('low');
    expect(level(start(), battery(TEST_SETTINGS.batteryLowPercent + 1))).toBe('ok');
    expect(level(start(), battery(5, true))).toBe('charging');
    expect(level(start(), battery(80, true))).toBe('charging');
  });

  it('says so to the operators when it falls low or critical', () => {
    expect(alerts(drive(start(), [battery(20)]).effects)).toEqual(['batteryLow']);
    expect(alerts(drive(start(), [battery(20), battery(5)]).effects)).toEqual(['batteryLow', 'batteryCritical']);
  });

  it('comes back from low only ten points above the low mark, or on the charger; falls on to critical', () => {
    const low = drive(start(), [battery(20)]).snapshot;
    expect(level(low, battery(TEST_SETTINGS.batteryLowPercent + 9))).toBe('low');
    expect(level(low, battery(TEST_SETTINGS.batteryLowPercent + 10))).toBe('ok');
    expect(level(low, battery(TEST_SETTINGS.batteryCriticalPercent))).toBe('critical');
    expect(level(low, battery(20, true))).toBe('charging');
    // A low mark near the top: back to ok only at 100.
    const high = drive(start({ batteryLowPercent: 95 }), [battery(90)]).snapshot;
    expect(power(high)).toBe('low');
    expect(level(high, battery(99))).toBe('low');
    expect(level(high, battery(100))).toBe('ok');
  });

  it('stays critical until it charges', () => {
    const critical = drive(start(), [battery(5)]).snapshot;
    expect(level(critical, battery(50))).toBe('critical');
    expect(level(critical, battery(6, true))).toBe('charging');
  });

  it('charging: ok once charged, low or critical when unplugged low, else ok', () => {
    const charging = drive(start(), [battery(30, true)]).snapshot;
    expect(level(charging, battery(TEST_SETTINGS.batteryChargedPercent))).toBe('ok');
    expect(level(charging, battery(TEST_SETTINGS.batteryChargedPercent - 1, true))).toBe('charging');
    expect(level(charging, battery(TEST_SETTINGS.batteryChargedPercent - 1))).toBe('ok');
    expect(level(charging, battery(20))).toBe('low');
    expect(level(charging, battery(5))).toBe('critical');
  });
});

describe('going to charge and back', () => {
  it('an idle robot low on battery docks, without a word to nobody, and goes back to work once charged', () => {
    const { snapshot: docking, effects } = drive(start(), [battery(20)]);
    expect(interaction(docking)).toBe('docking.driving');
    expect(announced(effects)).toEqual([]);
    expect(inputOf(docking, 'navigate')).toEqual({ placeId: TEST_INPUT.dockId, purpose: 'dock', speedLimitMps: null, undockFirst: false });
    const docked = drive(docking, [navDone({ kind: 'arrived' }), battery(30, true)]).snapshot;
    expect(interaction(docked)).toBe('idle');
    expect(docked.context.docked).toBe(true);
    // On the dock a low battery does not send it docking again; charged, it undocks and goes home.
    expect(interaction(drive(docked, [battery(50, true)]).snapshot)).toBe('idle');
    const back = drive(docked, [battery(TEST_SETTINGS.batteryChargedPercent, true)]).snapshot;
    expect(interaction(back)).toBe('returning.driving');
    expect(inputOf(back, 'navigate')).toEqual({ placeId: TEST_INPUT.homeId, purpose: 'return', speedLimitMps: null, undockFirst: true });
    const home = drive(back, [navDone({ kind: 'arrived' })]).snapshot;
    expect(home.context.docked).toBe(false);
  });

  it('an operator sends it to the dock; a person near a docked robot low on battery is not greeted', () => {
    const docking = drive(start(), [{ type: 'operator.dock' }]).snapshot;
    expect(inputOf(docking, 'navigate')).toMatchObject({ placeId: TEST_INPUT.dockId, purpose: 'dock' });
    const docked = drive(docking, [navDone({ kind: 'arrived' }), battery(20)]).snapshot;
    expect(interaction(drive(docked, [people(['p1', 1])]).snapshot)).toBe('idle');
  });
});

describe('asking again', () => {
  it('after silence asks again up to maxReprompts times, then says goodbye', () => {
    const { snapshot, effects } = run(listening(), [{ fire: 'listenTimeout' }, spoke, { fire: 'listenTimeout' }, spoke]);
    expect(interaction(snapshot)).toBe('serving.listening.waiting');
    expect(snapshot.context.reprompts).toBe(2);
    expect(effects.filter((e) => e.type === 'xstate.spawnChild').length).toBeGreaterThan(0);
    const after = drive(snapshot, [timeout(snapshot, 'listenTimeout')]).snapshot;
    expect(interaction(after)).toBe('goodbye');
    expect(saying(after)).toBe('goodbye');
    expect(interaction(drive(after, [spoke]).snapshot)).toBe('idle');
  });

  it('asks the question still open: the procedure, the offer to walk along, consent, anything else', () => {
    const reprompt = (s: Snapshot) => saying(drive(s, [timeout(s, 'listenTimeout')]).snapshot);
    expect(reprompt(listening())).toBe('prompt.askProcedure');
    expect(reprompt(offered())).toBe('prompt.offerEscort');
    const consent = drive(offered(), [...says({ intent: 'affirm' }), spoke]).snapshot;
    expect(consent.context.pending).toBe('idConsent');
    expect(reprompt(consent)).toBe('prompt.idConsent');
    const confirming = drive(consent, [...says({ intent: 'affirm' }), { type: 'xstate.done.actor.readId', output: { requestId: 'r1', cardsRead: 1 } }, spoke]).snapshot;
    expect(confirming.context.pending).toBe('idConfirm');
    expect(reprompt(confirming)).toBe('prompt.askProcedure');
    const declined = drive(offered(), says({ intent: 'deny' })).snapshot;
    expect(saying(declined)).toBe('prompt.anythingElse');
    expect(reprompt(drive(declined, [spoke]).snapshot)).toBe('prompt.anythingElse');
    // "No" to anything else ends the conversation.
    expect(interaction(drive(declined, [spoke, ...says({ intent: 'deny' })]).snapshot)).toBe('goodbye');
  });

  it('an understood answer starts the count again', () => {
    const asked = run(listening(), [{ fire: 'listenTimeout' }, spoke]).snapshot;
    expect(asked.context.reprompts).toBe(1);
    expect(drive(asked, says({ procedure: 'birth_registration' })).snapshot.context.reprompts).toBe(0);
  });
});

describe('not understanding', () => {
  it('says it did not understand an unsure guess, a failed or slow classifier; that it cannot help with what is out of scope; else asks for the procedure', () => {
    const l = listening();
    expect(saying(drive(l, says({ confidence: TEST_SETTINGS.minConfidence - 0.01, procedure: 'birth_registration' })).snapshot)).toBe('clarify.notUnderstood');
    expect(saying(drive(l, [heard(), { type: 'xstate.error.actor.classify', error: new Error('down') }]).snapshot)).toBe('clarify.notUnderstood');
    const slow = drive(l, [heard()]).snapshot;
    expect(saying(drive(slow, [timeout(slow, 'classifyTimeout')]).snapshot)).toBe('clarify.notUnderstood');
    expect(saying(drive(l, says({ intent: 'out_of_scope' })).snapshot)).toBe('clarify.outOfScope');
    expect(saying(drive(l, says({ intent: 'ask_documents' })).snapshot)).toBe('clarify.askProcedure');
  });

  it('acts on a guess exactly at minConfidence, in the language it was said in', () => {
    const { snapshot } = drive(listening(), says({ procedure: 'copy_certification', intent: 'ask_fee', lang: 'en', confidence: TEST_SETTINGS.minConfidence }));
    expect(inputOf(snapshot, 'speak')).toEqual({ messageId: 'answer.fee', lang: 'en', params: { procedureId: 'copy_certification', counterId: 'counter-2' } });
    // Unsure, the language stays.
    expect(drive(listening(), says({ intent: 'greet', lang: 'ko', confidence: TEST_SETTINGS.minConfidence - 0.01 })).snapshot.context.lang).toBe('vi');
  });

  it('hands over to staff after more than maxClarifications', () => {
    const once = drive(listening(), [...says({ intent: 'out_of_scope' }), spoke]).snapshot;
    const twice = drive(once, [...says({ intent: 'out_of_scope' }), spoke]).snapshot;
    expect(interaction(twice)).toBe('serving.listening.waiting');
    expect(twice.context.clarifications).toBe(2);
    const { snapshot, effects } = drive(twice, says({ intent: 'out_of_scope' }));
    expect(interaction(snapshot)).toBe('handoff');
    expect(alerts(effects)).toEqual(['helpRequested']);
    expect(saying(snapshot)).toBe('handoff.staff');
  });
});

describe('routing what was understood', () => {
  const after = (c: object) => drive(listening(), says(c)).snapshot;

  it('answers each aspect of a named procedure with its counter', () => {
    for (const [intent, message] of [
      ['ask_procedure', 'answer.overview'],
      ['ask_documents', 'answer.documents'],
      ['ask_fee', 'answer.fee'],
      ['ask_duration', 'answer.duration'],
      ['ask_location', 'answer.location'],
      ['repeat', 'answer.overview'],
    ] as const) {
      expect(inputOf(after({ intent, procedure: 'marriage_registration' }), 'speak'), intent).toEqual({ messageId: message, lang: 'vi', params: { procedureId: 'marriage_registration', counterId: 'counter-1' } });
    }
  });

  it('answers a question about the procedure already discussed, and a newly named one', () => {
    const discussed = drive(offered(), says({ intent: 'ask_fee' })).snapshot;
    expect(inputOf(discussed, 'speak')).toEqual({ messageId: 'answer.fee', lang: 'vi', params: { procedureId: 'birth_registration', counterId: 'counter-1' } });
    const other = drive(offered(), says({ intent: 'ask_documents', procedure: 'copy_certification' })).snapshot;
    expect(inputOf(other, 'speak')).toEqual({ messageId: 'answer.documents', lang: 'vi', params: { procedureId: 'copy_certification', counterId: 'counter-2' } });
  });

  it('hands a procedure no counter serves to staff after answering it', () => {
    const told = after({ procedure: 'land_certificate' });
    expect(inputOf(told, 'speak')).toEqual({ messageId: 'answer.overview', lang: 'vi', params: { procedureId: 'land_certificate' } });
    expect(interaction(drive(told, [spoke]).snapshot)).toBe('handoff');
  });

  it('goodbye ends it; a call for staff, or a complaint about nothing named, hands over; a complaint naming a procedure is answered', () => {
    expect(interaction(after({ intent: 'goodbye' }))).toBe('goodbye');
    expect(interaction(after({ intent: 'talk_to_staff' }))).toBe('handoff');
    expect(interaction(after({ intent: 'complaint' }))).toBe('handoff');
    expect(interaction(after({ intent: 'complaint', procedure: 'birth_registration' }))).toBe('serving.answering.telling');
  });

  it('a change of language asks again in the new one; small talk asks again; both start the count afresh', () => {
    const changed = after({ intent: 'change_language', lang: 'ko' });
    expect(inputOf(changed, 'speak')).toMatchObject({ messageId: 'prompt.askProcedure', lang: 'ko' });
    for (const intent of ['greet', 'affirm', 'deny', 'repeat'] as const) expect(interaction(after({ intent })), intent).toBe('serving.listening.reprompting');
    expect(after({ intent: 'greet' }).context.reprompts).toBe(1);
  });

  it('walks along on request, for a ticket or a card scan, only with a procedure in play', () => {
    for (const intent of ['request_escort', 'request_ticket', 'scan_id'] as const) {
      expect(interaction(drive(offered({ idReaderAvailable: false }), says({ intent })).snapshot), intent).toBe('serving.ticketing.issuing');
      expect(interaction(after({ intent })), intent).toBe('serving.clarifying');
    }
  });
});

describe('the card, the ticket and the walk', () => {
  /** Consent asked and given for `procedure`. */
  const reading = (procedure: string) =>
    drive(listening(), [...says({ procedure }), spoke, spoke, ...says({ intent: 'affirm' }), spoke, ...says({ intent: 'affirm' })]).snapshot;

  it('reads as many cards as the procedure\'s form takes, then shows them for confirmation', () => {
    expect(inputOf(reading('marriage_registration'), 'readId')).toEqual({ procedureId: 'marriage_registration', cards: 2 });
    const read = reading('birth_registration');
    expect(inputOf(read, 'readId')).toEqual({ procedureId: 'birth_registration', cards: 1 });
    const shown = drive(read, [{ type: 'xstate.done.actor.readId', output: { requestId: 'r1', cardsRead: 1 } }]).snapshot;
    expect(saying(shown)).toBe('id.confirm');
    expect(shown.context.idSummary).toEqual({ requestId: 'r1', cardsRead: 1 });
  });

  it('a confirmed card goes with the ticket to the counter, and the ticket is told', () => {
    const confirmed = drive(reading('birth_registration'), [{ type: 'xstate.done.actor.readId', output: { requestId: 'r1', cardsRead: 1 } }, spoke, ...says({ intent: 'affirm' })]).snapshot;
    expect(inputOf(confirmed, 'issueTicket')).toEqual({ procedureId: 'birth_registration', field: 'civil_status', counterId: 'counter-1', requestId: 'r1' });
    const told = drive(confirmed, [{ type: 'xstate.done.actor.issueTicket', output: { number: 'A007', counterId: 'counter-1' } }]).snapshot;
    expect(inputOf(told, 'speak')).toEqual({ messageId: 'ticket.issued', lang: 'vi', params: { procedureId: 'birth_registration', counterId: 'counter-1', ticketNumber: 'A007' } });
    const walking = drive(told, [spoke]).snapshot;
    expect(inputOf(walking, 'navigate')).toEqual({ placeId: 'counter-1', purpose: 'escort', speedLimitMps: TEST_SETTINGS.escortSpeedMps, undockFirst: false });
  });

  it('card data said to be wrong is discarded, and the ticket goes without it', () => {
    const { snapshot, effects } = drive(reading('birth_registration'), [{ type: 'xstate.done.actor.readId', output: { requestId: 'r1', cardsRead: 1 } }, spoke, ...says({ intent: 'deny' })]);
    expect(effects.filter((e) => e.type === 'discardIdRequest').map((e) => e.params)).toEqual([{ requestId: 'r1' }]);
    expect(snapshot.context.idSummary).toBeNull();
    expect(inputOf(snapshot, 'issueTicket')).toMatchObject({ requestId: null });
  });

  it('consent refused, or a card that cannot be read, still gets the ticket', () => {
    const asked = drive(listening(), [...says({ procedure: 'birth_registration' }), spoke, spoke, ...says({ intent: 'affirm' }), spoke]).snapshot;
    const refused = drive(asked, says({ intent: 'deny' })).snapshot;
    expect(refused.children['readId']).toBeUndefined();
    expect(inputOf(refused, 'issueTicket')).toMatchObject({ requestId: null });
    const failed = drive(reading('birth_registration'), [{ type: 'xstate.error.actor.readId', error: new Error('no card') }]).snapshot;
    expect(saying(failed)).toBe('id.readFailed');
    expect(interaction(drive(failed, [spoke]).snapshot)).toBe('serving.ticketing.issuing');
    const slow = reading('birth_registration');
    expect(saying(drive(slow, [timeout(slow, 'readIdTimeout')]).snapshot)).toBe('id.readFailed');
  });

  it('a ticket that cannot be issued is said so, and the walk goes on without it', () => {
    const issuing = drive(offered({ idReaderAvailable: false }), says({ intent: 'affirm' })).snapshot;
    const failed = drive(issuing, [{ type: 'xstate.error.actor.issueTicket', error: new Error('queue down') }]).snapshot;
    expect(saying(failed)).toBe('ticket.failed');
    expect(interaction(drive(failed, [spoke]).snapshot)).toBe('serving.escorting.leading');
    expect(saying(drive(issuing, [timeout(issuing, 'ticketTimeout')]).snapshot)).toBe('ticket.failed');
  });
});

describe('following the citizen on the way', () => {
  it('waits for a citizen beyond followMaxDistance or out of sight, not at it', () => {
    expect(interaction(drive(escorting(), [people(['p1', TEST_SETTINGS.followMaxDistanceM])]).snapshot)).toBe('serving.escorting.leading');
    const { snapshot, effects } = drive(escorting(), [people(['p1', TEST_SETTINGS.followMaxDistanceM + 0.01])]);
    expect(interaction(snapshot)).toBe('serving.escorting.waitingForCitizen');
    expect(snapshot.children['navigate']).toBeUndefined();
    expect(announced(effects)).toEqual(['escort.waiting']);
    expect(interaction(drive(escorting(), [people(['someone-else', 1])]).snapshot)).toBe('serving.escorting.waitingForCitizen');
  });

  it('walks on once the citizen is within followRejoinDistance again', () => {
    const waiting = drive(escorting(), [people()]).snapshot;
    expect(interaction(drive(waiting, [people(['p1', TEST_SETTINGS.followRejoinDistanceM + 0.01])]).snapshot)).toBe('serving.escorting.waitingForCitizen');
    const walking = drive(waiting, [people(['p1', TEST_SETTINGS.followRejoinDistanceM])]);
    expect(interaction(walking.snapshot)).toBe('serving.escorting.leading');
    expect(announced(walking.effects)).toEqual(['escort.start']);
  });

  it('calls out maxCallOuts times, then gives up, tells the operators and goes back', () => {
    const { snapshot, effects } = run(escorting(), [people(), { fire: 'escortWaitTimeout' }, { fire: 'callOutInterval' }, { fire: 'callOutInterval' }]);
    expect(announced(effects)).toEqual(['escort.waiting', 'escort.callOut', 'escort.callOut', 'escort.gaveUp']);
    expect(alerts(effects)).toEqual(['personLost']);
    expect(interaction(snapshot)).toBe('returning.driving');
    // Found while calling: walking again, and the next loss counts afresh.
    const found = run(escorting(), [people(), { fire: 'escortWaitTimeout' }, people(['p1', 1])]).snapshot;
    expect(interaction(found)).toBe('serving.escorting.leading');
    expect(found.context.callOuts).toBe(0);
  });

  it('does not watch a citizen it never tracked (came by the kiosk)', () => {
    const kiosk = drive(start({ idReaderAvailable: false }), [
      { type: 'kiosk.procedureSelected', procedureId: 'birth_registration', lang: 'en' },
      spoke,
      spoke,
      { type: 'kiosk.answered', answer: 'yes' },
      { type: 'xstate.done.actor.issueTicket', output: { number: 'A001', counterId: 'counter-1' } },
      spoke,
    ]).snapshot;
    expect(kiosk.context.citizenId).toBeNull();
    expect(interaction(drive(kiosk, [people(['p4', 9])]).snapshot)).toBe('serving.escorting.leading');
  });
});

describe('a walk that fails', () => {
  it('tries again maxEscortAttempts times, telling the operators each time, then gives directions and goes back', () => {
    const failed = navDone({ kind: 'failed', reason: 'blocked', detail: 'corridor' });
    const { snapshot, effects } = drive(escorting(), [failed, failed]);
    expect(interaction(snapshot)).toBe('serving.escorting.leading');
    expect(snapshot.context.escortAttempts).toBe(2);
    expect(snapshot.context.lastNav).toEqual({ kind: 'failed', reason: 'blocked', detail: 'corridor' });
    const last = drive(snapshot, [failed]);
    expect(alerts([...effects, ...last.effects])).toEqual(['navFailed', 'navFailed', 'navFailed']);
    expect(saying(last.snapshot)).toBe('escort.failed');
    expect(interaction(drive(last.snapshot, [spoke]).snapshot)).toBe('returning.driving');
    const slow = escorting();
    expect(drive(slow, [timeout(slow, 'escortTimeout')]).snapshot.context.escortAttempts).toBe(1);
  });

  it('a cancelled drive halts and says so; only an operator\'s resume walks on', () => {
    const { snapshot, effects } = drive(escorting(), [navDone({ kind: 'canceled' })]);
    expect(interaction(snapshot)).toBe('serving.escorting.halted');
    expect(announced(effects)).toEqual(['escort.halted']);
    expect(interaction(drive(snapshot, [{ type: 'operator.resume' }]).snapshot)).toBe('serving.escorting.leading');
    expect(interaction(drive(snapshot, [timeout(snapshot, 'haltedTimeout')]).snapshot)).toBe('handoff');
  });

  it('a failure while paused halts instead of trying again', () => {
    const paused = drive(escorting(), [{ type: 'operator.pause' }]).snapshot;
    expect(interaction(paused)).toBe('serving.escorting.halted');
    expect(interaction(drive(paused, [{ type: 'operator.resume' }]).snapshot)).toBe('serving.escorting.leading');
  });

  it('arrived, it says so and goes back after lingering', () => {
    const arrived = drive(escorting(), [navDone({ kind: 'arrived' })]).snapshot;
    expect(saying(arrived)).toBe('escort.arrived');
    expect(arrived.context.lastNav).toEqual({ kind: 'arrived' });
    expect(interaction(drive(arrived, [timeout(arrived, 'arrivedLinger')]).snapshot)).toBe('returning.driving');
  });
});

describe('operators', () => {
  it('send the robot somewhere, then home again', () => {
    const sent = drive(start(), [{ type: 'operator.sendTo', placeId: 'waiting-area' }]).snapshot;
    expect(inputOf(sent, 'navigate')).toEqual({ placeId: 'waiting-area', purpose: 'relocate', speedLimitMps: null, undockFirst: false });
    const resent = drive(sent, [{ type: 'operator.sendTo', placeId: 'counter-2' }]).snapshot;
    expect(inputOf(resent, 'navigate')).toMatchObject({ placeId: 'counter-2', purpose: 'relocate' });
    const there = drive(resent, [navDone({ kind: 'arrived' })]).snapshot;
    expect(interaction(there)).toBe('idle');
    expect(there.context.destinationId).toBeNull();
    expect(inputOf(drive(there, [{ type: 'operator.goHome' }]).snapshot, 'navigate')).toMatchObject({ placeId: TEST_INPUT.homeId, purpose: 'return' });
    expect(interaction(drive(there, [{ type: 'operator.goHome' }, navDone({ kind: 'failed', reason: 'blocked', detail: 'x' })]).snapshot)).toBe('handoff');
  });

  it('take over and hand back: to the citizen if there is one, else home; unanswered, it goes home', () => {
    const taken = drive(listening(), [{ type: 'operator.takeOver' }]).snapshot;
    expect(interaction(taken)).toBe('handoff');
    expect(interaction(drive(taken, [{ type: 'operator.handBack' }]).snapshot)).toBe('serving.listening.waiting');
    const noOne = drive(start(), [{ type: 'operator.takeOver' }]).snapshot;
    expect(interaction(drive(noOne, [{ type: 'operator.handBack' }]).snapshot)).toBe('returning.driving');
    expect(interaction(drive(noOne, [timeout(noOne, 'handoffTimeout')]).snapshot)).toBe('returning.driving');
  });

  it('speak through the robot in the language they choose', () => {
    const { effects } = drive(start(), [{ type: 'operator.say', text: 'Xin chờ một chút', lang: 'vi' }]);
    expect(effects.filter((e) => e.type === 'announce').map((e) => e.params)).toEqual([{ messageId: 'operator.text', lang: 'vi', params: { text: 'Xin chờ một chút' } }]);
  });
});

describe('the kiosk', () => {
  it('a known procedure tapped is answered in the language tapped; an unknown one is ignored', () => {
    const tapped = drive(start(), [{ type: 'kiosk.procedureSelected', procedureId: 'copy_certification', lang: 'ko' }]).snapshot;
    expect(inputOf(tapped, 'speak')).toEqual({ messageId: 'answer.overview', lang: 'ko', params: { procedureId: 'copy_certification', counterId: 'counter-2' } });
    expect(interaction(drive(start(), [{ type: 'kiosk.procedureSelected', procedureId: 'no_such', lang: 'ko' }]).snapshot)).toBe('idle');
    expect(drive(start(), [{ type: 'kiosk.languageSelected', lang: 'en' }]).snapshot.context.lang).toBe('en');
    expect(drive(listening(), [{ type: 'kiosk.languageSelected', lang: 'ko' }]).snapshot.context.lang).toBe('ko');
  });

  it('a tapped yes or no is certain, in the conversation\'s language', () => {
    const yes = drive(offered({ idReaderAvailable: false }), [{ type: 'kiosk.answered', answer: 'yes' }]).snapshot;
    expect(yes.context.classification).toEqual({ intent: 'affirm', procedure: null, lang: 'vi', confidence: 1, alternatives: [] });
    expect(interaction(yes)).toBe('serving.ticketing.issuing');
    const no = drive(offered(), [{ type: 'kiosk.answered', answer: 'no' }]).snapshot;
    expect(no.context.classification).toMatchObject({ intent: 'deny', confidence: 1 });
    expect(saying(no)).toBe('prompt.anythingElse');
  });

  it('words heard while idle are understood at once', () => {
    const { snapshot } = drive(start(), [{ type: 'speech.heard', text: 'giấy khai sinh', lang: 'vi', confidence: 1 }]);
    expect(interaction(snapshot)).toBe('serving.understanding');
    expect(inputOf(snapshot, 'classify')).toEqual({ text: 'giấy khai sinh', langHint: 'vi' });
  });
});

describe('a new conversation', () => {
  it('starts from nothing: what the last one learned is gone when the robot is idle again', () => {
    const home = drive(escorting(), [navDone({ kind: 'arrived' })]).snapshot;
    const back = drive(home, [timeout(home, 'arrivedLinger'), navDone({ kind: 'arrived' })]).snapshot;
    expect(interaction(back)).toBe('idle');
    expect(back.context).toMatchObject({ citizenId: null, procedureId: null, counterId: null, ticket: null, idSummary: null, classification: null, reprompts: 0, pending: 'procedure' });
  });
});

describe('whom the robot talks to', () => {
  it('greets someone at exactly the greeting radius and takes them as its citizen', () => {
    expect(drive(start(), [people(['p1', TEST_SETTINGS.greetRadiusM])]).snapshot.context.citizenId).toBe('p1');
  });

  it('while talking, takes whoever now stands nearest within reach, and keeps its citizen when nobody is in reach', () => {
    const talking = listening();
    expect(talking.context.citizenId).toBe('p1');
    expect(drive(talking, [people(['p1', 1.2], ['p2', 0.5])]).snapshot.context.citizenId).toBe('p2');
    expect(drive(talking, [people(['p1', 5], ['p2', TEST_SETTINGS.greetRadiusM])]).snapshot.context.citizenId).toBe('p2');
    expect(drive(talking, [people()]).snapshot.context.citizenId).toBe('p1');
    expect(drive(talking, [people(['p2', TEST_SETTINGS.greetRadiusM + 0.5])]).snapshot.context.citizenId).toBe('p1');
  });

  it('waiting on the way, walks on only when its own citizen is close, not someone else', () => {
    const waiting = drive(escorting(), [people()]).snapshot;
    expect(interaction(drive(waiting, [people(['p9', 1], ['p1', 5])]).snapshot)).toBe('serving.escorting.waitingForCitizen');
  });
});

describe('when it does not start a conversation', () => {
  it('a robot charging off the dock greets nobody', () => {
    const charging = drive(start(), [battery(50, true)]).snapshot;
    expect(power(charging)).toBe('charging');
    expect(interaction(drive(charging, [people(['p1', 1])]).snapshot)).toBe('idle');
  });

  it('an idle robot with a critical battery docks too', () => {
    expect(interaction(drive(start(), [battery(TEST_SETTINGS.batteryCriticalPercent)]).snapshot)).toBe('docking.driving');
  });
});

describe('answers that depend on the question open', () => {
  it('a procedure whose form takes no card is ticketed without asking for one', () => {
    const offeredCopy = drive(listening(), [...says({ procedure: 'copy_certification' }), spoke, spoke]).snapshot;
    expect(offeredCopy.context.pending).toBe('offerEscort');
    const accepted = drive(offeredCopy, says({ intent: 'affirm' })).snapshot;
    expect(interaction(accepted)).toBe('serving.ticketing.issuing');
    expect(inputOf(accepted, 'issueTicket')).toEqual({ procedureId: 'copy_certification', field: 'certification', counterId: 'counter-2', requestId: null });
  });

  it('a yes that names the procedure already discussed, or one the catalog does not know, accepts the offer', () => {
    expect(interaction(drive(offered(), says({ intent: 'affirm', procedure: 'birth_registration' })).snapshot)).toBe('serving.scanningId.askingConsent');
    expect(interaction(drive(offered(), says({ intent: 'request_escort', procedure: 'birth_registration' })).snapshot)).toBe('serving.scanningId.askingConsent');
    expect(interaction(drive(offered(), says({ intent: 'affirm', procedure: 'no_such_procedure' })).snapshot)).toBe('serving.scanningId.askingConsent');
  });

  it('small talk after the offer asks the offer again; a yes after "anything else?" is no offer accepted', () => {
    const greeted = drive(offered(), says({ intent: 'greet' })).snapshot;
    expect(interaction(greeted)).toBe('serving.listening.reprompting');
    expect(saying(greeted)).toBe('prompt.offerEscort');
    const anythingElse = drive(offered(), [...says({ intent: 'deny' }), spoke]).snapshot;
    const yes = drive(anythingElse, says({ intent: 'affirm' })).snapshot;
    expect(interaction(yes)).toBe('serving.listening.reprompting');
    expect(saying(yes)).toBe('prompt.anythingElse');
  });

  it('a question while consent, confirmation or "anything else?" is open is answered, not taken for a no', () => {
    const consent = drive(offered(), [...says({ intent: 'affirm' }), spoke]).snapshot;
    expect(saying(drive(consent, says({ intent: 'ask_fee' })).snapshot)).toBe('answer.fee');
    const confirming = drive(consent, [...says({ intent: 'affirm' }), { type: 'xstate.done.actor.readId', output: { requestId: 'r1', cardsRead: 1 } }, spoke]).snapshot;
    const asked = drive(confirming, says({ intent: 'ask_fee' }));
    expect(saying(asked.snapshot)).toBe('answer.fee');
    expect(asked.effects.filter((e) => e.type === 'discardIdRequest')).toEqual([]);
    const anythingElse = drive(offered(), [...says({ intent: 'deny' }), spoke]).snapshot;
    expect(saying(drive(anythingElse, says({ intent: 'ask_fee' })).snapshot)).toBe('answer.fee');
  });
});

describe('promises the machine\'s structure keeps', () => {
  it('a state entered without what it needs names the missing value instead of sending an empty id', () => {
    expect(() => required(null, 'counterId')).toThrow(new Error('guide machine: counterId must be set here'));
    expect(() => required(undefined, 'procedureId')).toThrow(new Error('guide machine: procedureId must be set here'));
    expect(required('counter-1', 'counterId')).toBe('counter-1');
    expect(() => classified(start().context)).toThrow(new Error('guide machine: classification must be set here'));
  });
});
