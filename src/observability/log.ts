import { closeSync, existsSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Level, type Logger } from 'pino';
import type { ControllerRecord } from '../app/controller.js';
import { maskTranscript } from '../console/controller-backend.js';
import { TiepdanError } from '../ports/errors.js';
import { PRIVATE_FILE_MODE, tightenIfPresent } from '../util/private-file.js';

/** 10 MiB a file and 10 files (the current one and 9 rotated): a year of a busy lobby stays under 100 MiB. */
export const DEFAULT_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 10;
/** Below this a rotation notice or a replaced oversized line would not fit. */
const MIN_LOG_MAX_BYTES = 1024;

export interface RotatingFileOptions {
  /** The current file; rotated ones are `FILE.1` (newest) to `FILE.<maxFiles - 1>` (oldest). */
  readonly file: string;
  /** No file grows past this; default 10 MiB. A single line longer than it is replaced by a short notice. */
  readonly maxBytes?: number;
  /** Files kept, the current one included; default 10. */
  readonly maxFiles?: number;
  /** A write or rotation failed (disk full, permissions): called once, and logging carries on dropping lines. */
  readonly onError?: (error: Error) => void;
}

/** A synchronous destination for pino: each line is written before `write` returns, so a crash loses none. */
export interface RotatingFile {
  write(line: string): boolean;
  /** Lines that could not be written. */
  readonly dropped: number;
  end(): void;
}

/**
 * Appends lines to a file and rotates it by size, keeping at most `maxFiles` files of at most
 * `maxBytes` each. Synchronous on purpose: pino's asynchronous transports need a worker thread, and
 * at a few lines a second a write syscall per line costs nothing worth measuring.
 */
export function openRotatingFile(options: RotatingFileOptions): RotatingFile {
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  const maxFiles = options.maxFiles ?? DEFAULT_LOG_MAX_FILES;
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_LOG_MAX_BYTES) throw new TiepdanError('log_options', `the log size limit must be at least ${MIN_LOG_MAX_BYTES} bytes`);
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new TiepdanError('log_options', 'keep at least one log file');
  const file = options.file;
  mkdirSync(dirname(file), { recursive: true });
  // Log lines are masked, but a log is still about citizens: owner only, whatever the umask. Files
  // rotated by an older version are tightened as well.
  const openPrivate = (flags: 'a' | 'w'): number => {
    const opened = openSync(file, flags, PRIVATE_FILE_MODE);
    fchmodSync(opened, PRIVATE_FILE_MODE);
    return opened;
  };
  for (let i = 1; i < maxFiles; i += 1) tightenIfPresent(`${file}.${i}`);
  let fd: number | null = openPrivate('a');
  let size = fstatSync(fd).size;
  let dropped = 0;
  let reported = false;
  let ended = false;
  const fail = (error: unknown) => {
    dropped += 1;
    if (reported) return;
    reported = true;
    const e = error instanceof Error ? error : new Error(String(error));
    (options.onError ?? ((x: Error) => process.stderr.write(`log: ${x.message}; dropping log lines from now on\n`)))(e);
  };

  const rotate = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    for (let i = maxFiles - 1; i >= 1; i -= 1) {
      const from = i === 1 ? file : `${file}.${i - 1}`;
      if (existsSync(from)) renameSync(from, `${file}.${i}`);
    }
    // With maxFiles 1 the current file was not renamed: start it again.
    fd = openPrivate('w');
    size = 0;
  };

  return {
    write(line) {
      if (ended) {
        dropped += 1;
        return true;
      }
      let text = line;
      let bytes = Buffer.byteLength(text);
      if (bytes > maxBytes) {
        text = `${JSON.stringify({ level: 40, time: Date.now(), msg: `a log line of ${bytes} bytes was longer than the file limit and was dropped` })}\n`;
        bytes = Buffer.byteLength(text);
      }
      try {
        // A failed rotation leaves no file open: the next line tries again.
        if (fd === null) {
          fd = openPrivate('a');
          size = fstatSync(fd).size;
        }
        if (size > 0 && size + bytes > maxBytes) rotate();
        writeSync(fd!, text);
        size += bytes;
      } catch (error) {
        fail(error);
      }
      // pino reads the return value as "not backed up": a synchronous file never is.
      return true;
    },
    get dropped() {
      return dropped;
    },
    end() {
      ended = true;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/**
 * Card and request fields that are personal data, wherever they sit: at the top of a logged object
 * or one or two levels down. `cards.*` and `fields.*` go whole (a card, a pre-filled form).
 */
const PERSONAL_KEYS = ['idNumber', 'oldIdNumber', 'fullName', 'dateOfBirth', 'address', 'permanentAddress', 'placeOfOrigin'];
export const REDACT_PATHS: readonly string[] = [
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((k) => `*.${k}`),
  ...PERSONAL_KEYS.map((k) => `*.*.${k}`),
  'fields.*',
  'cards.*',
  '*.fields.*',
  '*.cards.*',
];
export const REDACTED = '[redacted]';

/** Ids the controller makes itself (`robot-1-<ms>-<seq>`), kept whole so a line can be matched to its request. */
const GENERATED_KEYS = new Set(['requestId']);

/** A copy with every string's long digit runs masked (an ID number said aloud, in an error message...). */
export function maskStrings(value: unknown, seen: WeakSet<object> = new WeakSet(), depth = 0): unknown {
  if (typeof value === 'string') return maskTranscript(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 8) return '[omitted]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      ...(typeof code === 'string' ? { code } : {}),
      message: maskTranscript(value.message),
      ...(value.stack !== undefined ? { stack: maskTranscript(value.stack) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, seen, depth + 1));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = GENERATED_KEYS.has(k) && typeof v === 'string' && /^[\w-]+-\d+-\d+$/.test(v) ? v : maskStrings(v, seen, depth + 1);
  return out;
}

export interface LogOptions {
  /** Where the JSON lines go; see `RotatingFileOptions` for the limits. */
  readonly file: string;
  readonly maxBytes?: number;
  readonly maxFiles?: number;
  /** Default `info`. */
  readonly level?: Level;
  /** Fields on every line, e.g. `{ robotId }`; never personal data. */
  readonly bindings?: Readonly<Record<string, string>>;
  readonly onError?: (error: Error) => void;
}

export interface TiepdanLog {
  readonly logger: Logger;
  readonly file: RotatingFile;
  close(): void;
}

/**
 * A pino logger writing JSON lines to a size-rotated file, with personal data removed at the logger
 * itself, so no caller can forget: known card and form fields are redacted by path, and every string
 * (the message included) has its long digit runs masked.
 */
export function createLog(options: LogOptions): TiepdanLog {
  const file = openRotatingFile({
    file: options.file,
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
    ...(options.maxFiles !== undefined ? { maxFiles: options.maxFiles } : {}),
    ...(options.onError !== undefined ? { onError: options.onError } : {}),
  });
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: { ...options.bindings },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      formatters: { log: (object) => maskStrings(object) as Record<string, unknown> },
      // Errors arrive here already as masked plain objects (above); pino's own serializer would name them "Object".
      serializers: { err: (e: unknown) => e },
      hooks: {
        logMethod(args, method) {
          // The message and its format arguments; the merging object goes through `formatters.log`.
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskTranscript(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    file,
  );
  return { logger, file, close: () => file.end() };
}

/** One line per controller record: its kind and fields, with `tS` the controller's clock in seconds. */
export function logRecord(logger: Logger, tS: number, record: ControllerRecord): void {
  const level = record.kind === 'error' ? 'error' : record.kind === 'alert' ? 'warn' : 'info';
  logger[level]({ tS: Math.round(tS * 1000) / 1000, ...record }, record.kind);
}
