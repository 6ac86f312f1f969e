import type { PickPoint } from '../../../common/animate/personPick';
import { StudioError, type StudioErrorCode } from '../contract/errors';
import type { StudioApp } from '../contract/types';
import type { RemoteSubmission } from '../library/jobRepository';
import type { S2vAttentionSpec } from '../../../common/s2v/attentionMemory';
import type { DitAttentionSpec } from '../../../common/wan/attentionMemory';

/**
 * What every render engine (local worker, inference.sh cloud) offers the queue. Parameters
 * arrive already validated by the app's schema (main/core/contract/params); inputs arrive as
 * absolute paths of materialized (trimmed) files.
 */
export interface EngineInputs {
  /** S2V: the portrait. Animate: the reference character image. */
  image?: string;
  /** S2V: the speech or song (16 kHz mono for the model, original rate kept for the mux). */
  audio?: string;
  /** S2V: the same audio as 16 kHz mono WAV, what the model's audio encoder takes (local engine). */
  modelAudio?: string;
  /** Animate: the driving video. */
  video?: string;
  /** Animate: the person picked in the driving video (null: the largest, Wan's rule). Only local renders use it. */
  person?: PickPoint | null;
}

export type EngineEvent =
  | { type: 'stage'; stage: string; detail?: string }
  | { type: 'progress'; fraction: number | null; etaMs: number | null }
  | { type: 'log'; line: string }
  | { type: 'preview'; file: string };

export interface EngineRunRequest {
  jobId: string;
  projectId: string;
  app: StudioApp;
  /** Validated by the app's schema, with a concrete seed already chosen. */
  params: unknown;
  inputs: EngineInputs;
  /** Where the finished video must end up (the engine writes a temp sibling and renames). */
  outputFile: string;
  /** The job's own folder: engines keep checkpoints here, so a restarted job resumes. */
  workDir: string;
  signal: AbortSignal;
  /**
   * The user paused the running job: an engine that checkpoints stops at its next checkpoint and
   * throws PausedAtCheckpoint (the job resumes from there). Engines that cannot pause ignore it.
   */
  pauseSignal?: AbortSignal;
  onEvent: (event: EngineEvent) => void;
  /**
   * Called the moment a remote service accepts the job, before anything else happens, so the id
   * is on the job row even if the app dies right after (a restart re-attaches, never pays twice).
   */
  onRemoteTaskId?: (remoteTaskId: string) => void;
  /** A task already submitted before a restart: follow it instead of submitting again. */
  resumeTaskId?: string | null;
  /**
   * Called (and must be stored, committed) right before a run is requested from a remote service,
   * with the job's uploaded file URIs: a crash before the answer is read leaves this on the row.
   */
  onSubmitting?: (submission: RemoteSubmission) => void;
  /** The service refused the run request outright: no task exists, the submission is over. */
  onSubmitRefused?: () => void;
  /**
   * A run that was being requested when the studio stopped: the engine looks its task up and
   * follows it, and requests a run again only when the service shows it never arrived.
   */
  resumeSubmission?: RemoteSubmission | null;
}

/** The remote task itself ended badly (failed or cancelled on the service): a retry submits anew. */
export class RemoteTaskEnded extends StudioError {
  constructor(
    readonly kind: 'remote_task_failed' | 'remote_task_cancelled',
    code: StudioErrorCode,
    message: string,
  ) {
    super(code, message);
    this.name = 'RemoteTaskEnded';
  }
}

/**
 * The local engine could not render for a reason the studio knows as data: the render ran out of
 * memory, or the execution provider broke. An "Automatic" job may then go to the cloud.
 */
export class LocalEngineFailure extends StudioError {
  constructor(
    readonly kind: 'out_of_memory' | 'provider',
    message: string,
    /** What the runtime said, for the job's log (not the message: it is not for reading). */
    readonly detail: string | null = null,
  ) {
    super('unavailable', message);
    this.name = 'LocalEngineFailure';
  }
}

/** The run stopped at a checkpoint because the user paused it; starting it again resumes there. */
export class PausedAtCheckpoint extends StudioError {
  constructor(readonly finishedClips: number) {
    super('cancelled', `Paused after ${finishedClips} finished clip(s); resuming continues from there.`);
    this.name = 'PausedAtCheckpoint';
  }
}

export interface EngineResult {
  /** Absolute path of the finished video inside the library's outputs folder. */
  outputFile: string;
  seed: number | null;
  /** The settings actually used, stored with the output and embedded in its metadata. */
  settings: unknown;
}

export interface EngineAvailability {
  available: boolean;
  /** Why not, phrased as what the user can do about it. */
  reason: string | null;
}

/** How the installed pack's DiT computes attention: what a frame size and clip length can cost it. */
export type PackAttention = { app: 's2v'; dit: S2vAttentionSpec } | { app: 'animate'; dit: DitAttentionSpec };

export interface Engine {
  readonly id: 'local' | 'cloud';
  availability(app: StudioApp): Promise<EngineAvailability>;
  run(request: EngineRunRequest): Promise<EngineResult>;
  /** The local engine: its pack's attention, so the editor can show the pack's size limit before Render. */
  packAttention?(app: StudioApp): Promise<PackAttention | null>;
}
