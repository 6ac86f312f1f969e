import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueJobDto, QueueListDto } from '../../../main/core/contract/index';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';

export const QUEUE_PAGE = 500;

/**
 * The queue across projects, kept live: a job's progress (render.job) patches its row in place;
 * a change of order, holds or membership (queue.changed, or a job not on the page) lists again,
 * at most a few times a second however many events arrive.
 */
export function useQueue(offset: number) {
  const [data, setData] = useState<QueueListDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const pending = useRef<number | null>(null);
  const dataRef = useRef<QueueListDto | null>(null);
  dataRef.current = data;

  const reload = useCallback(() => {
    const mine = ++generation.current;
    studio()
      .queue.list({ offset, limit: QUEUE_PAGE })
      .then(
        (v) => {
          if (mine !== generation.current) return;
          setData(v);
          setError(null);
        },
        (e: unknown) => mine === generation.current && setError(errorMessage(e)),
      );
  }, [offset]);

  const soon = useCallback(() => {
    if (pending.current !== null) return;
    pending.current = window.setTimeout(() => {
      pending.current = null;
      reload();
    }, 150);
  }, [reload]);

  useEffect(() => {
    reload();
    const offChanged = studio().on('queue.changed', soon);
    const offJob = studio().on('render.job', (job) => {
      const before = dataRef.current?.jobs.find((j) => j.id === job.id);
      // A new job, or one that changed state, moves between sections and changes the counts.
      if (!before || before.status !== job.status || before.paused !== job.paused) {
        soon();
        return;
      }
      setData((d) => (d ? { ...d, jobs: d.jobs.map((j) => (j.id === job.id ? { ...j, ...job } : j)) } : d));
    });
    return () => {
      offChanged();
      offJob();
      if (pending.current !== null) window.clearTimeout(pending.current);
      pending.current = null;
    };
  }, [reload, soon]);

  /** Applies a move at once on the page (the list from the core confirms it). */
  const reorder = useCallback((jobId: string, index: number) => {
    setData((d) => {
      if (!d) return d;
      const first = d.jobs.findIndex((j) => j.waitIndex !== null);
      const waiting = d.jobs.filter((j) => j.waitIndex !== null);
      const base = waiting[0]?.waitIndex ?? 0;
      const from = waiting.findIndex((j) => j.id === jobId);
      if (from < 0) return d;
      const moved = waiting.splice(from, 1)[0] as QueueJobDto;
      waiting.splice(Math.max(0, index - base), 0, moved);
      const jobs = d.jobs.slice();
      waiting.forEach((j, i) => (jobs[first + i] = { ...j, waitIndex: base + i }));
      return { ...d, jobs };
    });
  }, []);

  return { data, error, reload, reorder };
}
