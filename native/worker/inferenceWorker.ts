// The inference worker: all ONNX Runtime work runs here, in its own process (Electron
// utilityProcess in the app, child_process.fork under Node), never in main. It speaks only the
// messages of common/worker/protocol, parsed on arrival; a crash here fails only the job it was running.
import type { S2vResult } from '../../common/s2v/s2vJob';
import { MalformedMessageError, parseMessage, toWorkerSchema, type FromWorker, type ToWorker } from '../../common/worker/protocol';
import { runAnimate } from '../animate/animatePipeline';
import { PackError } from '../ort/packSessions';
import { ortFailureCode } from '../ort/ortFailure';
import { DetectHandler } from '../preview/detectHandler';
import { runS2v } from '../s2v/s2vPipeline';
import { CancelledError, type PipelineHooks } from '../wan/pipelineHooks';
import { loadPack, type LoadedPack } from './loadPack';

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

let loaded: LoadedPack | null = null;
/**
 * A cancel stops the render in progress, or the next one if it arrives before that one starts; it
 * is used up when that render ends, so the worker takes later renders.
 */
let cancelled = false;
let busy = Promise.resolve();
const detect = new DetectHandler((m) => port.send(m));

async function load(msg: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  try {
    await releaseLoaded();
    loaded = await loadPack(msg.packDir, { provider: msg.provider, keepLoaded: msg.keepLoaded });
    const { provider } = loaded.pack.sessions;
    port.send({ type: 'loaded', provider });
    if (provider.warning) port.send({ type: 'log', line: provider.warning });
  } catch (e) {
    port.send({ type: 'error', code: e instanceof PackError ? e.code : ortFailureCode(e), message: (e as Error).message });
  }
}

async function releaseLoaded(): Promise<void> {
  const previous = loaded;
  loaded = null;
  await previous?.pack.sessions.releaseAll();
}

const PACK_KIND = { s2v: 'a Speech-to-Video (S2V) pack', animate: 'an Animate pack' } as const;
type Pipeline = LoadedPack['pipeline'];
type Start = (hooks: PipelineHooks) => Promise<S2vResult>;

/** Runs one render on the loaded pack (`start` null: the loaded pack is not one for `pipeline`) and answers with its clips, result or error. */
async function render(pipeline: Pipeline, size: { width: number; height: number }, start: Start | null): Promise<void> {
  if (!start) {
    const message = loaded
      ? `The loaded model pack is ${PACK_KIND[loaded.pipeline]}; this render needs ${PACK_KIND[pipeline]}. Import one in Settings.`
      : 'The worker was asked to render before a model pack was loaded.';
    port.send({ type: 'error', code: loaded ? 'pack_invalid' : 'failed', message });
    cancelled = false;
    return;
  }
  try {
    const result = await start({
      onProgress: (p) => port.send({ type: 'progress', ...p }),
      onLog: (line) => port.send({ type: 'log', line }),
      isCancelled: () => cancelled,
      onClip: (c) => port.send({ type: 'clip', clip: c.index, rgbFile: c.rgbFile, width: size.width, height: size.height, frames: c.frames, resumed: c.resumed }),
    });
    port.send({ type: 'result', result });
  } catch (e) {
    if (e instanceof CancelledError) port.send({ type: 'error', code: 'cancelled', message: 'Cancelled.' });
    else port.send({ type: 'error', code: ortFailureCode(e), message: (e as Error).message });
  } finally {
    cancelled = false;
  }
}

const startWith =
  <Pack, Job>(run: (pack: Pack, job: Job, hooks: PipelineHooks) => Promise<S2vResult>, pack: Pack, job: Job): Start =>
  (hooks) =>
    run(pack, job, hooks);

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
  else if (msg.type === 'runAnimate') busy = busy.then(() => render('animate', msg.job, loaded?.pipeline === 'animate' ? startWith(runAnimate, loaded.pack, msg.job) : null));
  else busy = busy.then(() => render('s2v', msg.job, loaded?.pipeline === 's2v' ? startWith(runS2v, loaded.pack, msg.job) : null));
});
process.on('disconnect', () => process.exit(0));
