import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channels, type Envelope } from '../core/contract/index';
import { DisposableStore, toDisposable, type Disposable } from '../core/lifecycle';
import type { StudioCore } from '../core/studioCore';

export const INVOKE_PREFIX = 'studio:';
export const EVENT_CHANNEL = 'studio:event';

/**
 * Carries the contract over Electron IPC: one ipcMain.handle per contract channel (so nothing
 * outside the contract is reachable), and contract events pushed to every window.
 */
export function registerIpcTransport(core: StudioCore, isTrustedSender: (url: string) => boolean): Disposable {
  const store = new DisposableStore();
  for (const channel of channels) {
    const name = `${INVOKE_PREFIX}${channel}`;
    ipcMain.handle(name, async (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> => {
      const url = event.senderFrame?.url ?? '';
      if (!isTrustedSender(url)) {
        return { ok: false, error: { code: 'forbidden', message: 'This page may not use the studio API.' } };
      }
      return core.dispatch(channel, input, { transport: 'ipc' });
    });
    store.add(toDisposable(() => ipcMain.removeHandler(name)));
  }
  store.add(
    core.events.onAny((name, payload) => {
      for (const win of BrowserWindow.getAllWindows()) {
        if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload);
      }
    }),
  );
  return store;
}
