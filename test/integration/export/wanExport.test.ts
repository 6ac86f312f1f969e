import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPack2, graphIoProblems } from '../../../common/pack/checkPack2';
import { pack2Files } from '../../../common/pack/pack2Files';
import { readOnnxGraphIo } from '../../../common/pack/onnxGraphIo';
import { s2vComponentNames, type PackManifest2 } from '../../../common/pack/packManifest2';
import { S2V_INTERFACE_2 } from '../../../common/pack/s2vInterface2';
import { copyHashedFiles } from '../../../main/core/engines/local/hashedCopy';
import { compareCase, exportOnSmallDisk, exporterPython, readReference, runExporter, runExporterOk, type ReferenceCase } from '../../helpers/wanExport';

/**
 * The exporter, proved without weights or a GPU: a random-weight checkpoint with the official layout
 * and key names at a tiny config is exported, and every graph's output in onnxruntime-node is compared
 * with our torch module's on the same inputs (at other sizes than the graphs were traced at, with
 * and without the motion tokens, the VAE with and without chunks after the first). The exported
 * folder is a format 2 pack the studio's import code accepts.
 */
let dir: string;
let ckpt: string;
let cases: Record<string, ReferenceCase>;
const packs = { float32: '', float16: '' };

beforeAll(async () => {
  exporterPython(); // fails with how to install torch and onnx when they are absent
  dir = await mkdtemp(join(tmpdir(), 'wan-export-'));
  ckpt = join(dir, 'ckpt');
  runExporterOk(['tiny', '--out', ckpt]);
  for (const dtype of ['float32', 'float16'] as const) {
    packs[dtype] = join(dir, `pack-${dtype}`);
    runExporterOk(['export', '--checkpoint', ckpt, '--out', packs[dtype], '--weights', dtype, '--name', 'tiny']);
  }
  runExporterOk(['reference', '--checkpoint', ckpt, '--out', join(dir, 'ref')]);
  cases = await readReference(join(dir, 'ref'));
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('exported graphs compute what our torch modules compute', () => {
  it('every component, fp32 weights: max abs diff within 1e-4', async () => {
    expect(Object.keys(cases).sort()).toEqual([
      'audio_encoder@20800', 'audio_encoder@9000', 'dit_first_block@drop', 'dit_first_block@motion', 'dit_head@drop', 'dit_head@motion', 'dit_rest@drop', 'dit_rest@motion', 'text_encoder@len512', 'text_encoder@len7',
      'vae_decoder@1', 'vae_decoder@3', 'vae_encoder@1', 'vae_encoder@9',
    ]);
    for (const [name, c] of Object.entries(cases)) {
      const diffs = await compareCase(packs.float32, join(dir, 'ref'), c);
      for (const [out, d] of Object.entries(diffs)) {
        console.log(`${name} ${out}: max abs diff ${d.maxDiff.toExponential(2)} (values up to ${d.scale.toFixed(3)})`);
        expect(d.scale, `${name} ${out} is all zeros: the comparison would prove nothing`).toBeGreaterThan(0.01);
        expect(d.maxDiff, `${name} ${out}`).toBeLessThanOrEqual(1e-4);
      }
    }
  }, 300_000);

  // The release's DiT and umT5 weights are bf16, whose values fp16 holds exactly (apart from range),
  // and wav2vec2 and the VAE (fp32) keep fp32: fp16 storage loses nothing.
  it('fp16 weights (the pack users get): max abs diff within 1e-4', async () => {
    for (const [name, c] of Object.entries(cases)) {
      const diffs = await compareCase(packs.float16, join(dir, 'ref'), c);
      for (const [out, d] of Object.entries(diffs)) {
        console.log(`${name} ${out} (fp16 weights): max abs diff ${d.maxDiff.toExponential(2)} (values up to ${d.scale.toFixed(3)})`);
        expect(d.maxDiff, `${name} ${out}`).toBeLessThanOrEqual(1e-4);
      }
    }
  }, 300_000);
});

describe('the exported folder is a format 2 pack', () => {
  it('graph I/O read from the protobuf matches the manifest and the pipeline interface; weights are external and hashed', async () => {
    for (const dtype of ['float32', 'float16'] as const) {
      const manifest = JSON.parse(await readFile(join(packs[dtype], 'manifest.json'), 'utf8')) as PackManifest2;
      expect(Object.keys(manifest.components)).toEqual([...s2vComponentNames]);
      for (const [name, c] of Object.entries(manifest.components)) {
        const io = await readOnnxGraphIo(join(packs[dtype], c.file));
        expect(graphIoProblems(name, c, io)).toEqual([]);
        // wav2vec2 and the VAE ship in fp32 and keep it.
        expect(c.dtype).toBe(['audio_encoder', 'vae_encoder', 'vae_decoder'].includes(name) ? 'float32' : dtype);
        expect(io.externalFiles).toEqual([`${name}.weights`]);
        const want = S2V_INTERFACE_2[name as keyof typeof S2V_INTERFACE_2];
        expect(io.inputs.map((t) => [t.name, t.dtype, t.shape?.length])).toEqual(want.inputs);
        expect(io.outputs.map((t) => [t.name, t.dtype, t.shape?.length])).toEqual(want.outputs);
        const sha = spawnSync('sha256sum', [join(packs[dtype], c.file), join(packs[dtype], c.externalData[0]!.file)], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]);
        expect(sha.slice(0, 2)).toEqual([c.sha256, c.externalData[0]!.sha256]);
      }
      expect(manifest.components.vae_encoder.inputs).toEqual([{ name: 'pixels', dtype: 'float32', shape: [1, 3, 'frames', 'height', 'width'] }]);
      expect(manifest.components.vae_decoder.outputs).toEqual([{ name: 'pixels', dtype: 'float32', shape: [1, 3, 'frames', 'height', 'width'] }]);
      expect(manifest.dit.ropePairs).toEqual([4, 2, 2]);
      expect(manifest).toMatchObject({ format: 'wan-studio-pack/2', name: 'tiny', version: `2025.08-${dtype === 'float16' ? 'fp16' : 'fp32'}`, pipeline: 's2v', audio: { dim: 16 } });
      const tokenizerSha = spawnSync('sha256sum', [join(ckpt, 'google', 'umt5-xxl', 'tokenizer.json')], { encoding: 'utf8' }).stdout.split(' ')[0];
      expect(manifest.tokenizer).toEqual({ kind: 'umt5', file: 'tokenizer.json', sha256: tokenizerSha, length: 512, padId: 0, eosId: 1, cleanup: 'wan-whitespace' });
      expect(await readFile(join(packs[dtype], 'tokenizer.json'), 'utf8')).toBe(await readFile(join(ckpt, 'google', 'umt5-xxl', 'tokenizer.json'), 'utf8'));
    }
  });

  it('attention is one MultiHeadAttention node in the DiT graphs, wav2vec2 and the VAE (flash attention: no [heads, L, L] scores); only umT5 keeps Softmax', async () => {
    const manifest = JSON.parse(await readFile(join(packs.float16, 'manifest.json'), 'utf8')) as PackManifest2;
    expect(manifest.dit.attention).toBe('multihead');
    expect(manifest.source.exporter).toBe('wan-export 0.2.0');
    // Counts each graph's nodes, inside the VAE's Loop bodies too.
    const script = [
      'import json, sys, onnx',
      'def ops(g):',
      '    for n in g.node:',
      '        yield n.op_type',
      '        for a in n.attribute:',
      '            if a.type == onnx.AttributeProto.GRAPH: yield from ops(a.g)',
      'out = {}',
      'for f in sys.argv[1:]:',
      '    found = list(ops(onnx.load(f, load_external_data=False).graph))',
      '    out[f.rsplit("/", 1)[1]] = [found.count("MultiHeadAttention"), found.count("Softmax")]',
      'print(json.dumps(out))',
    ].join('\n');
    const files = s2vComponentNames.map((n) => join(packs.float16, `${n}.onnx`));
    const counts = JSON.parse(spawnSync(exporterPython(), ['-c', script, ...files], { encoding: 'utf8' }).stdout) as Record<string, [number, number]>;
    // The tiny DiT's 3 blocks: self- and cross-attention each, plus the audio injectors' at layers 0 and 2
    // (block 0 in dit_first_block); wav2vec2's 24 layers; the VAE's middle attention in both Loop bodies
    // (the first chunk and the rest); umT5's 2 layers keep their relative-position bias.
    expect(counts).toEqual({
      'text_encoder.onnx': [0, 2],
      'audio_encoder.onnx': [24, 0],
      'vae_encoder.onnx': [2, 0],
      'vae_decoder.onnx': [2, 0],
      'dit_first_block.onnx': [3, 0],
      'dit_rest.onnx': [5, 0],
      'dit_head.onnx': [0, 0],
    });
  });

  it("the studio's import code accepts it: manifest and graphs check out, every file copies with its hash", async () => {
    for (const dtype of ['float32', 'float16'] as const) {
      const check = await checkPack2(packs[dtype]);
      expect(check.ok ? [] : check.problems).toEqual([]);
      if (!check.ok) return;
      const files = pack2Files(check.manifest);
      expect(files.length).toBe(1 + 2 * s2vComponentNames.length);
      await copyHashedFiles(packs[dtype], join(dir, `imported-${dtype}`), files);
    }
  });

  it('exporting some components writes those graphs and export-report.json, not a pack', async () => {
    const part = join(dir, 'part');
    await cp(packs.float16, part, { recursive: true });
    const out = runExporterOk(['export', '--checkpoint', ckpt, '--out', part, '--components', 'vae']);
    expect(out).toContain('wrote vae_encoder, vae_decoder to');
    expect(out).toContain('this is not a pack (export every component for its manifest.json)');
    // The old manifest would no longer match the rewritten graphs: it is gone.
    expect(await readFile(join(part, 'manifest.json'), 'utf8').catch(() => 'absent')).toBe('absent');
    const report = JSON.parse(await readFile(join(part, 'export-report.json'), 'utf8')) as { components: Record<string, unknown> };
    expect(Object.keys(report.components)).toEqual(['vae_encoder', 'vae_decoder']);
  });
});

describe('clear errors', () => {
  it('a folder that is not the official layout', async () => {
    const r = runExporter(['export', '--checkpoint', join(dir, 'ref'), '--out', join(dir, 'nowhere'), '--components', 'text_encoder,dit']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not the official Wan2.2-S2V-14B layout: config.json, diffusion_pytorch_model.safetensors.index.json, models_t5_umt5-xxl-enc-bf16.pth missing.');
    expect(r.stderr).toContain('Point --checkpoint at the Wan2.2-S2V-14B folder exactly as published');
  });

  it('a missing shard', async () => {
    const broken = join(dir, 'no-shard');
    await cp(ckpt, broken, { recursive: true });
    await rm(join(broken, 'diffusion_pytorch_model-00002-of-00002.safetensors'));
    const r = runExporter(['export', '--checkpoint', broken, '--out', join(dir, 'nowhere'), '--components', 'dit']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('the DiT shard diffusion_pytorch_model-00002-of-00002.safetensors listed in diffusion_pytorch_model.safetensors.index.json is missing. Download it into the folder and run the export again.');
  });

  it('a config.json the exporter does not implement, and one that does not match the weights', async () => {
    const wrong = join(dir, 'wrong-config');
    await cp(ckpt, wrong, { recursive: true });
    const config = JSON.parse(await readFile(join(ckpt, 'config.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(wrong, 'config.json'), JSON.stringify({ ...config, enable_framepack: false }));
    let r = runExporter(['export', '--checkpoint', wrong, '--out', join(dir, 'nowhere'), '--components', 'dit']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('config.json: enable_framepack is false; the exporter supports true (the Wan2.2-S2V-14B release). Use the official folder unchanged.');
    await writeFile(join(wrong, 'config.json'), JSON.stringify({ ...config, ffn_dim: 96 }));
    r = runExporter(['export', '--checkpoint', wrong, '--out', join(dir, 'nowhere'), '--components', 'dit']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/blocks\.0\.ffn\.0\.weight has shape \[64, 32\], the config\.json says \[96, 32\]\. The weights and config\.json do not belong together\./);
  });

  it('a shard cut short (an interrupted download)', async () => {
    const cut = join(dir, 'cut-shard');
    await cp(ckpt, cut, { recursive: true });
    const shard = join(cut, 'diffusion_pytorch_model-00001-of-00002.safetensors');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, bytes.length - 100));
    const r = runExporter(['export', '--checkpoint', cut, '--out', join(dir, 'nowhere'), '--components', 'dit']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/diffusion_pytorch_model-00001-of-00002\.safetensors is cut short \(tensor .* runs past the end of the file\)\. Download it again\./);
  });

  it('a VAE file that is not the Wan 2.1 VAE', async () => {
    const other = join(dir, 'other-vae');
    await cp(ckpt, other, { recursive: true });
    // A torch checkpoint with other weights under the VAE's name (here the umT5 encoder's).
    await cp(join(ckpt, 'models_t5_umt5-xxl-enc-bf16.pth'), join(other, 'Wan2.1_VAE.pth'));
    const r = runExporter(['export', '--checkpoint', other, '--out', join(dir, 'nowhere'), '--components', 'vae']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Wan2.1_VAE.pth lacks encoder.conv1.weight: it is not the Wan 2.1 VAE (Wan2.1_VAE.pth of the Wan2.2-S2V-14B release). Download it again.');
  });

  it('no disk space is found before anything is written', () => {
    const r = exportOnSmallDisk(dir, ['export', '--checkpoint', '"$3"', '--out', '"$1/pack"', '--components', 'text_encoder,dit'], ckpt);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Not enough disk space for the pack in .*small-disk\/pack: it needs about 0\.\d GB, 0\.0 GB are free\. Free some space or choose another --out\./);
    expect(r.stdout.trim()).toBe('exit=2'); // not even the pack folder was made
  });
});
