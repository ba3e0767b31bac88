import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { projectPath } from '../paths.js';
import { TiepdanError } from '../ports/errors.js';

/**
 * The driver's end of a `tiepdan sim --via ros2` side running as a child process: it starts and
 * stops the side and hears its figures at the end. Everything the robot does goes over ROS 2, never
 * through here. A side answers each request with one message, or `{ type: 'failed', message }`.
 */

export type SideMessage = { readonly type: string; readonly [key: string]: unknown };

/** A side's module: beside this one when built; from `dist/` when this runs from source (tests). */
export function sideEntry(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const entry = here.endsWith('.js') ? fileURLToPath(new URL(`./${name}.js`, import.meta.url)) : projectPath('dist', 'src', 'cli', `${name}.js`);
  if (!existsSync(entry)) throw new TiepdanError('build_missing', `${entry} is missing: run \`npm run build\` first (the sides of a run over ROS 2 run from the build)`);
  return entry;
}

interface Waiter {
  readonly type: string;
  readonly onOther: (message: SideMessage) => void;
  readonly resolve: (message: SideMessage) => void;
  readonly reject: (error: Error) => void;
}

export class SideProcess {
  readonly #name: string;
  readonly #child: ChildProcess;
  readonly #inbox: SideMessage[] = [];
  #waiter: Waiter | null = null;
  #ended: Error | null = null;

  constructor(name: string, entry: string, env: NodeJS.ProcessEnv, onStderr: (line: string) => void) {
    this.#name = name;
    this.#child = fork(entry, [], { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.#child.stderr?.setEncoding('utf8');
    this.#child.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim() !== '') onStderr(`${name}: ${line}`);
    });
    this.#child.on('message', (message: SideMessage) => this.#receive(message));
    this.#child.on('exit', (code, signal) => this.#end(new TiepdanError('ros2_failed', `the ${name} process ended (${signal ?? `exit ${code}`})`)));
    this.#child.on('error', (error) => this.#end(new TiepdanError('ros2_failed', `the ${name} process failed: ${error.message}`, { cause: error })));
  }

  send(message: { readonly type: string }): void {
    if (this.#ended === null && this.#child.connected) this.#child.send(message);
  }

  /** The next message of this type; rejects on the side's failure or exit. Other messages go to `onOther`. */
  next(type: string, onOther: (message: SideMessage) => void = () => undefined): Promise<SideMessage> {
    if (this.#waiter !== null) return Promise.reject(new Error(`${this.#name}: already waiting for ${this.#waiter.type}`));
    return new Promise((resolve, reject) => {
      this.#waiter = { type, onOther, resolve, reject };
      this.#drain();
    });
  }

  /** Ends the process if it has not ended by itself within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.#ended !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    this.#child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }

  /** Resolves when the process has exited. */
  exited(): Promise<void> {
    if (this.#ended !== null) return Promise.resolve();
    return new Promise((resolve) => this.#child.once('exit', () => resolve()));
  }

  #receive(message: SideMessage): void {
    this.#inbox.push(message);
    this.#drain();
  }

  #drain(): void {
    while (this.#waiter !== null) {
      const message = this.#inbox.shift();
      if (message === undefined) {
        if (this.#ended !== null) this.#settle((w) => w.reject(this.#ended!));
        return;
      }
      if (message.type === this.#waiter.type) this.#settle((w) => w.resolve(message));
      else if (message.type === 'failed') this.#settle((w) => w.reject(new TiepdanError('ros2_failed', `${this.#name}: ${String(message['message'])}`)));
      else this.#waiter.onOther(message);
    }
  }

  #settle(then: (waiter: Waiter) => void): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    if (waiter !== null) then(waiter);
  }

  #end(error: Error): void {
    if (this.#ended !== null) return;
    this.#ended = error;
    this.#drain();
  }
}
