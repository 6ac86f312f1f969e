import type { EngineChoice, PersonPick, StudioApp } from './types';

export type JobStatusDto = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** A render job as the job list shows it. Never holds a secret. */
export interface JobDto {
  id: string;
  projectId: string;
  app: StudioApp;
  engine: 'local' | 'cloud';
  status: JobStatusDto;
  stage: string | null;
  /** 0..1 */
  progress: number;
  /** Time left, from past jobs of the same app and size; null when there is no history yet. */
  etaMs: number | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: string | null;
  remoteTaskId: string | null;
  /** The validated parameters with the concrete seed used. */
  params: Record<string, unknown>;
  seed: number | null;
  logTail: string[];
  /** The finished video, once there is one. */
  outputId: string | null;
  /** Library path of a still from the latest finished clip (local renders), for review while it runs. */
  preview: string | null;
  /** Held in the queue by the user (waiting jobs only). */
  paused: boolean;
  /** What the user asked for; 'auto' picks the engine when the job starts. */
  engineChoice: 'auto' | 'local' | 'cloud';
  /** Why the engine that runs the job was picked, once it is known. */
  routeReason: string | null;
  batchId: string | null;
  batchName: string | null;
  /** What differs in this job of its batch (e.g. "seed 42"). */
  batchLabel: string | null;
  /** A failed job that a Retry (same inputs, settings, seed, engine) can finish. */
  canRetry: boolean;
  /** Why a Retry cannot help (the page offers "Render again" instead), or null. */
  retryBlockedBy: string | null;
}

export interface OutputDto {
  id: string;
  projectId: string;
  jobId: string | null;
  app: StudioApp | null;
  engine: 'local' | 'cloud' | null;
  /** Library path of the video. */
  file: string;
  /** Library path of a still from it. */
  poster: string | null;
  settings: Record<string, unknown>;
  seed: number | null;
  sizeBytes: number | null;
  createdAt: number;
  /** The trim of the input it was rendered from (audio for S2V, the driving video for Animate). */
  trim: { inSec: number; outSec: number | null } | null;
  /** Animate: the person it was rendered for (null: the largest), so "Reuse settings" can pick them again. */
  person: PersonPick | null;
  /** The input to compare it with: the driving video (Animate) or the portrait (S2V), if still there. */
  sourceAssetId: string | null;
  /** A readable file name for downloading it: project-prompt-seed.mp4. */
  downloadName: string;
  /** Files made from this output with export presets (library paths), newest first. */
  exports: Array<{ file: string; format: string; sizeBytes: number; createdAt: number }>;
}

export interface ExportResult {
  /** Library path of the exported file (inside the output's exports folder). */
  file: string;
  sizeBytes: number;
}

export interface ExportProgressEvent {
  exportId: string;
  outputId: string;
  stage: 'loudness' | 'encode' | 'done';
  /** 0..1, or null when the length is unknown. */
  fraction: number | null;
}

/** Whether an engine can take this project's render now, and if not, why (a sentence to show). */
export interface EngineAvailabilityDto {
  available: boolean;
  reason: string | null;
}

/** One input as a render will take it: the file, its trim and the length that is rendered. */
export interface RenderInputSummary {
  /** The label the editor shows for it ("Voice or song", "Driving video"). */
  label: string;
  name: string;
  inSec: number | null;
  outSec: number | null;
  seconds: number | null;
}

/**
 * What Render would submit with the draft on screen, checked by the same code that queues the
 * job: the engine that would actually run, every problem (worded with the labels on screen),
 * and a summary of the prompt, inputs, size and seed.
 */
export interface RenderCheckDto {
  engine: EngineChoice;
  /** The engine that would run, or null when none can. */
  runsOn: 'local' | 'cloud' | null;
  /** Why it runs there (Automatic's routing reason, or the user's choice); null when nothing runs. */
  runsOnReason: string | null;
  engines: { local: EngineAvailabilityDto; cloud: EngineAvailabilityDto };
  problems: string[];
  summary: {
    prompt: string;
    inputs: RenderInputSummary[];
    /** Output size in pixels, when it is known before rendering. */
    size: { width: number; height: number } | null;
    fps: number | null;
    /** null: a random seed is picked (and recorded) when the job is queued. */
    seed: number | null;
    /**
     * Animate only: the person picked in the driving video, null for the largest (Wan's rule).
     * Renders on this computer use the pick; the cloud app has no such input (its detector takes the largest).
     */
    person?: PersonPick | null;
  };
}
