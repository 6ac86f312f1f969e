import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Integration tests run the built CLI, server and worker as real processes, so the build must
 * match the sources. scripts/runTests.mjs builds once and sets WAN_STUDIO_TEST_BUILT=1.
 */
export default function setup(): void {
  if (process.env.WAN_STUDIO_TEST_BUILT === '1') return;
  const root = resolve(import.meta.dirname, '..', '..');
  const bin = resolve(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const entry = existsSync(bin) ? bin : resolve(root, 'node_modules', '.bin', 'electron-vite');
  const r = spawnSync(process.execPath, [entry, 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status}); fix the build before running tests.`);
  process.env.WAN_STUDIO_TEST_BUILT = '1';
}
