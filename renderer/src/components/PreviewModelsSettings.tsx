import { useState, type FormEvent } from 'react';
import { formatBytes } from '../../../main/core/contract/format';
import { useSettingsAction } from '../hooks/useSettingsAction';
import { useStudioData } from '../hooks/useStudioData';
import { studio } from '../studio';

/**
 * Which models make the Animate previews: the bundled ones, or the official preprocess pack
 * (YOLOv10m + ViTPose-H) once its folder is installed here.
 */
export function PreviewModelsSettings({ inBrowser }: { inBrowser: boolean }) {
  const status = useStudioData(() => studio().engines.preprocessStatus({}), []);
  const [path, setPath] = useState('');
  const { busy, error, run } = useSettingsAction(status.reload);
  const install = (e: FormEvent) => {
    e.preventDefault();
    void run(() => studio().engines.installPreprocess({ path }).then(() => setPath('')), 'Installed the preprocess pack: previews now use the official models.');
  };

  const s = status.data;
  return (
    <div className="settings-form" data-testid="preview-models-settings">
      {s && (
        <>
          <p data-testid="previews-by" data-model={s.previews.id}>
            Previews: <strong>{s.previews.label}</strong>
          </p>
          {s.installed ? (
            <ul className="packs" data-testid="preprocess-files">
              {s.files.map((f) => (
                <li key={f.path} className="row">
                  <strong>{f.label}</strong> <span className="muted">{f.path} · {formatBytes(f.sizeBytes)}</span>
                </li>
              ))}
              <li className="row">
                <span className="muted">in {s.dir}</span>
                <button type="button" className="danger-text" disabled={busy} onClick={() => void run(() => studio().engines.removePreprocess({}), 'Removed the preprocess pack: previews use the bundled models.')}>
                  Remove preprocess pack
                </button>
              </li>
            </ul>
          ) : (
            <p className="muted" data-testid="no-preprocess">
              Built into the studio, no download. For the official preprocessing (YOLOv10m + ViTPose-H wholebody, 133 points with hands and face),
              install the <code>process_checkpoint</code> folder of Wan2.2-Animate-14B (it holds <code>det/yolov10m.onnx</code> and{' '}
              <code>pose2d/vitpose_h_wholebody.onnx</code>).
            </p>
          )}
        </>
      )}
      {inBrowser ? (
        <p className="muted">Install it from the desktop app, or with <code>wan-studio packs import &lt;process_checkpoint folder&gt;</code>.</p>
      ) : (
        <form className="row" onSubmit={install}>
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/process_checkpoint" aria-label="Preprocess pack folder" spellCheck={false} />
          <button type="submit" disabled={busy || path.trim() === ''}>
            {busy ? 'Checking…' : 'Install preprocess pack'}
          </button>
        </form>
      )}
      {(error ?? status.error) && (
        <p className="error-banner" role="alert">
          {error ?? status.error}
        </p>
      )}
    </div>
  );
}
