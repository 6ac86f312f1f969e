import { formatBytes } from '../../../main/core/contract/format';

export interface ImportEntry {
  key: number;
  name: string;
  stage: 'uploading' | 'copying' | 'probing' | 'thumbnail' | 'saving' | 'done' | 'deduped' | 'failed';
  done: number;
  total: number;
  error?: string;
}

const stageText: Record<ImportEntry['stage'], string> = {
  uploading: 'Uploading',
  copying: 'Copying into the library',
  probing: 'Reading media info',
  thumbnail: 'Making thumbnail',
  saving: 'Saving',
  done: 'Imported',
  deduped: 'Already in this project',
  failed: 'Failed',
};

/** What is being imported right now, and what failed and why. */
export function ImportList({ entries, onDismiss }: { entries: ImportEntry[]; onDismiss: (key: number) => void }) {
  if (entries.length === 0) return null;
  return (
    <ul className="import-list" aria-label="Imports">
      {entries.map((e) => {
        const pct = e.total > 0 ? Math.round((e.done / e.total) * 100) : 0;
        const active = e.stage !== 'done' && e.stage !== 'deduped' && e.stage !== 'failed';
        return (
          <li key={e.key} className={`import-entry import-${e.stage}`} data-testid="import-entry">
            <div className="import-head">
              <strong>{e.name}</strong>
              <span className="muted">
                {stageText[e.stage]}
                {e.stage === 'uploading' || e.stage === 'copying' ? ` · ${formatBytes(e.done)} of ${formatBytes(e.total)}` : ''}
              </span>
              {!active && (
                <button type="button" className="icon-button" aria-label={`Dismiss ${e.name}`} onClick={() => onDismiss(e.key)}>
                  ×
                </button>
              )}
            </div>
            {active && <progress max={100} value={e.stage === 'uploading' || e.stage === 'copying' ? pct : undefined} aria-label={`${e.name} progress`} />}
            {e.error && (
              <p className="import-error" role="alert">
                {e.error}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
