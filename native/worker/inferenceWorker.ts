// The inference worker: all ONNX Runtime work runs here, in its own process (Electron
// utilityProcess in the app, child_process.fork under Node), never in main. It speaks only the
// messages of common/worker/protocol, parsed on arrival; a crash here fails only the job it was running.
import { MalformedMessageError, parseMessage, toWorkerSchema, type FromWorker, type ToWorker } from '../../common/worker/protocol';
import { checkPack2 } from '../../common/pack/checkPack2';
import type { S2vComponentName } from '../../common/pack/packManifest2';
import { PackError, PackSessions } from '../ort/packSessions';
import { ortFailureCode } from '../ort/ortFailure';
import { DetectHandler } from '../preview/detectHandler';
import type { S2vPack } from '../s2v/s2vPack';
import { CancelledError, runS2v } from '../s2v/s2vPipeline';

interface Port {
  send(m: FromWorker): void;
  onMessage(fn: (raw: unknown) => void): void;
}

interface ElectronParentPort {
  postMessage(m: unknown): void;
  on(event: 'message', fn: (e: { data: unknown }) => void): void;
}

// Electron's utilityProcess hands the child a parentPort; under Node (fork) it is the IPC channel.
const parentPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
const port: Port = parentPort
  ? { send: (m) => parentPort.postMessage(m), onMessage: (fn) => parentPort.on('message', (e) => fn(e.data)) }
  : { send: (m) => process.send?.(m), onMessage: (fn) => process.on('message', fn) };

let pack: S2vPack | null = null;
let cancelled = false;
let busy = Promise.resolve();
const detect = new DetectHandler((m) => port.send(m));

async function load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  try {
    // The graphs' interfaces are read from their protobuf: no 30 GB session is opened just to look.
    const check = await checkPack2(msg.packDir);
    if (!check.ok) throw new PackError('pack_invalid', `The model pack in ${msg.packDir} does not fit its manifest: ${check.problems.join('; ')}. Import it again.`);
    const sessions = await PackSessions.open<S2vComponentName>(msg.packDir, check.manifest.components, { forced: msg.provider, keepLoaded: msg.keepLoaded, checkEverySession: false });
    pack = { dir: msg.packDir, manifest: check.manifest, sessions };
    port.send({ type: 'loaded', provider: sessions.provider });
    if (sessions.provider.warning) port.send({ type: 'log', line: sessions.provider.warning });
  } catch (e) {
    port.send({ type: 'error', code: e instanceof PackError ? e.code : ortFailureCode(e), message: (e as Error).message });
  }
}

async function run(msg: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  if (!pack) {
    port.send({ type: 'error', code: 'failed', message: 'The worker was asked to render before a model pack was loaded.' });
    return;
  }
  const { width, height } = msg.job;
  try {
    const result = await runS2v(pack, msg.job, {
      onProgress: (p) => port.send({ type: 'progress', ...p }),
      onLog: (line) => port.send({ type: 'log', line }),
      isCancelled: () => cancelled,
      onClip: (c) => port.send({ type: 'clip', clip: c.index, rgbFile: c.rgbFile, width, height, frames: c.frames, resumed: c.resumed }),
    });
    port.send({ type: 'result', result });
  } catch (e) {
    if (e instanceof CancelledError) port.send({ type: 'error', code: 'cancelled', message: 'Cancelled.' });
    else port.send({ type: 'error', code: ortFailureCode(e), message: (e as Error).message });
  }
}

port.onMessage((raw) => {
  let msg: ToWorker;
  try {
    msg = parseMessage(toWorkerSchema, raw, 'The studio');
  } catch (e) {
    if (!(e instanceof MalformedMessageError)) throw e;
    port.send({ type: 'error', code: 'failed', message: `${e.message} The inference worker did nothing with it.` });
    return;
  }
  // Cancel must get through while a run is in progress; everything else runs in order.
  if (msg.type === 'cancel') cancelled = true;
  else if (msg.type === 'detect') detect.handle(msg);
  else if (msg.type === 'load') busy = busy.then(() => load(msg));
  else if (msg.type === 'runAnimate') port.send({ type: 'error', code: 'failed', message: 'Local Animate rendering is not built into this worker yet; render Animate in the cloud.' });
  else busy = busy.then(() => run(msg));
});
process.on('disconnect', () => process.exit(0));
