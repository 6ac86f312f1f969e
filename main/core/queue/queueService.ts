import type { JobDto, QueueJobDto, QueueListDto } from '../contract/index';
import type { EventBus } from '../eventBus';
import type { JobRecord } from '../library/jobRepository';
import type { Library } from '../library/library';
import { expectedDurationMs } from '../render/etaEstimator';
import type { RenderService } from '../render/renderService';
import { pauseBlocker } from './pauseRule';

const DEFAULT_PAGE = 200;

/**
 * The queue across all projects as the user steers it: order, holds, "hold everything", clearing
 * ended jobs. Every change is a row change first (in a transaction), then announced, then the
 * render service looks at the queue again.
 */
export class QueueService {
  constructor(
    private readonly library: Library,
    private readonly events: EventBus,
    private readonly render: RenderService,
  ) {}

  list(offset = 0, limit = DEFAULT_PAGE): QueueListDto {
    const counts = this.library.jobs.queueCounts();
    const page = this.library.jobs.listQueuePage(offset, limit);
    const visual = (job: JobRecord) => [job.inputs.imageAssetId, job.inputs.videoAssetId].filter((id): id is string => !!id);
    const assets = this.library.assets.thumbsOf(page.flatMap(({ job }) => visual(job)));
    const jobs: QueueJobDto[] = page.map(({ job, projectName, batchName }, i) => ({
      ...this.render.dto(job, undefined, undefined, batchName),
      projectName,
      waitIndex: job.status === 'queued' ? offset + i - counts.running : null,
      pauseBlocker: pauseBlocker(job),
      inputThumbs: visual(job).flatMap((id) => {
        const a = assets.get(id);
        return a?.thumb ? [{ name: a.name, thumb: a.thumb }] : [];
      }),
    }));
    const settings = this.library.readSettings();
    const eta = this.totalEta(settings.cloudConcurrency);
    return {
      paused: this.library.queue.isPaused(),
      cloudConcurrency: settings.cloudConcurrency,
      counts,
      total: counts.running + counts.waiting + counts.held + counts.ended,
      offset,
      totalEtaMs: eta.ms,
      unestimated: eta.unestimated,
      jobs,
    };
  }

  move(jobId: string, index: number): QueueListDto {
    this.library.queue.move(jobId, index);
    this.changed('order');
    return this.list(0, DEFAULT_PAGE);
  }

  /** Holds a waiting job in its place; a running local render stops at its next finished clip. */
  pause(jobId: string): JobDto {
    if (this.library.jobs.get(jobId).status === 'running') return this.render.pauseRunning(jobId);
    this.library.queue.setPaused(jobId, true);
    return this.announceJob(jobId);
  }

  resume(jobId: string): JobDto {
    this.library.queue.setPaused(jobId, false);
    return this.announceJob(jobId);
  }

  /** Running jobs finish; nothing new starts until resumeAll. */
  pauseAll(): { paused: boolean } {
    this.library.queue.setAllPaused(true);
    this.changed('paused');
    return { paused: true };
  }

  resumeAll(): { paused: boolean } {
    this.library.queue.setAllPaused(false);
    this.changed('paused');
    return { paused: false };
  }

  remove(jobId: string): { removed: true } {
    this.library.queue.dismiss(jobId);
    this.changed('removed');
    return { removed: true };
  }

  /**
   * How far the whole queue is, for a taskbar/dock progress bar: the running jobs' progress over
   * everything running or waiting (held jobs not counted); null when nothing is running or waiting.
   */
  progress(): number | null {
    const counts = this.library.jobs.queueCounts();
    const active = counts.running + counts.waiting;
    if (active === 0) return null;
    const done = this.library.jobs.listByStatus(['running']).reduce((sum, j) => sum + j.progress, 0);
    return Math.min(1, done / active);
  }

  private announceJob(jobId: string): JobDto {
    const dto = this.render.dto(this.library.jobs.get(jobId));
    this.events.emit('render.job', dto);
    this.changed('paused');
    return dto;
  }

  private changed(kind: 'order' | 'paused' | 'removed'): void {
    this.events.emit('queue.changed', { kind });
    this.render.wake();
  }

  /**
   * Time until what runs and waits has finished: local jobs one after another, cloud jobs side by
   * side up to the concurrency limit; the two engines run at once, so the longer lane wins.
   * Held jobs are not counted; jobs with no history to estimate from are counted apart.
   */
  private totalEta(cloudConcurrency: number): { ms: number | null; unestimated: number } {
    const lanes = { local: 0, cloud: 0 };
    let unestimated = 0;
    let known = false;
    for (const job of this.library.jobs.listByStatus(['running'])) {
      const eta = this.render.dto(job).etaMs;
      if (eta !== null) {
        lanes[job.engine] += eta;
        known = true;
      }
    }
    for (const shape of this.library.queue.waitingShapes()) {
      const ms = expectedDurationMs(this.library.jobs, shape);
      if (ms === null) unestimated += shape.count;
      else {
        lanes[shape.engine] += ms * shape.count;
        known = true;
      }
    }
    if (!known) return { ms: null, unestimated };
    return { ms: Math.round(Math.max(lanes.local, lanes.cloud / Math.max(1, cloudConcurrency))), unestimated };
  }
}
