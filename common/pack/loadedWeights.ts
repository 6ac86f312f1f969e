import { wholeGigabytes } from '../units/gigabytes';
import type { GraphComponent2 } from './packManifest2';


/** How a message names a graph: what it is, then the pack's component name. */
const GRAPH_LABELS: Record<string, string> = {
  dit: 'video model',
  dit_first_block: 'video model',
  dit_rest: 'video model',
  dit_head: 'video model',
  text_encoder: 'text encoder',
  clip_encoder: 'image encoder',
  audio_encoder: 'audio encoder',
  vae_encoder: 'VAE',
  vae_decoder: 'VAE',
  face_motion: 'face encoder',
  face_encoder: 'face encoder',
};
const graphLabel = (name: string) => `${GRAPH_LABELS[name] ?? 'graph'} (${name})`;

/**
 * Bytes a graph's weights take once ONNX Runtime has loaded it. The exporter stores fp16 weights with
 * a Cast to float32 in the graph; ONNX Runtime folds that Cast when it loads the graph, so they sit in
 * memory as float32: twice their file size (measured: docs/model-pack.md, "Memory of a loaded pack").
 */
export function loadedWeightsBytes(c: GraphComponent2, fileBytes: (file: string) => number): number {
  const stored = c.externalData.reduce((n, e) => n + fileBytes(e.file), fileBytes(c.file));
  return c.dtype === 'float16' ? 2 * stored : stored;
}

/** The loaded size of a pack's largest graph and of all its graphs together. */
export interface PackWeightsNeed {
  largest: { name: string; bytes: number };
  allBytes: number;
}

export function packWeightsNeed(components: Record<string, GraphComponent2>, fileBytes: (file: string) => number): PackWeightsNeed {
  let largest = { name: '', bytes: 0 };
  let allBytes = 0;
  for (const [name, c] of Object.entries(components)) {
    const bytes = loadedWeightsBytes(c, fileBytes);
    allBytes += bytes;
    if (bytes > largest.bytes) largest = { name, bytes };
  }
  return { largest, allBytes };
}

/**
 * Why this computer cannot load the pack's graphs for a render, or null. With the graphs released
 * after each stage the largest one must fit; kept loaded, all of them together. The activations come
 * on top, so a pack that passes can still run out of memory at a large frame size.
 */
export function weightsMemoryProblem(need: PackWeightsNeed, keepLoaded: boolean, memoryBytes: number): string | null {
  const has = `this computer has ${wholeGigabytes(memoryBytes)}`;
  if (need.largest.bytes > memoryBytes) {
    return `The model pack's ${graphLabel(need.largest.name)} needs about ${wholeGigabytes(need.largest.bytes)} of memory once loaded (its weights run as float32); ${has}. Render in the cloud, or on a computer with more memory.`;
  }
  if (keepLoaded && need.allBytes > memoryBytes) {
    return `The model pack's graphs need about ${wholeGigabytes(need.allBytes)} of memory kept loaded together; ${has}. Turn on Offload models (each stage's models are released when it is done), or render in the cloud.`;
  }
  return null;
}
