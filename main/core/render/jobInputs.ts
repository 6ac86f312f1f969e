import { join } from 'node:path';
import { StudioError } from '../contract/errors';
import type { EngineInputs } from '../engines/engine';
import type { JobRecord } from '../library/jobRepository';
import type { Library } from '../library/library';
import { materializeAudio, materializeVideo } from '../media/trim';

/** Longest side sent to the model: the apps process at most 1920 px, so bigger only costs upload time. */
const MAX_SIDE = 1920;

export const jobFolder = (library: Library, jobId: string): string => join(library.layout.jobs, jobId);

/**
 * Cuts the job's frozen inputs into its own folder: the trimmed audio (16 kHz mono for the
 * model, the source rate for the mux and the cloud) or the trimmed driving video at a constant
 * rate. Images go as stored. The library's media is never touched.
 */
export async function materializeJobInputs(
  library: Library,
  job: JobRecord,
  options: { signal: AbortSignal; onProgress?: (fraction: number | null) => void },
): Promise<EngineInputs> {
  const dir = join(jobFolder(library, job.id), 'inputs');
  const tools = library.toolPreferences();
  const assetPath = (id: string | null | undefined, what: string) => {
    const asset = id ? library.assets.find(id) : null;
    if (!asset) throw new StudioError('not_found', `${what} of this render was removed from the project. Render again with another file.`);
    return { asset, path: join(library.home, asset.file) };
  };
  const progress = (p: { percent: number | null }) => options.onProgress?.(p.percent === null ? null : p.percent / 100);

  if (job.app === 's2v') {
    const image = assetPath(job.inputs.imageAssetId, 'The portrait');
    const audio = assetPath(job.inputs.audioAssetId, 'The audio');
    const cut = await materializeAudio(
      audio.path,
      library.assets.mediaInfo(audio.asset.id),
      job.inputs.trim,
      { modelWav: join(dir, 'audio-16k.wav'), muxWav: join(dir, 'audio.wav') },
      { tools, signal: options.signal, onProgress: progress, displayName: audio.asset.name },
    );
    return { image: image.path, audio: cut.muxWav, modelAudio: cut.modelWav };
  }

  const video = assetPath(job.inputs.videoAssetId, 'The driving video');
  const image = assetPath(job.inputs.imageAssetId, 'The reference image');
  const info = library.assets.mediaInfo(video.asset.id);
  const w = info.video?.width ?? 1280;
  const h = info.video?.height ?? 720;
  const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
  const even = (v: number) => Math.max(2, Math.floor((v * scale) / 2) * 2);
  const cut = await materializeVideo(
    video.path,
    info,
    job.inputs.trim,
    { fps: -1, width: even(w), height: even(h), mode: 'fit' },
    join(dir, 'driving.mp4'),
    { tools, signal: options.signal, onProgress: progress, displayName: video.asset.name },
  );
  // The driving video's sound is carried over into a local render (the cloud app takes only the video).
  const sound = info.audio
    ? await materializeAudio(video.path, info, job.inputs.trim, { modelWav: join(dir, 'driving-audio-16k.wav'), muxWav: join(dir, 'driving-audio.wav') }, { tools, signal: options.signal, displayName: video.asset.name })
    : null;
  return { video: cut.path, image: image.path, audio: sound?.muxWav, person: job.inputs.person ?? null };
}
