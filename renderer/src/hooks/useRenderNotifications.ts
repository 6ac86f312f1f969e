import { useEffect } from 'react';
import type { JobDto } from '../../../main/core/contract/index';
import { studio } from '../studio';

/** In the app the main process notifies (Electron); in a browser the page does, once allowed. */
export const pageNotifies = (): boolean => !window.studio && 'Notification' in window;

/**
 * Browser notifications when a render fails or a batch (or a single render) finishes, after the
 * user allowed them (the Queue page asks). Nothing is shown without permission.
 */
export function useRenderNotifications(): void {
  useEffect(() => {
    if (!pageNotifies()) return;
    const done = new Set<string>();
    const show = (title: string, body: string) => {
      if (Notification.permission === 'granted') new Notification(title, { body, silent: true });
    };
    const onJob = (job: JobDto) => {
      if (job.status === 'failed') show('A render failed', `${job.batchName ? `${job.batchName}: ${job.batchLabel ?? ''}. ` : ''}${job.error ?? ''}`);
      if (job.status !== 'completed') return;
      if (!job.batchId) return show('Render finished', `Seed ${job.seed ?? '—'} is ready in its project's Renders.`);
      const batchId = job.batchId;
      void studio()
        .render.listJobs({ projectId: job.projectId })
        .then((jobs) => {
          const mine = jobs.filter((j) => j.batchId === batchId);
          if (done.has(batchId) || mine.some((j) => j.status === 'queued' || j.status === 'running')) return;
          done.add(batchId);
          show('Batch finished', `${job.batchName ?? 'A batch'}: ${mine.filter((j) => j.status === 'completed').length} of ${mine.length} renders done.`);
        })
        .catch(() => undefined);
    };
    return studio().on('render.job', onJob);
  }, []);
}
