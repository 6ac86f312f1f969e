import { useEffect, useState } from 'react';
import type { JobDto, OutputDto } from '../../../main/core/contract/index';
import type { Asset } from '../../../main/core/contract/types';
import { CompareDialog, type CompareSide } from '../components/CompareDialog';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { OutputCard } from '../components/OutputCard';
import { ExportDialog } from '../components/ExportDialog';
import { errorMessage } from '../errorMessage';
import { useNow } from '../hooks/useNow';
import { useStudioData } from '../hooks/useStudioData';
import { studio } from '../studio';
import { timeAgo } from '../time';
import { useToasts } from '../toasts';

const statusLabel: Record<JobDto['status'], string> = { queued: 'Queued', running: 'Rendering', completed: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

const eta = (ms: number | null) => (ms === null ? '' : ms < 60_000 ? `about ${Math.ceil(ms / 1000)} s left` : `about ${Math.ceil(ms / 60_000)} min left`);

const clock = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function JobRow({ job, onRenderAgain }: { job: JobDto; onRenderAgain: () => void }) {
  const toasts = useToasts();
  const active = job.status === 'queued' || job.status === 'running';
  const now = useNow(job.status === 'running');
  const elapsed = job.startedAt ? (job.finishedAt ?? now) - job.startedAt : null;
  return (
    <li className={`job job-${job.status}`} data-testid="job" data-status={job.status}>
      <div className="job-head">
        <strong>{statusLabel[job.status]}</strong>
        <span className="muted">
          {job.engine === 'cloud' ? 'Cloud' : 'Local'} · {job.stage ?? ''} {active ? eta(job.etaMs) : job.finishedAt ? timeAgo(job.finishedAt) : ''}
        </span>
        {elapsed !== null && (
          <span className="muted" data-testid="job-elapsed" title="Elapsed">
            {clock(elapsed)}
          </span>
        )}
        <span className="muted job-seed">seed {job.seed ?? '—'}</span>
        {active && (
          <button type="button" onClick={() => void studio().render.cancel({ jobId: job.id }).catch((e: unknown) => toasts.error(errorMessage(e)))} data-testid="job-cancel">
            Cancel
          </button>
        )}
      </div>
      {job.status === 'failed' && job.canRetry && (
        <div className="row">
          <button type="button" onClick={() => void studio().render.retry({ jobId: job.id }).catch((e: unknown) => toasts.error(errorMessage(e)))} data-testid="job-retry">
            Retry
          </button>
          <span className="muted">Same inputs, settings and seed{job.engine === 'local' ? '; finished clips are kept' : ''}.</span>
        </div>
      )}
      {job.status === 'failed' && !job.canRetry && (
        <div className="row">
          <button type="button" onClick={onRenderAgain} data-testid="job-render-again">
            Render again
          </button>
          <span className="muted">{job.retryBlockedBy} Retrying the same render cannot help: change it in the editor first.</span>
        </div>
      )}
      {job.preview && active && <img className="job-preview" src={studio().mediaUrl(job.preview)} alt="The latest finished clip" data-testid="job-preview" />}
      {active && <progress max={1} value={job.progress} aria-label="Render progress" data-testid="job-progress" />}
      {job.error && (
        <p className="import-error" role="alert" data-testid="job-error">
          {job.error}
        </p>
      )}
      {job.logTail.length > 0 && (
        <details>
          <summary>Log ({job.logTail.length})</summary>
          <pre className="job-log">{job.logTail.join('\n')}</pre>
        </details>
      )}
    </li>
  );
}

/** Single renders first, then each batch as its own grid (titled with its name), in the order they came. */
function outputGroups(outputs: OutputDto[], jobs: Map<string, JobDto>): Array<{ key: string; title: string | null; outputs: OutputDto[] }> {
  const groups = new Map<string, { key: string; title: string | null; outputs: OutputDto[] }>();
  for (const o of outputs) {
    const job = o.jobId ? jobs.get(o.jobId) : undefined;
    const key = job?.batchId ?? '';
    const group = groups.get(key) ?? { key: key || 'single', title: job?.batchId ? `Batch: ${job.batchName ?? ''}` : null, outputs: [] };
    group.outputs.push(o);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => (a.title === null ? -1 : b.title === null ? 1 : 0));
}

/** The project's renders: live jobs with progress and cancel, then the finished videos. */
interface RendersPanelProps {
  projectId: string;
  assets: Asset[];
  onRenderAgain: () => void;
  onReuse: (output: OutputDto) => void;
  /** The output shown as selected (kept in the URL), and how to change it. */
  selectedOutput: string | null;
  onSelectOutput: (id: string) => void;
}

export function RendersPanel({ projectId, assets, onRenderAgain, onReuse, selectedOutput, onSelectOutput }: RendersPanelProps) {
  const toasts = useToasts();
  const jobs = useStudioData(() => studio().render.listJobs({ projectId }), [projectId]);
  const outputs = useStudioData(() => studio().render.listOutputs({ projectId }), [projectId]);
  const settings = useStudioData(() => studio().settings.get({}), []);
  const [live, setLive] = useState<Record<string, JobDto>>({});
  const [exporting, setExporting] = useState<OutputDto | null>(null);
  const [removing, setRemoving] = useState<OutputDto | null>(null);
  const [comparing, setComparing] = useState<OutputDto | null>(null);
  const reloadOutputs = outputs.reload;

  useEffect(
    () =>
      studio().on('render.job', (job) => {
        if (job.projectId !== projectId) return;
        setLive((m) => ({ ...m, [job.id]: job }));
        if (job.status === 'completed') reloadOutputs();
      }),
    [projectId, reloadOutputs],
  );

  const merged = new Map<string, JobDto>();
  for (const j of jobs.data ?? []) merged.set(j.id, j);
  for (const j of Object.values(live)) merged.set(j.id, j);
  const list = [...merged.values()].sort((a, b) => b.createdAt - a.createdAt);

  return (
    <div className="renders">
      <h2>Jobs</h2>
      {list.length === 0 ? (
        <p className="muted">No renders yet. Set up the inputs in the editor and press Render.</p>
      ) : (
        <ul className="job-list" aria-label="Render jobs">
          {list.map((j) => (
            <JobRow key={j.id} job={j} onRenderAgain={onRenderAgain} />
          ))}
        </ul>
      )}
      <h2>Outputs</h2>
      {(outputs.data ?? []).length === 0 ? (
        <p className="muted">Finished videos appear here.</p>
      ) : (
        outputGroups(outputs.data ?? [], merged).map((group) => (
          <section key={group.key} className="output-group" data-testid="output-group" aria-label={group.title ?? 'Outputs'}>
            {group.title && <h3>{group.title}</h3>}
            <ul className="card-grid output-grid" aria-label={group.title ? `Outputs of ${group.title}` : 'Outputs'}>
              {group.outputs.map((o) => (
                <OutputCard
                  key={o.id}
                  output={o}
                  label={o.jobId ? (merged.get(o.jobId)?.batchLabel ?? null) : null}
                  selected={o.id === selectedOutput}
                  onSelect={() => onSelectOutput(o.id)}
                  onExport={() => setExporting(o)}
                  onRemove={() => setRemoving(o)}
                  onReuse={() => onReuse(o)}
                  onCompare={() => {
                    onSelectOutput(o.id);
                    setComparing(o);
                  }}
                />
              ))}
            </ul>
          </section>
        ))
      )}
      {exporting && (
        <ExportDialog
          output={exporting}
          encoders={settings.data?.tools.ffmpeg.encoders ?? null}
          onClose={() => {
            setExporting(null);
            reloadOutputs();
          }}
        />
      )}
      {comparing && <CompareDialog a={comparing} candidates={compareCandidates(comparing, outputs.data ?? [], assets)} onClose={() => setComparing(null)} />}
      {removing && (
        <ConfirmDialog
          title="Delete this output?"
          body="The video, its poster and its exports are removed from the library."
          confirmLabel="Delete"
          onConfirm={() => {
            const o = removing;
            setRemoving(null);
            studio()
              .render.removeOutput({ outputId: o.id })
              .then(reloadOutputs, (e: unknown) => toasts.error(errorMessage(e)));
          }}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}

/** What an output can be compared with: its input first, then the project's other outputs. */
function compareCandidates(a: OutputDto, outputs: OutputDto[], assets: Asset[]): CompareSide[] {
  const source = assets.find((x) => x.id === a.sourceAssetId);
  return [...(source ? [{ kind: 'asset' as const, asset: source }] : []), ...outputs.filter((o) => o.id !== a.id).map((o) => ({ kind: 'output' as const, output: o }))];
}
