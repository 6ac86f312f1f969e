import { Notification, type BrowserWindow } from 'electron';
import type { JobDto } from '../core/contract/index';
import type { Disposable } from '../core/lifecycle';
import type { StudioCore } from '../core/studioCore';

const PROGRESS_EVERY_MS = 500;

/**
 * Thin Electron glue for the queue: the taskbar/dock progress of the whole queue, and an OS
 * notification when a render fails or a batch (or a single render) finishes. The decisions are the
 * core's; this only shows them.
 */
export function showQueueActivity(core: StudioCore, window: () => BrowserWindow | null): Disposable {
  let timer: NodeJS.Timeout | null = null;
  const notified = new Set<string>();
  const updateBar = () => {
    timer = null;
    const win = window();
    if (!win || win.isDestroyed()) return;
    const p = core.queue.progress();
    win.setProgressBar(p === null ? -1 : p);
  };
  const notify = (title: string, body: string) => {
    if (Notification.isSupported()) new Notification({ title, body, silent: true }).show();
  };
  const onJob = (job: JobDto) => {
    if (job.status === 'failed') notify('A render failed', `${job.batchName ? `${job.batchName}: ${job.batchLabel ?? ''}. ` : ''}${job.error ?? ''}`);
    if (job.status !== 'completed') return;
    if (!job.batchId) return notify('Render finished', `Seed ${job.seed ?? '—'} is ready in its project's Renders.`);
    const rest = core.library.jobs.listByProject(job.projectId).filter((j) => j.batchId === job.batchId);
    if (notified.has(job.batchId) || rest.some((j) => j.status === 'queued' || j.status === 'running')) return;
    notified.add(job.batchId);
    notify('Batch finished', `${job.batchName ?? 'A batch'}: ${rest.filter((j) => j.status === 'completed').length} of ${rest.length} renders done.`);
  };
  const sub = core.events.onAny((name, payload) => {
    if (name === 'render.job') onJob(payload as JobDto);
    if ((name === 'render.job' || name === 'queue.changed') && !timer) timer = setTimeout(updateBar, PROGRESS_EVERY_MS);
  });
  return {
    dispose() {
      sub.dispose();
      if (timer) clearTimeout(timer);
    },
  };
}
