import { useEffect, useRef } from 'react';
import { hrefFor } from '../router';
import { studio } from '../studio';
import { useToasts } from '../toasts';

/** A notice when a render ends, wherever the person is in the studio (once per job and outcome). */
export function RenderEndToasts() {
  const toasts = useToasts();
  const told = useRef(new Set<string>());
  useEffect(
    () =>
      studio().on('render.job', (job) => {
        if (job.status !== 'completed' && job.status !== 'failed') return;
        const key = `${job.id}:${job.status}:${job.finishedAt ?? ''}`;
        if (told.current.has(key)) return;
        told.current.add(key);
        const where = location.hash.startsWith(hrefFor({ page: 'project', id: job.projectId })) ? '' : ' Open its project to see it.';
        if (job.status === 'completed') toasts.info(`Render finished (seed ${job.seed ?? '—'}).${where}`);
        else toasts.info(`A render failed: ${job.error ?? 'no reason given'}${where}`);
      }),
    [toasts],
  );
  return null;
}
