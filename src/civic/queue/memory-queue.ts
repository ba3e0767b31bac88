import { FIELDS, type Field } from '../../ports/robot-base.js';
import { formatTicketNumber, type FieldStatus, type Queue, type QueueTicket } from '../../ports/queue.js';
import { estimateWaitS, serviceDay } from '../service-day.js';

/**
 * The Queue port in memory, for tests and the headless simulator: same numbering, priority and
 * day rules as the SQLite queue, gone when the process ends.
 */
export function createMemoryQueue(now: () => number = Date.now): Queue {
  const tickets: QueueTicket[] = [];
  const today = () => serviceDay(now());
  // Tickets are kept in the order they were issued and the sort is stable, so within priority they
  // stay in that order: not by the clock, which may be set back between two tickets.
  const waitingToday = () =>
    tickets
      .filter((t) => t.day === today() && t.calledAtMs === null)
      .sort((a, b) => Number(a.priority === null) - Number(b.priority === null));
  const calledToday = (field: Field) =>
    tickets.filter((t) => t.day === today() && t.field === field && t.calledAtMs !== null).sort((a, b) => b.calledAtMs! - a.calledAtMs!);
  return {
    issue(request) {
      const day = today();
      const seq = tickets.filter((t) => t.day === day && t.field === request.field).length + 1;
      const ticket: QueueTicket = {
        number: formatTicketNumber(request.field, seq),
        field: request.field,
        day,
        seq,
        priority: request.priority ?? null,
        procedureId: request.procedureId ?? null,
        issuedAtMs: now(),
        calledAtMs: null,
        counterId: null,
      };
      tickets.push(ticket);
      return ticket;
    },
    callNext(counterId, fields) {
      const next = waitingToday().find((t) => fields.includes(t.field));
      if (next === undefined) return null;
      const called = { ...next, calledAtMs: now(), counterId };
      tickets[tickets.indexOf(next)] = called;
      return called;
    },
    lastCalledAt(counterId) {
      const mine = tickets.filter((t) => t.day === today() && t.counterId === counterId);
      return mine.sort((a, b) => b.calledAtMs! - a.calledAtMs!)[0] ?? null;
    },
    find: (number) => tickets.find((t) => t.day === today() && t.number === number) ?? null,
    waiting: (field) => waitingToday().filter((t) => field === undefined || t.field === field),
    status() {
      const waiting = waitingToday();
      return FIELDS.map((field): FieldStatus => {
        const calls = calledToday(field);
        const mine = waiting.filter((t) => t.field === field).length;
        return { field, waiting: mine, lastCalled: calls[0]?.number ?? null, estimatedWaitS: estimateWaitS(mine, calls.map((t) => t.calledAtMs!)) };
      });
    },
    close: () => {},
  };
}
