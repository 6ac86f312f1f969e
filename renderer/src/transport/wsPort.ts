import type { FileRef, TransportPort } from '../../../main/core/contract/api';
import type { Envelope } from '../../../main/core/contract/errors';
import type { Channel, EventName } from '../../../main/core/contract/index';
import { MEDIA_PATH, UPLOAD_PATH, WS_PATH, type ClientMessage, type ServerMessage } from '../../../main/core/contract/wire';

const LOST: Envelope<never> = {
  ok: false,
  error: { code: 'unavailable', message: 'Lost the connection to the studio server. Check that "wan-studio serve" is still running, then try again.' },
};

/**
 * The contract over WebSocket, for the page served by `wan-studio serve`. Requests made while
 * (re)connecting wait for the socket; a dropped connection fails the requests in flight with a
 * readable error and reconnects with backoff. The server authenticates us by the HttpOnly
 * cookie it set when the page was opened with its token.
 */
export function createWsPort(): TransportPort {
  let socket: WebSocket | null = null;
  let open: Promise<WebSocket> | null = null;
  let nextId = 1;
  let retryMs = 500;
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  // One listener that throws must not keep the event from the others (a broken panel would
  // otherwise freeze the queue view): log it and go on.
  const deliver = (name: string, payload: unknown): void => {
    for (const l of [...(listeners.get(name) ?? [])]) {
      try {
        l(payload);
      } catch (e) {
        console.error(`A listener for the studio event ${name} failed; the other listeners still got it.`, e);
      }
    }
  };

  const connect = (): Promise<WebSocket> => {
    if (open) return open;
    open = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`);
      ws.onopen = () => {
        socket = ws;
        retryMs = 500;
        resolve(ws);
      };
      ws.onmessage = (ev) => {
        let msg: ServerMessage;
        try {
          msg = JSON.parse(String(ev.data)) as ServerMessage;
        } catch {
          return;
        }
        if (msg.t === 'res') {
          pending.get(msg.id)?.(msg.envelope);
          pending.delete(msg.id);
        } else if (msg.t === 'evt') {
          deliver(msg.name, msg.payload);
        }
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = null;
        open = null;
        for (const settle of pending.values()) settle(LOST);
        pending.clear();
        if (!wasOpen) reject(new Error('closed'));
        // Keep events flowing for open pages: reconnect in the background while anyone listens.
        if (listeners.size > 0) {
          setTimeout(() => void connect().catch(() => undefined), retryMs);
          retryMs = Math.min(retryMs * 2, 5000);
        }
      };
    });
    return open;
  };

  return {
    async invoke(channel: Channel, input: unknown): Promise<Envelope<unknown>> {
      let ws: WebSocket;
      try {
        ws = await connect();
      } catch {
        return LOST;
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ t: 'req', id, channel, input } satisfies ClientMessage));
      });
    },
    subscribe(name: EventName, listener: (payload: unknown) => void) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      void connect().catch(() => undefined);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(name);
      };
    },
    mediaUrl: (libraryPath: string) => `${MEDIA_PATH}${libraryPath.split('/').map(encodeURIComponent).join('/')}`,
    prepareFile(file: File, onProgress?: (sent: number, total: number) => void): Promise<FileRef> {
      // XHR rather than fetch: it reports upload progress, which a multi-GB video needs.
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', UPLOAD_PATH);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.setRequestHeader('X-Upload-Name', encodeURIComponent(file.name));
        xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
        xhr.onerror = () => reject(new Error(`Uploading ${file.name} failed: the connection to the studio server dropped.`));
        xhr.onload = () => {
          if (xhr.status !== 200) {
            let message = `Uploading ${file.name} failed (HTTP ${xhr.status}).`;
            try {
              message = (JSON.parse(xhr.responseText) as { error: { message: string } }).error.message;
            } catch {
              // keep the generic message
            }
            reject(new Error(message));
            return;
          }
          const { uploadId } = JSON.parse(xhr.responseText) as { uploadId: string };
          resolve({ kind: 'upload', uploadId, name: file.name });
        };
        xhr.send(file);
      });
    },
  };
}
