import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildStudioApi, type TransportPort } from '../main/core/contract/api';
import type { Envelope } from '../main/core/contract/index';

// The whole preload: window.studio built from the contract, over IPC. No generic send/invoke is
// exposed; the page can reach exactly the contract's channels, and every subscription returns its
// unsubscribe.

const port: TransportPort = {
  invoke: (channel, input) => ipcRenderer.invoke(`studio:${channel}`, input) as Promise<Envelope<unknown>>,
  subscribe: (name, listener) => {
    const handler = (_event: Electron.IpcRendererEvent, eventName: string, payload: unknown) => {
      if (eventName === name) listener(payload);
    };
    ipcRenderer.on('studio:event', handler);
    return () => {
      ipcRenderer.removeListener('studio:event', handler);
    };
  },
  mediaUrl: (libraryPath) => `studio://media/${libraryPath.split('/').map(encodeURIComponent).join('/')}`,
  prepareFile: async (file) => {
    const path = webUtils.getPathForFile(file);
    if (!path) throw new Error(`${file.name} has no location on disk (was it pasted?). Save it to a file first.`);
    return { kind: 'path', path };
  },
};

contextBridge.exposeInMainWorld('studio', buildStudioApi(port));
