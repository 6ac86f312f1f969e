import type { S2vComponentName } from '../../../../common/pack/packManifest2';
import { graph, scalar, spec, Weights, type Built } from './fixtureGraphs';
import { floatTensor, int64Tensor, node, type Dim } from './onnxBuilder';

/**
 * The fixture DiT in format 2's split (docs/model-pack.md, "Format 2: graph interfaces"): the
 * token sequence is built as the real model builds it (noisy latents + pose patchified 1x2x2, the
 * reference, the FramePack motion tokens 1x2x2 / 2x4x4 / 4x8x8 of which the graph keeps the first
 * seq - n - r, so clip 0 drops them by its RoPE table), block 0 is one conditioned residual layer
 * that also reads the RoPE tables, the rest `depth` residual MLPs, and the head turns the noisy
 * tokens back into a velocity. `dit_rest` and `dit_head` share the head's weights, so a cache hit
 * `dit_head(h0 + R)` equals what `dit_rest` would have returned.
 */
export interface DitSize {
  dim: number;
  depth: number;
  textDim: number;
  audioDim: number;
  textLength: number;
}

type Node = ReturnType<typeof node>;
type Init = ReturnType<typeof floatTensor>;
const LAT: Dim[] = [1, 16, 'latent_frames', 'lh', 'lw'];
const PAIRS = 8;

/** [1, D, ...] patches to [1, tokens, D]. */
const tokens = (x: string, out: string): Node[] => [node('Reshape', [x, 'flat3'], [`${out}_f`]), node('Transpose', [`${out}_f`], [out], { perm: [0, 2, 1] })];
const patchify = (x: string, out: string, w: string, k: number[]): Node[] => [node('Conv', [x, w, `${w}_b`], [`${out}_5`], { kernel_shape: k, strides: k }), ...tokens(`${out}_5`, out)];
const patchWeights = (w: Weights, name: string, D: number, k: number[]): Init[] => {
  const fan = 16 * k.reduce((a, b) => a * b, 1);
  return [floatTensor(name, [D, 16, ...k], w.take(D * fan, fan)), floatTensor(`${name}_b`, [D], new Float32Array(D))];
};
const sliceTime = (x: string, from: number, to: number, out: string): Node => node('Slice', [x, `t${from}`, `t${to}`, 'axis2'], [out]);

/** A scalar [1] from the timestep, the mean context and the mean audio: how the fixture is conditioned. */
const conditioning = (out: string): Node[] => [
  node('Div', ['timestep', 'k1000'], ['tn']),
  node('ReduceMean', ['context'], ['ctx'], { axes: [1, 2], keepdims: 0 }),
  node('ReduceMean', ['audio'], ['aud'], { axes: [1, 2], keepdims: 0 }),
  node('Add', ['tn', 'ctx'], ['g0']),
  node('Add', ['g0', 'aud'], ['g1']),
  node('Mul', ['g1', 'k05'], [out]),
];

function firstBlock(w: Weights, s: DitSize): Built {
  const D = s.dim;
  const nodes: Node[] = [
    node('Add', ['latents', 'pose_latents'], ['noisy']),
    ...patchify('noisy', 'xn', 'Wp', [1, 2, 2]),
    ...patchify('ref_latents', 'xr', 'Wr', [1, 2, 2]),
    sliceTime('motion_latents', 18, 19, 'm1'),
    sliceTime('motion_latents', 16, 18, 'm2'),
    sliceTime('motion_latents', 0, 16, 'm4'),
    ...patchify('m1', 'xm1', 'Wm1', [1, 2, 2]),
    ...patchify('m2', 'xm2', 'Wm2', [2, 4, 4]),
    ...patchify('m4', 'xm4', 'Wm4', [4, 8, 8]),
    node('Concat', ['xm1', 'xm2', 'xm4'], ['xm'], { axis: 1 }),
    // Keep the first seq - n - r motion tokens: all of them, or none on a clip that drops them.
    node('Shape', ['rope_cos'], ['rs']),
    node('Gather', ['rs', 'i0'], ['seq']),
    node('Shape', ['xn'], ['ns']),
    node('Gather', ['ns', 'i1'], ['n']),
    node('Shape', ['xr'], ['rsh']),
    node('Gather', ['rsh', 'i1'], ['r']),
    node('Sub', ['seq', 'n'], ['k0']),
    node('Sub', ['k0', 'r'], ['keep']),
    node('Slice', ['xm', 'i0', 'keep', 'i1'], ['xmk']),
    node('Concat', ['xn', 'xr', 'xmk'], ['x'], { axis: 1 }),
    node('Concat', ['rope_cos', 'rope_sin'], ['rope'], { axis: 1 }),
    node('MatMul', ['rope', 'Wrope'], ['rp']),
    ...conditioning('g'),
    node('MatMul', ['x', 'W1'], ['a']),
    node('Add', ['a', 'rp'], ['b']),
    node('Add', ['b', 'g'], ['pre']),
    node('Tanh', ['pre'], ['first_residual']),
    node('Add', ['x', 'first_residual'], ['hidden']),
  ];
  const init: Init[] = [
    ...patchWeights(w, 'Wp', D, [1, 2, 2]),
    ...patchWeights(w, 'Wr', D, [1, 2, 2]),
    ...patchWeights(w, 'Wm1', D, [1, 2, 2]),
    ...patchWeights(w, 'Wm2', D, [2, 4, 4]),
    ...patchWeights(w, 'Wm4', D, [4, 8, 8]),
    floatTensor('Wrope', [2 * PAIRS, D], w.take(2 * PAIRS * D, 2 * PAIRS)),
    floatTensor('W1', [D, D], w.take(D * D, D)),
    scalar('k1000', 1000),
    scalar('k05', 0.5),
    ...[0, 16, 18, 19].map((t) => int64Tensor(`t${t}`, [1], [t])),
    int64Tensor('axis2', [1], [2]),
    int64Tensor('i0', [1], [0]),
    int64Tensor('i1', [1], [1]),
    int64Tensor('flat3', [3], [1, D, -1]),
  ] as Init[];
  return graph(
    'dit_first_block',
    [spec('latents', 'float32', LAT), spec('pose_latents', 'float32', LAT), spec('ref_latents', 'float32', [1, 16, 1, 'lh', 'lw']), spec('motion_latents', 'float32', [1, 16, 19, 'lh', 'lw']), ...conditioningSpecs(s)],
    [spec('hidden', 'float32', [1, 'seq', D]), spec('first_residual', 'float32', [1, 'seq', D])],
    nodes,
    init,
  );
}

const conditioningSpecs = (s: DitSize) => [
  spec('timestep', 'float32', [1]),
  spec('context', 'float32', [1, s.textLength, s.textDim]),
  spec('audio', 'float32', [1, 'audio_frames', s.audioDim]),
  spec('rope_cos', 'float32', ['seq', PAIRS]),
  spec('rope_sin', 'float32', ['seq', PAIRS]),
];

/** The head: the first n = T * lh/2 * lw/2 tokens to a [1, 16, T, lh, lw] velocity (plus a little of the latents and the timestep). */
function headNodes(input: string): Node[] {
  return [
    node('Shape', ['latents'], ['ls']),
    node('Slice', ['ls', 'i2', 'i5', 'i0'], ['thw']),
    node('Div', ['thw', 'k122'], ['grid']),
    node('Gather', ['grid', 'i0'], ['gt']),
    node('Gather', ['grid', 'i1'], ['gh']),
    node('Gather', ['grid', 'i2'], ['gw']),
    node('Mul', ['gt', 'gh'], ['gth']),
    node('Mul', ['gth', 'gw'], ['ntok']),
    node('Slice', [input, 'i0', 'ntok', 'i1'], ['noisy_tokens']),
    node('MatMul', ['noisy_tokens', 'Wv'], ['v16']),
    node('Transpose', ['v16'], ['vt'], { perm: [0, 2, 1] }),
    node('Concat', ['k1_16', 'grid'], ['vshape'], { axis: 0 }),
    node('Reshape', ['vt', 'vshape'], ['v5']),
    node('Resize', ['v5', '', 'up'], ['vup'], { mode: 'nearest' }),
    node('Mul', ['latents', 'kv'], ['lv']),
    node('Div', ['timestep', 'k1000h'], ['th']),
    node('Add', ['vup', 'lv'], ['va']),
    node('Add', ['va', 'th'], ['velocity']),
  ];
}

function headInit(seed: number, D: number): Init[] {
  const w = new Weights(seed);
  return [
    floatTensor('Wv', [D, 16], w.take(D * 16, D)),
    floatTensor('up', [5], Float32Array.of(1, 1, 1, 2, 2)),
    scalar('kv', 0.1),
    scalar('k1000h', 100000),
    ...[0, 1, 2, 5].map((i) => int64Tensor(`i${i}`, [1], [i])),
    int64Tensor('k122', [3], [1, 2, 2]),
    int64Tensor('k1_16', [2], [1, 16]),
  ] as Init[];
}

function rest(w: Weights, s: DitSize, headSeed: number): Built {
  const D = s.dim;
  const nodes: Node[] = [...conditioning('g')];
  const init: Init[] = [scalar('k1000', 1000), scalar('k05', 0.5)];
  let y = 'hidden';
  for (let d = 0; d < s.depth; d++) {
    nodes.push(
      node('MatMul', [y, `Wa${d}`], [`a${d}`]),
      node('Add', [`a${d}`, 'g'], [`ag${d}`]),
      node('Tanh', [`ag${d}`], [`t${d}`]),
      node('MatMul', [`t${d}`, `Wb${d}`], [`b${d}`]),
      node('Add', [y, `b${d}`], [`y${d}`]),
    );
    init.push(floatTensor(`Wa${d}`, [D, D], w.take(D * D, D)), floatTensor(`Wb${d}`, [D, D], w.take(D * D, D * 4)));
    y = `y${d}`;
  }
  nodes.push(node('Sub', [y, 'hidden'], ['rest_residual']), ...headNodes(y));
  return graph(
    'dit_rest',
    [spec('hidden', 'float32', [1, 'seq', D]), spec('latents', 'float32', LAT), ...conditioningSpecs(s)],
    [spec('velocity', 'float32', LAT), spec('rest_residual', 'float32', [1, 'seq', D])],
    nodes,
    [...init, ...headInit(headSeed, D)],
  );
}

function head(s: DitSize, headSeed: number): Built {
  return graph(
    'dit_head',
    [spec('hidden', 'float32', [1, 'seq', s.dim]), spec('latents', 'float32', LAT), spec('timestep', 'float32', [1])],
    [spec('velocity', 'float32', LAT)],
    headNodes('hidden'),
    headInit(headSeed, s.dim),
  );
}

export function ditGraphs(seed: number, s: DitSize): Record<Extract<S2vComponentName, 'dit_first_block' | 'dit_rest' | 'dit_head'>, Built> {
  return { dit_first_block: firstBlock(new Weights(seed + 10), s), dit_rest: rest(new Weights(seed + 11), s, seed + 12), dit_head: head(s, seed + 12) };
}
