import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { looksLikePreprocessPack } from '../animate/preprocessPack';
import { formatBytes } from '../contract/format';
import { makeFixturePack } from '../engines/local/fixturePack';
import { UsageError, type CliIo } from './io';
import { call, openCore } from './openCore';
import { runRenderCommand } from './renderRunCommand';

export const packsHelp = `Usage:
  wan-studio packs make-fixture DIR [--dit-width N] [--dit-depth N] [--seed N]
      write a tiny deterministic S2V pack in format 2 (docs/model-pack.md) for trying the local engine
  wan-studio packs import DIR      verify every file's hash and install the pack (S2V or Animate, format 2) into the
                                   library; files equal to an installed pack's (umT5, VAE) are linked, stored once;
                                   a process_checkpoint folder (det/yolov10m.onnx, pose2d/vitpose_h_wholebody.onnx)
                                   is installed as the preprocess pack: Animate previews then use those models
  wan-studio packs list [--json]   model packs, and which models make Animate previews
  wan-studio packs remove ID       ("packs remove preprocess" goes back to the bundled preview models)`;

export const renderHelp = `Usage:
  wan-studio render s2v --pack DIR --image PORTRAIT --audio SOUND --prompt TEXT [parameters] [options]
  wan-studio render animate --pack DIR --video DRIVING --image CHARACTER [--mode animation|replacement]
      [--person X,Y] [parameters] [options]

Renders on this machine with the model pack in DIR (installed into the library first; without --pack,
the installed pack for the app). Parameters and options are those of "wan-studio cloud run" (see
wan-studio cloud --help). Animate: --person X,Y uses the person at that point of the driving video
(fractions from the top left, like 0.3,0.5) instead of the largest; the driving video's sound is kept.`;

export async function packsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const { positionals, values } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { home: { type: 'string' }, json: { type: 'boolean', default: false }, 'dit-width': { type: 'string' }, 'dit-depth': { type: 'string' }, seed: { type: 'string' } },
  });
  switch (sub) {
    case 'make-fixture': {
      const dir = positionals[0];
      if (!dir) throw new UsageError('Name the folder to write the fixture pack into.');
      const num = (name: string, raw: string | undefined) => {
        if (raw === undefined) return undefined;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number of at least 1, not "${raw}".`);
        return n;
      };
      const width = num('dit-width', values['dit-width']);
      if (width !== undefined && width % 16 !== 0) throw new UsageError(`--dit-width must be a multiple of 16, not ${width}.`);
      const m = await makeFixturePack(resolve(dir), { ditWidth: width, ditDepth: num('dit-depth', values['dit-depth']), seed: num('seed', values.seed) });
      io.out(`Wrote ${m.name} ${m.version} (${m.format}) to ${resolve(dir)} (${Object.keys(m.components).length} graphs).`);
      return 0;
    }
    case 'import':
    case 'list':
    case 'remove': {
      const core = await openCore(values.home);
      try {
        if (sub === 'import') {
          if (!positionals[0]) throw new UsageError('Name the pack folder to import.');
          const dir = resolve(positionals[0]);
          if (looksLikePreprocessPack(dir)) {
            const p = await call(core, 'engines.installPreprocess', { path: dir });
            io.out(`Installed the preprocess pack (${p.files.map((f) => `${f.path} ${formatBytes(f.sizeBytes)}`).join(', ')}). Previews: ${p.previews.label}.`);
          } else {
            const p = await call(core, 'engines.importPack', { path: dir });
            io.out(`Installed ${p.name} ${p.version} as ${p.id} (${formatBytes(p.sizeBytes)}).`);
          }
        } else if (sub === 'remove') {
          if (!positionals[0]) throw new UsageError('Name the pack id to remove (see "packs list").');
          if (positionals[0] === 'preprocess') {
            const p = await call(core, 'engines.removePreprocess', {});
            io.out(`Removed the preprocess pack. Previews: ${p.previews.label}.`);
          } else {
            await call(core, 'engines.removePack', { id: positionals[0] });
            io.out(`Removed ${positionals[0]}.`);
          }
        } else {
          const s = await call(core, 'engines.status', {});
          const pre = await call(core, 'engines.preprocessStatus', {});
          if (values.json) io.out(JSON.stringify({ ...s, preprocess: pre }));
          else {
            io.out(`Previews: ${pre.previews.label}${pre.installed ? ` (preprocess pack in ${pre.dir})` : ''}`);
            if (s.packs.length === 0) io.out('No model packs installed.');
            for (const p of s.packs) io.out(`${p.id}  ${p.pipeline}  ${formatBytes(p.sizeBytes)}  ${p.components.join(', ')}`);
            io.out(`Execution providers, in order: ${s.providers.candidates.join(', ')}`);
            for (const k of s.providers.skipped) io.out(`  skipped ${k.provider}: ${k.reason}`);
          }
        }
        return 0;
      } finally {
        await core.dispose();
      }
    }
    default:
      throw new UsageError(sub ? `Unknown packs command "${sub}".` : 'Name a packs command.');
  }
}

export function renderCommand(argv: string[], io: CliIo): Promise<number> {
  return runRenderCommand(argv, io, { engine: 'local', pack: true });
}
