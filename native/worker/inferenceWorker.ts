// The inference worker: all ONNX Runtime work runs here, in its own process (Electron
// utilityProcess in the app, child_process.fork under Node), never in main. It speaks only the
// typed messages of ./protocol; a crash here fails only the job it was running.
import { PackError, PackSessions } from '../ort/packSessions';
import { CancelledError, runS2v } from '../s2v/s2vPipeline';
import type { FromWorker, ToWorker } from './protocol';

interface Port {
  send(m: FromWorker): void;
  onMessage(fn: (m: ToWorker) => void): void;
}

interface ElectronParentPort {
  postMessage(m: unknown): void;
  on(event: 'message', fn: (e: { data: unknown }) => void): void;
}

// Electron's utilityProcess hands the child a parentPort; under Node (fork) it is the IPC channel.
const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
const port: Port = parentPort
  ? { send: (m) => parentPort.postMessage(m), onMessage: (fn) => parentPort.on('message', (e) => fn(e.data as ToWorker)) }
  : { send: (m) => process.send?.(m), onMessage: (fn) => process.on('message', (m) => fn(m as ToWorker)) };

let sessions: PackSessions | null = null;
let cancelled = false;
let busy = Promise.resolve();

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'cancel':
      cancelled = true;
      return;
    case 'load':
      try {
        sessions = await PackSessions.open(msg.packDir, msg.manifest, { forced: msg.provider, keepLoaded: msg.keepLoaded });
        port.send({ type: 'loaded', provider: sessions.provider });
        if (sessions.provider.warning) port.send({ type: 'log', line: sessions.provider.warning });
      } catch (e) {
        port.send({ type: 'error', code: e instanceof PackError ? e.code : 'failed', message: (e as Error).message });
      }
      return;
    case 'run':
      if (!sessions) {
        port.send({ type: 'error', code: 'failed', message: 'The worker was asked to render before a model pack was loaded.' });
        return;
      }
      try {
        const result = await runS2v(sessions, msg.job, {
          onProgress: (p) => port.send({ type: 'progress', ...p }),
          onLog: (line) => port.send({ type: 'log', line }),
          isCancelled: () => cancelled,
          onClip: (c) => port.send({ type: 'preview', clip: c.index, rgbFile: c.rgbFile, width: msg.job.width, height: msg.job.height, frames: c.frames }),
        });
        port.send({ type: 'result', result });
      } catch (e) {
        if (e instanceof CancelledError) port.send({ type: 'error', code: 'cancelled', message: 'Cancelled.' });
        else port.send({ type: 'error', code: 'failed', message: (e as Error).message });
      }
      return;
  }
}

port.onMessage((msg) => {
  // Cancel must get through while a run is in progress; everything else runs in order.
  if (msg.type === 'cancel') void handle(msg);
  else busy = busy.then(() => handle(msg));
});
process.on('disconnect', () => process.exit(0));
