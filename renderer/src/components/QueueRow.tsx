import type { KeyboardEvent } from 'react';
import type { QueueJobDto } from '../../../main/core/contract/index';
import { hrefFor } from '../router';
import { clockText, spanText } from '../time';
import { Thumb } from './Thumb';

export const QUEUE_ROW_HEIGHT = 76;

const stateLabel = (j: QueueJobDto): string =>
  j.paused ? 'Paused' : ({ queued: 'Waiting', running: 'Rendering', completed: 'Done', failed: 'Failed', cancelled: 'Cancelled' } as const)[j.status];

export interface QueueRowActions {
  move(job: QueueJobDto, index: number): void;
  pause(job: QueueJobDto): void;
  resume(job: QueueJobDto): void;
  cancel(job: QueueJobDto): void;
  retry(job: QueueJobDto): void;
  remove(job: QueueJobDto): void;
  dragStart(job: QueueJobDto): void;
  dropOn(job: QueueJobDto): void;
}

function engineText(j: QueueJobDto): string {
  const engine = j.engine === 'cloud' ? 'Cloud' : 'Local';
  return j.engineChoice === 'auto' ? `Automatic → ${engine}` : engine;
}

/** One job of the queue: where it is, what it renders, how far it got, and what can be done with it. */
export function QueueRow({ job, top, now, lastWaitIndex, actions }: { job: QueueJobDto; top: number; now: number; lastWaitIndex: number; actions: QueueRowActions }) {
  const waiting = job.waitIndex !== null;
  const ended = job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled';
  const elapsed = job.startedAt ? (job.finishedAt ?? now) - job.startedAt : null;
  const place = job.waitIndex;
  const onKey = (e: KeyboardEvent<HTMLLIElement>) => {
    if (!waiting || place === null || !e.altKey) return;
    if (e.key === 'ArrowUp' && place > 0) actions.move(job, place - 1);
    else if (e.key === 'ArrowDown' && place < lastWaitIndex) actions.move(job, place + 1);
    else if (e.key === 'Home') actions.move(job, 0);
    else return;
    e.preventDefault();
  };
  return (
    <li
      className={`queue-row queue-${job.paused ? 'paused' : job.status}`}
      style={{ top, height: QUEUE_ROW_HEIGHT }}
      data-testid="queue-row"
      data-job={job.id}
      data-status={job.status}
      data-paused={job.paused ? 'true' : 'false'}
      tabIndex={0}
      aria-label={`${stateLabel(job)}: ${job.projectName}${job.batchLabel ? `, ${job.batchLabel}` : ''}`}
      onKeyDown={onKey}
      draggable={waiting}
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', job.id);
        actions.dragStart(job);
      }}
      onDragOver={(e) => {
        if (waiting) e.preventDefault();
      }}
      onDrop={(e) => {
        e.preventDefault();
        actions.dropOn(job);
      }}
    >
      <span className="queue-place" aria-hidden={!waiting}>
        {waiting ? <span title="Drag to reorder (or Alt+↑/↓, Alt+Home)">⠿ {(place ?? 0) + 1}</span> : ''}
      </span>
      <span className="queue-thumbs" data-testid="queue-thumbs">
        {job.inputThumbs.map((t) => (
          <Thumb key={t.thumb} path={t.thumb} alt={t.name} placeholder="" className="queue-thumb" />
        ))}
      </span>
      <div className="queue-main">
        <div className="queue-line">
          <strong className="queue-state">{stateLabel(job)}</strong>
          <a href={hrefFor({ page: 'project', id: job.projectId })} className="queue-project">
            {job.projectName}
          </a>
          {job.batchName && (
            <span className="queue-batch" title={`Batch ${job.batchName}`}>
              {job.batchName}: {job.batchLabel}
            </span>
          )}
          <span className="chip" title={job.routeReason ?? undefined} data-testid="queue-engine">
            {engineText(job)}
          </span>
          <span className="muted">{job.app === 's2v' ? 'S2V' : 'Animate'}</span>
        </div>
        <div className="queue-line muted">
          {job.status === 'running' && <progress max={1} value={job.progress} aria-label="Render progress" />}
          {job.status === 'running' && <span>{Math.round(job.progress * 100)}%</span>}
          {job.stage && <span>{job.stage}</span>}
          {job.status === 'running' && job.etaMs !== null && <span data-testid="queue-eta">about {spanText(job.etaMs)} left</span>}
          {elapsed !== null && <span title="Elapsed">{clockText(elapsed)}</span>}
          {job.error && (
            <span className="error-text queue-error" title={job.error}>
              {job.error}
            </span>
          )}
          {job.routeReason && job.status !== 'queued' && <span className="queue-reason">{job.routeReason}</span>}
        </div>
      </div>
      <div className="queue-actions">
        {waiting && (
          <>
            <button type="button" className="icon-button" aria-label="Move to top" title="Move to top" disabled={place === 0} onClick={() => actions.move(job, 0)}>
              ⤒
            </button>
            <button type="button" className="icon-button" aria-label="Move up" title="Move up" disabled={place === 0} onClick={() => actions.move(job, (place ?? 0) - 1)}>
              ↑
            </button>
            <button type="button" className="icon-button" aria-label="Move down" title="Move down" disabled={place === lastWaitIndex} onClick={() => actions.move(job, (place ?? 0) + 1)}>
              ↓
            </button>
            {job.paused ? (
              <button type="button" onClick={() => actions.resume(job)}>
                Resume
              </button>
            ) : (
              <button type="button" onClick={() => actions.pause(job)}>
                Pause
              </button>
            )}
          </>
        )}
        {job.status === 'running' && (
          // A disabled button gets no hover: the wrapper carries the reason it cannot pause.
          <span title={job.pauseBlocker ?? 'Stop when the clip being rendered is done; Resume continues from there'} data-testid="queue-pause-running">
            <button type="button" disabled={job.pauseBlocker !== null} aria-describedby={job.pauseBlocker ? `pause-why-${job.id}` : undefined} onClick={() => actions.pause(job)}>
              {job.pauseBlocker ? "Can't pause" : 'Pause'}
            </button>
            {job.pauseBlocker && (
              <span id={`pause-why-${job.id}`} className="sr-only">
                {job.pauseBlocker}
              </span>
            )}
          </span>
        )}
        {(waiting || job.status === 'running') && (
          <button type="button" className="danger-text" onClick={() => actions.cancel(job)}>
            Cancel
          </button>
        )}
        {job.status === 'failed' && (
          <button type="button" onClick={() => actions.retry(job)}>
            Retry
          </button>
        )}
        {ended && (
          <button type="button" onClick={() => actions.remove(job)} title="Clear from the queue (the output and the project's history stay)">
            Remove
          </button>
        )}
      </div>
    </li>
  );
}
