import { clientMessageSchema, PROTOCOL_VERSION, serverMessageSchema, type ClientMessage, type ServerMessage } from '../../console/protocol.js';

export type LinkStatus = 'connecting' | 'open' | 'closed';
type CommandBody = ClientMessage extends infer M ? (M extends ClientMessage ? Omit<M, 'v' | 'robotId' | 'requestId'> : never) : never;
export interface CommandResult {
  readonly ok: boolean;
  readonly reason?: string | undefined;
  readonly data?: unknown;
}

/**
 * The page's websocket: every message in is checked against the protocol's schemas (a bad one is
 * dropped, not trusted), every command out too; reconnects by itself with a growing pause.
 */
export class Link {
  private ws: WebSocket | null = null;
  private seq = 0;
  private retryMs = 500;
  private robotId = 'robot-1';
  private readonly pending = new Map<string, (result: CommandResult) => void>();
  dropped = 0;

  constructor(
    private readonly onMessage: (message: ServerMessage) => void,
    private readonly onStatus: (status: LinkStatus) => void,
  ) {
    this.open();
  }

  private open(): void {
    this.onStatus('connecting');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    this.ws = ws;
    ws.addEventListener('open', () => {
      this.retryMs = 500;
      this.onStatus('open');
    });
    ws.addEventListener('message', (event) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(event.data));
      } catch {
        this.dropped += 1;
        return;
      }
      const parsed = serverMessageSchema.safeParse(raw);
      if (!parsed.success) {
        this.dropped += 1;
        return;
      }
      const message = parsed.data;
      if (message.type === 'snapshot') this.robotId = message.robotId;
      if (message.type === 'command.result') {
        this.pending.get(message.requestId)?.({ ok: message.ok, reason: message.reason, data: message.data });
        this.pending.delete(message.requestId);
      }
      this.onMessage(message);
    });
    ws.addEventListener('close', () => {
      this.ws = null;
      this.onStatus('closed');
      for (const resolve of this.pending.values()) resolve({ ok: false, reason: 'the connection closed before an answer' });
      this.pending.clear();
      setTimeout(() => void this.reopen(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  /** A session that ended (expiry, logout elsewhere) shows the login form again instead of retrying forever. */
  private async reopen(): Promise<void> {
    try {
      const res = await fetch('/api/me', { credentials: 'same-origin' });
      if (res.status === 401) return location.reload();
    } catch {
      // The server is down: keep trying.
    }
    this.open();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends a command; resolves with the server's ack or refusal. */
  command(body: CommandBody): Promise<CommandResult> {
    this.seq += 1;
    const requestId = `c${this.seq}`;
    const checked = clientMessageSchema.safeParse({ ...body, v: PROTOCOL_VERSION, robotId: this.robotId, requestId });
    if (!checked.success) return Promise.resolve({ ok: false, reason: 'not a valid command (checked before sending)' });
    const ws = this.ws;
    if (ws === null || ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, reason: 'not connected; reconnecting' });
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      ws.send(JSON.stringify(checked.data));
    });
  }
}
