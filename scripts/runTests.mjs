#!/usr/bin/env node
// `npm test`: every check a change must pass, in order, ending with one summary line that CI
// reads: "N passed, N failed". Typecheck, lint and build count as one check each; unit and
// integration tests (vitest, including the type-level tests) and end-to-end tests (Playwright in
// Chromium against the headless server) count one per test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'test-results');
const bin = (name) => join(root, 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;
const failures = [];

const run = (label, cmd, args, env = {}) => {
  process.stdout.write(`\n=== ${label} ===\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};
const check = (label, ok) => {
  if (ok) passed++;
  else {
    failed++;
    failures.push(label);
  }
};
const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`npm test needs Node.js 22.12 or newer (this is ${process.version}); see the README.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

check('typecheck', run('typecheck', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.node.json', '--noEmit']) &&
  run('typecheck (renderer)', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.web.json', '--noEmit']) &&
  run('typecheck (e2e)', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.e2e.json', '--noEmit']));
check('lint', run('lint', bin('eslint'), ['--max-warnings', '0', '.']));
const built = run('build', bin('electron-vite'), ['build']);
check('build', built);

if (built) {
  const vitestJson = join(results, 'vitest.json');
  run('unit + integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], {
    WAN_STUDIO_TEST_BUILT: '1',
  });
  const v = readJson(vitestJson);
  if (v) {
    passed += v.numPassedTests ?? 0;
    failed += (v.numFailedTests ?? 0) + (v.numTotalTestSuites > 0 && v.success === false && (v.numFailedTests ?? 0) === 0 ? 1 : 0);
    if ((v.numFailedTests ?? 0) > 0 || v.success === false) failures.push('vitest');
  } else check('vitest (no report written)', false);

  const e2eJson = join(results, 'e2e-report.json');
  run('end-to-end tests (Playwright + Chromium)', bin('playwright'), ['test'], { WAN_STUDIO_TEST_BUILT: '1' });
  const p = existsSync(e2eJson) ? readJson(e2eJson) : null;
  if (p?.stats) {
    passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
    failed += p.stats.unexpected ?? 0;
    if ((p.stats.unexpected ?? 0) > 0) failures.push('e2e');
    if ((p.errors ?? []).length > 0) check('e2e (errors outside tests)', false);
  } else check('e2e (no report written)', false);
}

if (failures.length > 0) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
