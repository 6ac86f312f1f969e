import { BrowserWindow, session, shell } from 'electron';
import { join } from 'node:path';
import { securityHeaders, studioCsp } from '../core/server/csp';

/**
 * The one window. Hardened the way the anchors recommend: isolated, sandboxed, no Node, no
 * navigation away from the app, new windows denied (http(s) links open in the OS browser),
 * no permissions granted.
 */
export function createMainWindow(options: { preloadDir: string; startUrl: string; isAppUrl: (url: string) => boolean; devServer?: string; icon: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#111318',
    title: 'Wan Studio',
    icon: options.icon,
    webPreferences: {
      preload: join(options.preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    },
  });
  win.once('ready-to-show', () => win.show());

  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!options.isAppUrl(url)) {
      event.preventDefault();
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    }
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  if (options.devServer) {
    // Only in `npm run dev`: the Vite dev server's pages get the same CSP, plus its HMR socket.
    const devOrigin = new URL(options.devServer).origin;
    const csp = studioCsp({ mediaSources: ['studio://media'], connectSources: [devOrigin.replace(/^http/, 'ws')] });
    ses.webRequest.onHeadersReceived({ urls: [`${devOrigin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, ...Object.fromEntries(Object.entries(securityHeaders(csp)).map(([k, v]) => [k, [v]])) } });
    });
  }
  void win.loadURL(options.startUrl);
  return win;
}
