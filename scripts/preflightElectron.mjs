#!/usr/bin/env node
// `npm start` runs this first: the Electron binary is downloaded on first use, and when that
// cannot happen (offline, a proxy, ELECTRON_SKIP_BINARY_DOWNLOAD) a person gets a way forward
// instead of a stack trace from inside Electron's package.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// Tests point this at a folder of their own; users never set it.
const electronDir = process.env.WAN_STUDIO_ELECTRON_DIR ?? join(root, 'node_modules', 'electron');

function binaryPresent() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

function version() {
  try {
    return JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version ?? '';
  } catch {
    return '';
  }
}

function fail(lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

if (!existsSync(join(electronDir, 'package.json'))) {
  fail([
    'Wan Studio cannot open its window: Electron is not installed in node_modules.',
    '  Run `npm install` first, then `npm start` again.',
    '  Or use the studio in your browser without Electron: `npm run serve`.',
  ]);
}

if (!binaryPresent()) {
  const installer = join(electronDir, 'install.js');
  let reason = 'its installer is missing';
  if (existsSync(installer)) {
    process.stdout.write(`Downloading the Electron ${version()} binary (about 100 MB, once)…\n`);
    const r = spawnSync(process.execPath, [installer], { cwd: electronDir, stdio: ['ignore', 'inherit', 'pipe'], env: process.env });
    const err = (r.stderr?.toString() ?? '').split('\n').find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|status/i.test(l));
    reason = r.status === 0 ? 'the download was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD is set?)' : `the download failed${err ? `: ${err.trim()}` : ''}`;
  }
  if (!binaryPresent()) {
    fail([
      `Wan Studio cannot open its window: the Electron ${version()} binary is not on this machine (${reason}).`,
      '  To get it: check the internet connection (behind a proxy set HTTPS_PROXY; ELECTRON_MIRROR names a mirror),',
      '  then run `node node_modules/electron/install.js` and `npm start` again.',
      '  Or use the studio in your browser without Electron: `npm run serve`.',
    ]);
  }
}
