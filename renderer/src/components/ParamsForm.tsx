import type { FieldMeta } from '../../../main/core/contract/params/index';
import { MAX_DRAFT_TEXT } from '../../../main/core/contract/schemas';

interface Props {
  fields: Record<string, FieldMeta>;
  /** The draft as stored: fields left out take the app's default. */
  values: Record<string, unknown>;
  defaults: Record<string, unknown>;
  errors: Record<string, string>;
  onChange: (field: string, value: unknown) => void;
}

function Control({ name, meta, value, fallback, onChange }: { name: string; meta: FieldMeta; value: unknown; fallback: unknown; onChange: (v: unknown) => void }) {
  const id = `param-${name}`;
  switch (meta.kind) {
    case 'text':
      return meta.multiline ? (
        // The draft keeps at most MAX_DRAFT_TEXT characters; a huge paste is cut here, not sent.
        <textarea id={id} rows={3} maxLength={MAX_DRAFT_TEXT} value={typeof value === 'string' ? value : ''} placeholder={typeof fallback === 'string' ? fallback : ''} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={id} maxLength={MAX_DRAFT_TEXT} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
      );
    case 'bool':
      return <input id={id} type="checkbox" checked={typeof value === 'boolean' ? value : fallback === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'enum':
      return (
        <select id={id} value={String(value ?? fallback ?? '')} onChange={(e) => onChange(meta.options.find((o) => String(o.value) === e.target.value)?.value)}>
          {meta.options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'seed':
      return (
        <input
          id={id}
          inputMode="numeric"
          value={typeof value === 'number' && Number.isFinite(value) && value !== meta.random ? String(value) : typeof value === 'string' ? value : ''}
          placeholder="random"
          onChange={(e) => {
            // Text that is not a whole number stays as typed (the field says what is wrong), never NaN.
            const t = e.target.value.trim();
            onChange(t === '' ? undefined : /^-?\d+$/.test(t) ? Number(t) : e.target.value);
          }}
        />
      );
    case 'int':
    case 'number':
      return (
        <input
          id={id}
          type="number"
          min={meta.min}
          max={meta.max}
          step={meta.step}
          value={typeof value === 'number' ? value : ''}
          placeholder={fallback === undefined ? '' : String(fallback)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      );
  }
}

/**
 * The parameter form, built from the same field metadata and schema the core validates with:
 * no hand-written controls to drift from the app's rules. Advanced fields sit in a fold.
 */
export function ParamsForm({ fields, values, defaults, errors, onChange }: Props) {
  const entries = Object.entries(fields);
  const row = ([name, meta]: [string, FieldMeta]) => (
    <div className={`param param-${meta.kind}`} key={name} data-testid={`param-${name}`} title={meta.localOnly}>
      <label htmlFor={`param-${name}`}>
        {meta.label}
        {meta.localOnly && <span className="local-only-tag"> (this computer)</span>}
      </label>
      <Control name={name} meta={meta} value={values[name]} fallback={defaults[name]} onChange={(v) => onChange(name, v)} />
      <small className={errors[name] ? 'error-text' : 'muted'} role={errors[name] ? 'alert' : undefined}>
        {errors[name] ?? meta.help}
      </small>
    </div>
  );
  const advanced = entries.filter(([, m]) => m.advanced);
  return (
    <div className="params">
      {entries.filter(([, m]) => !m.advanced).map(row)}
      {advanced.length > 0 && (
        <details className="advanced" open={advanced.some(([n]) => errors[n])}>
          <summary>Advanced ({advanced.length})</summary>
          {advanced.map(row)}
        </details>
      )}
    </div>
  );
}
