import { estimateWaitS, RECENT_CALLS, serviceDay } from '../service-day.js';
import { FIELDS, type Field } from '../../ports/robot-base.js';
import { formatTicketNumber, parseTicketNumber, type FieldStatus, type PriorityReason, type Queue, type QueueTicket, type TicketRequest } from '../../ports/queue.js';
import type { Database } from '../../store/database.js';

interface Row {
  day: string;
  field: string;
  seq: number;
  priority: string | null;
  procedure_id: string | null;
  issued_at: number;
  called_at: number | null;
  counter_id: string | null;
}

function ticketOf(row: Row): QueueTicket {
  const field = row.field as Field;
  return {
    number: formatTicketNumber(field, row.seq),
    field,
    day: row.day,
    seq: row.seq,
    priority: row.priority as PriorityReason | null,
    procedureId: row.procedure_id,
    issuedAtMs: row.issued_at,
    calledAtMs: row.called_at,
    counterId: row.counter_id,
  };
}

/**
 * The queue in the controller's SQLite file (its `tickets` table). Every issue and call is one
 * IMMEDIATE transaction, so processes sharing the file never hand out a number twice or skip one;
 * WAL keeps readers from blocking the writer.
 */
export function openSqliteQueue(database: Database, now: () => number = Date.now): Queue {
  const db = database.connection;
  const nextSeq = db.prepare<[string, string], { next: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM tickets WHERE day = ? AND field = ?');
  const insert = db.prepare('INSERT INTO tickets (day, field, seq, priority, procedure_id, issued_at) VALUES (?, ?, ?, ?, ?, ?)');
  const select = db.prepare<[string, string, number], Row>('SELECT * FROM tickets WHERE day = ? AND field = ? AND seq = ?');
  const markCalled = db.prepare('UPDATE tickets SET called_at = ?, counter_id = ? WHERE day = ? AND field = ? AND seq = ?');
  // In order of issue, which the rowid keeps: not by issued_at, since the clock may be set back between two tickets.
  const waitingRows = db.prepare<[string], Row>('SELECT * FROM tickets WHERE day = ? AND called_at IS NULL ORDER BY (priority IS NULL), rowid');
  const recentCalls = db.prepare<[string, string, number], { called_at: number }>(
    'SELECT called_at FROM tickets WHERE day = ? AND field = ? AND called_at IS NOT NULL ORDER BY called_at DESC LIMIT ?',
  );
  const lastAtCounter = db.prepare<[string, string], Row>('SELECT * FROM tickets WHERE day = ? AND counter_id = ? ORDER BY called_at DESC LIMIT 1');
  const calledAtTime = db.prepare<[string, string, number], Row>('SELECT * FROM tickets WHERE day = ? AND field = ? AND called_at = ?');

  const issue = db.transaction((request: TicketRequest, at: number): QueueTicket => {
    if (!FIELDS.includes(request.field)) throw new Error(`queue: unknown field ${String(request.field)}`);
    const day = serviceDay(at);
    const seq = nextSeq.get(day, request.field)!.next;
    insert.run(day, request.field, seq, request.priority ?? null, request.procedureId ?? null, at);
    return ticketOf(select.get(day, request.field, seq)!);
  });

  const callNext = db.transaction((counterId: string, fields: readonly Field[], at: number): QueueTicket | null => {
    const day = serviceDay(at);
    const next = waitingRows.all(day).find((row) => fields.includes(row.field as Field));
    if (next === undefined) return null;
    markCalled.run(at, counterId, next.day, next.field, next.seq);
    return ticketOf({ ...next, called_at: at, counter_id: counterId });
  });

  return {
    issue: (request) => issue.immediate(request, now()),
    callNext: (counterId, fields) => callNext.immediate(counterId, fields, now()),
    lastCalledAt(counterId) {
      const row = lastAtCounter.get(serviceDay(now()), counterId);
      return row === undefined ? null : ticketOf(row);
    },
    find(number) {
      const parsed = parseTicketNumber(number);
      if (parsed === null) return null;
      const row = select.get(serviceDay(now()), parsed.field, parsed.seq);
      return row === undefined ? null : ticketOf(row);
    },
    waiting(field) {
      return waitingRows
        .all(serviceDay(now()))
        .filter((row) => field === undefined || row.field === field)
        .map(ticketOf);
    },
    status() {
      const day = serviceDay(now());
      const waiting = waitingRows.all(day);
      return FIELDS.map((field): FieldStatus => {
        const mine = waiting.filter((row) => row.field === field).length;
        const last = recentCalls.get(day, field, 1);
        const lastRow = last === undefined ? undefined : calledAtTime.get(day, field, last.called_at);
        return {
          field,
          waiting: mine,
          lastCalled: lastRow === undefined ? null : ticketOf(lastRow).number,
          estimatedWaitS: estimateWaitS(
            mine,
            recentCalls.all(day, field, RECENT_CALLS + 1).map((r) => r.called_at),
          ),
        };
      });
    },
    // The connection is the handle's: its owner closes it.
    close: () => {},
  };
}
