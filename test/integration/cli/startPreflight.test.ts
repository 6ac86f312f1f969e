import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/generatedMedia';

const script = resolve(import.meta.dirname, '..', '..', '..', 'scripts', 'preflightElectron.mjs');

/** Runs the `npm start` preflight against an Electron package folder laid out by the test. */
function preflight(electronDir: string) {
  const r = spawnSync(process.execPath, [script], { env: { ...process.env, WAN_STUDIO_ELECTRON_DIR: electronDir }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm start preflight', () => {
  it('without the Electron binary: says how to get it, or to use npm run serve, with no stack trace', () => {
    const dir = makeTempDir('electron-pkg');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
    const r = preflight(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the Electron 45.4.1 binary is not on this machine');
    expect(r.stderr).toContain('node node_modules/electron/install.js');
    expect(r.stderr).toContain('npm run serve');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('without Electron installed at all: says to run npm install', () => {
    const r = preflight(join(makeTempDir('electron-none'), 'electron'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Run `npm install` first');
    expect(r.stderr).toContain('npm run serve');
  });

  it('with the binary in place: passes quietly', () => {
    const dir = makeTempDir('electron-ok');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1' }));
    writeFileSync(join(dir, 'path.txt'), 'electron');
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'electron'), '');
    const r = preflight(dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
