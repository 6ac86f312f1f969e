import { parseArgs } from 'node:util';
import { paramsFields } from '../contract/params/index';
import type { StudioApp } from '../contract/index';
import type { StudioCore } from '../studioCore';
import { UsageError, type CliIo } from './io';
import { parseApp, runRenderCommand } from './renderRunCommand';
import { call, openCore } from './openCore';

const flagsOf = (app: StudioApp): string[] => Object.keys(paramsFields[app]).map((f) => `--${f.replace(/_/g, '-')}`);

export const cloudHelp = `Usage:
  wan-studio cloud run s2v --image PORTRAIT --audio SOUND --prompt TEXT [parameters] [options]
  wan-studio cloud run animate --video DRIVING --image CHARACTER [--mode animation|replacement] [parameters] [options]
  wan-studio cloud schema s2v|animate     compare the live app schema with the studio's
  wan-studio cloud status                 where the key and the service address come from
  wan-studio cloud check                  call the service with the key: reachable? key accepted?
  wan-studio cloud key set                read an API key from stdin and store it (0600 file) for
                                          the current API address (it is sent to that address only)
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
Settings. INFERENCE_API_KEY is sent only to the public service or to an INFERENCE_BASE_URL set
beside it; a stored key only to the address it was entered for. Ctrl+C cancels the render (the cloud task is cancelled too).`;

export async function cloudCommand(argv: string[], io: CliIo, stdin: () => Promise<string> = readStdin): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'run':
      return runRenderCommand(rest, io, { engine: 'cloud' });
    case 'schema':
      return schemaCommand(rest, io);
    case 'status':
      return withCore(rest, async (core) => {
        const s = await call(core, 'cloud.status', {});
        io.out(`API key: ${s.keySource === 'env' ? 'from INFERENCE_API_KEY' : s.keySource === 'stored' ? `stored (${s.keyStore})` : 'none'}`);
        io.out(`Service: ${s.baseUrl} (${s.baseUrlSource})`);
        if (s.keyProblem) io.out(s.keyProblem);
        return 0;
      });
    case 'check':
      return withCore(rest, async (core) => {
        const c = await call(core, 'cloud.check', {});
        if (!c.ok) {
          io.err(c.message);
          return 1;
        }
        io.out(c.message);
        return 0;
      });
    case 'key': {
      const [action, ...more] = rest;
      if (action === 'set') {
        const key = (await stdin()).trim();
        return withCore(more, async (core) => {
          const s = await call(core, 'cloud.setKey', { key });
          io.out(`API key stored (${s.keyStore}) for ${s.baseUrl}; it is sent to that address only.${s.keySource === 'env' ? ' Note: INFERENCE_API_KEY is set and wins over it.' : ''}`);
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


async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
