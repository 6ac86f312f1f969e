import type { JobDto } from './renderTypes';

/** A job as the queue page lists it: the job plus where it belongs. */
export interface QueueJobDto extends JobDto {
  projectName: string;
  /** 0 = next to start, among the waiting jobs; null once it has started or ended. */
  waitIndex: number | null;
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
