import type { JobDto } from './renderTypes';

/** A job as the queue page lists it: the job plus where it belongs. */
export interface QueueJobDto extends JobDto {
  projectName: string;
  /** 0 = next to start, among the waiting jobs; null once it has started or ended. */
  waitIndex: number | null;
  /** Why Pause is not offered for this job (a running cloud render, an ended job), or null when it is. */
  pauseBlocker: string | null;
  /** Thumbnails of the job's picture and video inputs (library paths, made at import), named for the page. */
  inputThumbs: Array<{ name: string; thumb: string }>;
}

/** One page of the queue across all projects: running first, then waiting in order, then ended (newest first). */
export interface QueueListDto {
  /** The whole queue is held: running jobs finish, nothing new starts. */
  paused: boolean;
  cloudConcurrency: number;
  counts: { running: number; waiting: number; held: number; ended: number };
  /** Rows in the whole list (all pages). */
  total: number;
  offset: number;
  /** Expected time until everything running and waiting has finished, from past jobs; null without history. */
  totalEtaMs: number | null;
  /** How many waiting jobs have no history to estimate from (their time is not in totalEtaMs). */
  unestimated: number;
  jobs: QueueJobDto[];
}

export interface QueueChangedEvent {
  /** What changed; the page lists again. Single jobs' progress arrives as render.job. */
  kind: 'order' | 'paused' | 'added' | 'removed';
}

/** One render of a batch: parameters laid over the editor's draft, files replacing its choices. */
export interface BatchVariation {
  /** What the outputs grid shows for this render; made from what differs when absent. */
  label?: string;
  params?: Record<string, unknown>;
  files?: { imageAssetId?: string | null; audioAssetId?: string | null; videoAssetId?: string | null; referenceAssetId?: string | null };
}

export interface BatchDto {
  id: string;
  name: string;
  projectId: string;
  jobs: JobDto[];
}

/**
 * What a batch will start before it is queued (cloud renders are paid): where its renders run and
 * how long they should take, from finished jobs of the same app, engine and size.
 */
export interface BatchEstimateDto {
  renders: number;
  /** Where the batch's renders start as things stand (null: nowhere, see `reason`). */
  runsOn: 'local' | 'cloud' | null;
  /** Why they run there, or why they cannot run, as a sentence to show. */
  why: string;
  /** Cloud tasks the batch will start (each one is paid). */
  cloudRenders: number;
  /**
   * "Automatic" renders headed for this computer that may still go to the cloud (cloud fallback
   * is allowed and the GPU can be busy when they start); 0 otherwise.
   */
  mayGoToCloud: number;
  /** Expected time of one render of the engine they run on (the median over the batch), or null without history. */
  eachMs: number | null;
  /** Expected time until the whole batch has finished (cloud renders side by side up to the limit), or null. */
  totalMs: number | null;
  /** Renders of the batch with no finished job like them to estimate from. */
  unestimated: number;
  /** How many finished jobs the estimate comes from. */
  pastJobs: number;
  cloudConcurrency: number;
}
