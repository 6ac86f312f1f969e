import { randomInt } from 'node:crypto';
import { StudioError } from '../contract/errors';
import { S2V_AREAS, s2vTargetSize } from '../../../common/s2v/s2vSize';
import { animateProcessingSize } from '../../../common/animate/animateSize';
import { planAnimateClips } from '../../../common/animate/clipPlan';
import { formatDuration } from '../contract/format';
import { labelledIssues, paramsFields, paramsSchemas } from '../contract/params/index';
import type { RenderCheckDto, RenderInputSummary } from '../contract/renderTypes';
import type { Asset, AssetKind, PersonPick, ProjectState, StudioApp, TrimRange } from '../contract/types';
import { MAX_LOCAL_AUDIO_SEC } from '../engines/local/localEngine';
import type { JobInputs } from '../library/jobRepository';
import type { Library } from '../library/library';
import { noPersonProblem } from '../animate/storedAnalysis';
import { totalmem } from 'node:os';
import { attentionProblem } from '../../../common/animate/attentionMemory';
import { s2vAttentionProblem } from '../../../common/s2v/attentionMemory';
import type { PackAttention } from '../engines/engine';

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

/** What a draft would render, checked: every problem (worded for the page) and a summary. */
export interface DraftCheck {
  problems: string[];
  summary: RenderCheckDto['summary'];
  /** The parameters with defaults filled in, when they are valid (the seed not yet concrete). */
  params: Record<string, unknown> | null;
  inputs: JobInputs;
  inputSeconds: number;
  /** Animate: what the local clip plan refuses (frames per clip, guidance frames, length); only a local render has these limits. */
  localProblems: string[];
}

const MAX_SEED = 2 ** 31 - 1;

/** The labels the editor shows over each input: problems name them, not field names. */
export const inputLabels = {
  s2v: { image: 'Portrait', audio: 'Voice or song' },
  animate: { video: 'Driving video', image: 'Character' },
} as const;

/**
 * The models work in 64-pixel blocks (research/wan22.md §1.2: sizes round up to multiples of
 * 64, small pictures are not upscaled), so a picture smaller than one block has nothing to give
 * a render, and a cloud render of it would be paid for nothing.
 */
export const MIN_IMAGE_SIDE = 64;

/** "an image", "an audio file", "a video": what the user would call each kind of file. */
const kindWithArticle = (kind: AssetKind): string => (kind === 'audio' ? 'an audio file' : kind === 'image' ? 'an image' : 'a video');

/**
 * Checks the editor draft (stored, or what the page shows) as a render would take it: every
 * input present and of the right kind, trims inside the media, every parameter rule (all
 * problems at once, each starting with the label on screen). Queuing and the page's live
 * problem list both run this, so the page never promises a render that the core refuses.
 */
export function checkDraft(library: Library, projectId: string, app: StudioApp, state: ProjectState): DraftCheck {
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
    if (kind === 'audio' && asset.kind === 'video' && asset.media.audioCodec === null) {
      problems.push(`${what}: ${asset.name} is a video with no sound. Pick an audio file, or a video with sound.`);
      return null;
    }
    // S2V's sound may come from a video that has an audio track (a recorded take).
    const soundFromVideo = kind === 'audio' && asset.kind === 'video';
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
  const params = parsed.success ? (parsed.data as Record<string, unknown>) : null;

  let inputs: JobInputs;
  let inputSeconds = 0;
  const shown: RenderInputSummary[] = [];
  let size: { width: number; height: number } | null = null;
  let person: PersonPick | null = null;
  let localProblems: string[] = [];
  if (app === 's2v') {
    const labels = inputLabels.s2v;
    const image = pick(state.s2v.imageAssetId, 'image', labels.image);
    const audio = pick(state.s2v.audioAssetId, 'audio', labels.audio);
    if (audio) inputSeconds = trimmedLength(audio, state.s2v.audioTrim, problems, labels.audio);
    inputs = { imageAssetId: image?.id ?? null, audioAssetId: audio?.id ?? null, trim: state.s2v.audioTrim };
    if (image) shown.push({ label: labels.image, name: image.name, inSec: null, outSec: null, seconds: null });
    if (audio) shown.push(trimmedInput(labels.audio, audio, state.s2v.audioTrim));
    const resolution = params?.resolution as keyof typeof S2V_AREAS | undefined;
    if (image?.media.width && image.media.height && resolution) {
      const s = s2vTargetSize(image.media.height, image.media.width, S2V_AREAS[resolution]);
      size = { width: s.width, height: s.height };
    }
  } else {
    const labels = inputLabels.animate;
    const video = pick(state.animate.videoAssetId, 'video', labels.video);
    const image = pick(state.animate.referenceAssetId, 'image', labels.image);
    if (video) inputSeconds = trimmedLength(video, state.animate.videoTrim, problems, labels.video);
    if (video && params) localProblems = localAnimatePlanProblems(video, inputSeconds, params);
    if (video && parsed.success && (parsed.data as { mode?: string }).mode === 'replacement') {
      const trim = state.animate.videoTrim;
      const problem = noPersonProblem(library.home, video, trim.inSec, trim.outSec ?? video.media.durationSec ?? Infinity);
      if (problem) problems.push(problem);
    }
    inputs = { videoAssetId: video?.id ?? null, imageAssetId: image?.id ?? null, trim: state.animate.videoTrim, person: video ? state.animate.person : null };
    person = video ? state.animate.person : null;
    if (video) shown.push(trimmedInput(labels.video, video, state.animate.videoTrim));
    if (image) shown.push({ label: labels.image, name: image.name, inSec: null, outSec: null, seconds: null });
    if (params) size = animateSize(params, video, image);
  }
  // Inputs first, then the settings: the order the editor shows them in.
  if (!parsed.success) problems.push(...labelledIssues(parsed.error.issues, paramsFields[app]).map((i) => i.message));
  const promptValue = draft[app === 's2v' ? 'prompt' : 'input_prompt'];
  const seedValue = draft.seed;
  const fpsValue = params?.fps;
  return {
    problems,
    params,
    inputs,
    inputSeconds,
    localProblems,
    summary: {
      prompt: typeof promptValue === 'string' ? promptValue.trim() : '',
      inputs: shown,
      size,
      fps: typeof fpsValue === 'number' && fpsValue > 0 ? fpsValue : null,
      seed: typeof seedValue === 'number' && Number.isInteger(seedValue) && seedValue >= 0 ? seedValue : null,
      ...(app === 'animate' ? { person } : {}),
    },
  };
}

/**
 * Limits of an engine that only show once it is known which one runs; `attention` is the local pack's
 * (a pack from an older exporter cannot fit every frame size and clip length).
 */
export function engineProblems(app: StudioApp, runsOn: 'local' | 'cloud' | null, check: Pick<DraftCheck, 'inputSeconds' | 'localProblems' | 'params' | 'summary'>, attention: PackAttention | null = null): string[] {
  if (runsOn !== 'local') return [];
  const problems = app === 'animate' ? [...check.localProblems] : [];
  if (app === 's2v' && check.inputSeconds > MAX_LOCAL_AUDIO_SEC) {
    problems.push(
      `${inputLabels.s2v.audio}: the trimmed part is ${formatDuration(check.inputSeconds)} long; a render on this computer takes at most ${MAX_LOCAL_AUDIO_SEC / 60} minutes. Trim it shorter, or render in the cloud.`,
    );
  }
  const tooLarge = localAttentionProblem(attention, check);
  if (tooLarge) problems.push(tooLarge);
  return problems;
}

/** What the local pack's attention needs at the draft's size and clip length, when this computer lacks it. */
function localAttentionProblem(attention: PackAttention | null, check: Pick<DraftCheck, 'params' | 'summary'>): string | null {
  const { params } = check;
  const size = check.summary.size;
  if (!attention || !params || !size) return null;
  if (attention.app === 's2v') {
    const resolution = params.resolution === '720p' ? '720p' : '480p';
    return s2vAttentionProblem({ ...size, resolution, framesPerChunk: Number(params.num_frames_per_chunk) }, attention.dit, totalmem());
  }
  return attentionProblem({ ...size, clipLen: Number(params.clip_len) }, attention.dit, totalmem());
}

/**
 * Turns the editor draft into what a job renders, with the random seed made concrete so the
 * output records the seed that made it. Refuses (naming every problem) what cannot render;
 * `runsOn` adds the limits of the engine that will run it.
 */
export function planRender(
  library: Library,
  projectId: string,
  app: StudioApp,
  state: ProjectState = library.projects.readState(projectId),
  runsOn: 'local' | 'cloud' | null = null,
  attention: PackAttention | null = null,
): RenderPlan {
  const planned = tryPlanRender(library, projectId, app, state, runsOn, attention);
  if ('problems' in planned) {
    const sentences = planned.problems.map((p) => (/[.!?]$/.test(p) ? p : `${p}.`));
    throw new StudioError('invalid_input', `The render cannot start: ${sentences.join(' ')}`);
  }
  return planned;
}

/** Like planRender, but hands back every problem instead of throwing (a batch names them per row). */
export function tryPlanRender(
  library: Library,
  projectId: string,
  app: StudioApp,
  state: ProjectState,
  runsOn: 'local' | 'cloud' | null = null,
  attention: PackAttention | null = null,
): RenderPlan | { problems: string[] } {
  const check = checkDraft(library, projectId, app, state);
  const problems = [...check.problems, ...engineProblems(app, runsOn, check, attention)];
  if (problems.length > 0 || !check.params) return { problems };
  const params = { ...check.params };
  const seed = concreteSeed(params.seed);
  params.seed = seed;
  return { app, params, seed, inputs: check.inputs, inputSeconds: check.inputSeconds, sizeKey: sizeKeyOf(app, params) };
}

function trimmedInput(label: string, asset: Asset, trim: TrimRange): RenderInputSummary {
  const total = asset.media.durationSec ?? 0;
  const outSec = Math.min(trim.outSec ?? total, total);
  return { label, name: asset.name, inSec: trim.inSec, outSec, seconds: Math.max(0, outSec - trim.inSec) };
}

const bigEnough = (asset: Asset): boolean => {
  const { width, height } = asset.media;
  return width === null || height === null || Math.min(width, height) >= MIN_IMAGE_SIDE;
};

/**
 * The size Animate generates at: Width x Height as an area, with the aspect of the character image
 * (animation) or of the driving video (replacement), as the official preprocessing sizes it.
 */
function animateSize(params: Record<string, unknown>, video: Asset | null, image: Asset | null): { width: number; height: number } {
  const asked = { width: Number(params.resolution_width), height: Number(params.resolution_height) };
  const known = (a: Asset | null) => (a?.media.width && a.media.height ? { width: a.media.width, height: a.media.height } : null);
  const [ref, vid] = [known(image), known(video)];
  if (!ref || !vid) return asked;
  return animateProcessingSize(params.mode === 'replacement' ? 'replacement' : 'animation', ref, vid, asked.width * asked.height);
}

/** The local Animate clip plan's refusals for the trimmed video at its frame rate (the engine checks again on the real file). */
function localAnimatePlanProblems(video: Asset, seconds: number, params: Record<string, unknown>): string[] {
  const fps = video.media.fps ?? 0;
  const planned = planAnimateClips({ sourceFrames: Math.round(seconds * fps), sourceFps: fps, fps: Number(params.fps), clipLen: Number(params.clip_len), refertNum: Number(params.refert_num) });
  return planned.ok ? [] : planned.problems;
}

function trimmedLength(asset: Asset, trim: TrimRange, problems: string[], what: string): number {
  const total = asset.media.durationSec ?? 0;
  const end = Math.min(trim.outSec ?? total, total);
  if (trim.inSec >= total) {
    problems.push(`${what}: the in point (${trim.inSec.toFixed(2)} s) is past the end of ${asset.name} (${total.toFixed(2)} s). Move it earlier.`);
    return 0;
  }
  if (end - trim.inSec < 0.5) {
    problems.push(`${what}: the trimmed part of ${asset.name} is ${(end - trim.inSec).toFixed(2)} s; a render needs at least half a second. Widen the in and out points.`);
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
