import { existsSync } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PickPoint } from '../../../../common/animate/personPick';
import type { AnimateParams } from '../../contract/params/index';
import type { PreparedAnimate } from './animatePrep';

/**
 * A paused or interrupted local Animate render resumes from its checkpoints; its prepared sequences
 * are kept beside them and reused when nothing they were made from has changed (the inputs' sizes,
 * the settings the preparation reads, the person pick, the pack's face size), so a resume does not
 * analyse the whole driving video again.
 */
const VERSION = 1;

export interface PrepKeyInput {
  video: string;
  image: string;
  params: AnimateParams;
  person: PickPoint | null;
  faceSize: number;
}

export async function prepKey(i: PrepKeyInput): Promise<string> {
  const p = i.params;
  return JSON.stringify({
    version: VERSION,
    video: (await stat(i.video)).size,
    image: (await stat(i.image)).size,
    settings: [p.mode, p.resolution_width, p.resolution_height, p.fps, p.retarget_flag, p.clip_len, p.refert_num, p.mask_iterations, p.mask_kernel_size, p.mask_w_subdivisions, p.mask_h_subdivisions],
    person: i.person ? [i.person.x, i.person.y] : null,
    faceSize: i.faceSize,
  });
}

const recordPath = (workDir: string) => join(workDir, 'animate', 'prepared.json');

/** The earlier preparation of this job, when it was made from the same things and its files are all there. */
export async function readPrepared(workDir: string, key: string): Promise<PreparedAnimate | null> {
  try {
    const record = JSON.parse(await readFile(recordPath(workDir), 'utf8')) as { key: string; prepared: PreparedAnimate };
    const p = record.prepared;
    const files = [p.refRgb, p.poseRgb, p.faceRgb, p.backgroundRgb, p.maskGray].filter((f): f is string => f !== null);
    return record.key === key && files.every((f) => existsSync(f)) ? p : null;
  } catch {
    return null; // none yet, or unreadable: prepared again
  }
}

/** Written after every sequence is complete (temp file + rename). */
export async function writePrepared(workDir: string, key: string, prepared: PreparedAnimate): Promise<void> {
  const path = recordPath(workDir);
  await writeFile(`${path}.tmp`, JSON.stringify({ key, prepared }));
  await rename(`${path}.tmp`, path);
}
