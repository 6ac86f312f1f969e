import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnimateManifest2 } from '../../../common/pack/animateManifest2';
import { checkAnimatePack2 } from '../../../common/pack/checkAnimatePack2';
import { graphIoProblems } from '../../../common/pack/checkPack2';
import { readOnnxGraphIo } from '../../../common/pack/onnxGraphIo';
import { ditAttentionBytes } from '../../../common/animate/attentionMemory';
import { runAnimateDitMeasured } from '../../helpers/animateDitRun';
import { compareCase, exportOnSmallDisk, exporterEnv, exporterPython, readReference, runExporter, runExporterOk, type ReferenceCase } from '../../helpers/wanExport';

/**
 * The Animate pack, proved without weights: a random-weight checkpoint in the official
 * Wan2.2-Animate-14B layout at a tiny config is exported into a whole format 2 pack (umT5, tokenizer
 * and VAE through the S2V export path, the four Animate graphs, manifest.json), the pack passes the
 * studio's check, and each Animate graph's output in onnxruntime-node is compared with our torch
 * module's on inputs of other sizes than traced (the DiT with the relighting LoRA off and on).
 */
/**
 * fp16 storage keeps every weight the checkpoint holds in bf16 or fp16 exactly (the DiT, the face
 * encoder, the LoRA, CLIP: those graphs stay within the fp32 bound, 1e-4). Tensors the export computes
 * or folds round to fp16's 11 significant bits (relative 4.9e-4): the motion encoder's equalised
 * weights (weight / sqrt(fan_in), folded) and its QR directions (measured 8e-4 on outputs up to 1.9).
 * Hence 1e-4 or 1e-3 of the output's magnitude, whichever is larger; the official pipeline runs all of
 * these in bf16 (8 bits).
 */
const fp16Tolerance = (scale: number) => Math.max(1e-4, 1e-3 * scale);

let dir: string;
let ckpt: string;
let pack: string;
let pack16: string;
let cases: Record<string, ReferenceCase>;

beforeAll(async () => {
  exporterPython();
  dir = await mkdtemp(join(tmpdir(), 'wan-export-animate-'));
  ckpt = join(dir, 'ckpt');
  pack = join(dir, 'pack');
  runExporterOk(['tiny', '--app', 'animate', '--out', ckpt]);
  runExporterOk(['export', '--app', 'animate', '--checkpoint', ckpt, '--out', pack, '--weights', 'float32']);
  pack16 = join(dir, 'pack16');
  runExporterOk(['export', '--app', 'animate', '--checkpoint', ckpt, '--out', pack16]);
  runExporterOk(['reference', '--app', 'animate', '--checkpoint', ckpt, '--out', join(dir, 'ref')]);
  cases = await readReference(join(dir, 'ref'));
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Animate graphs compute what our torch modules compute', () => {
  it('clip_encoder, face_motion, face_encoder and the DiT (LoRA off and on): max abs diff within 1e-4', async () => {
    expect(Object.keys(cases).sort()).toEqual(['clip_encoder@40x72', 'dit@4x6x4x0', 'dit@4x6x4x1', 'face_encoder@13', 'face_motion@3']);
    for (const [name, c] of Object.entries(cases)) {
      const diffs = await compareCase(pack, join(dir, 'ref'), c);
      for (const [out, d] of Object.entries(diffs)) {
        console.log(`${name} ${out}: max abs diff ${d.maxDiff.toExponential(2)} (values up to ${d.scale.toFixed(3)})`);
        expect(d.scale, `${name} ${out} is all zeros: the comparison would prove nothing`).toBeGreaterThan(0.01);
        expect(d.maxDiff, `${name} ${out}`).toBeLessThanOrEqual(1e-4);
      }
    }
  }, 300_000);

  it('fp16 weights (the default, the pack users get): every Animate graph within max(1e-4, 1e-3 x output magnitude) of torch, inputs and outputs float32', async () => {
    const m = (await checkAnimatePack2(pack16)) as { ok: true; manifest: AnimateManifest2 };
    expect(m.ok).toBe(true);
    expect(m.manifest.version).toBe('2025.09-fp16');
    const dtypes = Object.fromEntries(Object.entries(m.manifest.components).map(([n, c]) => [n, c.dtype]));
    expect(dtypes).toEqual({ text_encoder: 'float16', vae_encoder: 'float32', vae_decoder: 'float32', clip_encoder: 'float16', face_motion: 'float16', face_encoder: 'float16', dit: 'float16' });
    for (const [name, c] of Object.entries(cases)) {
      for (const [out, d] of Object.entries(await compareCase(pack16, join(dir, 'ref'), c))) {
        console.log(`fp16 ${name} ${out}: max abs diff ${d.maxDiff.toExponential(2)} (values up to ${d.scale.toFixed(3)})`);
        expect(d.maxDiff, `${name} ${out}`).toBeLessThanOrEqual(fp16Tolerance(d.scale));
      }
    }
  }, 300_000);

  it('the DiT is stitched from one block template per block and one face adapter template per 5 blocks (never the whole model in memory)', () => {
    const script = 'import sys, onnx; m = onnx.load(sys.argv[1], load_external_data=False); print(" ".join(sorted({n.name.split("/")[0] for n in m.graph.node if "/" in n.name})))';
    const r = spawnSync(exporterPython(), ['-c', script, join(pack, 'dit.onnx')], { env: exporterEnv(), encoding: 'utf8' });
    expect(r.stdout.trim().split(' ')).toEqual(['block0', 'block1', 'block2', 'block3', 'block4', 'block5', 'block6', 'block7', 'block8', 'block9', 'face0', 'face1', 'head', 'prologue']);
  });

  it("attention is one MultiHeadAttention node (no Softmax left): a clip of 77 frames at 576x432, whose MatMul attention alone would hold 6.2 GiB, runs the DiT in under 1 GiB", async () => {
    const script = 'import sys, onnx; m = onnx.load(sys.argv[1], load_external_data=False); print(" ".join(n.op_type for n in m.graph.node))';
    const ops = spawnSync(exporterPython(), ['-c', script, join(pack16, 'dit.onnx')], { env: exporterEnv(), encoding: 'utf8' }).stdout.trim().split(' ');
    // Per block: self-attention and the two cross-attentions (CLIP, text); per face adapter: one.
    expect(ops.filter((o) => o === 'MultiHeadAttention')).toHaveLength(10 * 3 + 2);
    expect(ops).not.toContain('Softmax');

    const m = JSON.parse(await readFile(join(pack16, 'manifest.json'), 'utf8')) as AnimateManifest2;
    expect(m.dit.attention).toBe('multihead');
    const size = { width: 576, height: 432, clipLen: 77 };
    expect(ditAttentionBytes(size, { heads: m.dit.heads, attention: 'matmul' }) / 2 ** 30).toBeGreaterThan(6);
    const run = await runAnimateDitMeasured(join(pack16, 'dit.onnx'), { ...m.dit, faceTokens: m.face.tokens }, { frames: 20, lh: 432 / 8, lw: 576 / 8 });
    console.log(`DiT call at 576x432, ${run.tokens} tokens: peak RSS ${(run.peakBytes / 2 ** 20).toFixed(0)} MiB, ${(run.ms / 1000).toFixed(1)} s`);
    expect(run.tokens).toBe(21 * 27 * 36);
    expect(run.finite).toBe(true);
    expect(run.peakBytes).toBeLessThan(2 ** 30);
  }, 300_000);

  it('the relighting LoRA changes the DiT output (its adapters are wired in)', async () => {
    const off = await readFile(join(dir, 'ref', cases['dit@4x6x4x0']!.outputs.velocity!.file));
    const on = await readFile(join(dir, 'ref', cases['dit@4x6x4x1']!.outputs.velocity!.file));
    expect(off.equals(on)).toBe(false);
  });
});

describe('the exported Animate pack', () => {
  it('is a complete format 2 pack that passes checkAnimatePack2 (no animate-report.json left)', async () => {
    const check = await checkAnimatePack2(pack);
    expect(check).toMatchObject({ ok: true });
    if (!check.ok) return;
    const m = check.manifest;
    expect(m.pipeline).toBe('animate');
    expect(m.name).toBe('wan2.2-animate-14b');
    expect(m.version).toBe('2025.09-fp32');
    expect(Object.keys(m.components)).toEqual(['text_encoder', 'vae_encoder', 'vae_decoder', 'clip_encoder', 'face_motion', 'face_encoder', 'dit']);
    expect(m.dit).toEqual({ dim: 32, heads: 2, layers: 10, textDim: 32, textLength: 512, clipTokens: 257, clipDim: 32, faceAdapterEvery: 5, ropeTheta: 10000, ropePairs: [4, 2, 2], loraRank: 4, attention: 'multihead' });
    expect(m.face).toEqual({ size: 32, motionDim: 32, tokens: 5 });
    expect(m.video).toEqual({ sizeMultiple: 16, framesMultiple: 4 });
    expect(m.source.model).toBe('Wan2.2-Animate layout, DiT dim 32 x 10 layers (not the release)');
    expect(m.tokenizer).toMatchObject({ kind: 'umt5', file: 'tokenizer.json', length: 512, padId: 0, eosId: 1 });
    await expect(readFile(join(pack, 'animate-report.json'))).rejects.toThrow();
  });
});

describe('the Animate graphs have the interface the pipeline reads', () => {
  it('257 CLIP tokens, face tokens per latent frame, a 36-channel DiT with a lora_scale input; weights external and hashed', async () => {
    const c = (JSON.parse(await readFile(join(pack, 'manifest.json'), 'utf8')) as AnimateManifest2).components;
    for (const [name, entry] of Object.entries(c)) {
      const io = await readOnnxGraphIo(join(pack, entry.file));
      expect(graphIoProblems(name, entry, io)).toEqual([]);
      expect(io.externalFiles).toEqual([`${name}.weights`]);
    }
    expect(c.clip_encoder.inputs).toEqual([{ name: 'reference', dtype: 'float32', shape: [1, 3, 'height', 'width'] }]);
    expect(c.clip_encoder.outputs).toEqual([{ name: 'clip_features', dtype: 'float32', shape: [1, 257, 32] }]);
    expect(c.face_motion.inputs).toEqual([{ name: 'face_pixels', dtype: 'float32', shape: ['faces', 3, 32, 32] }]);
    expect(c.face_encoder.outputs).toEqual([{ name: 'face_tokens', dtype: 'float32', shape: [1, 'latent_frames', 5, 32] }]);
    expect(c.dit.inputs.map((t) => t.name)).toEqual(['latents', 'y', 'pose_latents', 'timestep', 'context', 'clip_features', 'face_tokens', 'rope_cos', 'rope_sin', 'lora_scale']);
    expect(c.dit.inputs.find((t) => t.name === 'y')!.shape).toEqual([1, 20, 'latent_frames', 'lh', 'lw']);
  });

  it('a relighting_lora.ckpt whose keys do not fit the DiT is named, not silently dropped', async () => {
    const other = join(dir, 'other-lora');
    await cp(ckpt, other, { recursive: true });
    const lora = join(other, 'relighting_lora.ckpt');
    const rewrite = 'import sys, torch; s = torch.load(sys.argv[1])["state_dict"]; torch.save({"state_dict": {"diffusion_model." + k: v for k, v in s.items()}}, sys.argv[1])';
    expect(spawnSync(exporterPython(), ['-c', rewrite, lora], { env: exporterEnv() }).status).toBe(0);
    const r = runExporter(['export', '--app', 'animate', '--checkpoint', other, '--out', join(dir, 'nowhere')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${lora} does not fit the DiT's block Linears (keys the DiT lacks: diffusion_model.blocks.0.`);
    expect(r.stderr).toContain('Use the relighting_lora.ckpt of the same release.');
  });

  it('a checkpoint without relighting_lora.ckpt gives a pack with zero adapters (loraRank 0) that still takes lora_scale', async () => {
    const noLora = join(dir, 'no-lora');
    await cp(ckpt, noLora, { recursive: true });
    await rm(join(noLora, 'relighting_lora.ckpt'));
    const out = join(dir, 'no-lora-pack');
    runExporterOk(['export', '--app', 'animate', '--checkpoint', noLora, '--out', out, '--weights', 'float32']);
    const check = await checkAnimatePack2(out);
    expect(check.ok && check.manifest.dit.loraRank).toBe(0);
    runExporterOk(['reference', '--app', 'animate', '--checkpoint', noLora, '--out', join(dir, 'no-lora-ref')]);
    const ref = await readReference(join(dir, 'no-lora-ref'));
    const off = await readFile(join(dir, 'no-lora-ref', ref['dit@4x6x4x0']!.outputs.velocity!.file));
    const on = await readFile(join(dir, 'no-lora-ref', ref['dit@4x6x4x1']!.outputs.velocity!.file));
    expect(on.equals(off)).toBe(true);
    for (const name of ['dit@4x6x4x0', 'dit@4x6x4x1']) {
      const d = (await compareCase(out, join(dir, 'no-lora-ref'), ref[name]!)).velocity!;
      expect(d.maxDiff, name).toBeLessThanOrEqual(1e-4);
    }
  }, 300_000);

  it('no disk space is found before anything is written', () => {
    const r = exportOnSmallDisk(dir, ['export', '--app', 'animate', '--checkpoint', '"$3"', '--out', '"$1/pack"'], ckpt);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Not enough disk space for the pack in .*small-disk\/pack: it needs about 0\.\d GB, 0\.0 GB are free\. Free some space or choose another --out\./);
    expect(r.stdout.trim()).toBe('exit=2'); // not even the pack folder was made
  });

  it('a relighting_lora.ckpt whose pickle names code is refused as a damaged download, and the code never runs', async () => {
    const evil = join(dir, 'evil-ckpt');
    await cp(ckpt, evil, { recursive: true });
    const marker = join(dir, 'pickle-ran');
    const write = [
      'import os, sys, torch',
      'class Payload:',
      '    def __reduce__(self): return (os.system, ("touch " + sys.argv[2],))',
      'torch.save({"state_dict": Payload()}, sys.argv[1])',
    ].join('\n');
    const made = spawnSync(exporterPython(), ['-c', write, join(evil, 'relighting_lora.ckpt'), marker], { env: exporterEnv(), encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const r = runExporter(['export', '--app', 'animate', '--checkpoint', evil, '--out', join(dir, 'evil-pack')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/relighting_lora\.ckpt could not be read as a torch checkpoint \(unexpected object posix\.system in a state dict\)\. Download it again\./);
    expect(existsSync(marker)).toBe(false);
  });

  it('a folder that is not the Animate layout is named with what is missing', () => {
    const r = runExporter(['export', '--app', 'animate', '--checkpoint', join(dir, 'ref'), '--out', join(dir, 'nowhere')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not the official Wan2.2-Animate-14B layout: Wan2.1_VAE.pth, config.json, diffusion_pytorch_model.safetensors.index.json, google/umt5-xxl/tokenizer.json, models_clip_open-clip-xlm-roberta-large-vit-huge-14.pth, models_t5_umt5-xxl-enc-bf16.pth missing.');
  });
});
