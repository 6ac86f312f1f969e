import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * TensorFlow.js on its WebAssembly backend, offline: the bundled preview models (TF.js graph
 * models from npm) run here, inside the inference worker, on the CPU. Converting them to ONNX
 * would need a TensorFlow toolchain the build does not have, and their own runtime is fast enough
 * for previews (tens of milliseconds a frame).
 */
let ready: Promise<void> | null = null;

export function initTf(modelsDir: string): Promise<void> {
  ready ??= (async () => {
    // The .wasm files are copied beside the models by scripts/installPreviewModels.mjs.
    setWasmPaths(`${modelsDir}/`);
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return ready;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
}

/** Loads `<name>.json` + its weight files from disk (no fetch, no network). */
export async function loadLocalGraphModel(modelsDir: string, name: string): Promise<GraphModel> {
  await initTf(modelsDir);
  const json = JSON.parse(await readFile(join(modelsDir, `${name}.json`), 'utf8')) as ModelJson;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(modelsDir, p))));
  const total = Buffer.concat(buffers);
  const weightData = total.buffer.slice(total.byteOffset, total.byteOffset + total.byteLength) as ArrayBuffer;
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: specs,
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature as tf.io.ModelArtifacts['signature'],
      userDefinedMetadata: json.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
    }),
  };
  return loadGraphModel(handler);
}

export { tf };
