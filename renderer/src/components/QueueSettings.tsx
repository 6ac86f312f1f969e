import { useState } from 'react';
import type { SettingsView } from '../../../main/core/contract/index';
import { errorMessage } from '../errorMessage';
import { LocalOnlyNote } from './LocalOnlyNote';
import { studio } from '../studio';

/** How many cloud renders run at once, and whether "Automatic" renders may go to the cloud (it costs money). */
export function QueueSettings({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const [error, setError] = useState<string | null>(null);
  // A browser page may turn cloud fallback off (it only saves money) but not on: the server refuses it.
  const fallbackLocked = view.app.transport === 'ws' && !view.settings.cloudFallback;
  const save = async (patch: { cloudConcurrency?: number; cloudFallback?: boolean; soundOnEnd?: boolean }) => {
    try {
      setError(null);
      onSaved(await studio().settings.update({ patch }));
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <div className="settings-form" data-testid="queue-settings">
      <label className="row">
        Cloud renders at once
        <select value={view.settings.cloudConcurrency} onChange={(e) => void save({ cloudConcurrency: Number(e.target.value) })} data-testid="cloud-concurrency">
          {[1, 2, 3, 4, 6, 8, 12, 16].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <span className="muted">Local renders run one at a time (one GPU).</span>
      </label>
      <label className="check-row">
        <input
          type="checkbox"
          checked={view.settings.cloudFallback}
          disabled={fallbackLocked}
          onChange={(e) => void save({ cloudFallback: e.target.checked })} data-testid="cloud-fallback"
        />
        Let "Automatic" renders use the cloud when this computer cannot take them (no model pack, or the GPU is busy). Cloud renders are paid.
      </label>
      <label className="check-row">
        <input type="checkbox" checked={view.settings.soundOnEnd} onChange={(e) => void save({ soundOnEnd: e.target.checked })} data-testid="sound-on-end" />
        Play a sound when work ends (the last waiting render has finished, or a render failed).
      </label>
      {view.app.transport === 'ws' && (
        <LocalOnlyNote what="Cloud fallback" setting="cloudFallback" value="true" why="turning it on lets renders start paid cloud tasks without asking (this page may still turn it off)" />
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
