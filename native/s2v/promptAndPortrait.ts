import { readFile } from 'node:fs/promises';
import type { S2vJob } from '../../common/s2v/s2vJob';
import { encodeImageLatent, encodeTextContexts, type TextContexts } from '../wan/encoders';
import { tokenizerPath, type S2vPack } from './s2vPack';

/** The prompt's context, and the negative prompt's when guidance is on; encoded once per job. */
export async function encodePrompts(pack: S2vPack, job: S2vJob): Promise<TextContexts> {
  const tokenizer = { file: tokenizerPath(pack), spec: pack.manifest.tokenizer };
  return encodeTextContexts(pack.sessions, tokenizer, job.prompt, job.guideScale > 1 ? job.negativePrompt : null);
}

/** The portrait (raw RGB24, W x H) as one latent frame [1, 16, 1, H/8, W/8]. */
export async function encodePortrait(pack: S2vPack, job: S2vJob): Promise<Float32Array> {
  return encodeImageLatent(pack.sessions, await readFile(job.refRgb), job.width, job.height);
}
