import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_VERSION } from '../appInfo';
import type { ClientMessage, ServerMessage } from '../contract/wire';
import type { Dispatch } from '../handlers/router';
import type { EventBus } from '../eventBus';
import { DisposableStore, toDisposable, type Disposable } from '../lifecycle';
import type { Logger } from '../logger';

const MAX_MESSAGE_BYTES = 1024 * 1024;

function parseClientMessage(data: unknown): ClientMessage | null {
  if (typeof data !== 'string') return null;
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const m = v as Record<string, unknown>;
  if (m.t !== 'req' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || typeof m.channel !== 'string') return null;
  return { t: 'req', id: m.id, channel: m.channel, input: m.input };
}

/**
 * Carries the contract over WebSocket. Authentication happens before the upgrade (the server
 * only hands us sockets it has accepted); here every frame is parsed as untrusted input.
 */
export class WsTransport implements Disposable {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly store = new DisposableStore();

  constructor(
    private readonly dispatch: Dispatch,
    events: EventBus,
    private readonly log: Logger,
  ) {
    this.store.add(
      events.onAny((name, payload) => {
        const frame = JSON.stringify({ t: 'evt', name, payload } satisfies ServerMessage);
        for (const client of this.wss.clients) if (client.readyState === client.OPEN) client.send(frame);
      }),
    );
    this.store.add(toDisposable(() => {
      for (const client of this.wss.clients) client.terminate();
      this.wss.close();
    }));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws));
  }

  get clientCount(): number {
    return this.wss.clients.size;
  }

  private attach(ws: WebSocket): void {
    const inflight = new AbortController();
    ws.on('close', () => inflight.abort());
    // Protocol errors (oversize frame, invalid UTF-8, unmasked frame, RSV bits, bad opcode or close
    // code): ws has already closed the socket with the matching code (1009, 1007, 1002); without
    // this listener the 'error' event would end the whole process.
    ws.on('error', (e: Error & { code?: string }) => this.log.warn('ws: protocol error, socket closed', { code: e.code, message: e.message }));
    ws.send(JSON.stringify({ t: 'hello', version: APP_VERSION } satisfies ServerMessage));
    ws.on('message', (data, isBinary) => {
      const msg = isBinary ? null : parseClientMessage(data.toString('utf8'));
      if (!msg) {
        this.log.warn('ws: malformed frame, closing');
        ws.close(1003, 'malformed message');
        return;
      }
      void this.answer(ws, msg, inflight.signal);
    });
  }

  private async answer(ws: WebSocket, msg: ClientMessage, signal: AbortSignal): Promise<void> {
    try {
      const envelope = await this.dispatch(msg.channel, msg.input, { transport: 'ws', signal });
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'res', id: msg.id, envelope } satisfies ServerMessage));
    } catch (e) {
      this.log.error('ws: answering a request failed', { channel: msg.channel.slice(0, 80), message: e instanceof Error ? e.message : String(e) });
      const envelope = { ok: false, error: { code: 'internal', message: 'The answer could not be sent; see the studio log.' } } as const;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'res', id: msg.id, envelope } satisfies ServerMessage));
    }
  }

  dispose(): void {
    this.store.dispose();
  }
}
