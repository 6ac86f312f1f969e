import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../contract/errors';
import { PARAMS_VERSION } from '../contract/params/index';
import type { BatchDto, BatchEstimateDto, BatchVariation, EngineChoice, JobDto, RenderCheckDto } from '../contract/index';
import { LocalEngineFailure, PausedAtCheckpoint, RemoteTaskEnded, type Engine, type EngineAvailability, type EngineEvent, type EngineInputs } from '../engines/engine';
import { isShutdown, SHUTDOWN_REASON } from '../engines/shutdown';
import type { EventBus } from '../eventBus';
import { isTerminal, type JobRecord } from '../library/jobRepository';
import type { Library } from '../library/library';
import { sweepJobOutputs } from '../library/librarySweep';
import { newId } from '../library/ids';
import { toLibraryPath } from '../library/paths';
import type { Disposable } from '../lifecycle';
import type { Logger } from '../logger';
import { pauseBlocker } from '../queue/pauseRule';
import { routeAutomatic } from '../queue/routing';
import { makePoster } from '../media/filmstrip';
import { probeMedia } from '../media/probe';
import { estimateBatch } from './batchEstimate';
import { planBatch } from './batchPlan';
import { etaFrom, expectedDurationMs } from './etaEstimator';
import { jobFolder, materializeJobInputs } from './jobInputs';
import { toJobDto } from './jobDto';
import { retryBlocker, retryPlan } from './retryPlan';
import { pickEngine as pickEngineFor, type EngineStatus } from './enginePick';
import { checkDraft, engineProblems, planRender } from './renderPlan';
import { applyPatch, type ProjectStatePatch } from '../library/projectState';

export interface RenderEngines {
  cloud: Engine;
  local?: Engine;
}

export interface RenderServiceOptions {
  /** Minimum time between progress writes/events per job. */
  progressIntervalMs?: number;
}

const QUEUE_POLL_MS = 2000;
/** How long what the engines offer is trusted when routing "Automatic" jobs. */
const OFFER_TTL_MS = 1000;

/** Why a job runs where it runs, when the user chose the engine. */
const chosenReason = (choice: EngineChoice): string | null =>
  choice === 'local' ? 'You chose this computer.' : choice === 'cloud' ? 'You chose the cloud.' : null;

interface Running {
  controller: AbortController;
  /** The user paused the job: the engine stops at its next checkpoint. */
  pause: AbortController;
  done: Promise<void>;
}

/**
 * Runs render jobs from the queue in the library (order, holds and "hold everything" are rows, so
 * a restart resumes exactly the queue the user left): freezes the editor draft into a validated job, materializes its inputs,
 * drives an engine, and stores the video as a library output with its settings, seed and poster.
 * Every change is on the job row first and then announced, so a restart finds the truth:
 * submitted cloud jobs are re-attached, jobs that never reached an engine are queued again.
 */
export class RenderService implements Disposable {
  private readonly running = new Map<string, Running>();
  /** The latest preview still of each running job (library path); dropped when its run ends. */
  private readonly previews = new Map<string, string>();
  private readonly progressIntervalMs: number;
  private disposed = false;
  /**
   * Whether this process runs the queue: the app and the server do (start), a CLI command that
   * renders one job and waits for it does (submit); one that only steers the queue does not.
   */
  private scheduling = false;
  private poll: NodeJS.Timeout | null = null;
  /** What the engines offered lately, per app, for routing "Automatic" jobs without waiting. */
  private readonly offers = new Map<JobRecord['app'], { local: EngineAvailability; cloud: EngineAvailability; at: number }>();
  private readonly asking = new Set<JobRecord['app']>();

  constructor(
    private readonly library: Library,
    private readonly events: EventBus,
    private readonly engines: RenderEngines,
    private readonly log: Logger,
    options: RenderServiceOptions = {},
  ) {
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
  }

  /** Picks up what a previous run left: re-attach submitted cloud jobs, queue the rest again. */
  start(): void {
    this.scheduling = true;
    // Another process (the CLI) may change the queue in the library: look again now and then.
    this.poll = setInterval(() => this.pump(), QUEUE_POLL_MS);
    this.poll.unref();
    for (const job of this.library.jobs.listByStatus(['running'])) {
      // A submitted cloud task is already in flight (and paid for): follow it at once. A job that
      // never reached an engine waits again in its old place (one caught while requesting its run
      // keeps its submission: the engine looks the task up when it starts).
      if (job.remoteTaskId) this.launch(job.id);
      else this.library.jobs.requeue(job.id);
    }
    this.pump();
  }

  /** Looks at the queue again (after a move, a resume or a settings change). */
  wake(): void {
    this.pump();
  }

  submit(projectId: string, choice: EngineChoice | undefined): Promise<JobDto> {
    const project = this.library.projects.get(projectId);
    // The draft's own problems first (they do not depend on the engine), then the engine's limits.
    planRender(this.library, projectId, project.app);
    return this.pickEngine(choice ?? this.library.projects.readState(projectId).engine, project.app).then(async (engine) => {
      const plan = planRender(this.library, projectId, project.app, undefined, engine.id, (await engine.packAttention?.(project.app)) ?? null);
      const job = this.library.db.transaction(() =>
        this.library.jobs.create({
          projectId,
          app: plan.app,
          engine: engine.id,
          engineChoice: choice ?? this.library.projects.readState(projectId).engine,
          routeReason: chosenReason(choice ?? this.library.projects.readState(projectId).engine),
          params: plan.params,
          paramsVersion: PARAMS_VERSION,
          inputs: plan.inputs,
          inputSeconds: plan.inputSeconds,
          sizeKey: plan.sizeKey,
        }),
      )();
      this.log.info('render queued', { jobId: job.id, app: job.app, engine: job.engine });
      this.announce(job);
      this.events.emit('queue.changed', { kind: 'added' });
      this.scheduling = true;
      this.pump();
      return this.dto(job);
    });
  }

  /** What Render would submit with `draft` laid over the stored editor state; queues nothing. */
  async check(projectId: string, choice: EngineChoice | undefined, draft: ProjectStatePatch | undefined): Promise<RenderCheckDto> {
    const project = this.library.projects.get(projectId);
    const state = applyPatch(this.library.projects.readState(projectId), draft ?? {});
    const engine = choice ?? state.engine;
    const status = await this.engineStatus(project.app);
    const pick = pickEngineFor(engine, status, project.app, this.library.readSettings().cloudFallback);
    const draftCheck = checkDraft(this.library, projectId, project.app, state);
    const attention = pick.runsOn === 'local' ? ((await this.engines.local?.packAttention?.(project.app)) ?? null) : null;
    const problems = [...draftCheck.problems, ...engineProblems(project.app, pick.runsOn, draftCheck, attention)];
    if (pick.reason) problems.unshift(pick.reason);
    return { engine, runsOn: pick.runsOn, runsOnReason: pick.why, engines: status, problems, summary: draftCheck.summary };
  }

  /** Whether each engine can take a render of this app now. */
  async engineStatus(app: JobRecord['app']): Promise<EngineStatus> {
    const cloud = await this.engines.cloud.availability(app);
    const local = this.engines.local ? await this.engines.local.availability(app) : { available: false, reason: 'The local engine is not part of this studio.' };
    return { local, cloud };
  }

  /** What a batch would start (cloud renders, expected time), checked like submitBatch; queues nothing. */
  async estimateBatch(projectId: string, choice: EngineChoice | undefined, variations: readonly BatchVariation[]): Promise<BatchEstimateDto> {
    const project = this.library.projects.get(projectId);
    const plans = planBatch(this.library, projectId, project.app, variations).map((p) => p.plan);
    const engineChoice = choice ?? this.library.projects.readState(projectId).engine;
    const status = await this.engineStatus(project.app);
    const settings = this.library.readSettings();
    const pick = pickEngineFor(engineChoice, status, project.app, settings.cloudFallback);
    return estimateBatch(this.library.jobs, {
      plans,
      pick,
      choice: engineChoice,
      cloudFallback: settings.cloudFallback,
      cloudAvailable: status.cloud.available,
      cloudConcurrency: settings.cloudConcurrency,
    });
  }

  /** Queues a named batch of variations of the draft, all or nothing (see planBatch). */
  async submitBatch(projectId: string, choice: EngineChoice | undefined, name: string, variations: readonly BatchVariation[]): Promise<BatchDto> {
    const project = this.library.projects.get(projectId);
    const planned = planBatch(this.library, projectId, project.app, variations);
    const engineChoice = choice ?? this.library.projects.readState(projectId).engine;
    const engine = await this.pickEngine(engineChoice, project.app);
    const batchId = newId();
    const jobs = this.library.db.transaction(() => {
      this.library.queue.createBatch(batchId, projectId, name);
      return planned.map(({ plan, label }) =>
        this.library.jobs.create({
          projectId,
          app: plan.app,
          engine: engine.id,
          engineChoice,
          routeReason: chosenReason(engineChoice),
          params: plan.params,
          paramsVersion: PARAMS_VERSION,
          inputs: plan.inputs,
          inputSeconds: plan.inputSeconds,
          sizeKey: plan.sizeKey,
          batchId,
          batchLabel: label,
        }),
      );
    })();
    this.log.info('batch queued', { batchId, jobs: jobs.length, engine: engine.id });
    for (const job of jobs) this.announce(job);
    this.events.emit('queue.changed', { kind: 'added' });
    this.pump();
    return { id: batchId, name, projectId, jobs: jobs.map((j) => this.dto(j)) };
  }

  cancel(jobId: string): JobDto {
    const job = this.library.jobs.get(jobId);
    if (isTerminal(job.status)) throw new StudioError('conflict', `This render already ${job.status === 'completed' ? 'finished' : job.status === 'failed' ? 'failed' : 'was cancelled'}; there is nothing to cancel.`);
    const run = this.running.get(jobId);
    if (run) {
      run.controller.abort('user');
      return this.dto(job);
    }
    this.library.jobs.cancel(jobId);
    const after = this.library.jobs.get(jobId);
    this.announce(after);
    this.events.emit('queue.changed', { kind: 'removed' });
    return this.dto(after);
  }

  /** Asks a running local render to stop at its next finished clip; it then waits, held, to resume from there. */
  pauseRunning(jobId: string): JobDto {
    const job = this.library.jobs.get(jobId);
    const blocker = pauseBlocker(job);
    if (blocker) throw new StudioError('conflict', blocker);
    const run = this.running.get(jobId);
    if (!run) throw new StudioError('conflict', 'This render runs in another studio process (the app or wan-studio serve); pause it there.');
    if (!run.pause.signal.aborted) {
      run.pause.abort();
      this.library.jobs.setProgress(jobId, job.progress, `${job.stage ?? 'Rendering'}: pausing when this clip is done`);
      this.library.jobs.appendLog(jobId, ['Pause requested: stopping when the clip being rendered is done.']);
    }
    const after = this.library.jobs.get(jobId);
    this.announce(after);
    return this.dto(after);
  }

  retry(jobId: string): JobDto {
    const job = this.library.jobs.get(jobId);
    const plan = retryPlan(job);
    if (!plan.canRetry) throw new StudioError('conflict', `Only a failed render can be retried; this one is ${job.status}.`);
    const blocker = retryBlocker(this.library, job);
    if (blocker) throw new StudioError('conflict', `Retrying this render cannot help: ${blocker} Change the editor and press Render again.`);
    this.library.jobs.retry(jobId, plan.resubmit);
    const after = this.library.jobs.get(jobId);
    this.announce(after);
    this.events.emit('queue.changed', { kind: 'added' });
    this.scheduling = true;
    this.pump();
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
    if (this.poll) clearInterval(this.poll);
    const all = [...this.running.values()];
    for (const r of all) r.controller.abort(SHUTDOWN_REASON);
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise((r) => (timer = setTimeout(r, 10_000)));
    await Promise.race([Promise.allSettled(all.map((r) => r.done)), bound]);
    clearTimeout(timer);
  }

  /**
   * The engine a job is queued with, from the same pick as the Render summary (for "Automatic",
   * the start confirms or changes it: see pump).
   */
  private async pickEngine(choice: EngineChoice, app: JobRecord['app']): Promise<Engine> {
    const pick = pickEngineFor(choice, await this.engineStatus(app), app, this.library.readSettings().cloudFallback);
    if (pick.runsOn === 'local' && this.engines.local) return this.engines.local;
    if (pick.runsOn === 'cloud') return this.engines.cloud;
    throw new StudioError('unavailable', pick.reason ?? 'No engine can render this project.');
  }

  /**
   * Starts waiting jobs in queue order, unless the user holds the queue. One local job at a time
   * (two workers would fight over one GPU's memory), cloud jobs up to the limit in Settings; a
   * job that cannot start yet does not block one of the other engine behind it. "Automatic" jobs
   * are routed here, when they start, from what the engines offer now.
   */
  private pump(): void {
    if (this.disposed || !this.scheduling || this.library.queue.isPaused()) return;
    const settings = this.library.readSettings();
    const cloudLimit = settings.cloudConcurrency;
    let localBusy = false;
    let cloudRunning = 0;
    for (const id of this.running.keys()) {
      if (this.library.jobs.find(id)?.engine === 'local') localBusy = true;
      else cloudRunning++;
    }
    for (const job of this.library.queue.waiting()) {
      if (localBusy && cloudRunning >= cloudLimit) return;
      if (job.paused || this.running.has(job.id)) continue;
      let engine = job.engine;
      if (job.engineChoice === 'auto') {
        const offer = this.offers.get(job.app);
        if (!offer || Date.now() - offer.at > OFFER_TTL_MS) {
          // Ask the engines (async) and look again; the jobs behind keep their turn meanwhile.
          this.refreshOffer(job.app);
          return;
        }
        const route = routeAutomatic({ appLabel: job.app === 's2v' ? 'S2V' : 'Animate', ...offer, cloudFallback: settings.cloudFallback, localBusy, cloudFull: cloudRunning >= cloudLimit });
        if (route.kind === 'wait') continue;
        if (route.kind === 'fail') {
          this.library.jobs.fail(job.id, route.reason, 'error');
          this.announce(this.library.jobs.get(job.id));
          continue;
        }
        engine = route.engine;
        this.library.jobs.setRoute(job.id, engine, route.reason);
        this.log.info('render routed', { jobId: job.id, engine });
      }
      if (engine === 'local') {
        if (localBusy) continue;
        localBusy = true;
      } else {
        if (cloudRunning >= cloudLimit) continue;
        cloudRunning++;
      }
      this.launch(job.id);
    }
  }

  private refreshOffer(app: JobRecord['app']): void {
    if (this.asking.has(app)) return;
    this.asking.add(app);
    this.engineStatus(app)
      .then((offer) => this.offers.set(app, { ...offer, at: Date.now() }))
      .catch((e: unknown) => this.log.warn('engine availability failed', { app, message: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        this.asking.delete(app);
        this.pump();
      });
  }

  private launch(jobId: string): void {
    const controller = new AbortController();
    const entry: Running = { controller, pause: new AbortController(), done: Promise.resolve() };
    this.running.set(jobId, entry);
    entry.done = this.execute(jobId, controller.signal, entry.pause.signal)
      .catch((e: unknown) => this.log.error('render crashed', { jobId, message: e instanceof Error ? e.message : String(e) }))
      .finally(() => {
        this.running.delete(jobId);
        this.previews.delete(jobId);
        this.pump();
      });
  }

  private async execute(jobId: string, signal: AbortSignal, pauseSignal: AbortSignal): Promise<void> {
    const jobs = this.library.jobs;
    let job = jobs.get(jobId);
    if (job.status !== 'queued' && job.status !== 'running') return;
    const engine = job.engine === 'local' ? this.engines.local : this.engines.cloud;
    const resuming = !!job.remoteTaskId || !!job.submission;
    jobs.markRunning(jobId, resuming ? 'Re-attaching' : 'Preparing inputs');
    job = jobs.get(jobId);
    this.announce(job);
    const expected = expectedDurationMs(jobs, job);
    const reporter = this.progressReporter(job, expected, pauseSignal);
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
        pauseSignal,
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
      if (e instanceof PausedAtCheckpoint && !signal.aborted) {
        jobs.holdAfterPause(jobId);
        jobs.appendLog(jobId, [e.message]);
        this.events.emit('queue.changed', { kind: 'paused' });
        this.log.info('render paused', { jobId, clips: e.finishedClips });
      } else if (signal.aborted) {
        jobs.cancel(jobId);
        this.log.info('render cancelled', { jobId });
      } else {
        const message = e instanceof StudioError ? e.message : `The render failed unexpectedly: ${e instanceof Error ? e.message : String(e)}.`;
        const local = e instanceof LocalEngineFailure ? e.kind : null;
        if (e instanceof LocalEngineFailure && e.detail) jobs.appendLog(jobId, [`This computer could not render it: ${e.detail}`]);
        const reroute = local ? await this.cloudReroute(job, local) : null;
        if (local && reroute) {
          jobs.appendLog(jobId, [reroute]);
          jobs.rerouteToCloud(jobId, reroute, local);
          this.log.warn('render re-routed to the cloud', { jobId, kind: local });
        } else {
          jobs.fail(jobId, message, e instanceof RemoteTaskEnded ? e.kind : 'error', local);
          this.log.warn('render failed', { jobId, message });
        }
      }
    } finally {
      // A failed job keeps its inputs and checkpoints, so a retry resumes; other ends clean up.
      const end = jobs.get(jobId);
      const keep = end.status === 'failed' || (end.status === 'queued' && end.paused);
      if (!isShutdown(signal) && !keep) await this.cleanInputs(jobId);
      this.announce(jobs.get(jobId));
    }
  }

  /**
   * Why an "Automatic" job that failed on this computer for lack of memory or a broken provider
   * goes to the cloud instead, or null when it may not: the user chose this computer, cloud
   * fallback is off (the cloud costs money), or the cloud has no key.
   */
  private async cloudReroute(job: JobRecord, kind: LocalEngineFailure['kind']): Promise<string | null> {
    if (job.engine !== 'local' || job.engineChoice !== 'auto' || !this.library.readSettings().cloudFallback) return null;
    const cloud = await this.engines.cloud.availability(job.app).catch(() => ({ available: false }));
    if (!cloud.available) return null;
    const what = kind === 'out_of_memory' ? 'this computer ran out of memory' : "this computer's execution provider failed";
    return `Automatic: re-routed to the cloud because ${what} and cloud fallback is allowed in Settings.`;
  }

  /** Keeps the trimmed audio (exports mux it); the rest of the job's inputs, its checkpoints and prepared sequences can go. */
  private async cleanInputs(jobId: string): Promise<void> {
    const job = jobFolder(this.library, jobId);
    const dir = join(job, 'inputs');
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(names.filter((f) => f !== 'audio.wav').map((f) => rm(join(dir, f), { force: true })));
    await rm(join(job, 'checkpoints'), { recursive: true, force: true });
    // A local Animate render's prepared sequences (gigabytes for a long video at full size).
    await rm(join(job, 'animate'), { recursive: true, force: true });
  }

  /** Engine events onto the row and the bus, at most every progressIntervalMs (stages and logs at once). */
  private progressReporter(job: JobRecord, expectedMs: number | null, pauseSignal: AbortSignal) {
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
      if (e.type === 'stage') stage = pauseSignal.aborted ? `${e.stage}: pausing when this clip is done` : e.stage;
      if (e.type === 'log') pendingLogs.push(e.line);
      if (e.type === 'preview') this.previews.set(job.id, toLibraryPath(this.library.home, e.file));
      const due = immediate || e.type === 'stage' || Date.now() - last >= this.progressIntervalMs;
      if (due) flush();
      else timer ??= setTimeout(flush, this.progressIntervalMs);
    };
    return Object.assign(report, { flush });
  }

  /** `knownBatchName`: the batch's name when the caller already read it (a page of the queue), saving a query per row. */
  dto(job: JobRecord, expectedMs?: number | null, etaOverride?: number, knownBatchName?: string | null): JobDto {
    const expected = expectedMs === undefined ? (job.status === 'running' ? expectedDurationMs(this.library.jobs, job) : null) : expectedMs;
    const outputId = job.status === 'completed' ? (this.library.outputs.listByJob(job.id)[0]?.id ?? null) : null;
    const batchName = knownBatchName !== undefined ? knownBatchName : job.batchId ? this.library.queue.batchName(job.batchId) : null;
    return toJobDto(job, etaOverride ?? etaFrom(expected, job.startedAt), outputId, this.previews.get(job.id) ?? null, batchName, retryBlocker(this.library, job));
  }

  private announce(job: JobRecord, expectedMs?: number | null, etaOverride?: number): void {
    this.events.emit('render.job', this.dto(job, expectedMs, etaOverride));
  }
}
