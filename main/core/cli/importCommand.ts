import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeAsset } from '../contract/format';
import { call, openCore } from './openCore';
import { UsageError, type CliIo } from './io';

export const importHelp = `Usage:
  wan-studio import <project id or name> <file>... [--json] [--home DIR]`;

/** Imports each file in turn; one bad file is reported and the rest still import. */
export async function importCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { home: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [projectRef, ...files] = positionals;
  if (!projectRef || files.length === 0) throw new UsageError('Name a project and at least one file.');
  const core = await openCore(values.home);
  let failed = 0;
  try {
    const project = core.library.projects.findByIdOrName(projectRef);
    for (const file of files) {
      try {
        const { asset, deduped } = await call(core, 'media.import', { projectId: project.id, source: { kind: 'path', path: resolve(file) } });
        if (values.json) io.out(JSON.stringify({ file, asset, deduped }));
        else io.out(`${deduped ? 'Already in project' : 'Imported'}: ${asset.name}  (${describeAsset(asset)})  id ${asset.id}`);
      } catch (e) {
        failed++;
        io.err(`wan-studio: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await core.dispose();
  }
  return failed === 0 ? 0 : 1;
}
