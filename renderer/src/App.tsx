import { useEffect, useState } from 'react';
import type { Theme, UserSettings } from '../../main/core/contract/types';
import { RenderEndToasts } from './components/RenderEndToasts';
import { LibraryPage } from './pages/LibraryPage';
import { ProjectPage } from './pages/ProjectPage';
import { QueuePage } from './pages/QueuePage';
import { SettingsPage } from './pages/SettingsPage';
import { useEndSound } from './hooks/useEndSound';
import { useRenderNotifications } from './hooks/useRenderNotifications';
import { hrefFor, useRoute } from './router';
import { studio } from './studio';
import { ToastProvider } from './toasts';

/** The stylesheet knows dark and light; "system" follows the OS, live. */
function useAppliedTheme(theme: Theme) {
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: light)');
    const apply = () => {
      document.documentElement.dataset.theme = theme === 'system' ? (query.matches ? 'light' : 'dark') : theme;
    };
    apply();
    if (theme !== 'system') return;
    query.addEventListener('change', apply);
    return () => query.removeEventListener('change', apply);
  }, [theme]);
}

export function App() {
  const route = useRoute();
  const [theme, setTheme] = useState<Theme>('system');
  const [sound, setSound] = useState(false);
  const applySettings = (v: UserSettings) => {
    setTheme(v.theme);
    setSound(v.soundOnEnd);
  };
  useEffect(() => {
    studio()
      .settings.get({})
      .then((v) => applySettings(v.settings))
      .catch(() => undefined);
  }, []);
  useAppliedTheme(theme);
  useRenderNotifications();
  useEndSound(sound);

  return (
    <ToastProvider>
      <RenderEndToasts />
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">Wan Studio</div>
          <a href={hrefFor({ page: 'library' })} aria-current={route.page === 'library' || route.page === 'project' ? 'page' : undefined}>
            Library
          </a>
          <a href={hrefFor({ page: 'queue' })} aria-current={route.page === 'queue' ? 'page' : undefined}>
            Queue
          </a>
          <a href={hrefFor({ page: 'settings' })} aria-current={route.page === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
        <main className="content">
          {route.page === 'library' && <LibraryPage />}
          {route.page === 'project' && <ProjectPage key={route.id} id={route.id} initialTab={route.tab ?? null} initialOutput={route.output ?? null} />}
          {route.page === 'settings' && <SettingsPage onSettings={applySettings} />}
          {route.page === 'queue' && <QueuePage />}
        </main>
      </div>
    </ToastProvider>
  );
}
