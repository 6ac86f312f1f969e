import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StudioError } from '../contract/errors';
import { paramsFields, type FieldMeta } from '../contract/params/index';
import { studioApps, type JobDto, type StudioApp } from '../contract/index';
import type { StudioCore } from '../studioCore';
import { UsageError, type CliIo } from './io';
import { call, openCore } from './openCore';

const flagsOf = (app: StudioApp): string[] => Object.keys(paramsFields[app]).map((f) => `--${f.replace(/_/g, '-')}`);

export const cloudHelp = `Usage:
  wan-studio cloud run s2v --image PORTRAIT --audio SOUND --prompt TEXT [parameters] [options]
  wan-studio cloud run animate --video DRIVING --image CHARACTER [--mode animation|replacement] [parameters] [options]
  wan-studio cloud schema s2v|animate     compare the live app schema with the studio's
  wan-studio cloud status                 where the key and the service address come from
  wan-studio cloud key set                read an API key from stdin and store it (0600 file)
  wan-studio cloud key clear

Parameters (same names as the inference.sh apps, - or _ both work):
  s2v:     ${flagsOf('s2v').join(' ')}
  animate: ${flagsOf('animate').join(' ')}

Options:
  --project NAME|ID   render in this project (created when missing; default "Cloud renders")
  --in SEC --out SEC  trim the audio (s2v) or driving video (animate)
  --json              print job updates and the result as JSON lines
  --home DIR          library folder

The key comes from INFERENCE_API_KEY or the stored one; the service from INFERENCE_BASE_URL or
Settings. Ctrl+C cancels the render (the cloud task is cancelled too).`;

export async function cloudCommand(argv: string[], io: CliIo, stdin: () => Promise<string> = readStdin): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'run':
      return runCommand(rest, io);
    case 'schema':
      return schemaCommand(rest, io);
    case 'status':
      return withCore(rest, async (core) => {
        const s = await call(core, 'cloud.status', {});
        io.out(`API key: ${s.keySource === 'env' ? 'from INFERENCE_API_KEY' : s.keySource === 'stored' ? `stored (${s.keyStore})` : 'none'}`);
        io.out(`Service: ${s.baseUrl} (${s.baseUrlSource})`);
        return 0;
      });
    case 'key': {
      const [action, ...more] = rest;
      if (action === 'set') {
        const key = (await stdin()).trim();
        return withCore(more, async (core) => {
          const s = await call(core, 'cloud.setKey', { key });
          io.out(`API key stored (${s.keyStore}).${s.keySource === 'env' ? ' Note: INFERENCE_API_KEY is set and wins over it.' : ''}`);
          return 0;
        });
      }
      if (action === 'clear') {
        return withCore(more, async (core) => {
          await call(core, 'cloud.clearKey', {});
          io.out('Stored API key removed.');
          return 0;
        });
      }
      throw new UsageError('Use "cloud key set" (reads the key from stdin) or "cloud key clear".');
    }
    default:
      throw new UsageError(sub ? `Unknown cloud command "${sub}".` : 'Name a cloud command.');
  }
}

async function withCore(argv: string[], fn: (core: StudioCore) => Promise<number>): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { home: { type: 'string' } } });
  const core = await openCore(values.home);
  try {
    return await fn(core);
  } finally {
    await core.dispose();
  }
}

async function schemaCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { home: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const app = parseApp(positionals[0]);
  const core = await openCore(values.home);
  try {
    const diff = await call(core, 'cloud.schemaDiff', { app });
    if (values.json) io.out(JSON.stringify(diff));
    else if (diff.differences.length === 0) io.out(`${diff.app}: the live schema matches the studio's parameters.`);
    else {
      io.out(`${diff.app}: ${diff.differences.length} difference(s) between the live schema and the studio's parameters:`);
      for (const d of diff.differences) io.out(`  ${d.field.padEnd(28)} ${d.kind.padEnd(18)} studio: ${d.ours ?? '-'}  cloud: ${d.theirs ?? '-'}`);
    }
    return 0;
  } finally {
    await core.dispose();
  }
}

function parseApp(raw: string | undefined): StudioApp {
  if (raw && (studioApps as readonly string[]).includes(raw)) return raw as StudioApp;
  throw new UsageError(`Name the app: ${studioApps.join(' or ')}${raw ? ` ("${raw}" is not one)` : ''}.`);
}

/** Flag text to the parameter's type, by its field meta; the schema then checks the value. */
function convert(field: string, meta: FieldMeta, raw: string): unknown {
  const bad = (what: string) => new UsageError(`--${field.replace(/_/g, '-')} ${raw}: must be ${what}.`);
  switch (meta.kind) {
    case 'text':
      return raw;
    case 'bool':
      if (/^(true|yes|1|on)$/i.test(raw)) return true;
      if (/^(false|no|0|off)$/i.test(raw)) return false;
      throw bad('true or false');
    case 'enum': {
      const opt = meta.options.find((o) => String(o.value) === raw);
      if (!opt) throw bad(`one of ${meta.options.map((o) => o.value).join(', ')}`);
      return opt.value;
    }
    case 'seed':
      return raw === 'random' ? meta.random : toNumber(raw, bad);
    case 'int':
    case 'number':
      return toNumber(raw, bad);
  }
}

function toNumber(raw: string, bad: (what: string) => Error): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw bad('a number');
  return n;
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const [appArg, ...rest] = argv;
  const app = parseApp(appArg);
  const fields = paramsFields[app] as Record<string, FieldMeta>;
  const paramOptions: Record<string, { type: 'string' }> = {};
  for (const f of Object.keys(fields)) {
    paramOptions[f] = { type: 'string' };
    paramOptions[f.replace(/_/g, '-')] = { type: 'string' };
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      ...paramOptions,
      image: { type: 'string' },
      audio: { type: 'string' },
      video: { type: 'string' },
      project: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      home: { type: 'string' },
    },
  });
  const v = values as Record<string, string | boolean | undefined>;
  const params: Record<string, unknown> = {};
  for (const [f, meta] of Object.entries(fields)) {
    const raw = v[f] ?? v[f.replace(/_/g, '-')];
    if (typeof raw === 'string') params[f] = convert(f, meta, raw);
  }
  const need = app === 's2v' ? (['image', 'audio'] as const) : (['video', 'image'] as const);
  for (const n of need) if (typeof v[n] !== 'string') throw new UsageError(`--${n} is required for ${app}.`);
  const trim = { inSec: v.in ? Number(v.in) : 0, outSec: v.out ? Number(v.out) : null };
  if (!Number.isFinite(trim.inSec) || (trim.outSec !== null && !Number.isFinite(trim.outSec))) throw new UsageError('--in and --out take seconds, like 1.5.');

  const core = await openCore(typeof v.home === 'string' ? v.home : undefined);
  const stop = new AbortController();
  let jobId: string | null = null;
  void io.untilStopped().then(() => {
    stop.abort();
    if (jobId) void call(core, 'render.cancel', { jobId }).catch(() => undefined);
  });
  try {
    const projectName = typeof v.project === 'string' ? v.project : app === 's2v' ? 'Cloud renders' : 'Cloud renders (Animate)';
    let project;
    try {
      project = core.library.projects.findByIdOrName(projectName);
    } catch (e) {
      if (!(e instanceof StudioError && e.code === 'not_found')) throw e;
      project = await call(core, 'library.createProject', { name: projectName, app });
    }
    if (project.app !== app) throw new StudioError('invalid_input', `Project "${project.name}" is a ${project.app} project; use --project to pick or create a ${app} project.`);
    const importOne = async (path: string) => (await call(core, 'media.import', { projectId: project.id, source: { kind: 'path', path: resolve(path) } })).asset;
    if (app === 's2v') {
      const image = await importOne(v.image as string);
      const audio = await importOne(v.audio as string);
      await call(core, 'library.updateProjectState', { id: project.id, patch: { s2v: { imageAssetId: image.id, audioAssetId: audio.id, audioTrim: trim, params } } });
    } else {
      const video = await importOne(v.video as string);
      const image = await importOne(v.image as string);
      await call(core, 'library.updateProjectState', { id: project.id, patch: { animate: { videoAssetId: video.id, referenceAssetId: image.id, videoTrim: trim, params } } });
    }
    let lastLine = '';
    const sub = core.events.onAny((name, payload) => {
      if (name !== 'render.job') return;
      const job = payload as JobDto;
      if (job.id !== jobId) return;
      if (v.json) return io.out(JSON.stringify({ type: 'job', job }));
      const line = `${job.status === 'running' ? (job.stage ?? 'Rendering') : job.status} ${Math.round(job.progress * 100)}%${job.etaMs ? ` (about ${Math.ceil(job.etaMs / 1000)} s left)` : ''}`;
      if (line !== lastLine) io.out(line);
      lastLine = line;
    });
    try {
      const job = await call(core, 'render.submit', { projectId: project.id, engine: 'cloud' });
      jobId = job.id;
      const done = await core.render.settled(job.id);
      if (done.status === 'completed' && done.outputId) {
        const output = core.library.outputs.get(done.outputId);
        const file = join(core.library.home, output.file);
        if (v.json) io.out(JSON.stringify({ type: 'result', jobId: done.id, outputId: done.outputId, file, seed: done.seed }));
        else io.out(`Done: ${file} (seed ${done.seed ?? '?'})`);
        return 0;
      }
      if (v.json) io.out(JSON.stringify({ type: 'result', jobId: done.id, status: done.status, error: done.error }));
      io.err(`wan-studio: ${done.status === 'cancelled' ? 'the render was cancelled.' : (done.error ?? 'the render failed.')}`);
      return 1;
    } finally {
      sub.dispose();
    }
  } finally {
    await core.dispose();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
