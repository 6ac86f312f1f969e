import type { PackSessions } from '../ort/packSessions';
import type { Tensor } from './tensors';
import { f32 } from './tensors';
import type { WavReader } from './wavReader';

export interface ClipAudio {
  /** Features of the F generated frames, [1, F, A]. */
  cond: Tensor;
  /** The unconditional branch's audio: zeros of the same shape. */
  uncond: Tensor;
}

/**
 * Audio features for the F generated frames of a clip whose frame j shows output frame
 * `outStart + j`: each frame takes the feature at its own time; frames before 0 take frame 0's.
 */
export async function encodeClipAudio(
  sessions: PackSessions,
  wav: WavReader,
  framing: { featureRate: number; hop: number; fps: number },
  outStart: number,
  F: number,
): Promise<ClipAudio> {
  const { featureRate, hop, fps } = framing;
  const idx = Array.from({ length: F }, (_, j) => Math.round((Math.max(0, outStart + j) / fps) * featureRate));
  const firstIdx = Math.min(...idx);
  const count = Math.max(...idx) - firstIdx + 1;
  const samples = await wav.read(firstIdx * hop, count * hop);
  const feats = (await sessions.run('audio_encoder', { audio_frames: f32(samples, [1, count, hop]) })).audio_features as Tensor;
  await sessions.done('audio_encoder');
  const A = feats.dims[2] as number;
  const fd = feats.data as Float32Array;
  const audio = new Float32Array(F * A);
  idx.forEach((k, j) => {
    // Past the end of the sound: silence features (zeros), as Wan pads its tail.
    if ((Math.max(0, outStart + j) / fps) * wav.sampleRate >= wav.samples) return;
    audio.set(fd.subarray((k - firstIdx) * A, (k - firstIdx + 1) * A), j * A);
  });
  return { cond: f32(audio, [1, F, A]), uncond: f32(new Float32Array(F * A), [1, F, A]) };
}
