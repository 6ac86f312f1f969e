import type { JobDto } from '../contract/index';
import type { JobRecord } from '../library/jobRepository';

/** The row as the page sees it. Params never hold secrets (the key is not a parameter). */
export function toJobDto(job: JobRecord, etaMs: number | null, outputId: string | null, preview: string | null = null, batchName: string | null = null, retryBlockedBy: string | null = null): JobDto {
  const params = (job.params && typeof job.params === 'object' ? job.params : {}) as Record<string, unknown>;
  return {
    id: job.id,
    projectId: job.projectId,
    app: job.app,
    engine: job.engine,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    etaMs: job.status === 'running' ? etaMs : null,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    error: job.error,
    remoteTaskId: job.remoteTaskId,
    params,
    seed: typeof params.seed === 'number' && params.seed >= 0 ? params.seed : null,
    logTail: job.logTail,
    outputId,
    preview,
    paused: job.paused,
    engineChoice: job.engineChoice,
    routeReason: job.routeReason,
    batchId: job.batchId,
    batchName,
    batchLabel: job.batchLabel,
    canRetry: job.status === 'failed' && retryBlockedBy === null,
    retryBlockedBy,
  };
}
