import { parseArgs } from 'node:util';
import { appSchema } from '../contract/schemas';
import { call, openCore } from './openCore';
import { UsageError, type CliIo } from './io';

export const projectsHelp = `Usage:
  wan-studio projects list [--search TEXT] [--json] [--home DIR]
  wan-studio projects create <name> [--app s2v|animate] [--json] [--home DIR]`;

export async function projectsCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      home: { type: 'string' },
      json: { type: 'boolean', default: false },
      search: { type: 'string' },
      app: { type: 'string' },
    },
  });
  const [sub, ...rest] = positionals;
  if (sub !== 'list' && sub !== 'create') throw new UsageError(sub ? `Unknown projects command "${sub}".` : 'Say list or create.');
  const core = await openCore(values.home);
  try {
    if (sub === 'list') {
      const projects = await call(core, 'library.listProjects', values.search ? { search: values.search } : {});
      if (values.json) io.out(JSON.stringify(projects, null, 2));
      else if (projects.length === 0) io.out('No projects yet. Create one with: wan-studio projects create "My project"');
      else for (const p of projects) io.out(`${p.id}  ${p.app.padEnd(7)}  ${String(p.assetCount).padStart(3)} assets  ${p.name}`);
      return 0;
    }
    if (rest.length !== 1) throw new UsageError('Give the project name as one argument (quote it if it has spaces).');
    const app = values.app === undefined ? undefined : appSchema.safeParse(values.app);
    if (app && !app.success) throw new UsageError(`--app must be s2v or animate, not "${values.app}".`);
    const project = await call(core, 'library.createProject', { name: rest[0] ?? '', app: app?.data });
    io.out(values.json ? JSON.stringify(project, null, 2) : `Created project ${project.id}  ${project.name}`);
    return 0;
  } finally {
    await core.dispose();
  }
}
