import { useEffect, useRef, useState } from 'react';
import { formatBytes } from '../../../main/core/contract/format';
import type { OutputDto, ProjectArchiveDto } from '../../../main/core/contract/index';
import { errorMessage } from '../errorMessage';
import { useStudioData } from '../hooks/useStudioData';
import { studio } from '../studio';
import { timeAgo } from '../time';

/** One output in the list: its poster, seed and age, so a person can tell which is which. */
function OutputChoice({ output, checked, onToggle, disabled }: { output: OutputDto; checked: boolean; onToggle: () => void; disabled: boolean }) {
  return (
    <li>
      <label className="inline output-choice">
        <input type="checkbox" checked={checked} onChange={onToggle} disabled={disabled} />
        {output.poster && <img src={studio().mediaUrl(output.poster)} alt="" className="output-choice-poster" />}
        <span>
          Seed {output.seed ?? '—'} · {timeAgo(output.createdAt)}
          {output.sizeBytes !== null && <span className="muted"> · {formatBytes(output.sizeBytes)}</span>}
        </span>
      </label>
    </li>
  );
}

/**
 * Export project: one .wanproj archive with the media, trims, parameters, this app's presets and
 * the outputs the person ticks, written in the library and then offered for download.
 */
export function ProjectExportDialog({ projectId, projectName, onClose }: { projectId: string; projectName: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const outputs = useStudioData(() => studio().render.listOutputs({ projectId }), [projectId]);
  const [left, setLeft] = useState<Set<string>>(new Set());
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<ProjectArchiveDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  const toggle = (id: string) =>
    setLeft((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const start = async () => {
    setRunning(true);
    setResult(null);
    setError(null);
    try {
      const outputIds = (outputs.data ?? []).map((o) => o.id).filter((id) => !left.has(id));
      setResult(await studio().library.exportProject({ projectId, outputIds }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };
  const list = outputs.data ?? [];

  return (
    <dialog ref={ref} className="dialog project-export-dialog" onCancel={onClose} aria-labelledby="project-export-title" data-testid="project-export-dialog">
      <h2 id="project-export-title">Export “{projectName}”</h2>
      <p className="muted">
        One .wanproj file with the project's media, trims, parameters and presets. Open it on another computer with <strong>Import project…</strong> in the Library.
      </p>
      {list.length > 0 ? (
        <fieldset className="output-choices">
          <legend>Outputs to include</legend>
          <ul>
            {list.map((o) => (
              <OutputChoice key={o.id} output={o} checked={!left.has(o.id)} onToggle={() => toggle(o.id)} disabled={running} />
            ))}
          </ul>
        </fieldset>
      ) : (
        outputs.data && <p className="muted">No renders yet: the archive holds the media and settings.</p>
      )}
      {running && (
        <div className="export-progress">
          <span className="muted">Writing the archive…</span>
          <progress data-testid="project-export-progress" />
        </div>
      )}
      {result && (
        <p data-testid="project-export-result">
          Ready: {result.downloadName} ({formatBytes(result.sizeBytes)}).{' '}
          <a className="button-link primary" href={studio().mediaUrl(result.file)} download={result.downloadName} data-testid="project-export-download">
            Download
          </a>
        </p>
      )}
      {error && (
        <p className="error-banner" role="alert" data-testid="project-export-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} disabled={running}>
          Close
        </button>
        <button type="button" className="primary" onClick={() => void start()} disabled={running || !outputs.data} data-testid="project-export-start">
          Export
        </button>
      </div>
    </dialog>
  );
}
