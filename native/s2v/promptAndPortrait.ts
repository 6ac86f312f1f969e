import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { PackSessions } from '../ort/packSessions';
import type { S2vJob } from '../../common/s2v/s2vJob';
import { fromRgb } from './rgbFrames';
import { data, f32, type Tensor } from './tensors';
import { tokenize } from './tokenizer';

/** The prompt's context, and the negative prompt's when guidance is on; encoded once per job. */
export async function encodePrompts(sessions: PackSessions, job: S2vJob): Promise<{ context: Tensor; negContext: Tensor | null }> {
  const L = sessions.manifest.components.tokenizer.maxLength;
  const encode = async (text: string) => (await sessions.run('text_encoder', { input_ids: new ort.Tensor('int64', tokenize(text, L), [1, L]) })).context as Tensor;
  const context = await encode(job.prompt);
  const negContext = job.guideScale > 1 ? await encode(job.negativePrompt) : null;
  await sessions.done('text_encoder');
  return { context, negContext };
}

/** The portrait (raw RGB24, W x H) as one latent frame. */
export async function encodePortrait(sessions: PackSessions, job: S2vJob): Promise<Float32Array> {
  const { width: W, height: H } = job;
  const pixels = new Float32Array(3 * H * W);
  fromRgb(await readFile(job.refRgb), 1, H * W, pixels, 1, 0);
  return data((await sessions.run('vae_encoder', { pixels: f32(pixels, [1, 3, 1, H, W]) })).latents, 'reference latents');
}
