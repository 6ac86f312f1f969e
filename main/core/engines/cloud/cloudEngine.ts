import { basename } from 'node:path';
import { StudioError } from '../../contract/errors';
import { cloudAppNames, localOnlyFields, paramsFields } from '../../contract/params/index';
import type { StudioApp } from '../../contract/types';
import type { ToolPreferences } from '../../media/ffmpegBinaries';
import { probeMedia } from '../../media/probe';
import type { RemoteSubmission } from '../../library/jobRepository';
import { RemoteTaskEnded, type Engine, type EngineAvailability, type EngineRunRequest, type EngineResult } from '../engine';
import { isShutdown } from '../shutdown';
import { CloudHttpError, cloudFailure } from './cloudErrors';
import { CloudHttp, sleep, type RetryPolicy } from './cloudHttp';
import { uploadFile } from './fileUpload';
import { downloadOutput } from './outputDownload';
import { followTask, type RemoteTask } from './taskFollower';
import { findSubmittedTask } from './taskLookup';
import { isTerminal, parseStatus, statusFraction, statusStage } from './taskStatus';

export interface CloudConnection {
  baseUrl: string;
  apiKey: string | null;
  /** Why no key is sent although one exists (it was entered for another address); null otherwise. */
  keyProblem: string | null;
}

export interface CloudEngineOptions {
  /** Read for every job, so a key or base URL changed in Settings applies to the next render. */
  connection: () => Promise<CloudConnection>;
  tools: () => ToolPreferences;
  retry?: Partial<RetryPolicy>;
  /** Follow timings; tests shorten them. */
  pollIntervalMs?: number;
  reconnectBaseMs?: number;
  streamIdleMs?: number;
  streamCheckMs?: number;
  maxWaitMs?: number;
  /** How long a cancel waits for the service to confirm before giving up on the confirmation. */
  cancelConfirmMs?: number;
}

/** Which uploaded file goes into which app input (research/infsh-api.md §9). */
const FILE_INPUTS: Record<StudioApp, Array<{ field: string; from: 'image' | 'audio' | 'video'; what: string }>> = {
  s2v: [
    { field: 'image', from: 'image', what: 'the portrait' },
    { field: 'audio', from: 'audio', what: 'the audio' },
  ],
  animate: [
    { field: 'driving_video', from: 'video', what: 'the driving video' },
    { field: 'reference_image', from: 'image', what: 'the reference image' },
  ],
};

/** Where each app puts its video in the task output. */
const OUTPUT_FIELD: Record<StudioApp, string> = { s2v: 'file', animate: 'output_video' };

// Share of the job's bar: uploads, then the remote statuses, then the download.
const UPLOAD_SHARE = 0.1;
const DOWNLOAD_FROM = 0.9;

/**
 * Renders on inference.sh: uploads the materialized inputs, submits one run (never a blind
 * second one), hands the task id to the caller before anything else, follows the task to the
 * end, and downloads and checks the video. A job that already has a task id resumes at the
 * follow step, so a restart re-attaches instead of paying twice. A job that died while its run
 * was being requested first looks its task up by its own uploaded files (research/infsh-api.md §13).
 */
export class CloudEngine implements Engine {
  readonly id = 'cloud' as const;

  constructor(private readonly options: CloudEngineOptions) {}

  async availability(): Promise<EngineAvailability> {
    const c = await this.options.connection();
    if (!c.apiKey) return { available: false, reason: c.keyProblem ?? 'No inference.sh API key: add one in Settings → Cloud or set INFERENCE_API_KEY.' };
    return { available: true, reason: null };
  }

  /** A client for this job; the key is read through a closure so it never sits on a visible object. */
  async client(): Promise<CloudHttp> {
    const c = await this.options.connection();
    const key = c.apiKey;
    if (!key) throw new StudioError('forbidden', c.keyProblem ?? 'No inference.sh API key is set. Add one in Settings → Cloud (or set INFERENCE_API_KEY), then render again.');
    return new CloudHttp({ baseUrl: c.baseUrl, apiKey: () => key, retry: this.options.retry });
  }

  async run(req: EngineRunRequest): Promise<EngineResult> {
    const http = await this.client();
    let taskId = req.resumeTaskId ?? null;
    try {
      if (!taskId && req.resumeSubmission) taskId = await this.adoptOrResubmit(http, req, req.resumeSubmission);
      if (!taskId) taskId = await this.submit(http, req, await this.upload(http, req));
      else req.onEvent({ type: 'stage', stage: 'Re-attaching to the cloud task', detail: taskId });
      const task = await this.follow(http, taskId, req);
      await this.download(task, req);
    } catch (e) {
      if (req.signal.aborted) {
        // Closing the studio leaves the task running remotely: it is re-attached at the next start.
        if (taskId && !isShutdown(req.signal)) await this.cancelRemote(http, taskId, req);
        throw new StudioError('cancelled', isShutdown(req.signal) ? 'The studio closed; the cloud task is followed again at the next start.' : 'Cancelled.');
      }
      throw cloudFailure(e, 'The cloud render');
    }
    return { outputFile: req.outputFile, seed: seedOf(req.params), settings: req.params };
  }

  /**
   * The studio died while this job's run was being requested: follow the task if the service has
   * it, and request the run again (with the files already uploaded) only if it never arrived.
   */
  private async adoptOrResubmit(http: CloudHttp, req: EngineRunRequest, submission: RemoteSubmission): Promise<string> {
    req.onEvent({ type: 'stage', stage: 'Looking for the submitted cloud task' });
    const found = await findSubmittedTask(http, submission, req.signal);
    if (found) {
      req.onEvent({ type: 'log', line: `Found cloud task ${found} submitted before the studio stopped; following it.` });
      req.onRemoteTaskId?.(found);
      return found;
    }
    req.onEvent({ type: 'log', line: 'The run requested before the studio stopped never reached inference.sh; requesting it again.' });
    return this.submit(http, req, submission.files);
  }

  /** Uploads the job's inputs; answers app input field -> file URI. */
  private async upload(http: CloudHttp, req: EngineRunRequest): Promise<Record<string, string>> {
    const files = FILE_INPUTS[req.app].map((f) => {
      const path = req.inputs[f.from];
      if (!path) throw new StudioError('invalid_input', `The cloud render needs ${f.what}. Pick one in the editor.`);
      return { ...f, path };
    });
    const uris: Record<string, string> = {};
    req.onEvent({ type: 'stage', stage: 'Uploading inputs' });
    for (const [i, f] of files.entries()) {
      uris[f.field] = await uploadFile(http, f.path, {
        signal: req.signal,
        filename: basename(f.path),
        onProgress: (sent, total) => req.onEvent({ type: 'progress', fraction: (UPLOAD_SHARE * (i + (total ? sent / total : 1))) / files.length, etaMs: null }),
      }).catch((e: unknown) => {
        throw cloudFailure(e, `Uploading ${f.what}`);
      });
    }
    return uris;
  }

  private async submit(http: CloudHttp, req: EngineRunRequest, files: Record<string, string>): Promise<string> {
    if (req.signal.aborted) throw new StudioError('cancelled', 'Cancelled.');
    req.onEvent({ type: 'stage', stage: 'Submitting' });
    // On the row before the request leaves: a crash before the answer is read is looked up, not paid twice.
    req.onSubmitting?.({ startedAt: Date.now(), files });
    const input: Record<string, unknown> = { ...(req.params as Record<string, unknown>), ...files };
    // Settings only local renders read (colour matching) are not the cloud app's inputs.
    for (const field of localOnlyFields(paramsFields[req.app])) delete input[field];
    // Not tied to the job's signal: once sent, the answer must be read, or a task could run
    // (and be paid for) with no id on our side to cancel or follow it.
    const task = await http.request<RemoteTask>('POST', '/apps/run', { idempotent: false, body: { app: cloudAppNames[req.app], input } }).catch((e: unknown) => {
      // A clear refusal (4xx) means no task exists; a 5xx or no answer at all may hide one.
      if (e instanceof CloudHttpError && e.status < 500) req.onSubmitRefused?.();
      throw e;
    });
    if (!task?.id) throw new StudioError('io_error', 'inference.sh accepted the render but returned no task id. Check your inference.sh task list before rendering again.');
    req.onRemoteTaskId?.(task.id);
    return task.id;
  }

  private async follow(http: CloudHttp, taskId: string, req: EngineRunRequest): Promise<RemoteTask> {
    let lastStage = '';
    const task = await followTask(http, taskId, {
      signal: req.signal,
      pollIntervalMs: this.options.pollIntervalMs,
      reconnectBaseMs: this.options.reconnectBaseMs,
      streamIdleMs: this.options.streamIdleMs,
      streamCheckMs: this.options.streamCheckMs,
      maxWaitMs: this.options.maxWaitMs,
      onLog: (line) => req.onEvent({ type: 'log', line }),
      onTask: (_t, status) => {
        const stage = statusStage[status];
        if (stage === lastStage) return;
        lastStage = stage;
        req.onEvent({ type: 'stage', stage });
        if (!isTerminal(status)) req.onEvent({ type: 'progress', fraction: UPLOAD_SHARE + (DOWNLOAD_FROM - UPLOAD_SHARE) * statusFraction[status], etaMs: null });
      },
    }).catch((e: unknown) => {
      // The service no longer knows the task (expired, deleted): following it again can never
      // work, so the failure is the task's own and a retry submits the render anew.
      if (e instanceof CloudHttpError && e.status === 404) {
        throw new RemoteTaskEnded('remote_task_failed', 'not_found', `inference.sh no longer knows the cloud task ${taskId} (it may have expired or been deleted). Retry submits the render again.`);
      }
      throw e;
    });
    const status = parseStatus(task.status);
    if (status === 'failed') {
      throw new RemoteTaskEnded('remote_task_failed', 'unavailable', `The cloud task failed on inference.sh: ${task.error?.trim() || 'inference.sh gave no reason'}. Check the inputs and settings, then render again.`);
    }
    if (status === 'cancelled') {
      if (req.signal.aborted) throw new StudioError('cancelled', 'Cancelled.');
      throw new RemoteTaskEnded('remote_task_cancelled', 'cancelled', 'The cloud task was cancelled on inference.sh (from another client or the website). Retry renders it again.');
    }
    return task;
  }

  private async download(task: RemoteTask, req: EngineRunRequest): Promise<void> {
    const file = outputFileOf(task, req.app);
    if (!file) {
      throw new StudioError('io_error', `The cloud render finished but its result has no ${OUTPUT_FIELD[req.app]} file. The app's output format may have changed; see \`wan-studio cloud schema ${req.app}\`.`);
    }
    req.onEvent({ type: 'stage', stage: 'Downloading the result' });
    await downloadOutput(file.uri, req.outputFile, {
      signal: req.signal,
      expectedSize: file.size,
      onProgress: (got, total) => req.onEvent({ type: 'progress', fraction: DOWNLOAD_FROM + (total ? (0.08 * got) / total : 0), etaMs: null }),
    });
    const info = await probeMedia(req.outputFile, { tools: this.options.tools(), displayName: 'the downloaded result' });
    if (!info.video) throw new StudioError('unsupported_media', 'The cloud render returned a file with no video in it. Render again; if it repeats, the app may be failing.');
  }

  /** Asks the service to stop, then waits (bounded) until it says the task is cancelled. */
  private async cancelRemote(http: CloudHttp, taskId: string, req: EngineRunRequest): Promise<void> {
    const deadline = Date.now() + (this.options.cancelConfirmMs ?? 30_000);
    try {
      req.onEvent({ type: 'stage', stage: 'Cancelling the cloud task' });
      await http.request('POST', `/tasks/${encodeURIComponent(taskId)}/cancel`, { idempotent: true, timeoutMs: 15_000 });
      while (Date.now() < deadline) {
        const s = await http.request<{ status: unknown }>('GET', `/tasks/${encodeURIComponent(taskId)}/status`, { idempotent: true, timeoutMs: 10_000 });
        if (isTerminal(parseStatus(s.status))) return;
        await sleep(Math.min(1000, this.options.pollIntervalMs ?? 1000));
      }
      req.onEvent({ type: 'log', line: `inference.sh did not confirm the cancel of task ${taskId} in time; check it in your task list.` });
    } catch (e) {
      req.onEvent({ type: 'log', line: `Cancelling cloud task ${taskId} failed: ${cloudFailure(e, 'The cancel').message}` });
    }
  }
}

/** The output file object (or bare URI string) the app returned. */
export function outputFileOf(task: RemoteTask, app: StudioApp): { uri: string; size: number | null } | null {
  const raw = task.output?.[OUTPUT_FIELD[app]];
  if (typeof raw === 'string' && raw) return { uri: raw, size: null };
  if (raw && typeof raw === 'object') {
    const f = raw as { uri?: unknown; size?: unknown };
    if (typeof f.uri === 'string' && f.uri) return { uri: f.uri, size: typeof f.size === 'number' && f.size > 0 ? f.size : null };
  }
  return null;
}

const seedOf = (params: unknown): number | null => {
  const s = (params as { seed?: unknown } | null)?.seed;
  return typeof s === 'number' && s >= 0 ? s : null;
};
