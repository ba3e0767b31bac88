import type { Lang } from '../ports/common.js';
import type { RobotBase } from '../ports/robot-base.js';
import type { Database } from '../store/database.js';
import type { Controller, ControllerRecord } from './controller.js';
import { describeState } from './controller.js';

/**
 * What the controller must not forget across a crash: where the conversation was, in which
 * language, for which procedure, counter and ticket. Ids only: never a name, a card or a transcript.
 * Tickets themselves live in the queue's table and survive on their own.
 */
export interface Checkpoint {
  readonly interaction: string;
  readonly lang: Lang;
  readonly procedureId: string | null;
  readonly counterId: string | null;
  readonly ticketNumber: string | null;
  readonly atMs: number;
}

export interface CheckpointStore {
  save(checkpoint: Checkpoint): void;
  /** The last checkpoint written, or null on a first start. */
  load(): Checkpoint | null;
  close(): void;
}

/** One row in the controller's SQLite file, rewritten at every state change (synchronous: a kill right after loses nothing). */
export function openCheckpointStore(database: Database): CheckpointStore {
  const db = database.connection;
  const upsert = db.prepare(
    `INSERT INTO controller_checkpoint (id, interaction, lang, procedure_id, counter_id, ticket_number, at_ms) VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET interaction = excluded.interaction, lang = excluded.lang, procedure_id = excluded.procedure_id,
       counter_id = excluded.counter_id, ticket_number = excluded.ticket_number, at_ms = excluded.at_ms`,
  );
  const select = db.prepare<[], { interaction: string; lang: Lang; procedure_id: string | null; counter_id: string | null; ticket_number: string | null; at_ms: number }>(
    'SELECT * FROM controller_checkpoint WHERE id = 1',
  );
  return {
    save: (c) => void upsert.run(c.interaction, c.lang, c.procedureId, c.counterId, c.ticketNumber, c.atMs),
    load() {
      const row = select.get();
      return row === undefined
        ? null
        : { interaction: row.interaction, lang: row.lang, procedureId: row.procedure_id, counterId: row.counter_id, ticketNumber: row.ticket_number, atMs: row.at_ms };
    },
    // The connection is the handle's: its owner closes it.
    close: () => {},
  };
}

/** The checkpoint of a running controller, now. */
function checkpointOf(controller: Controller, atMs: number): Checkpoint {
  const snapshot = controller.snapshot();
  const value = snapshot.value as Record<string, unknown>;
  const { lang, procedureId, counterId, ticket } = snapshot.context;
  return { interaction: describeState(value['interaction']), lang, procedureId, counterId, ticketNumber: ticket?.number ?? null, atMs };
}

/**
 * Writes the checkpoint whenever a record says the conversation moved on (a state change or a
 * ticket): call it from the controller's `record` callback, before the record goes anywhere else.
 */
export function checkpointOnChange(store: CheckpointStore, controller: () => Controller, now: () => number): (record: ControllerRecord) => void {
  return (record) => {
    if (record.kind === 'state' || record.kind === 'ticket') store.save(checkpointOf(controller(), now()));
  };
}

/** A citizen was being served, walked or waiting for staff when the controller went down. */
export function citizenWasWaiting(checkpoint: Checkpoint | null): boolean {
  if (checkpoint === null) return false;
  return checkpoint.interaction.startsWith('serving') || checkpoint.interaction === 'handoff' || checkpoint.interaction === 'goodbye';
}

/**
 * Starts a controller after a restart. Before anything else the base is stopped (whatever it was
 * doing when the last process died) and released; only then does the controller start hearing and
 * seeing, so nothing it does can come before the stop. A citizen who was being served is handed to
 * staff in their language, which tells them what happens next and alerts the operators; then the
 * robot goes back to its post. The checkpoint is the one read before this controller was built
 * (its first state overwrites it).
 */
export async function startAfterRestart(controller: Controller, base: RobotBase, checkpoint: Checkpoint | null): Promise<'fresh' | 'handedOff'> {
  await base.stop('restart');
  await base.release();
  controller.start();
  if (!citizenWasWaiting(checkpoint)) return 'fresh';
  controller.send({ type: 'kiosk.languageSelected', lang: checkpoint!.lang });
  controller.send({ type: 'operator.takeOver' });
  return 'handedOff';
}
