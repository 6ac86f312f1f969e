import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FramePreviewDto } from '../contract/animateTypes';

/**
 * A driving video's whole-video analysis, stored with the library's other derived files and keyed
 * by the video's content hash (the same video in two projects is analysed once) and by which
 * models made it (installing the official preprocess pack does not reuse the bundled models' one).
 */
export type AnalysisModel = 'bundled' | 'official';
export interface StoredAnalysis {
  version: 1;
  stepSec: number;
  model: string;
  fps: number;
  frames: FramePreviewDto[];
}

export const analysisPath = (home: string, sha256: string, model: AnalysisModel): string => join(home, 'cache', sha256.slice(0, 2), `${sha256}.animate-preview-${model}.json`);

function valid(parsed: unknown): StoredAnalysis | null {
  const a = parsed as Partial<StoredAnalysis> | null;
  return a && a.version === 1 && typeof a.stepSec === 'number' && Array.isArray(a.frames) && a.frames.length > 0 ? (a as StoredAnalysis) : null;
}

export async function readAnalysis(home: string, sha256: string, model: AnalysisModel): Promise<StoredAnalysis | null> {
  try {
    return valid(JSON.parse(await readFile(analysisPath(home, sha256, model), 'utf8')));
  } catch {
    return null; // none yet, or unreadable: it is analysed again
  }
}

/** For the render plan (synchronous): the stored analysis, if there is one (the official models' first). */
export function readAnalysisSync(home: string, sha256: string): StoredAnalysis | null {
  for (const model of ['official', 'bundled'] as const) {
    const path = analysisPath(home, sha256, model);
    if (!existsSync(path)) continue;
    try {
      const a = valid(JSON.parse(readFileSync(path, 'utf8')));
      if (a) return a;
    } catch {
      // unreadable: as if absent
    }
  }
  return null;
}

/** Temp file + rename: a crash mid-write never leaves half an analysis. */
export async function writeAnalysis(home: string, sha256: string, model: AnalysisModel, analysis: StoredAnalysis): Promise<void> {
  const target = analysisPath(home, sha256, model);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(`${target}.tmp`, JSON.stringify(analysis));
  await rename(`${target}.tmp`, target);
}

/**
 * Replacement needs a person to replace. When the whole video was analysed and no analysed frame
 * inside the trim has anyone in it, returns the problem to show before the render starts.
 */
export function noPersonProblem(home: string, video: { name: string; sha256: string }, inSec: number, outSec: number): string | null {
  const analysis = readAnalysisSync(home, video.sha256);
  if (!analysis) return null;
  const inside = analysis.frames.filter((f) => f.atSec >= inSec - analysis.stepSec / 2 && f.atSec <= outSec + analysis.stepSec / 2);
  if (inside.length === 0 || inside.some((f) => f.people.length > 0)) return null;
  return `Driving video: no person found in ${video.name} between ${inSec.toFixed(2)} s and ${outSec.toFixed(2)} s. Replacement puts your character in place of a person: pick a video or a part of it with a person in view.`;
}
