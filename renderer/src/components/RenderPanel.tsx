import { useMemo, useState } from 'react';
import { paramIssues, paramsFields, paramsSchemas, type FieldMeta } from '../../../main/core/contract/params/index';
import type { EngineChoice, ProjectDetail, ProjectState } from '../../../main/core/contract/types';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';
import { BatchPanel } from './BatchPanel';
import { ParamsForm } from './ParamsForm';

const engineLabel: Record<EngineChoice, string> = { auto: 'Automatic (local when possible)', local: 'This computer', cloud: 'Cloud (inference.sh)' };

interface Props {
  detail: ProjectDetail;
  state: ProjectState;
  onParams: (params: Record<string, unknown>) => void;
  onEngine: (engine: EngineChoice) => void;
  /** Saves the draft shown on screen before the core reads it. */
  beforeSubmit: () => Promise<void>;
  onQueued: () => void;
}

/** Parameters, engine and the Render button; problems are listed before any GPU minute is spent. */
export function RenderPanel({ detail, state, onParams, onEngine, beforeSubmit, onQueued }: Props) {
  const app = detail.project.app;
  const draft = app === 's2v' ? state.s2v.params : state.animate.params;
  const fields = paramsFields[app] as Record<string, FieldMeta>;
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);

  // Each field's own default (the prompt has none), for placeholders and unset controls.
  const defaults = useMemo(() => {
    const shape = paramsSchemas[app].shape as Record<string, { safeParse: (v: unknown) => { success: boolean; data?: unknown } }>;
    const d: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(shape)) {
      const r = schema.safeParse(undefined);
      if (r.success) d[k] = r.data;
    }
    return d;
  }, [app]);

  const errors = useMemo(() => {
    const r = paramsSchemas[app].safeParse(draft);
    const out: Record<string, string> = {};
    if (!r.success) for (const i of paramIssues(r.error.issues)) out[i.field] ??= i.message;
    return out;
  }, [app, draft]);

  const missing: string[] = [];
  if (app === 's2v') {
    if (!state.s2v.imageAssetId) missing.push('Choose a portrait.');
    if (!state.s2v.audioAssetId) missing.push('Choose the voice or song.');
  } else {
    if (!state.animate.videoAssetId) missing.push('Choose the driving video.');
    if (!state.animate.referenceAssetId) missing.push('Choose the character image.');
  }
  const problems = [...missing, ...Object.values(errors)];

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

  return (
    <section className="render-panel" aria-labelledby="render-title">
      <h2 id="render-title">Settings</h2>
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
        <label>
          Render on{' '}
          <select value={state.engine} onChange={(e) => onEngine(e.target.value as EngineChoice)} data-testid="engine-choice">
            {(Object.keys(engineLabel) as EngineChoice[]).map((k) => (
              <option key={k} value={k}>
                {engineLabel[k]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" disabled={busy || problems.length > 0} onClick={() => void render()} data-testid="render-button">
          {busy ? 'Queuing…' : 'Render'}
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="problems" data-testid="render-problems">
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
      <BatchPanel projectId={detail.project.id} engine={state.engine} fields={fields} blocked={missing.length > 0} beforeSubmit={beforeSubmit} onQueued={onQueued} />
    </section>
  );
}
