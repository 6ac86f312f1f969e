import { useEffect, useState } from 'react';
import type { Theme } from '../../main/core/contract/types';
import { LibraryPage } from './pages/LibraryPage';
import { ProjectPage } from './pages/ProjectPage';
import { SettingsPage } from './pages/SettingsPage';
import { hrefFor, useRoute } from './router';
import { studio } from './studio';
import { ToastProvider } from './toasts';

function applyTheme(theme: Theme) {
  document.documentElement.dataset.theme = theme;
}

export function App() {
  const route = useRoute();
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    studio()
      .settings.get({})
      .then((v) => setTheme(v.settings.theme))
      .catch(() => undefined);
  }, []);
  useEffect(() => applyTheme(theme), [theme]);

  return (
    <ToastProvider>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">Wan Studio</div>
          <a href={hrefFor({ page: 'library' })} aria-current={route.page !== 'settings' ? 'page' : undefined}>
            Library
          </a>
          <a href={hrefFor({ page: 'settings' })} aria-current={route.page === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
        <main className="content">
          {route.page === 'library' && <LibraryPage />}
          {route.page === 'project' && <ProjectPage key={route.id} id={route.id} />}
          {route.page === 'settings' && <SettingsPage onTheme={setTheme} />}
        </main>
      </div>
    </ToastProvider>
  );
}
