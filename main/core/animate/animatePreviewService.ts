import { join } from 'node:path';
import type { AnimatePrecomputeStatus, FramePreviewDto } from '../contract/animateTypes';
import { StudioError } from '../contract/errors';
import type { EventBus } from '../eventBus';
import type { Library } from '../library/library';
import type { Disposable } from '../lifecycle';
import type { WorkerAdapterFactory } from '../engines/local/workerAdapter';
import { readFrames } from '../media/frameReader';
import { installedPreprocessPack, PreviewDetector } from './previewDetector';
import { previewModelsDir } from './previewModels';
import { toFramePreview } from './previewDto';
import { readAnalysis, writeAnalysis, type AnalysisModel, type StoredAnalysis } from './storedAnalysis';

/** At most this many frames are analysed per video: a 10-minute video is sampled every 2 s. */
export const MAX_ANALYSED_FRAMES = 300;
/** Short videos are analysed at 5 frames a second at most (previews, not the render's poses). */
const MIN_STEP_SEC = 0.2;

/** Bounded work whatever the length: the step between analysed frames and how many there are. */
export function analysisPlan(durationSec: number): { stepSec: number; total: number } {
  const stepSec = Math.max(MIN_STEP_SEC, durationSec / MAX_ANALYSED_FRAMES);
  return { stepSec, total: Math.max(1, Math.min(MAX_ANALYSED_FRAMES, Math.floor(durationSec / stepSec))) };
}

interface Running {
  status: AnimatePrecomputeStatus;
  abort: AbortController;
  done: Promise<void>;
}

const fmt = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, '0')}`;

/**
 * Animate previews for the editor: one frame live (read with ffmpeg, detected in the worker), or
 * the whole video in the background with progress and cancel, stored beside the library's other
 * derived files (keyed by the video's content hash) and reused by every later preview.
 */
export class AnimatePreviewService implements Disposable {
  private readonly stored = new Map<string, StoredAnalysis | null>();
  private readonly running = new Map<string, Running>();
  private readonly finished = new Map<string, AnimatePrecomputeStatus>();
  private live: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly library: Library,
    private readonly events: EventBus,
    /** How the worker is started: Electron's utilityProcess in the app, fork under Node. */
    workerFactory?: WorkerAdapterFactory,
    // The official models when a preprocess pack is installed in <library>/preprocess.
    private readonly detector: PreviewDetector = new PreviewDetector(workerFactory, previewModelsDir, () => installedPreprocessPack(join(library.home, 'preprocess'))),
  ) {}

  /** Which models previews come from now: the official ones when a preprocess pack is installed. */
  private model(): AnalysisModel {
    return installedPreprocessPack(join(this.library.home, 'preprocess')) ? 'official' : 'bundled';
  }

  private video(assetId: string) {
    const asset = this.library.assets.get(assetId);
    if (asset.kind !== 'video' && asset.kind !== 'image') throw new StudioError('invalid_input', `${asset.name} is not a video or an image: pick the driving video.`);
    return { asset, path: join(this.library.home, asset.file), info: this.library.assets.mediaInfo(assetId) };
  }

  private async storedAnalysis(assetId: string, sha256: string): Promise<StoredAnalysis | null> {
    const key = `${sha256}:${this.model()}`;
    if (this.stored.has(key)) return this.stored.get(key) ?? null;
    const analysis = await readAnalysis(this.library.home, sha256, this.model());
    this.stored.set(key, analysis);
    if (analysis && !this.running.has(assetId)) this.finished.set(assetId, this.doneStatus(assetId, analysis));
    return analysis;
  }

  async previewFrame(assetId: string, atSec: number): Promise<FramePreviewDto> {
    const { asset, path, info } = this.video(assetId);
    const stored = await this.storedAnalysis(assetId, asset.sha256);
    if (stored) {
      const i = Math.min(stored.frames.length - 1, Math.max(0, Math.round(atSec / stored.stepSec)));
      return stored.frames[i]!;
    }
    const duration = info.durationSec ?? 0;
    const at = asset.kind === 'image' ? 0 : Math.max(0, Math.min(atSec, Math.max(0, duration - 0.05)));
    // One live frame at a time: the worker does them in order anyway; this keeps ffmpeg to one.
    const next = this.live.then(async () => {
      for await (const frame of readFrames(path, info, { startSec: at > 0 ? at : undefined, displayName: asset.name, tools: this.library.toolPreferences() })) {
        const d = await this.detector.detect({ width: info.video!.width, height: info.video!.height, rgb: frame });
        return toFramePreview(d, at, `${asset.name} at ${fmt(at)}`, 'live');
      }
      throw new StudioError('unsupported_media', `${asset.name} has no frame at ${fmt(at)}.`);
    });
    this.live = next.catch(() => undefined);
    return next;
  }

  async status(assetId: string): Promise<AnimatePrecomputeStatus> {
    const { asset } = this.video(assetId);
    await this.storedAnalysis(assetId, asset.sha256);
    return this.running.get(assetId)?.status ?? this.finished.get(assetId) ?? { assetId, state: 'idle', done: 0, total: 0, fps: null, stepSec: null, model: null, message: null };
  }

  async start(assetId: string): Promise<AnimatePrecomputeStatus> {
    const current = await this.status(assetId);
    if (current.state === 'running' || current.state === 'done') return current;
    const { asset, path, info } = this.video(assetId);
    if (!info.video) throw new StudioError('unsupported_media', `${asset.name} has no picture to analyse.`);
    const duration = asset.kind === 'image' ? 0 : (info.durationSec ?? 0);
    const { stepSec, total } = analysisPlan(duration);
    const abort = new AbortController();
    const status: AnimatePrecomputeStatus = { assetId, state: 'running', done: 0, total, fps: null, stepSec, model: null, message: null };
    const run: Running = { status, abort, done: Promise.resolve() };
    this.running.set(assetId, run);
    this.finished.delete(assetId);
    run.done = this.analyse(run, asset.name, asset.sha256, path, info, stepSec, total);
    this.emit(status);
    return { ...status };
  }

  async cancel(assetId: string): Promise<AnimatePrecomputeStatus> {
    const run = this.running.get(assetId);
    if (!run) return this.status(assetId);
    run.abort.abort();
    await run.done;
    return this.status(assetId);
  }

  private emit(status: AnimatePrecomputeStatus): void {
    this.events.emit('animate.precomputeProgress', { ...status });
  }

  private doneStatus(assetId: string, a: StoredAnalysis): AnimatePrecomputeStatus {
    return { assetId, state: 'done', done: a.frames.length, total: a.frames.length, fps: a.fps, stepSec: a.stepSec, model: a.model, message: `Analysed ${a.frames.length} frames (every ${a.stepSec.toFixed(2)} s), stored in the library.` };
  }

  private async analyse(run: Running, name: string, sha256: string, path: string, info: ReturnType<Library['assets']['mediaInfo']>, stepSec: number, total: number): Promise<void> {
    const frames: FramePreviewDto[] = [];
    const started = Date.now();
    const s = run.status;
    try {
      const reader = readFrames(path, info, { fps: 1 / stepSec, signal: run.abort.signal, displayName: name, tools: this.library.toolPreferences() });
      for await (const rgb of reader) {
        if (run.abort.signal.aborted || frames.length >= total) break;
        const at = frames.length * stepSec;
        const d = await this.detector.detect({ width: info.video!.width, height: info.video!.height, rgb });
        frames.push(toFramePreview(d, at, `${name} at ${fmt(at)}`, 'stored'));
        s.done = frames.length;
        s.model = d.model.label;
        s.fps = Math.round((frames.length / Math.max(0.001, (Date.now() - started) / 1000)) * 100) / 100;
        this.emit(s);
      }
      if (run.abort.signal.aborted) {
        Object.assign(s, { state: 'cancelled', message: `Cancelled after ${frames.length} of ${total} frames; nothing was stored.` });
      } else {
        const analysis: StoredAnalysis = { version: 1, stepSec, model: s.model ?? '', fps: s.fps ?? 0, frames };
        await writeAnalysis(this.library.home, sha256, this.model(), analysis);
        this.stored.set(`${sha256}:${this.model()}`, analysis);
        Object.assign(s, this.doneStatus(s.assetId, analysis));
      }
    } catch (e) {
      const cancelled = run.abort.signal.aborted;
      Object.assign(s, { state: cancelled ? 'cancelled' : 'failed', message: cancelled ? `Cancelled after ${frames.length} of ${total} frames; nothing was stored.` : `The analysis of ${name} failed: ${(e as Error).message}` });
    } finally {
      this.running.delete(s.assetId);
      this.finished.set(s.assetId, { ...s });
      this.emit(s);
    }
  }

  async dispose(): Promise<void> {
    for (const run of this.running.values()) run.abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
    await this.detector.dispose();
  }
}
