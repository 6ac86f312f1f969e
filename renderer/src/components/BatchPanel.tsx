import { useState } from 'react';
import type { EngineChoice } from '../../../main/core/contract/index';
import type { FieldMeta } from '../../../main/core/contract/params/index';
import { batchEstimateText } from '../batchEstimateText';
import { buildVariations, fileVariations, randomSeeds, type BatchKind } from '../batchVariations';
import { useBatchEstimate } from '../editor/useBatchEstimate';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';

/** The project's files a batch can go over: audio files (S2V) or driving videos (Animate). */
export interface BatchMedia {
  key: 'audioAssetId' | 'videoAssetId';
  /** "Audio files" or "Driving videos", as the picker says. */
  label: string;
  assets: Array<{ id: string; name: string }>;
}

interface Props {
  projectId: string;
  media: BatchMedia;
  engine: EngineChoice;
  fields: Record<string, FieldMeta>;
  /** Problems with the draft itself (inputs missing): a batch of it cannot be queued either. */
  blocked: boolean;
  beforeSubmit: () => Promise<void>;
  onQueued: () => void;
}

/** Queues N renders of the draft at once: several seeds, several prompts, or one parameter swept over values. */
export function BatchPanel({ projectId, media, engine, fields, blocked, beforeSubmit, onQueued }: Props) {
  const sweepable = Object.entries(fields).filter(([, m]) => m.kind === 'int' || m.kind === 'number' || m.kind === 'enum' || m.kind === 'bool');
  const [name, setName] = useState('Variations');
  const [kind, setKind] = useState<BatchKind>('seeds');
  const [text, setText] = useState('');
  const [field, setField] = useState(sweepable[0]?.[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  // In the order the project lists them, whatever order they were ticked in.
  const chosen = media.assets.filter((a) => picked.includes(a.id)).map((a) => a.id);
  const built = kind === 'files' ? fileVariations(media.key, chosen) : buildVariations(kind, text, field, fields[field]);
  const count = built.variations.length;
  const [open, setOpen] = useState(false);
  const [queued, setQueued] = useState(0);
  // Asked only while the panel is open and the rows are valid; again after each queued batch (history grows).
  const { estimate, error: estimateError } = useBatchEstimate(projectId, engine, open && count > 0 && built.error === null ? built.variations : null, queued);
  const said = estimate ? batchEstimateText(estimate) : null;
  const cloudCount = estimate?.cloudRenders ?? 0;

  const queue = async () => {
    setBusy(true);
    setError(null);
    try {
      await beforeSubmit();
      await studio().queue.addBatch({ projectId, name: name.trim() || 'Variations', engine, variations: built.variations });
      setQueued((n) => n + 1);
      onQueued();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="batch-panel" data-testid="batch-panel" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Batch of variations…</summary>
      <div className="settings-form">
        <label className="row">
          Batch name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} data-testid="batch-name" />
        </label>
        <label className="row">
          Vary
          <select value={kind} onChange={(e) => setKind(e.target.value as BatchKind)} data-testid="batch-kind">
            <option value="seeds">Seeds</option>
            <option value="prompts">Prompts (one per line)</option>
            <option value="sweep">A parameter over values</option>
            <option value="files">{media.label} from this project</option>
          </select>
          {kind === 'sweep' && (
            <select value={field} onChange={(e) => setField(e.target.value)} aria-label="Parameter to sweep" data-testid="batch-field">
              {sweepable.map(([k, m]) => (
                <option key={k} value={k}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
          {kind === 'seeds' && (
            <button type="button" onClick={() => setText(randomSeeds(6))}>
              6 random seeds
            </button>
          )}
        </label>
        {kind === 'files' ? (
          media.assets.length === 0 ? (
            <p className="muted">No {media.label.toLowerCase()} in this project yet: import some in the Media tab.</p>
          ) : (
            <fieldset className="batch-files" data-testid="batch-files">
              <legend>{media.label}: one render each</legend>
              {media.assets.map((a) => (
                <label key={a.id} className="batch-file">
                  <input type="checkbox" checked={picked.includes(a.id)} onChange={(e) => setPicked((p) => (e.target.checked ? [...p, a.id] : p.filter((x) => x !== a.id)))} />
                  {a.name}
                </label>
              ))}
            </fieldset>
          )
        ) : kind === 'prompts' ? (
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={5} aria-label="Prompts, one per line" data-testid="batch-values" />
        ) : (
          <input value={text} onChange={(e) => setText(e.target.value)} aria-label={kind === 'seeds' ? 'Seeds, separated by commas' : 'Values, separated by commas'} placeholder={kind === 'seeds' ? '1, 2, 3' : 'e.g. 20, 30, 40'} data-testid="batch-values" />
        )}
        {(kind === 'files' ? picked.length > 0 : text.trim() !== '') && built.error && (
          <p className="error-text" role="alert">
            {built.error}
          </p>
        )}
        {said && (
          <div className={cloudCount > 0 ? 'batch-estimate paid' : 'batch-estimate'} data-testid="batch-estimate" role="status">
            <strong data-testid="batch-estimate-cost">{said.cost}</strong>
            {said.time && <span data-testid="batch-estimate-time">{said.time}</span>}
            {said.fallback && <span data-testid="batch-estimate-fallback">{said.fallback}</span>}
          </div>
        )}
        {estimateError && (
          <p className="muted" data-testid="batch-estimate-error">
            {estimateError}
          </p>
        )}
        <div className="row">
          <button type="button" className="primary" disabled={busy || blocked || count === 0 || built.error !== null} onClick={() => void queue()} data-testid="batch-queue">
            {busy ? 'Queuing…' : `Queue ${count} ${cloudCount > 0 ? 'cloud ' : ''}render${count === 1 ? '' : 's'}`}
          </button>
          <span className="muted">
            Each render is the draft above with its own{' '}
            {kind === 'seeds' ? 'seed' : kind === 'prompts' ? 'prompt' : kind === 'files' ? `${media.key === 'audioAssetId' ? 'audio file' : 'driving video'} (used whole)` : (fields[field]?.label ?? 'value')}.
          </span>
        </div>
        {error && (
          <p className="error-banner" role="alert" data-testid="batch-error">
            {error}
          </p>
        )}
      </div>
    </details>
  );
}
