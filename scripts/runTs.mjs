#!/usr/bin/env node
// Runs a TypeScript entry from the repo (dev tools such as the fake inference.sh server): bundles
// it with Vite into .tmp/ (so imports resolve from node_modules) and runs the result with this Node.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/runTs.mjs <entry.ts> [args...]');
  process.exit(2);
}
const outDir = join(root, '.tmp', 'run');
mkdirSync(outDir, { recursive: true });
await build({
  configFile: false,
  root,
  logLevel: 'error',
  build: { ssr: resolve(root, entry), outDir, emptyOutDir: false, target: 'node22', minify: false, rollupOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } } },
});
const child = spawn(process.execPath, [join(outDir, `${basename(entry).replace(/\.ts$/, '')}.mjs`), ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
