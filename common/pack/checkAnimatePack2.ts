import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { animateComponentNames, animateInterfaceProblems, readAnimateManifest2, type AnimateManifest2 } from './animateManifest2';
import { graphIoProblems } from './checkPack2';
import { readOnnxGraphIo } from './onnxGraphIo';

export type AnimatePack2Check = { ok: true; manifest: AnimateManifest2 } | { ok: false; kind: 'no_face_encoder' | 'invalid'; problems: string[] };

/**
 * Checks an Animate format 2 pack folder the way checkPack2 checks an S2V one, without loading
 * weights: the manifest (a pack without its face encoder is refused first, by name), the pipeline's
 * interface, each graph's presence, inputs, outputs and external files.
 */
export async function checkAnimatePack2(dir: string): Promise<AnimatePack2Check> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch (e) {
    return { ok: false, kind: 'invalid', problems: [`${join(dir, 'manifest.json')} could not be read as JSON (${(e as Error).message}). Point the studio at a model pack folder.`] };
  }
  const read = readAnimateManifest2(json);
  if (!read.ok) return { ok: false, kind: read.kind, problems: [read.message] };
  const m = read.manifest;
  const problems = animateInterfaceProblems(m);
  const faceFiles = [m.components.face_motion, m.components.face_encoder].flatMap((c) => [c.file, ...c.externalData.map((e) => e.file)]);
  const absentFace = faceFiles.filter((f) => !existsSync(join(dir, f)));
  if (absentFace.length)
    return { ok: false, kind: 'no_face_encoder', problems: [`The face encoder's ${absentFace.join(', ')} ${absentFace.length > 1 ? 'are' : 'is'} not in the pack folder ${dir}. Copy the whole pack folder again, or export it again with tools/wan-export (--app animate).`] };
  for (const name of animateComponentNames) {
    const c = m.components[name];
    try {
      problems.push(...graphIoProblems(name, c, await readOnnxGraphIo(join(dir, c.file))));
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  return problems.length ? { ok: false, kind: 'invalid', problems } : { ok: true, manifest: m };
}
