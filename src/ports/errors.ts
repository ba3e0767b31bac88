/**
 * Faults carry a stable `code` so callers branch on it, never on message text.
 * Expected outcomes (arrived, blocked, declined…) are values, not errors.
 */
export class TiepdanError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`tiepdan ${code}: ${message}`, options);
    this.name = 'TiepdanError';
    this.code = code;
  }
}
