import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { elemTypeName, readOnnxGraphIo, type GraphTensor, type OnnxGraphIo } from './onnxGraphIo';
import { readPackManifest2, s2vComponentNames, type GraphComponent2, type PackManifest2, type TensorSpec2 } from './packManifest2';
import { interfaceProblems2 } from './s2vInterface2';

/**
 * Differences between what the manifest declares for a component and what its ONNX graph really
 * has, each naming the component and tensor: names, element types, ranks, fixed sizes and symbolic
 * dimension names, and the set of external weight files.
 */
export function graphIoProblems(name: string, declared: GraphComponent2, io: OnnxGraphIo): string[] {
  const problems: string[] = [];
  for (const [side, want, have] of [['input', declared.inputs, io.inputs], ['output', declared.outputs, io.outputs]] as const) {
    for (const w of want) {
      const h = have.find((t) => t.name === w.name);
      if (!h) problems.push(`${name}: the graph has no ${side} "${w.name}" (it has ${have.map((t) => `"${t.name}"`).join(', ') || 'none'})`);
      else problems.push(...tensorProblems(`${name}: ${side} "${w.name}"`, w, h));
    }
    for (const h of have) if (!want.some((w) => w.name === h.name)) problems.push(`${name}: the graph has an ${side} "${h.name}" the manifest does not list`);
  }
  // Locations are relative to the graph's folder; the manifest lists them relative to the pack.
  const base = posix.dirname(declared.file.replace(/\\/g, '/'));
  const inGraph = new Set(io.externalFiles.map((f) => posix.normalize(posix.join(base, f.replace(/\\/g, '/')))));
  const listed = new Set(declared.externalData.map((e) => posix.normalize(e.file.replace(/\\/g, '/'))));
  for (const f of inGraph) if (!listed.has(f)) problems.push(`${name}: the graph's weights are in ${f}, which the manifest does not list under externalData`);
  for (const f of listed) if (!inGraph.has(f)) problems.push(`${name}: the manifest lists ${f} under externalData but the graph does not use it`);
  return problems;
}

function tensorProblems(label: string, want: TensorSpec2, have: GraphTensor): string[] {
  if (have.dtype !== want.dtype) return [`${label} is ${elemTypeName(have.elemType)} in the graph; the manifest says ${want.dtype}`];
  if (!have.shape) return [`${label} has no shape in the graph; the manifest says [${want.shape.join(', ')}]`];
  if (have.shape.length !== want.shape.length) return [`${label} has rank ${have.shape.length} in the graph; the manifest says ${want.shape.length}`];
  const out: string[] = [];
  want.shape.forEach((d, i) => {
    const g = have.shape![i];
    if (g !== d) out.push(`${label} dimension ${i} is ${g === null ? 'unnamed and free' : JSON.stringify(g)} in the graph; the manifest says ${JSON.stringify(d)}`);
  });
  return out;
}

export type Pack2Check = { ok: true; manifest: PackManifest2 } | { ok: false; problems: string[] };

/**
 * Checks a format 2 pack folder without loading weights or opening sessions: the manifest, the
 * pipeline's interface, and every graph's inputs, outputs and external files against the manifest.
 * File hashes are checked where files are copied (import), not here.
 */
export async function checkPack2(dir: string): Promise<Pack2Check> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (e) {
    return { ok: false, problems: [`${join(dir, 'manifest.json')} could not be read as JSON (${(e as Error).message}). Point the studio at a model pack folder.`] };
  }
  const read = readPackManifest2(json);
  if (!read.ok) return { ok: false, problems: [read.message] };
  const m = read.manifest;
  const problems = interfaceProblems2(m);
  for (const name of s2vComponentNames) {
    const c = m.components[name];
    try {
      problems.push(...graphIoProblems(name, c, await readOnnxGraphIo(join(dir, c.file))));
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, manifest: m };
}
