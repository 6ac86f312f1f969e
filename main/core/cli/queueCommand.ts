import { parseArgs } from 'node:util';
import { StudioError } from '../contract/errors';
import type { EngineChoice, QueueJobDto } from '../contract/index';
import { engineChoices } from '../contract/types';
import { readBatchFile } from './batchFile';
import { call, openCore } from './openCore';
import { UsageError, type CliIo } from './io';
import type { StudioCore } from '../studioCore';

export const queueHelp = `Usage:
  wan-studio queue list [--json] [--home DIR]
  wan-studio queue pause [JOB]           hold one waiting job, or (no JOB) the whole queue
  wan-studio queue resume [JOB]
  wan-studio queue move JOB --to top|bottom|up|down|N   N counts the waiting jobs from 1
  wan-studio queue cancel JOB
  wan-studio queue add --project P --batch FILE.csv|FILE.json [--name NAME] [--engine auto|local|cloud]

A batch file has one row per render. Columns: parameter names (prompt, seed, resolution, ...),
"label" (what the outputs grid shows), and files of the project by name: image, audio, video,
reference. Each row is laid over the editor's draft. Rows count from 1 (after a CSV header); a bad
row is named with its column and nothing is queued. The running app or server starts the jobs.`;

export async function queueCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      home: { type: 'string' },
      json: { type: 'boolean', default: false },
      to: { type: 'string' },
      project: { type: 'string' },
      batch: { type: 'string' },
      name: { type: 'string' },
      engine: { type: 'string' },
    },
  });
  const [sub, jobId, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected "${extra.join(' ')}".`);
  const subs = ['list', 'pause', 'resume', 'move', 'cancel', 'add'];
  if (!sub || !subs.includes(sub)) throw new UsageError(sub ? `Unknown queue command "${sub}".` : `Say one of ${subs.join(', ')}.`);
  if ((sub === 'move' || sub === 'cancel') && !jobId) throw new UsageError(`queue ${sub} needs the job id (see wan-studio queue list).`);
  const core = await openCore(values.home);
  try {
    switch (sub) {
      case 'list':
        return await list(core, io, values.json);
      case 'pause':
      case 'resume':
        return await hold(core, io, sub, jobId);
      case 'move':
        return await move(core, io, jobId as string, values.to);
      case 'cancel': {
        const job = await call(core, 'queue.cancel', { jobId: jobId as string });
        io.out(`Cancelled ${job.id}`);
        return 0;
      }
      default:
        return await add(core, io, values);
    }
  } finally {
    await core.dispose();
  }
}

async function list(core: StudioCore, io: CliIo, json: boolean): Promise<number> {
  const page = await call(core, 'queue.list', { limit: 500 });
  if (json) {
    io.out(JSON.stringify(page, null, 2));
    return 0;
  }
  const { running, waiting, held, ended } = page.counts;
  io.out(`Queue${page.paused ? ' (held: nothing new starts)' : ''}: ${running} running, ${waiting} waiting, ${held} paused, ${ended} ended`);
  for (const j of page.jobs) io.out(line(j));
  if (page.total > page.jobs.length) io.out(`… and ${page.total - page.jobs.length} more`);
  return 0;
}

function line(j: QueueJobDto): string {
  const place = j.waitIndex === null ? '  ' : String(j.waitIndex + 1).padStart(2);
  const state = j.paused ? 'paused' : j.status;
  const progress = j.status === 'running' ? ` ${Math.round(j.progress * 100)}%${j.stage ? ` ${j.stage}` : ''}` : '';
  const batch = j.batchName ? `  [${j.batchName}: ${j.batchLabel ?? ''}]` : '';
  return `${place} ${j.id}  ${state.padEnd(9)} ${j.engine.padEnd(5)} ${j.projectName}${batch}${progress}`;
}

async function hold(core: StudioCore, io: CliIo, sub: 'pause' | 'resume', jobId: string | undefined): Promise<number> {
  if (!jobId) {
    await call(core, sub === 'pause' ? 'queue.pauseAll' : 'queue.resumeAll', {});
    io.out(sub === 'pause' ? 'The queue is held: running jobs finish, nothing new starts.' : 'The queue runs again.');
    return 0;
  }
  await call(core, sub === 'pause' ? 'queue.pause' : 'queue.resume', { jobId });
  io.out(`${sub === 'pause' ? 'Paused' : 'Resumed'} ${jobId}`);
  return 0;
}

async function move(core: StudioCore, io: CliIo, jobId: string, to: string | undefined): Promise<number> {
  if (!to) throw new UsageError('Say where with --to top, bottom, up, down or a place N (1 = next to start).');
  const page = await call(core, 'queue.list', { limit: 500 });
  const waiting = page.jobs.filter((j) => j.waitIndex !== null);
  const at = waiting.findIndex((j) => j.id === jobId);
  if (at < 0) throw new StudioError('conflict', `Job ${jobId} is not waiting in the queue (see wan-studio queue list); only waiting jobs can be moved.`);
  const index = to === 'top' ? 0 : to === 'bottom' ? page.counts.waiting + page.counts.held : to === 'up' ? Math.max(0, at - 1) : to === 'down' ? at + 1 : placeIndex(to);
  const after = await call(core, 'queue.move', { jobId, index });
  const place = after.jobs.find((j) => j.id === jobId)?.waitIndex ?? index;
  io.out(`Moved ${jobId} to place ${place + 1}`);
  return 0;
}

function placeIndex(to: string): number {
  if (!/^\d+$/.test(to) || Number(to) < 1) throw new UsageError(`--to must be top, bottom, up, down or a place from 1, not "${to}".`);
  return Number(to) - 1;
}

async function add(core: StudioCore, io: CliIo, values: { project?: string; batch?: string; name?: string; engine?: string; json: boolean }): Promise<number> {
  if (!values.project || !values.batch) throw new UsageError('queue add needs --project P (name or id) and --batch FILE.csv|FILE.json.');
  if (values.engine !== undefined && !engineChoices.includes(values.engine as EngineChoice)) throw new UsageError(`--engine must be auto, local or cloud, not "${values.engine}".`);
  const projects = await call(core, 'library.listProjects', {});
  const byId = projects.find((p) => p.id === values.project);
  const byName = projects.filter((p) => p.name === values.project);
  if (!byId && byName.length > 1) throw new StudioError('conflict', `Several projects are called "${values.project}"; give its id (see wan-studio projects list).`);
  const project = byId ?? byName[0];
  if (!project) throw new StudioError('not_found', `There is no project "${values.project}" (see wan-studio projects list).`);
  const detail = await call(core, 'library.getProject', { id: project.id });
  const file = await readBatchFile(values.batch, project.app, detail.assets);
  const name = values.name ?? file.name ?? `Batch of ${file.variations.length}`;
  const batch = await call(core, 'queue.addBatch', { projectId: project.id, name, engine: values.engine as EngineChoice | undefined, variations: file.variations });
  if (values.json) io.out(JSON.stringify(batch, null, 2));
  else {
    io.out(`Queued batch "${batch.name}" (${batch.id}): ${batch.jobs.length} renders in ${project.name}`);
    for (const j of batch.jobs) io.out(`  ${j.id}  ${j.batchLabel ?? ''}`);
  }
  return 0;
}
