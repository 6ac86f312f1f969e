import { data, f32 } from '../wan/tensors';
import { resampleFeatures } from './audioFrames';
import type { S2vPack } from './s2vPack';
import type { WavReader } from './wavReader';

/** The whole file's audio features at videoRate (30 Hz): `rows` rows of `dim` values. */
export interface AudioRows {
  data: Float32Array;
  rows: number;
  dim: number;
}

/**
 * Runs the audio encoder once over the whole 16 kHz file, as the official pipeline does (its
 * normalisation and attention see the whole waveform), then interpolates its 50 Hz rows to 30 Hz.
 * The layer mix is folded into the graph (docs/model-pack.md, audio_encoder).
 */
export async function encodeWholeAudio(pack: S2vPack, wav: WavReader): Promise<AudioRows> {
  const { sampleRate, featureRate, videoRate, fps, dim } = pack.manifest.audio;
  if (wav.sampleRate !== sampleRate) throw new Error(`the model audio is ${wav.sampleRate} Hz; the pack's audio encoder takes ${sampleRate} Hz`);
  // wav2vec2's first frame needs 400 samples (25 ms): shorter audio is padded with silence.
  const samples = await wav.read(0, Math.max(wav.samples, 400));
  const out = await pack.sessions.run('audio_encoder', { waveform: f32(samples, [1, samples.length]) });
  await pack.sessions.done('audio_encoder');
  const feats = out.audio_features;
  const rows50 = feats?.dims[1] as number;
  if (feats?.dims[2] !== dim) throw new Error(`the audio encoder returned ${String(feats?.dims[2])} values per step; the manifest says ${dim}`);
  const resampled = resampleFeatures(data(feats, 'audio features'), rows50, dim, { featureRate, videoRate, fps });
  return { ...resampled, dim };
}
