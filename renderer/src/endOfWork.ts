import type { JobDto } from '../../main/core/contract/index';

/**
 * When the end-of-work sound plays: once when a render fails, and once when nothing runs or waits any
 * more. Two renders that finish together each ask the queue, and both answers can say it is idle:
 * the sound is for the queue becoming idle, so it plays for the first answer only, until work
 * starts again.
 */
export class EndOfWork {
  private readonly heard = new Set<string>();
  private idleAnnounced = false;

  /** A job event: 'failed' to play that sound, 'ask' to ask the queue whether all work is done, or nothing. */
  onJob(job: Pick<JobDto, 'id' | 'status' | 'finishedAt'>): 'failed' | 'ask' | null {
    if (job.status === 'queued' || job.status === 'running') {
      this.idleAnnounced = false;
      return null;
    }
    if (job.status !== 'completed' && job.status !== 'failed') return null;
    const key = `${job.id}:${job.status}:${job.finishedAt ?? ''}`;
    if (this.heard.has(key)) return null;
    this.heard.add(key);
    return job.status === 'failed' ? 'failed' : 'ask';
  }

  /** The queue's answer: whether to play the 'done' sound now. */
  onCounts(counts: { running: number; waiting: number }): boolean {
    if (counts.running + counts.waiting > 0 || this.idleAnnounced) return false;
    this.idleAnnounced = true;
    return true;
  }
}
