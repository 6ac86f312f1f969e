import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACK_FORMAT_2, type GraphComponent2, type PackManifest2 } from '../../common/pack/packManifest2';
import { makeFixturePack } from '../../main/core/engines/local/fixturePack';
import { makeTempDir } from './generatedMedia';

type Report = {
  exporter: string;
  components: Partial<Record<string, GraphComponent2>>;
  dit: PackManifest2['dit'];
  tokenizer: PackManifest2['tokenizer'];
  latent: PackManifest2['latent'];
};

/**
 * A format 2 pack from a tools/wan-export output folder. When the exporter wrote manifest.json (all
 * seven graphs) it is used as it is. Until the exporter writes the VAE, its export-report.json gives
 * the exported components and the VAE graphs are the fixture's (the interface docs/model-pack.md
 * defines; 8x8 pooling and a nearest upsample instead of the Wan VAE), named as such in the manifest.
 */
export async function exportedPack(exportDir: string): Promise<{ manifest: PackManifest2; vae: 'exported' | 'fixture' }> {
  if (existsSync(join(exportDir, 'manifest.json'))) return { manifest: JSON.parse(await readFile(join(exportDir, 'manifest.json'), 'utf8')) as PackManifest2, vae: 'exported' };
  const report = JSON.parse(await readFile(join(exportDir, 'export-report.json'), 'utf8')) as Report;
  const fixture = makeTempDir('fixture-vae');
  const f = await makeFixturePack(fixture);
  const components = { ...report.components } as Record<string, GraphComponent2>;
  for (const name of ['vae_encoder', 'vae_decoder'] as const) {
    await copyFile(join(fixture, f.components[name].file), join(exportDir, f.components[name].file));
    components[name] = f.components[name];
  }
  const audioDim = components.audio_encoder!.outputs[0]!.shape[2] as number;
  const manifest: PackManifest2 = {
    format: PACK_FORMAT_2,
    name: 'wan2.2-s2v-tiny',
    version: 'test',
    pipeline: 's2v',
    source: { model: 'Wan2.2-S2V-14B layout, tiny random config (VAE: fixture stand-in)', exporter: report.exporter },
    tokenizer: report.tokenizer,
    components: components as PackManifest2['components'],
    dit: report.dit,
    latent: report.latent,
    audio: { sampleRate: 16000, featureRate: 50, videoRate: 30, fps: 16, dim: audioDim },
    video: { sizeMultiple: 64, framesMultiple: 4 },
  };
  const json = JSON.stringify(manifest, null, 2);
  await writeFile(join(exportDir, 'manifest.json'), json);
  return { manifest, vae: 'fixture' };
}
