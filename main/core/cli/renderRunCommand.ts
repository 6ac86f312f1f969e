import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StudioError } from '../contract/errors';
import { paramsFields, type FieldMeta } from '../contract/params/index';
import { studioApps, type JobDto, type StudioApp } from '../contract/index';
import { UsageError, type CliIo } from './io';
import { call, openCore } from './openCore';

export function parseApp(raw: string | undefined): StudioApp {
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

/** `--person X,Y`: the person at that point of the driving video's picture (fractions 0..1 from the top left), followed from frame to frame. */
function personPick(raw: string | boolean | undefined): { x: number; y: number; atSec: number } | null {
  if (typeof raw !== 'string') return null;
  const [x, y, more] = raw.split(',').map((p) => Number(p.trim()));
  const fraction = (n: number | undefined) => n !== undefined && Number.isFinite(n) && n >= 0 && n <= 1;
  if (more !== undefined || !fraction(x) || !fraction(y)) throw new UsageError(`--person ${raw}: must be X,Y as fractions of the picture from its top left, like 0.3,0.5.`);
  return { x: x!, y: y!, atSec: 0 };
}

function toNumber(raw: string, bad: (what: string) => Error): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw bad('a number');
  return n;
}

/**
 * `cloud run` and `render`: imports the inputs into a project, sets the editor draft from the
 * flags (named exactly like the app's parameters), queues the render through the contract and
 * follows it, printing progress and the output path. Ctrl+C cancels it.
 */
export async function runRenderCommand(argv: string[], io: CliIo, how: { engine: 'cloud' | 'local'; pack?: boolean }): Promise<number> {
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
      person: { type: 'string' },
      project: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      home: { type: 'string' },
      ...(how.pack ? { pack: { type: 'string' as const } } : {}),
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
  const person = app === 'animate' ? personPick(v.person) : null;
  const trim = { inSec: v.in ? Number(v.in) : 0, outSec: v.out ? Number(v.out) : null };
  if (!Number.isFinite(trim.inSec) || (trim.outSec !== null && !Number.isFinite(trim.outSec))) throw new UsageError('--in and --out take seconds, like 1.5.');

  const core = await openCore(typeof v.home === 'string' ? v.home : undefined);
  if (how.pack && typeof v.pack === 'string') {
    // A pack folder on the command line is installed into the library first (same id: replaced).
    const pack = await call(core, 'engines.importPack', { path: resolve(v.pack) });
    io.out(`Model pack: ${pack.name} ${pack.version}`);
  }
  const stop = new AbortController();
  let jobId: string | null = null;
  void io.untilStopped().then(() => {
    stop.abort();
    if (jobId) void call(core, 'render.cancel', { jobId }).catch(() => undefined);
  });
  try {
    const projectName = typeof v.project === 'string' ? v.project : app === 's2v' ? `${how.engine === 'cloud' ? 'Cloud' : 'Local'} renders` : `${how.engine === 'cloud' ? 'Cloud' : 'Local'} renders (Animate)`;
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
      await call(core, 'library.updateProjectState', { id: project.id, patch: { animate: { videoAssetId: video.id, referenceAssetId: image.id, videoTrim: trim, params, person } } });
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
      const job = await call(core, 'render.submit', { projectId: project.id, engine: how.engine });
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

