import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../contract/errors';
import { PARAMS_VERSION } from '../contract/params/index';
import type { EngineChoice, JobDto } from '../contract/index';
import { RemoteTaskEnded, type Engine, type EngineEvent, type EngineInputs } from '../engines/engine';
import { isShutdown, SHUTDOWN_REASON } from '../engines/shutdown';
import type { EventBus } from '../eventBus';
import { isTerminal, type JobRecord } from '../library/jobRepository';
import type { Library } from '../library/library';
import { sweepJobOutputs } from '../library/librarySweep';
import { toLibraryPath } from '../library/paths';
import type { Disposable } from '../lifecycle';
import type { Logger } from '../logger';
import { makePoster } from '../media/filmstrip';
import { probeMedia } from '../media/probe';
import { etaFrom, expectedDurationMs } from './etaEstimator';
import { jobFolder, materializeJobInputs } from './jobInputs';
import { toJobDto } from './jobDto';
import { retryPlan } from './retryPlan';
import { planRender } from './renderPlan';

export interface RenderEngines {
  cloud: Engine;
  local?: Engine;
}

export interface RenderServiceOptions {
  /** Jobs rendering at once (cloud jobs run side by side; the queue issue refines this). */
  maxConcurrent?: number;
  /** Minimum time between progress writes/events per job. */
  progressIntervalMs?: number;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Runs render jobs: freezes the editor draft into a validated job, materializes its inputs,
 * drives an engine, and stores the video as a library output with its settings, seed and poster.
 * Every change is on the job row first and then announced, so a restart finds the truth:
 * submitted cloud jobs are re-attached, jobs that never reached an engine are queued again.
 */
export class RenderService implements Disposable {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, Running>();
  /** The latest preview still of each running job (library path); dropped when its run ends. */
  private readonly previews = new Map<string, string>();
  private readonly maxConcurrent: number;
  private readonly progressIntervalMs: number;
  private disposed = false;

  constructor(
    private readonly library: Library,
    private readonly events: EventBus,
    private readonly engines: RenderEngines,
    private readonly log: Logger,
    options: RenderServiceOptions = {},
  ) {
    this.maxConcurrent = options.maxConcurrent ?? 4;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
  }

  /** Picks up what a previous run left: re-attach submitted cloud jobs, queue the rest again. */
  start(): void {
    for (const job of this.library.jobs.listByStatus(['queued', 'running'])) {
      // A job caught while requesting its run keeps its submission: the engine looks the task up.
      if (job.status === 'running' && !job.remoteTaskId) this.library.jobs.requeue(job.id);
      this.enqueue(job.id);
    }
  }

  submit(projectId: string, choice: EngineChoice | undefined): Promise<JobDto> {
    const project = this.library.projects.get(projectId);
    const plan = planRender(this.library, projectId, project.app);
    return this.pickEngine(choice ?? this.library.projects.readState(projectId).engine, project.app).then((engine) => {
      const job = this.library.db.transaction(() =>
        this.library.jobs.create({
          projectId,
          app: plan.app,
          engine: engine.id,
          params: plan.params,
          paramsVersion: PARAMS_VERSION,
          inputs: plan.inputs,
          inputSeconds: plan.inputSeconds,
          sizeKey: plan.sizeKey,
        }),
      )();
      this.log.info('render queued', { jobId: job.id, app: job.app, engine: job.engine });
      this.announce(job);
      this.enqueue(job.id);
      return this.dto(job);
    });
  }

  cancel(jobId: string): JobDto {
    const job = this.library.jobs.get(jobId);
    if (isTerminal(job.status)) throw new StudioError('conflict', `This render already ${job.status === 'completed' ? 'finished' : job.status === 'failed' ? 'failed' : 'was cancelled'}; there is nothing to cancel.`);
    const run = this.running.get(jobId);
    if (run) {
      run.controller.abort('user');
      return this.dto(job);
    }
    const at = this.queue.indexOf(jobId);
    if (at >= 0) this.queue.splice(at, 1);
    this.library.jobs.cancel(jobId);
    const after = this.library.jobs.get(jobId);
    this.announce(after);
    return this.dto(after);
  }

  retry(jobId: string): JobDto {
    const job = this.library.jobs.get(jobId);
    const plan = retryPlan(job);
    if (!plan.canRetry) throw new StudioError('conflict', `Only a failed render can be retried; this one is ${job.status}.`);
    this.library.jobs.retry(jobId, plan.resubmit);
    const after = this.library.jobs.get(jobId);
    this.announce(after);
    this.enqueue(jobId);
    return this.dto(after);
  }

  listJobs(projectId: string): JobDto[] {
    this.library.projects.get(projectId);
    return this.library.jobs.listByProject(projectId).map((j) => this.dto(j));
  }

  /** Resolves when the job has reached a terminal state (or the service stops). For the CLI and tests. */
  async settled(jobId: string): Promise<JobDto> {
    for (;;) {
      const run = this.running.get(jobId);
      if (run) await run.done;
      const job = this.library.jobs.get(jobId);
      if (isTerminal(job.status) || this.disposed) return this.dto(job);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.queue.length = 0;
    const all = [...this.running.values()];
    for (const r of all) r.controller.abort(SHUTDOWN_REASON);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise((r) => (timer = setTimeout(r, 10_000)));
    await Promise.race([Promise.allSettled(all.map((r) => r.done)), bound]);
    clearTimeout(timer);
  }

  private async pickEngine(choice: EngineChoice, app: JobRecord['app']): Promise<Engine> {
    const cloud = await this.engines.cloud.availability(app);
    const local = this.engines.local ? await this.engines.local.availability(app) : { available: false, reason: 'The local engine needs a model pack; none is installed yet.' };
    if (choice === 'local') {
      if (!this.engines.local || !local.available) throw new StudioError('unavailable', `This render cannot run locally: ${local.reason ?? 'no local engine'}. Choose Cloud, or install a model pack in Settings.`);
      return this.engines.local;
    }
    if (choice === 'cloud') {
      if (!cloud.available) throw new StudioError('unavailable', `This render cannot run in the cloud: ${cloud.reason ?? 'unavailable'}`);
      return this.engines.cloud;
    }
    if (local.available && this.engines.local) return this.engines.local;
    if (cloud.available) return this.engines.cloud;
    throw new StudioError('unavailable', `No engine can render this. Local: ${local.reason ?? 'unavailable'} Cloud: ${cloud.reason ?? 'unavailable'}`);
  }

  private enqueue(jobId: string): void {
    if (this.disposed || this.queue.includes(jobId) || this.running.has(jobId)) return;
    this.queue.push(jobId);
    this.pump();
  }

  /**
   * Starts queued jobs in order. Cloud jobs run side by side; local jobs one at a time, since two
   * workers would fight over one GPU's memory (a later local job waits, cloud jobs pass it).
   */
  private pump(): void {
    while (!this.disposed && this.running.size < this.maxConcurrent && this.queue.length > 0) {
      const localBusy = [...this.running.keys()].some((id) => this.library.jobs.find(id)?.engine === 'local');
      const at = this.queue.findIndex((id) => !(localBusy && this.library.jobs.find(id)?.engine === 'local'));
      if (at < 0) return;
      const jobId = this.queue.splice(at, 1)[0] as string;
      const controller = new AbortController();
      const entry: Running = { controller, done: Promise.resolve() };
      this.running.set(jobId, entry);
      entry.done = this.execute(jobId, controller.signal)
        .catch((e: unknown) => this.log.error('render crashed', { jobId, message: e instanceof Error ? e.message : String(e) }))
        .finally(() => {
          this.running.delete(jobId);
          this.previews.delete(jobId);
          this.pump();
        });
    }
  }

  private async execute(jobId: string, signal: AbortSignal): Promise<void> {
    const jobs = this.library.jobs;
    let job = jobs.get(jobId);
    if (job.status !== 'queued' && job.status !== 'running') return;
    const engine = job.engine === 'local' ? this.engines.local : this.engines.cloud;
    const resuming = !!job.remoteTaskId || !!job.submission;
    jobs.markRunning(jobId, resuming ? 'Re-attaching' : 'Preparing inputs');
    job = jobs.get(jobId);
    this.announce(job);
    const expected = expectedDurationMs(jobs, job);
    const reporter = this.progressReporter(job, expected);
    const outputFile = join(this.library.layout.outputs, job.projectId, `${job.id}.mp4`);
    try {
      if (!engine) throw new StudioError('unavailable', 'The local engine is not available in this version of the studio. Render in the cloud instead.');
      let inputs: EngineInputs = {};
      if (!resuming) {
        inputs = await materializeJobInputs(this.library, job, {
          signal,
          onProgress: (f) => reporter({ type: 'progress', fraction: f === null ? null : 0.02 * f, etaMs: null }),
        });
      }
      const result = await engine.run({
        jobId,
        projectId: job.projectId,
        app: job.app,
        params: job.params,
        inputs,
        outputFile,
        workDir: jobFolder(this.library, jobId),
        signal,
        resumeTaskId: job.remoteTaskId,
        resumeSubmission: job.submission,
        onEvent: reporter,
        onSubmitting: (submission) => this.library.db.transaction(() => jobs.beginSubmission(jobId, submission))(),
        onSubmitRefused: () => jobs.clearSubmission(jobId),
        onRemoteTaskId: (taskId) => {
          // Before anything else: a crash from here on re-attaches instead of paying twice.
          jobs.setRemoteTaskId(jobId, taskId);
          this.log.info('render submitted', { jobId, remoteTaskId: taskId });
        },
      });
      reporter({ type: 'stage', stage: 'Saving the output' }, true);
      const poster = join(this.library.layout.outputs, job.projectId, `${job.id}.jpg`);
      const info = await probeMedia(result.outputFile, { tools: this.library.toolPreferences(), displayName: 'the rendered video' });
      await makePoster(result.outputFile, info, poster, { tools: this.library.toolPreferences(), signal }).catch((e: unknown) =>
        this.log.warn('poster failed', { jobId, message: e instanceof Error ? e.message : String(e) }),
      );
      this.library.db.transaction(() => {
        this.library.outputs.create({
          projectId: job.projectId,
          jobId,
          file: toLibraryPath(this.library.home, result.outputFile),
          poster: toLibraryPath(this.library.home, poster),
          settings: result.settings,
          seed: result.seed,
        });
        jobs.complete(jobId);
      })();
      this.log.info('render completed', { jobId });
    } catch (e) {
      // Pending logs and progress land before the row turns terminal (flush skips terminal rows).
      reporter.flush();
      if (isShutdown(signal)) {
        // Left as it is on the row: the next start re-attaches (cloud) or queues it again.
        this.log.info('render interrupted by shutdown', { jobId });
        return;
      }
      // The video, its poster and half-written temp siblings of this job: no row names them.
      await sweepJobOutputs(this.library, job.projectId, jobId);
      if (signal.aborted) {
        jobs.cancel(jobId);
        this.log.info('render cancelled', { jobId });
      } else {
        const message = e instanceof StudioError ? e.message : `The render failed unexpectedly: ${e instanceof Error ? e.message : String(e)}.`;
        jobs.fail(jobId, message, e instanceof RemoteTaskEnded ? e.kind : 'error');
        this.log.warn('render failed', { jobId, message });
      }
    } finally {
      // A failed job keeps its inputs and checkpoints, so a retry resumes; other ends clean up.
      const end = jobs.get(jobId).status;
      if (!isShutdown(signal) && end !== 'failed') await this.cleanInputs(jobId);
      this.announce(jobs.get(jobId));
    }
  }

  /** Keeps the trimmed audio (exports mux it); the rest of the job's inputs and its checkpoints can go. */
  private async cleanInputs(jobId: string): Promise<void> {
    const job = jobFolder(this.library, jobId);
    const dir = join(job, 'inputs');
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.filter((f) => f !== 'audio.wav').map((f) => rm(join(dir, f), { force: true })));
    await rm(join(job, 'checkpoints'), { recursive: true, force: true });
  }

  /** Engine events onto the row and the bus, at most every progressIntervalMs (stages and logs at once). */
  private progressReporter(job: JobRecord, expectedMs: number | null) {
    let progress = job.progress;
    let stage = job.stage;
    let pendingLogs: string[] = [];
    let last = 0;
    let timer: NodeJS.Timeout | null = null;
    // An engine that can estimate its own remaining time (the local worker counts its steps) wins
    // over the estimate from past jobs.
    let engineEta: { ms: number; at: number } | null = null;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      last = Date.now();
      const current = this.library.jobs.find(job.id);
      if (!current || isTerminal(current.status)) return;
      this.library.jobs.setProgress(job.id, progress, stage);
      this.library.jobs.appendLog(job.id, pendingLogs);
      pendingLogs = [];
      const eta = engineEta ? Math.max(0, engineEta.ms - (Date.now() - engineEta.at)) : undefined;
      this.announce(this.library.jobs.get(job.id), expectedMs, eta);
    };
    const report = (e: EngineEvent, immediate = false) => {
      if (e.type === 'progress' && e.fraction !== null) progress = Math.max(progress, Math.min(0.99, e.fraction));
      if (e.type === 'progress' && e.etaMs !== null) engineEta = { ms: e.etaMs, at: Date.now() };
      if (e.type === 'stage') stage = e.stage;
      if (e.type === 'log') pendingLogs.push(e.line);
      if (e.type === 'preview') this.previews.set(job.id, toLibraryPath(this.library.home, e.file));
      const due = immediate || e.type === 'stage' || Date.now() - last >= this.progressIntervalMs;
      if (due) flush();
      else timer ??= setTimeout(flush, this.progressIntervalMs);
    };
    return Object.assign(report, { flush });
  }

  private dto(job: JobRecord, expectedMs?: number | null, etaOverride?: number): JobDto {
    const expected = expectedMs === undefined ? (job.status === 'running' ? expectedDurationMs(this.library.jobs, job) : null) : expectedMs;
    const outputId = job.status === 'completed' ? (this.library.outputs.listByJob(job.id)[0]?.id ?? null) : null;
    return toJobDto(job, etaOverride ?? etaFrom(expected, job.startedAt), outputId, this.previews.get(job.id) ?? null);
  }

  private announce(job: JobRecord, expectedMs?: number | null, etaOverride?: number): void {
    this.events.emit('render.job', this.dto(job, expectedMs, etaOverride));
  }
}
