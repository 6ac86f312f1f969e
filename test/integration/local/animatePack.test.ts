import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { makeAnimateFixturePack } from '../../../main/core/engines/local/animateFixturePack';
import { interfaceProblems, packManifestSchema } from '../../../common/pack/packManifest';
import { PackSessions } from '../../../native/ort/packSessions';
import { makeTempDir } from '../../helpers/generatedMedia';

const zeros = (dims: number[]) => new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);

describe('the Animate pack interface (for later work)', () => {
  it('a fixture Animate pack fits the interface, loads in ONNX Runtime and its DiT returns a velocity', async () => {
    const dir = makeTempDir('animate-pack');
    const manifest = packManifestSchema.parse(await makeAnimateFixturePack(dir));
    expect(manifest.pipeline).toBe('animate');
    expect(interfaceProblems(manifest)).toEqual([]);
    const { tokenizer: _tokenizer, ...graphs } = manifest.components;
    const sessions = await PackSessions.open(dir, graphs, { forced: null, keepLoaded: true, checkEverySession: true });
    try {
      expect(sessions.provider.active).toBe('cpu');
      const clip = await sessions.run('clip_encoder', { image: zeros([1, 3, 224, 224]) });
      expect(clip.clip_features?.dims).toEqual([1, 256, 32]);
      const out = await sessions.run('dit', {
        latents: zeros([1, 36, 3, 4, 4]),
        timestep: new ort.Tensor('float32', Float32Array.of(999), [1]),
        context: zeros([1, 8, 32]),
        clip_features: clip.clip_features as ort.Tensor,
        pose_latents: zeros([1, 16, 2, 4, 4]),
        face_pixels: zeros([1, 3, 5, 512, 512]),
      });
      expect(out.velocity?.dims).toEqual([1, 16, 3, 4, 4]);
    } finally {
      await sessions.releaseAll();
    }
  });

  it('an S2V component in an Animate pack is named as not belonging', async () => {
    const dir = makeTempDir('animate-pack-mixed');
    const animate = await makeAnimateFixturePack(dir);
    const mixed = { ...animate, components: { ...animate.components, audio_encoder: animate.components.text_encoder, dit_first_block: animate.components.dit, dit_rest: animate.components.dit } };
    expect(interfaceProblems(packManifestSchema.parse(mixed))).toEqual(expect.arrayContaining(['audio_encoder: not a component of the animate pipeline', 'dit_first_block: not a component of the animate pipeline', 'dit_rest: not a component of the animate pipeline']));
  });
});
