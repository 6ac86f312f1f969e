import { useMemo, useState } from 'react';
import { labelledIssues, paramsFields, paramsSchemas, type FieldMeta } from '../../../main/core/contract/params/index';
import type { EngineChoice, ProjectDetail, ProjectState } from '../../../main/core/contract/types';
import { paramDefaults } from '../editor/paramDefaults';
import { useRenderCheck } from '../editor/useRenderCheck';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';
import { BatchPanel, type BatchMedia } from './BatchPanel';
import { ParamsForm } from './ParamsForm';
import { PresetBar } from './PresetBar';
import { RenderSummary } from './RenderSummary';

const engineLabel: Record<EngineChoice, string> = { auto: 'Automatic (this computer first)', local: 'This computer', cloud: 'Cloud (inference.sh)' };

interface Props {
  detail: ProjectDetail;
  state: ProjectState;
  onParams: (params: Record<string, unknown>) => void;
  onEngine: (engine: EngineChoice) => void;
  /** Saves the draft shown on screen before the core reads it. */
  beforeSubmit: () => Promise<void>;
  onQueued: () => void;
}

/**
 * Parameters, engine, what Render will submit, and the Render button. The problem list and the
 * summary come from the core's own check of the draft on screen, so the page never promises a
 * render the core refuses; field errors show at once, under their fields.
 */
export function RenderPanel({ detail, state, onParams, onEngine, beforeSubmit, onQueued }: Props) {
  const app = detail.project.app;
  const draft = app === 's2v' ? state.s2v.params : state.animate.params;
  const fields = paramsFields[app] as Record<string, FieldMeta>;
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const defaults = paramDefaults(app);
  const { check, stale, error: checkError } = useRenderCheck(detail.project.id, state, detail.assets);

  const errors = useMemo(() => {
    const r = paramsSchemas[app].safeParse(draft);
    const out: Record<string, string> = {};
    if (!r.success) for (const i of labelledIssues(r.error.issues, fields)) out[i.field] ??= i.message;
    return out;
  }, [app, draft, fields]);

  const problems = checkError ? [checkError] : (check?.problems ?? []);
  const inputsMissing = app === 's2v' ? !state.s2v.imageAssetId || !state.s2v.audioAssetId : !state.animate.videoAssetId || !state.animate.referenceAssetId;
  const ready = !!check && !stale && problems.length === 0;

  const render = async () => {
    setBusy(true);
    setSubmitError(null);
    try {
      await beforeSubmit();
      await studio().render.submit({ projectId: detail.project.id, engine: state.engine });
      onQueued();
    } catch (e) {
      setSubmitError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const unavailable = (k: EngineChoice) => (k === 'auto' ? null : check && !check.engines[k].available ? check.engines[k].reason : null);
  return (
    <section className="render-panel" aria-labelledby="render-title">
      <h2 id="render-title">Settings</h2>
      <PresetBar app={app} params={draft} onApply={(p) => onParams({ ...draft, ...p })} />
      <ParamsForm
        fields={fields}
        values={draft}
        defaults={defaults}
        errors={errors}
        onChange={(field, value) => {
          const next = { ...draft };
          if (value === undefined) delete next[field];
          else next[field] = value;
          onParams(next);
        }}
      />
      <div className="render-actions">
        <label className="engine-choice">
          Render on
          <select value={state.engine} onChange={(e) => onEngine(e.target.value as EngineChoice)} data-testid="engine-choice">
            {(Object.keys(engineLabel) as EngineChoice[]).map((k) => (
              <option key={k} value={k} disabled={!!unavailable(k) && state.engine !== k}>
                {engineLabel[k]}
                {unavailable(k) ? ' — not available' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      {check && (
        <ul className="engine-notes muted" data-testid="engine-notes">
          {(['local', 'cloud'] as const)
            .filter((k) => !check.engines[k].available)
            .map((k) => (
              <li key={k}>
                {engineLabel[k]}: {check.engines[k].reason}
              </li>
            ))}
        </ul>
      )}
      {check && <RenderSummary check={check} />}
      <button type="button" className="primary render-button" disabled={busy || !ready} onClick={() => void render()} data-testid="render-button">
        {busy ? 'Queuing…' : 'Render'}
      </button>
      {problems.length > 0 && (
        <ul className="problems" data-testid="render-problems" aria-label="Problems to fix before rendering">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {submitError && (
        <p className="error-banner" role="alert" data-testid="render-error">
          {submitError}
        </p>
      )}
      <BatchPanel projectId={detail.project.id} media={batchMedia(detail)} engine={state.engine} fields={fields} blocked={inputsMissing} beforeSubmit={beforeSubmit} onQueued={onQueued} />
    </section>
  );
}

/** What a batch can vary over among the project's files: audio (S2V, files with sound) or driving videos (Animate). */
function batchMedia(detail: ProjectDetail): BatchMedia {
  if (detail.project.app === 's2v') return { key: 'audioAssetId', label: 'Audio files', assets: detail.assets.filter((a) => a.media.audioCodec !== null) };
  return { key: 'videoAssetId', label: 'Driving videos', assets: detail.assets.filter((a) => a.kind === 'video') };
}
