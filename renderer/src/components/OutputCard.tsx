import { useState } from 'react';
import { formatBytes, formatDuration } from '../../../main/core/contract/format';
import type { OutputDto } from '../../../main/core/contract/index';
import { changedSettings } from '../editor/paramDefaults';
import { studio } from '../studio';
import { timeAgo } from '../time';

interface Props {
  output: OutputDto;
  /** What sets it apart within its batch (e.g. "seed 42"), if it came from one. */
  label?: string | null;
  selected: boolean;
  onSelect: () => void;
  onExport: () => void;
  onRemove: () => void;
  onReuse: () => void;
  onCompare: () => void;
}

const engineName = { local: 'This computer', cloud: 'Cloud' } as const;

/** A finished render: the video, what made it (engine, size, length, fps, trim, changed settings), and what to do with it. */
export function OutputCard({ output, label = null, selected, onSelect, onExport, onRemove, onReuse, onCompare }: Props) {
  const [meta, setMeta] = useState<{ width: number; height: number; duration: number } | null>(null);
  const s = output.settings;
  const prompt = typeof s.prompt === 'string' ? s.prompt : typeof s.input_prompt === 'string' ? s.input_prompt : '';
  const fps = typeof s.fps === 'number' && s.fps > 0 ? s.fps : null;
  const changed = output.app ? changedSettings(output.app, s) : [];
  const base = output.downloadName.replace(/\.mp4$/, '');
  return (
    <li className={`card output-card ${selected ? 'selected' : ''}`} data-testid="output" data-output-id={output.id} aria-current={selected ? 'true' : undefined}>
      <video
        src={studio().mediaUrl(output.file)}
        poster={output.poster ? studio().mediaUrl(output.poster) : undefined}
        controls
        preload="metadata"
        className="output-video"
        data-testid="output-video"
        onPlay={onSelect}
        onLoadedMetadata={(e) => setMeta({ width: e.currentTarget.videoWidth, height: e.currentTarget.videoHeight, duration: e.currentTarget.duration })}
      />
      <div className="card-body">
        {label && (
          <div className="output-label" data-testid="output-label">
            {label}
          </div>
        )}
        {prompt && (
          <div className="card-title" title={prompt}>
            {prompt}
          </div>
        )}
        <dl className="output-facts" data-testid="output-facts">
          {output.engine && <Fact label="Engine" value={engineName[output.engine]} />}
          {meta && <Fact label="Size" value={`${meta.width}×${meta.height}`} />}
          {meta && <Fact label="Length" value={formatDuration(meta.duration)} />}
          {fps && <Fact label="Frame rate" value={`${fps} fps`} />}
          {output.trim && <Fact label="Trim" value={`${formatDuration(output.trim.inSec)} → ${output.trim.outSec === null ? 'end' : formatDuration(output.trim.outSec)}`} />}
          <Fact label="Seed" value={output.seed === null ? '—' : String(output.seed)} />
          {changed.length > 0 && <Fact label="Changed" value={changed.join(', ')} testId="output-changed" />}
          <Fact label="File" value={`${output.sizeBytes !== null ? formatBytes(output.sizeBytes) : 'file missing'} · ${timeAgo(output.createdAt)}`} />
        </dl>
        {output.exports.length > 0 && (
          <ul className="exports">
            {output.exports.map((x) => {
              const file = x.file.split('/').pop() ?? x.file;
              return (
                <li key={x.file}>
                  <a href={studio().mediaUrl(x.file)} download={`${base}-${file}`} data-testid="export-link">
                    {file}
                  </a>{' '}
                  <span className="muted">{formatBytes(x.sizeBytes)}</span>
                </li>
              );
            })}
          </ul>
        )}
        <div className="card-actions">
          <button type="button" onClick={onReuse} data-testid="output-reuse" title="Load its settings, seed and trim into the editor">
            Reuse settings
          </button>
          <button type="button" onClick={onCompare} data-testid="output-compare">
            Compare…
          </button>
          <button type="button" onClick={onExport} data-testid="output-export">
            Export…
          </button>
          <a className="button-link" href={studio().mediaUrl(output.file)} download={output.downloadName} data-testid="output-download">
            Download
          </a>
          <button type="button" className="danger-text" onClick={onRemove}>
            Delete
          </button>
        </div>
      </div>
    </li>
  );
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
