import type { ControllerRecord } from './controller.js';

/** What a run's summary counts from the controller's own records: what only the controller knows. */
export interface ControllerFigures {
  readonly ticketsIssued: number;
  /** Requests pre-filled from ID cards. */
  readonly requestsPrefilled: number;
  /** Cards whose QR did not read. */
  readonly idReadsFailed: number;
  /** Times the robot asked staff to take over. */
  readonly handoffs: number;
}

/** Counts the figures from records as they come; the same counting wherever the controller runs. */
export function countControllerFigures(): { count(record: ControllerRecord): void; figures(): ControllerFigures } {
  let ticketsIssued = 0;
  let requestsPrefilled = 0;
  let idReadsFailed = 0;
  let handoffs = 0;
  return {
    count(record) {
      if (record.kind === 'alert' && record.alert === 'helpRequested') handoffs += 1;
      if (record.kind === 'ticket') ticketsIssued += 1;
      if (record.kind === 'idRead') requestsPrefilled += 1;
      if (record.kind === 'said' && record.messageId === 'id.readFailed') idReadsFailed += 1;
    },
    figures: () => ({ ticketsIssued, requestsPrefilled, idReadsFailed, handoffs }),
  };
}
