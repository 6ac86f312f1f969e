import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_ENCODER_MISSING } from '../../../common/pack/animateManifest2';
import { checkAnimatePack2 } from '../../../common/pack/checkAnimatePack2';
import { animatePack2Manifest, writeAnimatePack2 } from '../../helpers/animatePack2Fixture';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'animate-pack2-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Animate format 2 pack check', () => {
  it('a complete pack passes', async () => {
    const pack = join(dir, 'complete');
    await writeAnimatePack2(pack);
    const r = await checkAnimatePack2(pack);
    expect(r.ok ? [] : r.problems).toEqual([]);
  });

  it('a pack missing the face encoder is refused by name, before any graph is read', async () => {
    const pack = join(dir, 'no-face');
    const m = animatePack2Manifest() as unknown as { components: Record<string, unknown> };
    delete m.components.face_encoder;
    delete m.components.face_motion;
    await writeAnimatePack2(pack, m);
    expect(await checkAnimatePack2(pack)).toEqual({ ok: false, kind: 'no_face_encoder', problems: [FACE_ENCODER_MISSING] });
    expect(FACE_ENCODER_MISSING).toContain('python3 -m wan_export export --app animate');
  });

  it('a face encoder listed but absent from the folder is named, and nothing else is opened', async () => {
    const pack = join(dir, 'face-file-gone');
    await writeAnimatePack2(pack);
    await rm(join(pack, 'face_encoder.onnx'));
    await rm(join(pack, 'dit.onnx')); // would be a second problem if the check went on to the graphs
    const r = await checkAnimatePack2(pack);
    expect(r).toMatchObject({ ok: false, kind: 'no_face_encoder' });
    if (!r.ok) expect(r.problems).toEqual([`The face encoder's face_encoder.onnx is not in the pack folder ${pack}. Copy the whole pack folder again, or export it again with tools/wan-export (--app animate).`]);
    expect(await readdir(pack)).toContain('face_motion.onnx');
  });

  it('the CLIP token count is fixed at 257, and graph I/O must match the manifest', async () => {
    const pack = join(dir, 'bad-clip');
    const m = animatePack2Manifest();
    await writeAnimatePack2(pack, m);
    const wrong = animatePack2Manifest() as unknown as { dit: { clipTokens: number } };
    wrong.dit.clipTokens = 256;
    await writeAnimatePack2(join(dir, 'clip-256'), wrong);
    const r = await checkAnimatePack2(join(dir, 'clip-256'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toContain('dit.clipTokens: Wan2.2-Animate reads exactly 257 CLIP tokens');
    m.components.dit.inputs = m.components.dit.inputs.filter((t) => t.name !== 'lora_scale');
    await writeAnimatePack2(join(dir, 'no-lora-input'), m);
    const r2 = await checkAnimatePack2(join(dir, 'no-lora-input'));
    expect(r2.ok ? [] : r2.problems).toEqual(['dit: the manifest lists no input "lora_scale" (float32, rank 1)', 'dit: the graph has an input "lora_scale" the manifest does not list']);
  });
});
