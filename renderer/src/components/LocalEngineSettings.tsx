import { useState, type FormEvent } from 'react';
import { localProviders, type LocalProvider, type SettingsView } from '../../../main/core/contract/index';
import { formatBytes } from '../../../main/core/contract/format';
import { errorMessage } from '../errorMessage';
import { useSettingsAction } from '../hooks/useSettingsAction';
import { useStudioData } from '../hooks/useStudioData';
import { studio } from '../studio';

const providerLabel: Record<LocalProvider, string> = { cuda: 'CUDA (NVIDIA)', dml: 'DirectML (Windows)', coreml: 'CoreML (macOS)', cpu: 'CPU' };

/** Model packs and execution providers: what renders on this machine, and why not when it cannot. */
export function LocalEngineSettings({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const status = useStudioData(() => studio().engines.status({}), []);
  const [path, setPath] = useState('');
  const { busy, error, setError, run } = useSettingsAction(status.reload);
  const inBrowser = view.app.transport === 'ws';

  const importPack = (e: FormEvent) => {
    e.preventDefault();
    void run(
      async () => {
        const pack = await studio().engines.importPack({ path });
        setPath('');
        return pack;
      },
      (p) => `Installed ${p.name} ${p.version}.`,
    );
  };
  const force = async (value: string) => {
    try {
      onSaved(await studio().settings.update({ patch: { localProvider: value === '' ? null : (value as LocalProvider) } }));
      status.reload();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const s = status.data;
  return (
    <div className="settings-form" data-testid="local-settings">
      {s && (
        <>
          {s.packs.length === 0 ? (
            <p className="muted" data-testid="no-packs">
              No model pack installed: local rendering is off, renders go to the cloud. A pack is a folder with manifest.json and ONNX files (docs/model-pack.md).
            </p>
          ) : (
            <ul className="packs" data-testid="packs">
              {s.packs.map((p) => (
                <li key={p.id} className="row">
                  <strong>{p.name}</strong>{' '}
                  <span className="muted">
                    {p.version} · {p.pipeline} · {formatBytes(p.sizeBytes)} · {p.components.includes('dit_first_block') ? 'first block cache' : 'whole DiT'} · needs{' '}
                    <span data-testid="pack-memory">{formatBytes(p.loadedBytes)}</span> of memory
                  </span>
                  {p.memoryProblem && (
                    <div className="error-text pack-memory-problem" data-testid="pack-memory-problem">
                      {p.memoryProblem}
                    </div>
                  )}
                  <button type="button" className="danger-text" onClick={() => void studio().engines.removePack({ id: p.id }).then(status.reload, (e: unknown) => setError(errorMessage(e)))}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <dl className="facts wide">
            <div className="fact">
              <dt>Runs on</dt>
              <dd data-testid="provider-order">{s.providers.candidates.map((c) => providerLabel[c]).join(' → ')}</dd>
            </div>
            {s.providers.skipped.map((k) => (
              <div className="fact" key={k.provider}>
                <dt className="muted">not {providerLabel[k.provider]}</dt>
                <dd className="muted">{k.reason}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <label>
        Execution provider
        <select value={view.settings.localProvider ?? ''} onChange={(e) => void force(e.target.value)} data-testid="provider-choice">
          <option value="">Automatic (best available)</option>
          {localProviders.map((p) => (
            <option key={p} value={p}>
              {providerLabel[p]}
            </option>
          ))}
        </select>
      </label>
      {inBrowser ? (
        <p className="muted">Import a pack from the desktop app, or with <code>wan-studio packs import &lt;folder&gt;</code>.</p>
      ) : (
        <form className="row" onSubmit={(e) => void importPack(e)}>
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/pack folder" aria-label="Model pack folder" spellCheck={false} />
          <button type="submit" disabled={busy || path.trim() === ''}>
            {busy ? 'Verifying…' : 'Import pack'}
          </button>
        </form>
      )}
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
