import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/studioProcess';

/**
 * The source modules a built entry loads, following its relative chunk imports. The build
 * (not minified) heads each module with a `// path/to/module.ts` line.
 */
function sourceModules(entry: string, seen = new Set<string>(), modules = new Set<string>()): Set<string> {
  if (seen.has(entry)) return modules;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const m of code.matchAll(/^\/\/ ((?:main|native|common|preload|renderer)\/\S+\.tsx?)$/gm)) modules.add(m[1] as string);
  for (const m of code.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+\.js)"/g)) sourceModules(resolve(dirname(entry), m[1] as string), seen, modules);
  return modules;
}

const out = join(repoRoot, 'out', 'main');

describe('the built bundles keep the worker and main apart', () => {
  it('the inference worker bundles only native/ and common/ code', () => {
    const modules = [...sourceModules(join(out, 'inferenceWorker.js'))];
    expect(modules).toContain('native/s2v/s2vPipeline.ts');
    expect(modules).toContain('common/worker/protocol.ts');
    expect(modules.filter((m) => !m.startsWith('native/') && !m.startsWith('common/'))).toEqual([]);
  });

  it('the app and the CLI bundle no native/ code (they start the worker by path)', () => {
    for (const entry of ['index.js', 'cli.js']) {
      const modules = [...sourceModules(join(out, entry))];
      expect(modules).toContain('main/core/engines/local/localEngine.ts');
      expect(modules.filter((m) => m.startsWith('native/'))).toEqual([]);
    }
  });
});
