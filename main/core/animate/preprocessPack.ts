import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BUNDLED_MODEL, OFFICIAL_MODEL } from '../../../common/animate/detection';
import { readOnnxGraphIo, type GraphDim } from '../../../common/pack/onnxGraphIo';
import { StudioError } from '../contract/errors';
import type { PreprocessStatus } from '../contract/enginesTypes';

/**
 * The official preprocessing models (Wan2.2-Animate-14B's process_checkpoint folder) as a
 * "preprocess pack": installed into <library>/preprocess, where previews pick them up instead
 * of the bundled models. Each graph is checked by its interface (read from the protobuf, weights
 * not read) before anything is copied, so a wrong file is named instead of failing a preview.
 */
interface PreprocessGraph {
  path: string;
  label: string;
  /** [batch, channels, height, width] the graph must take (null: any, e.g. a symbolic batch). */
  input: (number | null)[];
  /** The output layouts the official post-processing reads. */
  outputFits: (dims: GraphDim[]) => boolean;
  outputText: string;
}

export const PREPROCESS_GRAPHS: readonly PreprocessGraph[] = [
  { path: 'det/yolov10m.onnx', label: 'YOLOv10m person detector', input: [1, 3, 640, 640], outputFits: (d) => d.length === 3 && (d[2] === 6 || d[1] === 84), outputText: '[1, N, 6] or [1, 84, N]' },
  { path: 'pose2d/vitpose_h_wholebody.onnx', label: 'ViTPose-H wholebody pose model', input: [null, 3, 256, 192], outputFits: (d) => d.length === 4 && d[1] === 133 && d[2] === 64 && d[3] === 48, outputText: '[N, 133, 64, 48]' },
];

export const preprocessDir = (home: string): string => join(home, 'preprocess');

/** A folder that looks like a preprocess pack (the official layout), as opposed to a model pack. */
export const looksLikePreprocessPack = (dir: string): boolean => !existsSync(join(dir, 'manifest.json')) && PREPROCESS_GRAPHS.some((g) => existsSync(join(dir, g.path)));

const dimsText = (dims: GraphDim[] | null) => (dims ? `[${dims.map((d) => d ?? '?').join(', ')}]` : 'no shape');
const fitsInput = (want: (number | null)[], got: GraphDim[] | null) => !!got && got.length === want.length && want.every((w, i) => w === null || got[i] === w || typeof got[i] === 'string');

/** Every problem with the folder's graphs, each naming the file; plus the files to copy (graphs and their external data). */
async function checkFolder(dir: string): Promise<{ problems: string[]; files: string[] }> {
  const problems: string[] = [];
  const files: string[] = [];
  for (const g of PREPROCESS_GRAPHS) {
    const file = join(dir, g.path);
    if (!existsSync(file)) {
      problems.push(`${g.path} (the ${g.label}) is missing`);
      continue;
    }
    try {
      const io = await readOnnxGraphIo(file);
      const input = io.inputs[0]?.shape ?? null;
      const output = io.outputs[0]?.shape ?? null;
      if (!fitsInput(g.input, input)) problems.push(`${g.path} takes ${dimsText(input)}; the ${g.label} takes ${dimsText(g.input)}`);
      if (!output || !g.outputFits(output)) problems.push(`${g.path} gives ${dimsText(output)}; the ${g.label} gives ${g.outputText}`);
      files.push(g.path, ...io.externalFiles.map((f) => join(dirname(g.path), f)));
    } catch (e) {
      problems.push(`${g.path} is not a readable ONNX model (${(e as Error).message})`);
    }
  }
  return { problems, files };
}

/** Checks, then copies into a temp folder and renames it into place: a failed install leaves the old one. */
export async function installPreprocessPack(home: string, source: string): Promise<PreprocessStatus> {
  if (!existsSync(source)) throw new StudioError('not_found', `Preprocess pack: the folder ${source} does not exist. Name the process_checkpoint folder of Wan2.2-Animate-14B.`);
  const { problems, files } = await checkFolder(source);
  if (problems.length > 0) {
    throw new StudioError('invalid_input', `Preprocess pack: ${source} is not the official preprocessing folder: ${problems.join('; ')}. Nothing was installed. Use the process_checkpoint folder of Wan2.2-Animate-14B (det/ and pose2d/).`);
  }
  const target = preprocessDir(home);
  const tmp = join(home, `.preprocess-${randomBytes(6).toString('hex')}`);
  const old = join(home, `.preprocess-old-${randomBytes(6).toString('hex')}`);
  try {
    for (const f of files) {
      await mkdir(dirname(join(tmp, f)), { recursive: true });
      await copyFile(join(source, f), join(tmp, f));
    }
    if (existsSync(target)) await rename(target, old);
    await rename(tmp, target);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
  return preprocessStatus(home);
}

export async function removePreprocessPack(home: string): Promise<PreprocessStatus> {
  await rm(preprocessDir(home), { recursive: true, force: true });
  return preprocessStatus(home);
}

/** Whether the pack is installed, its files, and which models the previews come from because of it. */
export async function preprocessStatus(home: string): Promise<PreprocessStatus> {
  const dir = preprocessDir(home);
  const present = PREPROCESS_GRAPHS.every((g) => existsSync(join(dir, g.path)));
  const files = present ? await Promise.all(PREPROCESS_GRAPHS.map(async (g) => ({ path: g.path, label: g.label, sizeBytes: (await stat(join(dir, g.path))).size }))) : [];
  return { installed: present, dir: present ? dir : null, files, previews: present ? OFFICIAL_MODEL : BUNDLED_MODEL };
}
