import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes } from '../contract/format';
import { exportProjectArchive } from '../projectArchive/exportProject';
import { ARCHIVE_EXTENSION } from '../projectArchive/manifest';
import { appSchema } from '../contract/schemas';
import { call, openCore } from './openCore';
import { UsageError, type CliIo } from './io';

export const projectsHelp = `Usage:
  wan-studio projects list [--search TEXT] [--json] [--home DIR]
  wan-studio projects create <name> [--app s2v|animate] [--json] [--home DIR]
  wan-studio projects export <project id or name> --out FILE.wanproj [--outputs all|none|ID,ID...] [--home DIR]
  wan-studio projects import <FILE.wanproj> [--json] [--home DIR]

export writes one archive with the project's media, trims, parameters, the app's presets and its
outputs (all by default); import brings it into this library as a new project (a taken name gets " (2)").`;

export async function projectsCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      home: { type: 'string' },
      json: { type: 'boolean', default: false },
      search: { type: 'string' },
      app: { type: 'string' },
      out: { type: 'string' },
      outputs: { type: 'string' },
    },
  });
  const [sub, ...rest] = positionals;
  if (sub !== 'list' && sub !== 'create' && sub !== 'export' && sub !== 'import') {
    throw new UsageError(sub ? `Unknown projects command "${sub}".` : 'Say list, create, export or import.');
  }
  if (sub === 'export') return exportCommand(rest, values, io);
  if (sub === 'import') return importArchiveCommand(rest, values, io);
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

interface ArchiveFlags {
  home?: string;
  json?: boolean;
  out?: string;
  outputs?: string;
}

/** --outputs all (the default), none, or a comma-separated list of output ids. */
function outputChoice(flag: string | undefined): string[] | undefined {
  if (flag === undefined || flag === 'all') return undefined;
  if (flag === 'none') return [];
  return flag.split(',').map((s) => s.trim()).filter(Boolean);
}

async function exportCommand(rest: string[], values: ArchiveFlags, io: CliIo): Promise<number> {
  if (rest.length !== 1) throw new UsageError('Name one project (its id, or its name in quotes).');
  if (!values.out) throw new UsageError('Say where the archive goes: --out FILE.wanproj');
  const target = resolve(extname(values.out) ? values.out : `${values.out}${ARCHIVE_EXTENSION}`);
  const core = await openCore(values.home);
  try {
    const project = core.library.projects.findByIdOrName(rest[0] ?? '');
    const { sizeBytes } = await exportProjectArchive(core.library, { projectId: project.id, outputIds: outputChoice(values.outputs), target });
    io.out(values.json ? JSON.stringify({ file: target, sizeBytes }) : `Exported project ${project.name} to ${target} (${formatBytes(sizeBytes)})`);
    return 0;
  } finally {
    await core.dispose();
  }
}

async function importArchiveCommand(rest: string[], values: ArchiveFlags, io: CliIo): Promise<number> {
  if (rest.length !== 1) throw new UsageError('Give one .wanproj file to import.');
  const core = await openCore(values.home);
  try {
    const result = await call(core, 'library.importProject', { source: { kind: 'path', path: resolve(rest[0] ?? '') } });
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else {
      const renamed = result.renamedFrom ? ` (the library already had a project named ${result.renamedFrom})` : '';
      io.out(`Imported project ${result.project.id}  ${result.project.name}${renamed}: ${result.project.assetCount} media, ${result.outputs} outputs, ${result.presetsAdded} new presets`);
    }
    return 0;
  } finally {
    await core.dispose();
  }
}
