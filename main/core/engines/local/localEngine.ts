import { mkdir } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { StudioError } from '../../contract/errors';
import type { S2vParams } from '../../contract/params/index';
import type { ToolPreferences } from '../../media/ffmpegBinaries';
import { runFfmpeg } from '../../media/ffmpegCommand';
import { fileUrl } from '../../media/fileUrl';
import { probeMedia } from '../../media/probe';
import type { ProviderName, ProviderReport } from '../../../../common/providers/providers';
import type { S2vClip, S2vJob, S2vResult } from '../../../../common/s2v/s2vJob';
import { s2vAttentionProblem } from '../../../../common/s2v/attentionMemory';
import { S2V_AREAS, s2vTargetSize } from '../../../../common/s2v/s2vSize';
import type { SolverName } from '../../../../common/samplers/solverNames';
import { WAN_S2V_NEGATIVE_PROMPT } from '../../../../common/wan/defaultPrompts';
import type { FromWorker, ToWorker, WorkerErrorCode } from '../../../../common/worker/protocol';
import { LocalEngineFailure, PausedAtCheckpoint, type Engine, type EngineAvailability, type EngineResult, type EngineRunRequest, type PackAttention } from '../engine';
import { runAnimate } from './animateRun';
import { ClipEncoder } from './clipEncoder';
import { checkPackFitsMemory, installedWeightsNeed, listedPackMemory } from './packMemory';
import { forkAdapterFactory } from './forkAdapter';
import type { PackStore, InstalledPack } from './packStore';
import { workerEntry, type WorkerAdapterFactory } from './workerAdapter';
import { WorkerDriver } from './workerDriver';

/** The worker's own words about a crash: its error line, not Node's version banner. */
function workerError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^Node\.js v/.test(l) && !/^at /.test(l));
  const error = lines.find((l) => /Error|error:/.test(l)) ?? lines.at(-1);
  return error ? ` Its last words: ${error.slice(0, 300)}` : '';
}

/** Longest audio a local render accepts: beyond it, hours of GPU time go into one job. */
export const MAX_LOCAL_AUDIO_SEC = 10 * 60;

/** Sampling settings the S2V app does not expose: Wan's own defaults (research/wan22.md §1.1). */
export interface S2vSampling {
  steps: number;
  shift: number;
  guideScale: number;
  solver: SolverName;
  negativePrompt: string;
}
export const WAN_S2V_SAMPLING: S2vSampling = { steps: 40, shift: 3, guideScale: 4.5, solver: 'unipc', negativePrompt: WAN_S2V_NEGATIVE_PROMPT };

export interface LocalEngineOptions {
  packs: PackStore;
  tools: () => ToolPreferences;
  /** A provider the user forced in Settings, or null for automatic. */
  provider: () => ProviderName | null;
  sampling?: Partial<S2vSampling>;
  /** Keep every graph loaded (fast) or load each stage and release it (fits smaller GPUs); by default kept loaded when all of them fit in memory. */
  keepLoaded?: boolean;
  cancelGraceMs?: number;
  /** How workers are started (Electron's utilityProcess in the app); child_process.fork by default. */
  workerFactory?: WorkerAdapterFactory;
  /** Animate: the official preprocess pack's folder when one is installed (the previews' detector uses it too). */
  preprocessPackDir?: () => string | null;
}

export interface LocalRunReport {
  provider: ProviderReport | null;
  result: S2vResult | null;
  /** From starting the worker to the pack being loaded and checked. */
  loadMs: number | null;
  /** Encoding the render waited for after the worker's last frame (the rest overlaps sampling). */
  encodeMs: number | null;
}

/** A render the worker runs: S2V ('run') or Animate ('runAnimate'). */
export type WorkerRun = Extract<ToWorker, { type: 'run' | 'runAnimate' }>;

/** What render() needs besides the request: the worker's job, the output's frame, the sound and the record. */
export interface RenderWork {
  message: WorkerRun;
  width: number;
  height: number;
  fps: number;
  muxAudio: string | null;
  metadata: Record<string, unknown>;
  /** Keep every graph loaded, or release each stage's (smaller GPUs). */
  keepLoaded: boolean;
  /** What to try when the render runs out of memory (the app's own settings). */
  outOfMemory: string;
}

/** What one run's message handling needs. */
interface RunContext {
  req: EngineRunRequest;
  worker: WorkerDriver;
  encoder: ClipEncoder;
  /** What the worker is asked to render once the pack is loaded. */
  message: WorkerRun;
  tools: ToolPreferences;
  started: number;
  /** Clips finished (checkpointed) in this run, resumed ones included. */
  clips: number;
}

/**
 * Renders on this machine: prepares the reference image at the size S2V would use, starts a
 * fresh inference worker (so GPU memory is released after every job), loads the model pack
 * there, and follows its typed progress to the finished, muxed video. Cancel asks the worker,
 * then kills it after a bounded wait; a worker crash fails only this job.
 */
export class LocalEngine implements Engine {
  readonly id = 'local' as const;
  /** The last run's provider and result, for the job's report and the benches. */
  lastRun: LocalRunReport = { provider: null, result: null, loadMs: null, encodeMs: null };

  constructor(private readonly options: LocalEngineOptions) {}

  async pickPack(app: EngineRunRequest['app']): Promise<InstalledPack | null> {
    return (await this.options.packs.list()).find((p) => p.manifest.pipeline === app) ?? null;
  }

  /** A pack is installed for the app and its largest graph can be loaded in this computer's memory (so routing can pick the cloud). */
  async availability(app: EngineRunRequest['app']): Promise<EngineAvailability> {
    const pack = await this.pickPack(app);
    if (!pack) return { available: false, reason: `No ${APP_NAMES[app]} model pack is installed: import one in Settings → Local engine.` };
    const { problem } = await listedPackMemory(pack);
    return problem ? { available: false, reason: problem } : { available: true, reason: null };
  }

  async packAttention(app: EngineRunRequest['app']): Promise<PackAttention | null> {
    const manifest = (await this.pickPack(app))?.manifest;
    if (!manifest) return null;
    return manifest.pipeline === 's2v' ? { app: 's2v', dit: manifest.dit } : { app: 'animate', dit: manifest.dit };
  }

  async run(req: EngineRunRequest): Promise<EngineResult> {
    if (req.app === 'animate') return runAnimate(req, { ...this.options, pickPack: () => this.pickPack('animate'), render: (pack, work) => this.render(req, pack, work), resetLastRun: () => this.resetLastRun() });
    const pack = await this.pickPack(req.app);
    if (!pack) throw new StudioError('unavailable', 'No S2V model pack is installed: import one in Settings → Local engine, or render in the cloud.');
    // S2V has no Offload models setting: the graphs stay loaded when they all fit, else each stage's are released.
    const weights = await installedWeightsNeed(pack);
    const keepLoaded = this.options.keepLoaded ?? weights.allBytes <= totalmem();
    checkPackFitsMemory(weights, keepLoaded);
    const params = req.params as S2vParams;
    const { image, modelAudio, audio } = req.inputs;
    if (!image || !modelAudio) throw new StudioError('invalid_input', 'The local render needs the portrait and the prepared audio.');
    const tools = this.options.tools();
    const sampling = { ...WAN_S2V_SAMPLING, ...this.options.sampling };
    const audioSec = (await probeMedia(modelAudio, { tools, displayName: 'the prepared audio' })).durationSec ?? 0;
    if (audioSec > MAX_LOCAL_AUDIO_SEC) {
      throw new StudioError(
        'invalid_input',
        `The audio is ${Math.round(audioSec)} s long; a local render takes at most ${MAX_LOCAL_AUDIO_SEC / 60} minutes of audio. Trim it, or split it into several renders.`,
      );
    }
    const portrait = await this.preparePortrait(req, image, params, tools, pack);
    const job: S2vJob = {
      workDir: join(req.workDir, 'checkpoints'),
      ...portrait,
      modelAudio,
      prompt: params.prompt,
      negativePrompt: sampling.negativePrompt,
      fps: params.fps,
      framesPerChunk: params.num_frames_per_chunk,
      seed: params.seed ?? 0,
      steps: sampling.steps,
      shift: sampling.shift,
      guideScale: sampling.guideScale,
      solver: sampling.solver,
      firstBlockCache: { enabled: params.enable_first_block_cache, threshold: params.first_block_cache_threshold },
    };
    const metadata = { wan_studio: { engine: 'local', pack: `${pack.manifest.name}@${pack.manifest.version}`, seed: params.seed, settings: params } };
    this.resetLastRun();
    const result = await this.render(req, pack, { message: { type: 'run', job }, width: job.width, height: job.height, fps: job.fps, muxAudio: audio ?? null, metadata, keepLoaded, outOfMemory: OUT_OF_MEMORY });
    req.onEvent({ type: 'log', line: `${result.frames} frames in ${result.clips} clip(s)${result.resumedClips ? `, ${result.resumedClips} resumed from checkpoints` : ''}${result.cacheHitRate !== null ? `; first block cache hit rate ${(result.cacheHitRate * 100).toFixed(0)}%` : ''}.` });
    return { outputFile: req.outputFile, seed: params.seed, settings: { ...params, sampling: { steps: sampling.steps, shift: sampling.shift, guide_scale: sampling.guideScale, solver: sampling.solver }, cache_hit_rate: result.cacheHitRate } };
  }

  private resetLastRun(): void {
    this.lastRun = { provider: null, result: null, loadMs: null, encodeMs: null };
  }

  /**
   * The portrait at the S2V size (aspect kept within the area budget, sides multiples of 64), as raw
   * RGB24. A pack from an older exporter is first asked whether its attention fits at that size.
   */
  private async preparePortrait(req: EngineRunRequest, image: string, params: S2vParams, tools: ToolPreferences, pack: InstalledPack): Promise<{ refRgb: string; width: number; height: number }> {
    req.onEvent({ type: 'stage', stage: 'Preparing the portrait' });
    const info = await probeMedia(image, { tools, displayName: 'the portrait' });
    const size = s2vTargetSize(info.video?.height ?? 0, info.video?.width ?? 0, S2V_AREAS[params.resolution]);
    const dit = pack.manifest.pipeline === 's2v' ? pack.manifest.dit : null;
    const tooLarge = dit && s2vAttentionProblem({ ...size, resolution: params.resolution, framesPerChunk: params.num_frames_per_chunk }, dit, totalmem());
    if (tooLarge) throw new StudioError('invalid_input', tooLarge);
    const refRgb = join(req.workDir, 'inputs', `portrait-${size.width}x${size.height}.rgb`);
    await mkdir(dirname(refRgb), { recursive: true });
    await runFfmpeg({
      label: 'Preparing the portrait',
      outputs: [refRgb],
      args: ([tmp]) => ['-i', fileUrl(image), '-vf', `scale=${size.width}:${size.height}:force_original_aspect_ratio=increase:flags=bicubic,crop=${size.width}:${size.height}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', fileUrl(tmp as string)],
      tools,
      signal: req.signal,
      hidePaths: [image],
    });
    return { refRgb, width: size.width, height: size.height };
  }

  /**
   * Starts a worker and an encoder, and follows the worker to the finished video: its clips go
   * into the encoder as they are checkpointed. Whatever fails (worker, encoder, cancel) ends both.
   */
  private async render(req: EngineRunRequest, pack: InstalledPack, work: RenderWork): Promise<S2vResult> {
    const tools = this.options.tools();
    let encoderFailed: (e: unknown) => void = () => undefined;
    const encoder = await ClipEncoder.start(
      { output: req.outputFile, width: work.width, height: work.height, fps: work.fps, audio: work.muxAudio ?? undefined, tools, metadata: work.metadata, label: 'Encoding the render' },
      (e) => encoderFailed(e),
    );
    const worker = new WorkerDriver((this.options.workerFactory ?? forkAdapterFactory)(workerEntry()));
    const onAbort = () => void worker.stop(this.options.cancelGraceMs ?? 5000);
    req.signal.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    try {
      req.onEvent({ type: 'stage', stage: 'Loading the model pack' });
      const ctx: RunContext = { req, worker, encoder, message: work.message, tools, started: performance.now(), clips: 0 };
      const result = await new Promise<S2vResult>((resolve, reject) => {
        encoderFailed = reject;
        const sub = worker.onMessage((m) => this.onWorkerMessage(m, ctx, work.outOfMemory, resolve, reject));
        void worker.whenExited().then((exit) => {
          sub.dispose();
          if (req.signal.aborted) reject(new StudioError('cancelled', 'Cancelled.'));
          else if (exit.reason === 'oom') reject(new LocalEngineFailure('out_of_memory', work.outOfMemory));
          else reject(new StudioError('internal', `The inference worker stopped unexpectedly (${exit.signal ?? `exit code ${exit.code}`}). The job can be rendered again; finished clips are kept.${workerError(exit.stderr)}`));
        });
        worker.send({ type: 'load', packDir: pack.dir, provider: this.options.provider(), keepLoaded: work.keepLoaded });
      });
      req.onEvent({ type: 'stage', stage: 'Finishing the video' });
      const encoded = await encoder.finish();
      finished = true;
      this.lastRun.result = { ...result, frames: encoded.frames };
      this.lastRun.encodeMs = encoded.waitMs;
      return this.lastRun.result;
    } finally {
      req.signal.removeEventListener('abort', onAbort);
      await worker.dispose();
      if (!finished) await encoder.abort();
    }
  }

  private onWorkerMessage(m: FromWorker, ctx: RunContext, outOfMemory: string, resolve: (r: S2vResult) => void, reject: (e: unknown) => void): void {
    const { req } = ctx;
    switch (m.type) {
      case 'loaded':
        // Paused before any clip: nothing to keep, stop before sampling starts.
        if (req.pauseSignal?.aborted) {
          reject(new PausedAtCheckpoint(0));
          return;
        }
        this.lastRun.provider = m.provider;
        this.lastRun.loadMs = performance.now() - ctx.started;
        req.onEvent({ type: 'log', line: `Rendering on ${m.provider.active.toUpperCase()}${m.provider.skipped.length ? ` (skipped: ${m.provider.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ')})` : ''}` });
        ctx.worker.send(ctx.message);
        return;
      case 'progress': {
        const total = m.chunks * m.steps;
        const done = m.chunk * m.steps + m.step;
        req.onEvent({ type: 'stage', stage: m.stage === 'Sampling' ? `Clip ${m.chunk + 1} of ${m.chunks}` : m.stage });
        req.onEvent({ type: 'progress', fraction: 0.05 + 0.9 * (total ? done / total : 0), etaMs: m.etaMs });
        return;
      }
      case 'log':
        req.onEvent({ type: 'log', line: m.line });
        return;
      case 'clip':
        ctx.encoder.add(m);
        ctx.clips++;
        if (!m.resumed) void this.clipStill(m, ctx);
        // Paused: this clip is on disk, so stop here; the next run resumes after it.
        if (req.pauseSignal?.aborted && !m.resumed) reject(new PausedAtCheckpoint(ctx.clips));
        return;
      case 'result':
        resolve(m.result);
        return;
      case 'error':
        reject(workerFailure(m.code, m.message, outOfMemory));
        return;
    }
  }

  /** The middle frame of a finished clip, as a small JPEG the job list can show while the rest renders. */
  private async clipStill(clip: S2vClip, { req, tools }: RunContext): Promise<void> {
    const jpg = join(req.workDir, 'previews', `clip-${String(clip.clip).padStart(4, '0')}.jpg`);
    const frame = Math.floor(clip.frames / 2);
    try {
      await mkdir(dirname(jpg), { recursive: true });
      await runFfmpeg({
        label: 'Making a preview',
        outputs: [jpg],
        args: ([tmp]) => ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${clip.width}x${clip.height}`, '-i', fileUrl(clip.rgbFile), '-vf', `select=eq(n\\,${frame}),scale='min(320,iw)':-2`, '-frames:v', '1', '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg', fileUrl(tmp as string)],
        tools,
        signal: req.signal,
      });
      req.onEvent({ type: 'preview', file: jpg });
    } catch {
      // A preview is a courtesy; the render goes on without it.
    }
  }
}

const OUT_OF_MEMORY = 'The local render ran out of memory. Try 480p, a shorter audio clip, or render in the cloud.';
const APP_NAMES = { s2v: 'S2V', animate: 'Animate' } as const;

/** A worker's error code as the error the job fails with; memory and provider failures keep their kind. */
function workerFailure(code: WorkerErrorCode, message: string, outOfMemory: string): StudioError {
  switch (code) {
    case 'cancelled':
      return new StudioError('cancelled', 'Cancelled.');
    case 'out_of_memory':
      return new LocalEngineFailure('out_of_memory', outOfMemory, firstLine(message));
    case 'provider_failed':
      return new LocalEngineFailure('provider', 'The local execution provider failed. Choose another provider in Settings → Local engine, or render in the cloud.', firstLine(message));
    case 'pack_invalid':
      return new StudioError('invalid_input', message);
    default:
      return new StudioError('internal', message);
  }
}

const firstLine = (text: string): string => (text.split('\n')[0] ?? '').slice(0, 400);
