import type { PackManifest2, S2vComponentName, TensorDtype2 } from './packManifest2';
import { s2vComponentNames } from './packManifest2';

/**
 * What the format 2 S2V pipeline feeds each graph and reads back (docs/model-pack.md, "Format 2:
 * graph interfaces"): names, element types and ranks are fixed; sizes are the pack's own.
 */
type Io = [name: string, dtype: TensorDtype2, rank: number];
export type GraphInterface = { inputs: Io[]; outputs: Io[] };
type TensorDecl = { name: string; dtype: string; shape: unknown[] };

const ditConditioning: Io[] = [
  ['timestep', 'float32', 1],
  ['context', 'float32', 3],
  ['audio', 'float32', 3],
  ['rope_cos', 'float32', 2],
  ['rope_sin', 'float32', 2],
];

export const S2V_INTERFACE_2: Record<S2vComponentName, GraphInterface> = {
  text_encoder: { inputs: [['input_ids', 'int64', 2]], outputs: [['context', 'float32', 3]] },
  audio_encoder: { inputs: [['waveform', 'float32', 2]], outputs: [['audio_features', 'float32', 3]] },
  vae_encoder: { inputs: [['pixels', 'float32', 5]], outputs: [['latents', 'float32', 5]] },
  vae_decoder: { inputs: [['latents', 'float32', 5]], outputs: [['pixels', 'float32', 5]] },
  dit_first_block: {
    inputs: [['latents', 'float32', 5], ['pose_latents', 'float32', 5], ['ref_latents', 'float32', 5], ['motion_latents', 'float32', 5], ...ditConditioning],
    outputs: [['hidden', 'float32', 3], ['first_residual', 'float32', 3]],
  },
  dit_rest: {
    inputs: [['hidden', 'float32', 3], ['latents', 'float32', 5], ...ditConditioning],
    outputs: [['velocity', 'float32', 5], ['rest_residual', 'float32', 3]],
  },
  dit_head: { inputs: [['hidden', 'float32', 3], ['latents', 'float32', 5], ['timestep', 'float32', 1]], outputs: [['velocity', 'float32', 5]] },
};

/** Differences between the manifest's declared tensors and the pipeline's needs, each naming the component and tensor. */
export function interfaceProblems2(m: PackManifest2): string[] {
  return s2vComponentNames.flatMap((name) => graphInterfaceProblems(name, S2V_INTERFACE_2[name], m.components[name]));
}

/** One component's declared tensors against what a pipeline feeds and reads (shared by the S2V and Animate checks). */
export function graphInterfaceProblems(name: string, want: GraphInterface, have: { inputs: TensorDecl[]; outputs: TensorDecl[] }): string[] {
  const problems: string[] = [];
  for (const [side, list, declared] of [['input', want.inputs, have.inputs], ['output', want.outputs, have.outputs]] as const) {
    for (const [tensor, dtype, rank] of list) {
      const d = declared.find((t) => t.name === tensor);
      if (!d) problems.push(`${name}: the manifest lists no ${side} "${tensor}" (${dtype}, rank ${rank})`);
      else if (d.dtype !== dtype || d.shape.length !== rank) problems.push(`${name}: ${side} "${tensor}" is ${d.dtype} rank ${d.shape.length}; the pipeline needs ${dtype} rank ${rank}`);
    }
    for (const d of declared) if (!list.some(([n]) => n === d.name)) problems.push(`${name}: the ${side} "${d.name}" is not one the pipeline feeds or reads`);
  }
  return problems;
}
