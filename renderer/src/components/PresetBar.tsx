import { useState, type FormEvent } from 'react';
import type { PresetDto } from '../../../main/core/contract/index';
import type { StudioApp } from '../../../main/core/contract/types';
import { errorMessage } from '../errorMessage';
import { useStudioData } from '../hooks/useStudioData';
import { studio } from '../studio';
import { useToasts } from '../toasts';

interface Props {
  app: StudioApp;
  params: Record<string, unknown>;
  /** Lays the preset's parameters over the draft (fields it does not name stay as they are). */
  onApply: (params: Record<string, unknown>) => void;
}

/** Presets for this app: apply one, save the current parameters under a name, rename, delete. */
export function PresetBar({ app, params, onApply }: Props) {
  const toasts = useToasts();
  const list = useStudioData(() => studio().presets.list({ app }), [app]);
  const [chosen, setChosen] = useState<string>('');
  const [naming, setNaming] = useState<'save' | 'rename' | null>(null);
  const [name, setName] = useState('');
  const presets = list.data ?? [];
  const current = presets.find((p) => p.id === chosen) ?? null;

  const apply = (p: PresetDto) => {
    setChosen(p.id);
    onApply(p.params);
    toasts.info(`Applied the preset “${p.name}”.`);
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const saved = naming === 'rename' && current ? await studio().presets.rename({ id: current.id, name }) : await studio().presets.save({ app, name, params });
      setChosen(saved.id);
      setNaming(null);
      list.reload();
    } catch (err) {
      toasts.error(errorMessage(err));
    }
  };
  const remove = async (p: PresetDto) => {
    try {
      await studio().presets.delete({ id: p.id });
      setChosen('');
      list.reload();
    } catch (err) {
      toasts.error(errorMessage(err));
    }
  };

  return (
    <div className="preset-bar" data-testid="presets">
      <label className="preset-pick">
        Preset
        <select
          value={chosen}
          onChange={(e) => {
            const p = presets.find((x) => x.id === e.target.value);
            if (p) apply(p);
            else setChosen('');
          }}
          data-testid="preset-choice"
        >
          <option value="">Choose a preset…</option>
          {presets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.builtin ? ' (built-in)' : ''}
            </option>
          ))}
        </select>
      </label>
      <div className="row preset-actions">
        <button
          type="button"
          onClick={() => {
            setNaming('save');
            setName('');
          }}
        >
          Save as preset…
        </button>
        {current && !current.builtin && (
          <>
            <button
              type="button"
              onClick={() => {
                setNaming('rename');
                setName(current.name);
              }}
            >
              Rename
            </button>
            <button type="button" className="danger-text" onClick={() => void remove(current)}>
              Delete
            </button>
          </>
        )}
      </div>
      {naming && (
        <form className="row" onSubmit={(e) => void submit(e)}>
          <input autoFocus aria-label="Preset name" placeholder="Preset name" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} />
          <button type="submit" className="primary">
            {naming === 'rename' ? 'Rename' : 'Save'}
          </button>
          <button type="button" onClick={() => setNaming(null)}>
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}
