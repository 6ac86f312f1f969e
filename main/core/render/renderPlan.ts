import { randomInt } from 'node:crypto';
import { StudioError } from '../contract/errors';
import { paramIssues, paramsSchemas } from '../contract/params/index';
import type { Asset, AssetKind, ProjectState, StudioApp, TrimRange } from '../contract/types';
import type { JobInputs } from '../library/jobRepository';
import type { Library } from '../library/library';
import { noPersonProblem } from '../animate/storedAnalysis';

export interface RenderPlan {
  app: StudioApp;
  /** Validated parameters with defaults filled in and a concrete seed. */
  params: Record<string, unknown>;
  seed: number;
  inputs: JobInputs;
  /** Length of the trimmed audio (S2V) or video (Animate), for ETAs. */
  inputSeconds: number;
  /** Jobs with the same key take about as long per second of input. */
  sizeKey: string;
}

const MAX_SEED = 2 ** 31 - 1;

/**
 * The models work in 64-pixel blocks (research/wan22.md §1.2: sizes round up to multiples of
 * 64, small pictures are not upscaled), so a picture smaller than one block has nothing to give
 * a render, and a cloud render of it would be paid for nothing.
 */
export const MIN_IMAGE_SIDE = 64;

/** "an image", "an audio file", "a video": what the user would call each kind of file. */
const kindWithArticle = (kind: AssetKind): string => (kind === 'audio' ? 'an audio file' : kind === 'image' ? 'an image' : 'a video');

/**
 * Turns the editor draft into what a job renders: every input present and of the right kind,
 * trims inside the media, every parameter rule checked (all problems at once, each naming its
 * field), and the random seed made concrete so the output records the seed that made it.
 */
export function planRender(library: Library, projectId: string, app: StudioApp, state: ProjectState = library.projects.readState(projectId)): RenderPlan {
  const planned = tryPlanRender(library, projectId, app, state);
  if ('problems' in planned) {
    const sentences = planned.problems.map((p) => (/[.!?]$/.test(p) ? p : `${p}.`));
    throw new StudioError('invalid_input', `The render cannot start: ${sentences.join(' ')}`);
  }
  return planned;
}

/** Like planRender, but hands back every problem instead of throwing (a batch names them per row). */
export function tryPlanRender(library: Library, projectId: string, app: StudioApp, state: ProjectState): RenderPlan | { problems: string[] } {
  const problems: string[] = [];
  const pick = (id: string | null, kind: AssetKind, what: string): Asset | null => {
    if (!id) {
      problems.push(`${what}: none chosen. Pick ${kindWithArticle(kind)} in the editor.`);
      return null;
    }
    const asset = library.assets.find(id);
    if (!asset || asset.projectId !== projectId) {
      problems.push(`${what}: the chosen file is no longer in this project. Pick another.`);
      return null;
    }
    // S2V's sound may come from a video that has an audio track (a recorded take).
    const soundFromVideo = kind === 'audio' && asset.kind === 'video' && asset.media.audioCodec !== null;
    if (asset.kind !== kind && !soundFromVideo) {
      problems.push(`${what}: ${asset.name} is ${kindWithArticle(asset.kind)}, not ${kindWithArticle(kind)}.`);
      return null;
    }
    if (kind === 'image' && !bigEnough(asset)) {
      problems.push(
        `${what}: ${asset.name} is ${asset.media.width}×${asset.media.height} pixels; the model needs at least ${MIN_IMAGE_SIDE} pixels on the shorter side. Pick a larger picture.`,
      );
      return null;
    }
    return asset;
  };

  const draft = app === 's2v' ? state.s2v.params : state.animate.params;
  const parsed = paramsSchemas[app].safeParse(draft);
  if (!parsed.success) problems.push(...paramIssues(parsed.error.issues).map((i) => i.message));

  let inputs: JobInputs;
  let inputSeconds = 0;
  if (app === 's2v') {
    const image = pick(state.s2v.imageAssetId, 'image', 'Portrait');
    const audio = pick(state.s2v.audioAssetId, 'audio', 'Audio');
    if (audio) inputSeconds = trimmedLength(audio, state.s2v.audioTrim, problems, 'Audio');
    inputs = { imageAssetId: image?.id ?? null, audioAssetId: audio?.id ?? null, trim: state.s2v.audioTrim };
  } else {
    const video = pick(state.animate.videoAssetId, 'video', 'Driving video');
    const image = pick(state.animate.referenceAssetId, 'image', 'Reference image');
    if (video) inputSeconds = trimmedLength(video, state.animate.videoTrim, problems, 'Driving video');
    if (video && parsed.success && (parsed.data as { mode?: string }).mode === 'replacement') {
      const trim = state.animate.videoTrim;
      const problem = noPersonProblem(library.home, video, trim.inSec, trim.outSec ?? video.media.durationSec ?? Infinity);
      if (problem) problems.push(problem);
    }
    inputs = { videoAssetId: video?.id ?? null, imageAssetId: image?.id ?? null, trim: state.animate.videoTrim };
  }

  if (problems.length > 0 || !parsed.success) return { problems };
  const params = { ...(parsed.data as Record<string, unknown>) };
  const seed = concreteSeed(params.seed);
  params.seed = seed;
  return { app, params, seed, inputs, inputSeconds, sizeKey: sizeKeyOf(app, params) };
}

const bigEnough = (asset: Asset): boolean => {
  const { width, height } = asset.media;
  return width === null || height === null || Math.min(width, height) >= MIN_IMAGE_SIDE;
};

function trimmedLength(asset: Asset, trim: TrimRange, problems: string[], what: string): number {
  const total = asset.media.durationSec ?? 0;
  const end = Math.min(trim.outSec ?? total, total);
  if (trim.inSec >= total) {
    problems.push(`${what}: the in point (${trim.inSec.toFixed(2)} s) is past the end of ${asset.name} (${total.toFixed(2)} s). Move it earlier.`);
    return 0;
  }
  if (end - trim.inSec < 0.5) {
    problems.push(`${what}: the trimmed part of ${asset.name} is shorter than half a second. Widen the in/out points.`);
    return 0;
  }
  return end - trim.inSec;
}

/** S2V's and Animate's "random" seeds (null / -1) become a real one, recorded with the output. */
export function concreteSeed(seed: unknown): number {
  return typeof seed === 'number' && seed >= 0 ? seed : randomInt(0, MAX_SEED);
}

export function sizeKeyOf(app: StudioApp, params: Record<string, unknown>): string {
  return app === 's2v' ? `s2v:${String(params.resolution)}` : `animate:${String(params.resolution_width)}x${String(params.resolution_height)}:${String(params.mode)}`;
}
