import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'vite';
import { repoRoot } from './studioProcess';

/**
 * Bundles a TypeScript entry into a runnable .mjs so a test can run our real code in a child
 * process it may kill (crash tests). The output lives under the repo's .tmp/ so that packages
 * resolve from the repo's node_modules.
 */
export async function bundleScript(entry: string): Promise<string> {
  const outDir = join(repoRoot, '.tmp', 'bundled', `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(outDir, { recursive: true });
  await build({
    configFile: false,
    root: repoRoot,
    logLevel: 'error',
    build: {
      ssr: resolve(entry),
      outDir,
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: '[name].mjs' } },
    },
  });
  return join(outDir, `${basename(entry).replace(/\.ts$/, '')}.mjs`);
}
