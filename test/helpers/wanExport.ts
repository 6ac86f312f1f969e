import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * Runs the Python exporter (tools/wan-export) for the tests. The exporter needs python3 with torch
 * and onnx; without them the tests fail with how to install them (they are never skipped).
 */
export const EXPORTER_DIR = resolve(import.meta.dirname, '..', '..', 'tools', 'wan-export');

const MISSING_TORCH =
  'The exporter tests need python3 with torch and onnx. On Debian: sudo apt-get install python3-torch python3-onnx ' +
  '(bash .ci/run installs them), or point WAN_EXPORT_PYTHON at a python3 that has both.';

let python: string | null = null;

/** The first python3 that imports torch and onnx: WAN_EXPORT_PYTHON, then python3 on PATH, then Debian's. */
export function exporterPython(): string {
  if (python) return python;
  const candidates = [process.env.WAN_EXPORT_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import torch, onnx'], { env: exporterEnv(), encoding: 'utf8' });
    if (r.status === 0) return (python = c);
  }
  throw new Error(MISSING_TORCH);
}

/** No secrets reach the exporter: only what Python needs to start and find the package. */
export function exporterEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', PYTHONPATH: EXPORTER_DIR, PYTHONDONTWRITEBYTECODE: '1' };
}

export type ExporterRun = { status: number | null; stdout: string; stderr: string };

export function runExporter(args: string[]): ExporterRun {
  const r = spawnSync(exporterPython(), ['-m', 'wan_export', ...args], { env: exporterEnv(), encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function runExporterOk(args: string[]): string {
  const r = runExporter(args);
  if (r.status !== 0) throw new Error(`python3 -m wan_export ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/**
 * Runs `python3 -m wan_export <args>` with its --out inside a 1 MB tmpfs (a private mount namespace:
 * no root needed where user namespaces are allowed); `args` say `$1/pack` for that folder. Prints
 * the exit code and what was left in the small disk, for the disk-space refusal tests.
 */
export function exportOnSmallDisk(dir: string, args: string[], checkpoint: string): ExporterRun {
  const script = `mount -t tmpfs -o size=1m tmpfs "$1" || exit 90; "$2" -m wan_export ${args.join(' ')}; echo "exit=$?"; ls -A "$1"`;
  const mnt = join(dir, 'small-disk');
  spawnSync('mkdir', ['-p', mnt]);
  const r = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', mnt, exporterPython(), checkpoint], { env: exporterEnv(), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

type Saved = { file: string; dtype: 'float32' | 'int64'; shape: number[] };
export type ReferenceCase = { component: string; inputs: Record<string, Saved>; outputs: Record<string, Saved> };

export async function readReference(dir: string): Promise<Record<string, ReferenceCase>> {
  return (JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { cases: Record<string, ReferenceCase> }).cases;
}

export async function loadTensor(dir: string, t: Saved): Promise<ort.Tensor> {
  const buf = await readFile(join(dir, t.file));
  const copy = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return t.dtype === 'int64' ? new ort.Tensor('int64', new BigInt64Array(copy), t.shape) : new ort.Tensor('float32', new Float32Array(copy), t.shape);
}

/** Runs a pack graph on a reference case; returns, per output, the max abs diff and the reference's max abs value. */
export async function compareCase(packDir: string, refDir: string, c: ReferenceCase): Promise<Record<string, { maxDiff: number; scale: number }>> {
  const session = await ort.InferenceSession.create(join(packDir, `${c.component}.onnx`), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(c.inputs)) feeds[name] = await loadTensor(refDir, t);
    const got = await session.run(feeds);
    const result: Record<string, { maxDiff: number; scale: number }> = {};
    for (const [name, t] of Object.entries(c.outputs)) {
      const want = (await loadTensor(refDir, t)).data as Float32Array;
      const out = got[name];
      if (!out) throw new Error(`${c.component} produced no output "${name}"`);
      if (out.dims.join('x') !== t.shape.join('x')) throw new Error(`${c.component} output "${name}" is [${out.dims.join(', ')}], torch gave [${t.shape.join(', ')}]`);
      const have = out.data as Float32Array;
      let maxDiff = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(have[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      if (Number.isNaN(maxDiff) || have.some((v) => !Number.isFinite(v))) throw new Error(`${c.component} output "${name}" has non-finite values`);
      result[name] = { maxDiff, scale };
    }
    return result;
  } finally {
    await session.release();
  }
}
