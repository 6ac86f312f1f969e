import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACK_FORMAT_2, s2vComponentNames, type GraphComponent2, type PackManifest2, type S2vComponentName } from '../../../../common/pack/packManifest2';
import { fixtureTokenizerJson, FIXTURE_VOCAB } from './fixtureTokenizer';
import { ditGraphs, type DitSize } from './fixtureDit';
import { graph, spec, vaeDecoder, vaeEncoder, WAN_VAE_MEAN, WAN_VAE_STD, Weights, type Built } from './fixtureGraphs';
import { withExternalWeights } from './externalWeights';
import { floatTensor, int64Tensor, node } from './onnxBuilder';

/**
 * Tiny deterministic S2V packs in format 2 (docs/model-pack.md): the exact graph interfaces of the
 * exported Wan 2.2 pack (umT5 ids [1, 512], the whole waveform, the DiT's token sequence with RoPE
 * tables and the hidden-space split for the first block cache), with a few seeded layers each and
 * their weights in external data files, as an export writes them. Their frames are not pictures;
 * they prove the plumbing (import, loading, shapes, sampling, caching, decoding) end to end.
 * `ditWidth`/`ditDepth` make the DiT heavy enough for benches where ORT time must dominate.
 */
export interface FixtureOptions {
  name?: string;
  /** The DiT's width (a multiple of 16: heads of 16) and number of rest blocks. */
  ditWidth?: number;
  ditDepth?: number;
  seed?: number;
  /**
   * The audio encoder asks ONNX Runtime for a buffer of hundreds of terabytes when it runs (sized
   * from its input, so it is not folded away at load): a real out-of-memory failure for tests.
   */
  outOfMemory?: boolean;
}

const TEXT_DIM = 32;
const AUDIO_DIM = 16;
const TEXT_LENGTH = 512;
/** wav2vec2's framing: a 400-sample window every 320 samples (50 per second at 16 kHz). */
const WINDOW = 400;
const HOP = 320;
export const LATENT2 = [1, 16, 'latent_frames', 'lh', 'lw'];

function textEncoder(w: Weights): Built {
  return graph(
    'text_encoder',
    [spec('input_ids', 'int64', [1, TEXT_LENGTH])],
    [spec('context', 'float32', [1, TEXT_LENGTH, TEXT_DIM])],
    [
      node('Gather', ['embed', 'input_ids'], ['e']),
      node('MatMul', ['e', 'W'], ['m']),
      node('Tanh', ['m'], ['t']),
      // Rows of padding (id 0) are zero, as the masked umT5 gives them.
      node('Greater', ['input_ids', 'zero'], ['real']),
      node('Cast', ['real'], ['realf'], { to: 1 }),
      node('Unsqueeze', ['realf', 'axis2'], ['mask']),
      node('Mul', ['t', 'mask'], ['context']),
    ],
    [floatTensor('embed', [FIXTURE_VOCAB, TEXT_DIM], w.take(FIXTURE_VOCAB * TEXT_DIM, 1)), floatTensor('W', [TEXT_DIM, TEXT_DIM], w.take(TEXT_DIM * TEXT_DIM, TEXT_DIM)), int64Tensor('zero', [1], [0]), int64Tensor('axis2', [1], [2])],
  );
}

/** The whole waveform in, one feature row per 320 samples out: floor((samples - 400) / 320) + 1 rows. */
function audioEncoder(w: Weights, outOfMemory: boolean): Built {
  const nodes = [
    node('Unsqueeze', ['waveform', 'axis1'], ['wave']),
    node('Conv', ['wave', 'W', 'B'], ['c'], { kernel_shape: [WINDOW], strides: [HOP] }),
    node('Transpose', ['c'], ['rows'], { perm: [0, 2, 1] }),
    node('Tanh', ['rows'], [outOfMemory ? 't' : 'audio_features']),
  ];
  const weights = [floatTensor('W', [AUDIO_DIM, 1, WINDOW], w.take(AUDIO_DIM * WINDOW, WINDOW / 16)), floatTensor('B', [AUDIO_DIM], new Float32Array(AUDIO_DIM)), int64Tensor('axis1', [1], [1])] as ReturnType<typeof floatTensor>[];
  if (outOfMemory) {
    // shape(waveform) * [2^14, 2^26] zeros, averaged and added as 0: the allocation fails at run time.
    nodes.push(
      node('Shape', ['waveform'], ['s']),
      node('Mul', ['s', 'huge'], ['big']),
      node('ConstantOfShape', ['big'], ['z']),
      node('ReduceMean', ['z'], ['zm'], { keepdims: 0 }),
      node('Add', ['t', 'zm'], ['audio_features']),
    );
    weights.push(int64Tensor('huge', [2], [2 ** 14, 2 ** 26]) as ReturnType<typeof floatTensor>);
  }
  return graph(
    'audio_encoder',
    [spec('waveform', 'float32', [1, 'samples'])],
    [spec('audio_features', 'float32', [1, 'audio_steps', AUDIO_DIM])],
    nodes,
    weights,
  );
}

/** Writes a format 2 fixture pack into `dir` (created), manifest last, and returns the manifest. */
export async function makeFixturePack(dir: string, options: FixtureOptions = {}): Promise<PackManifest2> {
  const seed = options.seed ?? 1234;
  const size: DitSize = { dim: options.ditWidth ?? 32, depth: options.ditDepth ?? 2, textDim: TEXT_DIM, audioDim: AUDIO_DIM, textLength: TEXT_LENGTH };
  if (size.dim % 16 !== 0) throw new RangeError(`ditWidth ${size.dim}: must be a multiple of 16 (heads of 16)`);
  await mkdir(dir, { recursive: true });
  const graphs: Record<S2vComponentName, Built> = {
    text_encoder: textEncoder(new Weights(seed + 1)),
    audio_encoder: audioEncoder(new Weights(seed + 2), options.outOfMemory ?? false),
    vae_encoder: vaeEncoder(new Weights(seed + 3), LATENT2),
    vae_decoder: vaeDecoder(new Weights(seed + 4), LATENT2),
    ...ditGraphs(seed, size),
  };
  const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
  const components = {} as Record<S2vComponentName, GraphComponent2>;
  for (const name of s2vComponentNames) {
    const g = graphs[name];
    const weightsFile = `${name}.weights`;
    const { onnx, weights } = withExternalWeights(g.model, weightsFile);
    await writeFile(join(dir, `${name}.onnx`), onnx);
    // A graph whose weights are all small constants (the fixture VAE) has no weights file.
    if (weights.length) await writeFile(join(dir, weightsFile), weights);
    const externalData = weights.length ? [{ file: weightsFile, sha256: sha(weights) }] : [];
    components[name] = { file: `${name}.onnx`, sha256: sha(onnx), externalData, dtype: 'float32', inputs: g.inputs, outputs: g.outputs };
  }
  const tokenizer = fixtureTokenizerJson();
  await writeFile(join(dir, 'tokenizer.json'), tokenizer);
  const heads = size.dim / 16;
  const manifest: PackManifest2 = {
    format: PACK_FORMAT_2,
    name: options.name ?? 'wan-s2v-fixture',
    version: `fixture-${seed}`,
    pipeline: 's2v',
    source: { model: 'fixture (tiny seeded graphs with the Wan 2.2 S2V interfaces)', exporter: 'wan-studio make-fixture' },
    tokenizer: { kind: 'umt5', file: 'tokenizer.json', sha256: sha(tokenizer), length: TEXT_LENGTH, padId: 0, eosId: 1, cleanup: 'wan-whitespace' },
    components,
    dit: {
      dim: size.dim,
      heads,
      layers: size.depth + 1,
      ffnDim: size.dim,
      textDim: TEXT_DIM,
      textLength: TEXT_LENGTH,
      patch: [1, 2, 2],
      ropeTheta: 10000,
      ropePairs: [4, 2, 2],
      audioInjectLayers: [0],
      motionFrames: 73,
      motionLatents: 19,
      framePackBuckets: [1, 2, 16],
      refTimeIndex: 30,
      // The fixture's blocks have no attention, so nothing in them grows with the square of the tokens.
      attention: 'multihead',
    },
    latent: { channels: 16, stride: [4, 8, 8], mean: WAN_VAE_MEAN, std: WAN_VAE_STD },
    audio: { sampleRate: 16000, featureRate: 50, videoRate: 30, fps: 16, dim: AUDIO_DIM },
    video: { sizeMultiple: 64, framesMultiple: 4 },
  };
  const tmp = join(dir, `manifest.json.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, join(dir, 'manifest.json'));
  return manifest;
}
