import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPack2 } from '../../../common/pack/checkPack2';
import { readOnnxGraphIo } from '../../../common/pack/onnxGraphIo';
import { FORMAT_1_REFUSAL, readPackManifest2 } from '../../../common/pack/packManifest2';
import { interfaceProblems2 } from '../../../common/pack/s2vInterface2';
import { encodeGraph, externalTensor, pack2Manifest, writePack2 } from '../../helpers/pack2Fixture';

const { onnx } = onnxProto;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pack2-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('format 2 manifest', () => {
  it('a complete manifest reads, and matches the pipeline interface', () => {
    const read = readPackManifest2(pack2Manifest());
    expect(read.ok).toBe(true);
    if (read.ok) expect(interfaceProblems2(read.manifest)).toEqual([]);
  });

  it('a format 1 pack is refused with how to get a format 2 pack', () => {
    const read = readPackManifest2({ format: 'wan-studio-pack/1', name: 'old' });
    expect(read).toEqual({ ok: false, kind: 'format_1', message: FORMAT_1_REFUSAL });
    expect(FORMAT_1_REFUSAL).toContain('python3 -m wan_export export --checkpoint DIR --out PACK');
    expect(readPackManifest2({ format: 'something-else' })).toMatchObject({ ok: false, kind: 'unknown_format' });
  });

  it('problems name the path: missing external data', () => {
    const bad = structuredClone(pack2Manifest());
    delete (bad.components.dit_rest as Partial<typeof bad.components.dit_rest>).externalData;
    expect(readPackManifest2(bad)).toMatchObject({ ok: false, kind: 'invalid', message: expect.stringContaining('components.dit_rest.externalData: Invalid input') });
  });

  it('problems name the path: a file listed twice, geometry that does not add up', () => {
    const bad = pack2Manifest();
    bad.components.dit_head.externalData.push({ file: 'text_encoder.weights', sha256: 'a'.repeat(64) });
    bad.dit.ropePairs = [3, 1, 1];
    bad.dit.audioInjectLayers = [0, 3];
    const read = readPackManifest2(bad);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.message).toContain('components.dit_head.externalData.1.file: text_encoder.weights is listed twice in the pack');
    expect(read.message).toContain('dit.ropePairs: the RoPE pairs must add up to half the head size');
    expect(read.message).toContain('dit.audioInjectLayers: every audio inject layer must be below the layer count (3)');
  });

  it('an outside path is refused', () => {
    const bad = pack2Manifest();
    bad.components.vae_decoder.externalData = [{ file: '../elsewhere.bin', sha256: 'a'.repeat(64) }];
    const read = readPackManifest2(bad);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toContain('components.vae_decoder.externalData.0.file: must be a file inside the pack folder');
  });

  it('interface problems name the component and tensor', () => {
    const m = pack2Manifest();
    m.components.dit_first_block.outputs = m.components.dit_first_block.outputs.filter((t) => t.name !== 'first_residual');
    m.components.text_encoder.inputs[0]!.dtype = 'int32';
    expect(interfaceProblems2(m)).toEqual([
      'text_encoder: input "input_ids" is int32 rank 2; the pipeline needs int64 rank 2',
      'dit_first_block: the manifest lists no output "first_residual" (float32, rank 3)',
    ]);
  });
});

describe('ONNX graph I/O is read from the protobuf without a session or the weights', () => {
  it('reads names, element types, fixed and symbolic dims, opsets, and external files incl. subgraphs', async () => {
    const loopBody = onnx.GraphProto.create({ name: 'body', initializer: [externalTensor('inner', 'sub/loop.weights')] });
    const bytes = encodeGraph({
      inputs: [
        { name: 'latents', dtype: 'float32', shape: [1, 16, 'latent_frames', 'lh', 'lw'] },
        { name: 'ids', dtype: 'int64', shape: [1, 512] },
      ],
      outputs: [{ name: 'out', dtype: 'float16', shape: ['seq', 8] }],
      // A 4 MB inline tensor the reader jumps over, an external one, and a Loop body with its own.
      initializers: [{ name: 'big', dataType: onnx.TensorProto.DataType.FLOAT, dims: [1 << 20], rawData: new Uint8Array(4 << 20) }, externalTensor('w', 'main.weights')],
      nodes: [{ opType: 'Loop', input: ['', ''], output: ['x'], attribute: [{ name: 'body', type: onnx.AttributeProto.AttributeType.GRAPH, g: loopBody }] }],
    });
    const file = join(dir, 'graph.onnx');
    await writeFile(file, bytes);
    const io = await readOnnxGraphIo(file);
    expect(io.irVersion).toBe(8);
    expect(io.opsets).toEqual([{ domain: '', version: 17 }]);
    expect(io.inputs).toEqual([
      { name: 'latents', elemType: 1, dtype: 'float32', shape: [1, 16, 'latent_frames', 'lh', 'lw'] },
      { name: 'ids', elemType: 7, dtype: 'int64', shape: [1, 512] },
    ]);
    expect(io.outputs).toEqual([{ name: 'out', elemType: 10, dtype: 'float16', shape: ['seq', 8] }]);
    expect(io.externalFiles).toEqual(['main.weights', 'sub/loop.weights']);
  });

  it('initializers listed among the inputs (old exporters) are not inputs', async () => {
    const bytes = encodeGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [2] }, { name: 'w0', dtype: 'float16', shape: [4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2] }],
      initializers: [externalTensor('w0', 'a.weights')],
    });
    await writeFile(join(dir, 'old.onnx'), bytes);
    expect((await readOnnxGraphIo(join(dir, 'old.onnx'))).inputs.map((t) => t.name)).toEqual(['x']);
  });

  it('a truncated or foreign file is refused with its path', async () => {
    const file = join(dir, 'cut.onnx');
    await writeFile(file, encodeGraph({ inputs: [{ name: 'x', dtype: 'float32', shape: [2] }], outputs: [{ name: 'y', dtype: 'float32', shape: [2] }], initializers: [{ name: 'big', dataType: 1, dims: [4096], rawData: new Uint8Array(16384) }] }));
    await truncate(file, 200);
    await expect(readOnnxGraphIo(file)).rejects.toThrow(`${file} is not a readable ONNX model`);
    await writeFile(join(dir, 'text.onnx'), 'this is not a model\n');
    await expect(readOnnxGraphIo(join(dir, 'text.onnx'))).rejects.toThrow('is not a readable ONNX model');
  });
});

describe('a format 2 pack folder is checked against its graphs', () => {
  it('a consistent pack passes (its weight files need not even exist for the check)', async () => {
    const p = join(dir, 'good');
    await writePack2(p);
    const check = await checkPack2(p);
    expect(check).toMatchObject({ ok: true });
  });

  it('every difference between manifest and graph is named', async () => {
    const p = join(dir, 'drift');
    const m = pack2Manifest();
    await writePack2(p, m);
    m.components.dit_rest.inputs.find((t) => t.name === 'hidden')!.shape = [1, 'tokens', 48];
    m.components.vae_decoder.outputs[0]!.dtype = 'float16';
    m.components.text_encoder.externalData = [{ file: 'text_encoder.data', sha256: 'c'.repeat(64) }];
    await writeFile(join(p, 'manifest.json'), JSON.stringify(m));
    const check = await checkPack2(p);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems).toEqual([
      'vae_decoder: output "pixels" is float16 rank 5; the pipeline needs float32 rank 5',
      'text_encoder: the graph\'s weights are in text_encoder.weights, which the manifest does not list under externalData',
      'text_encoder: the manifest lists text_encoder.data under externalData but the graph does not use it',
      'vae_decoder: output "pixels" is float32 in the graph; the manifest says float16',
      'dit_rest: input "hidden" dimension 1 is "seq" in the graph; the manifest says "tokens"',
    ]);
  });

  it('a format 1 pack folder is refused with how to make a format 2 pack', async () => {
    const p = join(dir, 'v1');
    await writePack2(p);
    const m = JSON.parse(await readFile(join(p, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(p, 'manifest.json'), JSON.stringify({ ...m, format: 'wan-studio-pack/1' }));
    expect(await checkPack2(p)).toEqual({ ok: false, problems: [FORMAT_1_REFUSAL] });
  });
});
