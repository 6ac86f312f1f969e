import { useEffect, useState, type FormEvent } from 'react';
import type { SettingsView, StudioApp, Theme, ToolStatus, UserSettings } from '../../../main/core/contract/types';
import { appLabel } from '../components/AppBadge';
import { CloudSettings } from '../components/CloudSettings';
import { QueueSettings } from '../components/QueueSettings';
import { LocalEngineSettings } from '../components/LocalEngineSettings';
import { LocalOnlyNote } from '../components/LocalOnlyNote';
import { PreviewModelsSettings } from '../components/PreviewModelsSettings';
import { errorMessage } from '../errorMessage';
import { useStudioData } from '../hooks/useStudioData';
import { studio } from '../studio';
import { useToasts } from '../toasts';

const sourceLabel: Record<string, string> = {
  setting: 'from Settings',
  env: 'from the environment',
  bundled: 'bundled with the studio',
  path: 'found on PATH',
};

function ToolRow({ name, tool }: { name: string; tool: ToolStatus }) {
  return (
    <div className="fact" data-testid={`tool-${name}`}>
      <dt>{name}</dt>
      <dd>
        {tool.version ? (
          <>
            {tool.version} <span className="muted">({tool.source ? sourceLabel[tool.source] : ''}: {tool.path})</span>
            {tool.encoders && (
              <ul className="encoders" aria-label={`${name} encoders`}>
                {Object.entries(tool.encoders).map(([enc, ok]) => (
                  <li key={enc} className={ok ? 'ok' : 'missing'} data-testid={`encoder-${enc}`} title={ok ? 'available' : 'missing: exports that need it are disabled'}>
                    {ok ? '✓' : '✗'} {enc}
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <span className="error-text">{tool.error}</span>
        )}
      </dd>
    </div>
  );
}

function PreferencesForm({ view, onSaved }: { view: SettingsView; onSaved: (v: SettingsView) => void }) {
  const toasts = useToasts();
  const [theme, setTheme] = useState<Theme>(view.settings.theme);
  const [defaultApp, setDefaultApp] = useState<StudioApp>(view.settings.defaultApp);
  const [ffmpegPath, setFfmpegPath] = useState(view.settings.ffmpegPath ?? '');
  const [ffprobePath, setFfprobePath] = useState(view.settings.ffprobePath ?? '');
  const [error, setError] = useState<string | null>(null);
  const toolsEditable = view.app.transport !== 'ws';
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      // A browser page may not change the tool paths (the server refuses it), so it does not send them.
      const patch = toolsEditable ? { theme, defaultApp, ffmpegPath, ffprobePath } : { theme, defaultApp };
      const next = await studio().settings.update({ patch });
      setError(null);
      onSaved(next);
      toasts.info('Settings saved.');
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="settings-form" onSubmit={(e) => void save(e)}>
      <label>
        Theme
        <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
          <option value="system">Follow the system</option>
          <option value="dark">Dark</option>
          <option value="light">Light</option>
        </select>
      </label>
      <label>
        New projects are
        <select value={defaultApp} onChange={(e) => setDefaultApp(e.target.value as StudioApp)}>
          {(Object.keys(appLabel) as StudioApp[]).map((a) => (
            <option key={a} value={a}>
              {appLabel[a]}
            </option>
          ))}
        </select>
      </label>
      {toolsEditable ? (
        <>
          <label>
            FFmpeg path <span className="muted">(empty: find it automatically)</span>
            <input value={ffmpegPath} onChange={(e) => setFfmpegPath(e.target.value)} placeholder="/usr/bin/ffmpeg" spellCheck={false} />
          </label>
          <label>
            FFprobe path <span className="muted">(empty: find it automatically)</span>
            <input value={ffprobePath} onChange={(e) => setFfprobePath(e.target.value)} placeholder="/usr/bin/ffprobe" spellCheck={false} />
          </label>
        </>
      ) : (
        <div data-testid="tool-paths-readonly">
          <dl className="facts wide">
            <div className="fact">
              <dt>FFmpeg path</dt>
              <dd data-testid="ffmpeg-path">{view.settings.ffmpegPath ?? 'found automatically'}</dd>
            </div>
            <div className="fact">
              <dt>FFprobe path</dt>
              <dd data-testid="ffprobe-path">{view.settings.ffprobePath ?? 'found automatically'}</dd>
            </div>
          </dl>
          <LocalOnlyNote what="The tool paths" setting="ffmpegPath" why="they decide which programs run on that computer" />
        </div>
      )}
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="primary">
          Save
        </button>
      </div>
    </form>
  );
}

/** `onSettings` hears every saved change (the theme and the end sound apply across the studio). */
export function SettingsPage({ onSettings }: { onSettings: (s: UserSettings) => void }) {
  const loaded = useStudioData(() => studio().settings.get({}), []);
  const [view, setViewState] = useState<SettingsView | null>(null);
  const setView = (v: SettingsView) => {
    setViewState(v);
    onSettings(v.settings);
  };
  useEffect(() => setViewState(loaded.data), [loaded.data]);
  return (
    <section className="page" aria-labelledby="settings-title">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      {loaded.error && (
        <p className="error-banner" role="alert">
          {loaded.error}
        </p>
      )}
      {view && (
        <>
          <h2>Studio</h2>
          <dl className="facts wide">
            <div className="fact">
              <dt>Version</dt>
              <dd>{view.app.version}</dd>
            </div>
            <div className="fact">
              <dt>Library folder</dt>
              <dd data-testid="library-home">{view.app.libraryHome}</dd>
            </div>
            <div className="fact">
              <dt>Running as</dt>
              <dd>{view.app.transport === 'ipc' ? 'Desktop app' : 'Headless server in a browser'}</dd>
            </div>
          </dl>
          <h2>Media tools</h2>
          <dl className="facts wide">
            <ToolRow name="ffmpeg" tool={view.tools.ffmpeg} />
            <ToolRow name="ffprobe" tool={view.tools.ffprobe} />
          </dl>
          <h2>Local engine</h2>
          <LocalEngineSettings view={view} onSaved={setView} />
          <h2>Animate previews</h2>
          <PreviewModelsSettings inBrowser={view.app.transport === 'ws'} />
          <h2>Cloud (inference.sh)</h2>
          <CloudSettings view={view} onSaved={setView} />
          <h2>Render queue</h2>
          <QueueSettings view={view} onSaved={setView} />
          <h2>Preferences</h2>
          <PreferencesForm
            key={JSON.stringify(view.settings)}
            view={view}
            onSaved={setView}
          />
        </>
      )}
    </section>
  );
}
