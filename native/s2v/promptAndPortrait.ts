import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { S2vJob } from '../../common/s2v/s2vJob';
import { fromRgb } from './rgbFrames';
import { tokenizerPath, type S2vPack } from './s2vPack';
import { data, f32, type Tensor } from './tensors';
import { loadUmt5Tokenizer } from './umt5Tokenizer';

/** The prompt's context, and the negative prompt's when guidance is on; encoded once per job. */
export async function encodePrompts(pack: S2vPack, job: S2vJob): Promise<{ context: Tensor; negContext: Tensor | null }> {
  const t = pack.manifest.tokenizer;
  const tokenize = await loadUmt5Tokenizer(tokenizerPath(pack), t, 'The model pack');
  const encode = async (text: string) => (await pack.sessions.run('text_encoder', { input_ids: new ort.Tensor('int64', tokenize(text), [1, t.length]) })).context as Tensor;
  const context = await encode(job.prompt);
  const negContext = job.guideScale > 1 ? await encode(job.negativePrompt) : null;
  await pack.sessions.done('text_encoder');
  return { context, negContext };
}

/** The portrait (raw RGB24, W x H) as one latent frame [1, 16, 1, H/8, W/8]. */
export async function encodePortrait(pack: S2vPack, job: S2vJob): Promise<Float32Array> {
  const { width: W, height: H } = job;
  const pixels = new Float32Array(3 * H * W);
  fromRgb(await readFile(job.refRgb), 1, H * W, pixels, 1, 0);
  return data((await pack.sessions.run('vae_encoder', { pixels: f32(pixels, [1, 3, 1, H, W]) })).latents, 'reference latents');
}
