// *.dom.test.ts: typechecked with the DOM library (tsconfig.e2e.json), as the page code it loads needs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { eventNames } from '../../../main/core/contract/index';
import { WS_PATH, type ServerMessage } from '../../../main/core/contract/wire';
import { createWsPort } from '../../../renderer/src/transport/wsPort';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** A real WebSocket server standing in for `wan-studio serve`; resolves with the page's socket. */
async function studioSocket(): Promise<{ connected: Promise<ServerSocket> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: WS_PATH });
  cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as { port: number };
  vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${port}` });
  const connected = new Promise<ServerSocket>((resolve) => wss.once('connection', resolve));
  cleanups.push(async () => (await connected).terminate());
  return { connected };
}

describe('the page’s WebSocket port', () => {
  it('a listener that throws is logged and the other listeners still get the event', async () => {
    const { connected } = await studioSocket();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const port = createWsPort();
    const name = eventNames[0]!;
    const received: unknown[] = [];
    const secondGotIt = new Promise<void>((resolve) => {
      // Unsubscribed before the server goes, so the port does not try to reconnect.
      cleanups.push(
        port.subscribe(name, () => {
          throw new Error('a broken panel');
        }),
      );
      cleanups.push(
        port.subscribe(name, (payload) => {
          received.push(payload);
          resolve();
        }),
      );
    });
    const socket = await connected;
    socket.send(JSON.stringify({ t: 'evt', name, payload: { n: 1 } } satisfies ServerMessage));
    await secondGotIt;
    expect(received).toEqual([{ n: 1 }]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toContain(name);
    expect((errors.mock.calls[0]![1] as Error).message).toBe('a broken panel');
  });
});
