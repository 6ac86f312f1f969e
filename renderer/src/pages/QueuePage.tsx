import { useEffect, useRef, useState } from 'react';
import type { QueueJobDto } from '../../../main/core/contract/index';
import { QUEUE_ROW_HEIGHT, QueueRow, type QueueRowActions } from '../components/QueueRow';
import { errorMessage } from '../errorMessage';
import { QUEUE_PAGE, useQueue } from '../hooks/useQueue';
import { useNow } from '../hooks/useNow';
import { pageNotifies } from '../hooks/useRenderNotifications';
import { studio } from '../studio';
import { spanText } from '../time';
import { useToasts } from '../toasts';

/** Rows drawn beyond the visible ones, so a quick scroll does not show gaps. */
const OVERSCAN = 6;

/** Only the rows in view are in the page, so 500 jobs scroll as smoothly as 5. */
function useWindow(count: number) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setView({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, []);
  const first = Math.max(0, Math.floor(view.top / QUEUE_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((view.top + view.height) / QUEUE_ROW_HEIGHT) + OVERSCAN);
  return { ref, first, last };
}

/** Every render of every project: steer the order, hold jobs or the whole queue, see what is left. */
export function QueuePage() {
  const toasts = useToasts();
  const [offset, setOffset] = useState(0);
  const queue = useQueue(offset);
  const jobs = queue.data?.jobs ?? [];
  const now = useNow(jobs.some((j) => j.status === 'running'));
  const win = useWindow(jobs.length);
  const dragged = useRef<QueueJobDto | null>(null);
  const waiting = jobs.filter((j) => j.waitIndex !== null);
  const lastWaitIndex = (queue.data?.counts.waiting ?? 0) + (queue.data?.counts.held ?? 0) - 1;

  const act = (p: Promise<unknown>) => void p.catch((e: unknown) => toasts.error(errorMessage(e)));
  const actions: QueueRowActions = {
    move: (job, index) => {
      queue.reorder(job.id, index);
      act(studio().queue.move({ jobId: job.id, index }).finally(queue.reload));
    },
    pause: (job) => act(studio().queue.pause({ jobId: job.id })),
    resume: (job) => act(studio().queue.resume({ jobId: job.id })),
    cancel: (job) => act(studio().queue.cancel({ jobId: job.id })),
    retry: (job) => act(studio().queue.retry({ jobId: job.id })),
    remove: (job) => act(studio().queue.remove({ jobId: job.id })),
    dragStart: (job) => (dragged.current = job),
    dropOn: (target) => {
      const from = dragged.current;
      dragged.current = null;
      if (!from || from.id === target.id || target.waitIndex === null) return;
      actions.move(from, target.waitIndex);
    },
  };

  const [permission, setPermission] = useState<NotificationPermission>(() => (pageNotifies() ? Notification.permission : 'denied'));
  const data = queue.data;
  const paused = data?.paused ?? false;
  return (
    <div className="page queue-page">
      <div className="page-header">
        <h1>Queue</h1>
        {data && (
          <span className="muted" data-testid="queue-summary">
            {data.counts.running} rendering · {data.counts.waiting} waiting · {data.counts.held} paused · {data.counts.ended} ended
          </span>
        )}
        {data && data.counts.running + data.counts.waiting + data.counts.held > 0 && (
          <span className="muted" data-testid="queue-total-eta">
            {data.totalEtaMs !== null ? `All done in about ${spanText(data.totalEtaMs)}` : 'No estimate yet (no finished renders like these)'}
            {data.unestimated > 0 && data.totalEtaMs !== null ? ` (+${data.unestimated} without an estimate)` : ''}
          </span>
        )}
        {pageNotifies() && permission === 'default' && (
          <button type="button" onClick={() => void Notification.requestPermission().then(setPermission)} title="A notification when a batch finishes or a render fails">
            Notify me
          </button>
        )}
        <button
          type="button"
          className={paused ? 'primary' : undefined}
          data-testid="queue-hold"
          onClick={() => act(paused ? studio().queue.resumeAll({}) : studio().queue.pauseAll({}))}
          title={paused ? 'Start waiting jobs again' : 'Let running jobs finish, then hold'}
        >
          {paused ? 'Resume queue' : 'Pause queue'}
        </button>
      </div>
      {paused && (
        <p className="queue-banner" role="status" data-testid="queue-held">
          The queue is paused: running jobs finish, nothing new starts until you resume it.
        </p>
      )}
      {queue.error && <p className="error-text" role="alert">{queue.error}</p>}
      {data && jobs.length === 0 && <p className="muted">Nothing in the queue. Renders you start in any project wait here.</p>}
      <div className="queue-viewport" ref={win.ref} data-testid="queue-viewport">
        <ul className="queue-list" aria-label="Render queue" style={{ height: jobs.length * QUEUE_ROW_HEIGHT }}>
          {jobs.slice(win.first, win.last).map((job, i) => (
            <QueueRow key={job.id} job={job} top={(win.first + i) * QUEUE_ROW_HEIGHT} now={now} lastWaitIndex={lastWaitIndex} actions={actions} />
          ))}
        </ul>
      </div>
      {data && data.total > QUEUE_PAGE && (
        <div className="row queue-pager">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - QUEUE_PAGE))}>
            Previous {QUEUE_PAGE}
          </button>
          <span className="muted">
            {offset + 1}–{Math.min(data.total, offset + QUEUE_PAGE)} of {data.total}
          </span>
          <button type="button" disabled={offset + QUEUE_PAGE >= data.total} onClick={() => setOffset(offset + QUEUE_PAGE)}>
            Next {QUEUE_PAGE}
          </button>
        </div>
      )}
      <span className="sr-only" aria-live="polite">
        {waiting.length} waiting
      </span>
    </div>
  );
}
