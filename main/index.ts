import { app, BrowserWindow, dialog } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveLibraryHome } from './core/library/paths';
import { createStudioCore } from './core/studioCore';
import { safeStorageSecrets } from './electron/safeStorageSecrets';
import { utilityWorkerFactory } from './electron/utilityWorker';
import { APP_ORIGIN, handleAppScheme, registerAppScheme } from './electron/appProtocol';
import { registerIpcTransport } from './electron/ipcTransport';
import { createMainWindow } from './electron/mainWindow';
import { windowIconFor } from './electron/appIcon';
import { showQueueActivity } from './electron/queueNotifications';

// Thin on purpose: everything behind this file is the core that the headless server, the CLI and
// the tests run. This file only wires Electron's pieces (window, protocol, IPC) to it.

const here = dirname(fileURLToPath(import.meta.url));
const devServer = process.env.ELECTRON_RENDERER_URL;
const { values } = parseArgs({ args: process.argv.slice(1), options: { home: { type: 'string' } }, strict: false, allowPositionals: true });

registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(async () => {
  const home = resolveLibraryHome(typeof values.home === 'string' ? values.home : undefined, process.env, app.getPath('userData'));
  const core = await createStudioCore({ home, secrets: safeStorageSecrets(home), resumeJobs: true, localOptions: { workerFactory: utilityWorkerFactory } });
  handleAppScheme(join(here, '..', 'renderer'), core.library.home);
  const isAppUrl = (url: string) => url.startsWith(`${APP_ORIGIN}/`) || (!!devServer && url.startsWith(devServer));
  const ipc = registerIpcTransport(core, isAppUrl);
  // resources/ sits at the app's root, beside package.json, in development and in the package.
  const icon = windowIconFor(process.platform, join(app.getAppPath(), 'resources'));
  const open = () =>
    createMainWindow({ preloadDir: join(here, '..', 'preload'), startUrl: devServer ?? `${APP_ORIGIN}/index.html`, isAppUrl, devServer, icon });
  let win = open();
  const activity = showQueueActivity(core, () => win);
  app.on('second-instance', () => {
    if (win.isDestroyed()) win = open();
    else win.focus();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = open();
  });
  let quitting = false;
  app.on('will-quit', (event) => {
    if (quitting) return;
    // Renders get a bounded moment to stop their processes; cloud tasks stay running remotely
    // and are re-attached at the next start.
    quitting = true;
    event.preventDefault();
    ipc.dispose();
    activity.dispose();
    void Promise.resolve(core.dispose()).finally(() => app.exit(0));
  });
}).catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  console.error(`Wan Studio could not start: ${message}`);
  // Started from a launcher there is no terminal to read: say it in a box (a wrong FFMPEG_PATH, a newer library).
  dialog.showErrorBox('Wan Studio could not start', message);
  app.exit(1);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
