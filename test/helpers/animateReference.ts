import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnimateJob } from '../../common/animate/animateJob';
import { exporterEnv, exporterPython } from './wanExport';

/** What tools/wan-export/wan_export/animate_pipeline_reference.py reports besides the latents. */
export interface AnimateReferenceReport {
  shape: number[];
  timesteps: number[];
  sigmas: number[];
  ditCalls: { cond: number; uncond: number };
  y: number[];
  poseLatents: number[];
  faceTokens: number[];
}

export interface AnimateReferenceRun {
  status: number | null;
  stderr: string;
  latents: Float32Array | null;
  report: AnimateReferenceReport | null;
}

/**
 * Runs the torch reference of the Animate pipeline (our torch modules, the official orchestration) on a
 * studio AnimateJob: clip k's clean latents [1, 16, lat_t + 1, H/8, W/8] (k = input.clip, 0 by default) and its report.
 * `ids` / `negIds`: the umT5 ids of the job's prompt and negative prompt.
 */
/** The reference's input: clip k > 0 also needs the refert_num guidance frames (RGB24) the studio gave it. */
export interface AnimateReferenceInput {
  job: AnimateJob;
  checkpoint: string;
  ids: number[];
  negIds: number[];
  clip?: number;
  guideRgb?: string;
}

export async function runAnimateReference(dir: string, name: string, input: AnimateReferenceInput): Promise<AnimateReferenceRun> {
  const refJson = join(dir, `${name}.json`);
  const out = join(dir, `${name}.f32`);
  const reportFile = join(dir, `${name}.report.json`);
  await writeFile(refJson, JSON.stringify(input));
  const r = spawnSync(exporterPython(), ['-m', 'wan_export.animate_pipeline_reference', refJson, out, reportFile], { env: exporterEnv(), encoding: 'utf8' });
  if (r.status !== 0) return { status: r.status, stderr: r.stderr, latents: null, report: null };
  const buf = await readFile(out);
  const latents = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as AnimateReferenceReport;
  return { status: r.status, stderr: r.stderr, latents, report };
}

export async function animateReferenceOk(dir: string, name: string, input: AnimateReferenceInput): Promise<{ latents: Float32Array; report: AnimateReferenceReport }> {
  const r = await runAnimateReference(dir, name, input);
  if (r.status !== 0 || !r.latents || !r.report) throw new Error(`the Animate torch reference failed (exit ${r.status}):\n${r.stderr}`);
  return { latents: r.latents, report: r.report };
}

/** Max abs difference of two equal-length arrays, and the largest magnitude in `want`. */
export function compareLatents(have: Float32Array, want: Float32Array): { maxDiff: number; scale: number } {
  if (have.length !== want.length) throw new Error(`${have.length} values against ${want.length}`);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(have[i]! - want[i]!);
    maxDiff = Number.isNaN(d) ? Infinity : Math.max(maxDiff, d);
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return { maxDiff, scale };
}
