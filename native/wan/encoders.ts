import * as ort from 'onnxruntime-node';
import { fromRgb } from './rgbFrames';
import { data, f32, type Tensor } from './tensors';
import { loadUmt5Tokenizer, type Umt5TokenizerSpec } from './umt5Tokenizer';

/**
 * The graphs a shared stage runs, by name: any pack's sessions (S2V or Animate) whose components
 * include the names. `done` lets the sessions release a graph when its stage is over.
 */
export interface StageRunner<N extends string> {
  run(name: N, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  done(name: N): Promise<void>;
}

export interface TextContexts {
  context: Tensor;
  /** The negative prompt's context; null when guidance is off (no unconditional branch). */
  negContext: Tensor | null;
}

/** umT5 contexts of the prompt and, when `negative` is given (guidance on), the negative prompt; once per job. */
export async function encodeTextContexts(
  runner: StageRunner<'text_encoder'>,
  tokenizer: { file: string; spec: Umt5TokenizerSpec },
  prompt: string,
  negative: string | null,
): Promise<TextContexts> {
  const tokenize = await loadUmt5Tokenizer(tokenizer.file, tokenizer.spec, 'The model pack');
  const encode = async (text: string) => (await runner.run('text_encoder', { input_ids: new ort.Tensor('int64', tokenize(text), [1, tokenizer.spec.length]) })).context as Tensor;
  const context = await encode(prompt);
  const negContext = negative === null ? null : await encode(negative);
  await runner.done('text_encoder');
  return { context, negContext };
}

/** One RGB24 image (W x H) as one VAE latent frame [1, 16, 1, H/8, W/8]. */
export async function encodeImageLatent(runner: StageRunner<'vae_encoder'>, rgb: Buffer, W: number, H: number): Promise<Float32Array> {
  const pixels = new Float32Array(3 * H * W);
  fromRgb(rgb, 1, H * W, pixels, 1, 0);
  return data((await runner.run('vae_encoder', { pixels: f32(pixels, [1, 3, 1, H, W]) })).latents, 'reference latents');
}
