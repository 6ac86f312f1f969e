import { mkdir, readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { attentionProblem } from '../../../../common/animate/attentionMemory';
import type { DitAttentionSpec } from '../../../../common/wan/attentionMemory';
import { animateProcessingSize, type Size } from '../../../../common/animate/animateSize';
import { planAnimateClips, type AnimateClipPlan } from '../../../../common/animate/clipPlan';
import type { DetectedPerson, FrameDetection } from '../../../../common/animate/detection';
import { maskParamsOf } from '../../../../common/animate/maskAugment';
import { personIssues } from '../../../../common/animate/personChecks';
import { pickedPersonIndex, type PickPoint } from '../../../../common/animate/personPick';
import type { RgbImage } from '../../animate/previewDetector';
import { StudioError } from '../../contract/errors';
import type { AnimateParams } from '../../contract/params/index';
import type { ToolPreferences } from '../../media/ffmpegBinaries';
import { runFfmpeg } from '../../media/ffmpegCommand';
import { fileUrl } from '../../media/fileUrl';
import { readFrames } from '../../media/frameReader';
import type { MediaInfo } from '../../media/mediaInfo';
import { probeMedia } from '../../media/probe';
import { fitFilter } from '../../media/trim';
import type { EngineEvent } from '../engine';
import { AnimateFramePreparer, type PreparedFrame } from './animateFramePrep';
import { RawSequenceWriter } from './animateFrames';
import type { InstalledPack } from './packStore';
import { detectAhead, plannedFrames } from './detectAhead';

/** Who finds the people in a frame: the previews' detector (bundled models, or the preprocess pack). */
export interface FrameDetector {
  detect(frame: RgbImage): Promise<FrameDetection>;
}

/** The labels the editor shows for the two Animate inputs. */
const VIDEO = 'Driving video';
const CHARACTER = 'Character';
/** Frames of the driving video looked at before the long preparation starts. */
const SAMPLED_FRAMES = 5;

export interface AnimatePrepInput {
  /** The job's folder; the sequences go into its `animate` folder. */
  workDir: string;
  /** The trimmed driving video and the character image. */
  video: string;
  image: string;
  params: AnimateParams;
  /** The person picked in the editor, or null for the largest (Wan's rule). */
  person: PickPoint | null;
  /** The pack's face crop side (manifest face.size). */
  faceSize: number;
  /** The pack's DiT attention (manifest dit.heads and dit.attention): with the frame size, whether a clip fits in memory. */
  ditAttention: DitAttentionSpec;
  detector: FrameDetector;
  tools: ToolPreferences;
  signal: AbortSignal;
  onEvent: (e: EngineEvent) => void;
}

/** The sequences an AnimateJob points at, and the plan they were made for. */
export interface PreparedAnimate {
  width: number;
  height: number;
  fps: number;
  refRgb: string;
  poseRgb: string;
  faceRgb: string;
  faceSize: number;
  backgroundRgb: string | null;
  maskGray: string | null;
  realLen: number;
  plan: AnimateClipPlan;
  /** Whether the driving video has sound to carry over. */
  hasAudio: boolean;
}

/** What preparation needs from the installed pack: its face crop side and its DiT's attention. */
export function animatePackShape(manifest: InstalledPack['manifest']): { faceSize: number; ditAttention: DitAttentionSpec } {
  if (manifest.pipeline !== 'animate') throw new StudioError('invalid_input', `The model pack "${manifest.name}" is an S2V pack; Animate needs an Animate pack. Import one in Settings → Local engine.`);
  return { faceSize: manifest.face.size, ditAttention: { heads: manifest.dit.heads, attention: manifest.dit.attention } };
}

const refuse = (message: string) => new StudioError('invalid_input', message);

/** Source frames and rate of the trimmed driving video (frame count from the container, else from the duration). */
function sourceFrames(info: MediaInfo): { frames: number; fps: number } {
  const fps = info.video?.fps ?? 0;
  const expected = Math.round((info.durationSec ?? 0) * fps);
  const counted = info.video?.frameCount ?? null;
  // As the official preprocessing: a container count more than 10% off the duration's is not trusted.
  const frames = counted && Math.abs(counted - expected) <= 0.1 * counted ? counted : expected;
  return { frames, fps };
}

/**
 * Prepares a local Animate render: checks everything that can be wrong with the inputs first
 * (the clip plan, a character with no body, a driving video with nobody in it), then streams the
 * driving video once, a frame in memory at a time, writing the pose, face, and in replacement the
 * mask and background sequences the worker reads.
 */
export async function prepareAnimate(input: AnimatePrepInput): Promise<PreparedAnimate> {
  const { params, tools } = input;
  const video = await probeMedia(input.video, { tools, displayName: 'the driving video' });
  const image = await probeMedia(input.image, { tools, displayName: 'the character image' });
  if (!video.video) throw refuse(`${VIDEO}: the trimmed video has no picture. Import the video again or convert it to MP4.`);
  if (!image.video) throw refuse(`${CHARACTER}: the image could not be read. Import it again as PNG or JPEG.`);
  const source = sourceFrames(video);
  const planned = planAnimateClips({ sourceFrames: source.frames, sourceFps: source.fps, fps: params.fps, clipLen: params.clip_len, refertNum: params.refert_num });
  if (!planned.ok) throw refuse(planned.problems.join(' '));
  const plan = planned.plan;
  const replacement = params.mode === 'replacement';
  const size = animateProcessingSize(params.mode, image.video, video.video, params.resolution_width * params.resolution_height);
  const tooLarge = attentionProblem({ ...size, clipLen: params.clip_len }, input.ditAttention, totalmem());
  if (tooLarge) throw refuse(tooLarge);
  const dir = join(input.workDir, 'animate');
  await mkdir(dir, { recursive: true });

  input.onEvent({ type: 'stage', stage: 'Preparing the character' });
  const refRgb = join(dir, `reference-${size.width}x${size.height}.rgb`);
  await letterboxImage(input, size, refRgb);
  const refPerson = await characterPerson(input, size, refRgb);

  input.onEvent({ type: 'stage', stage: 'Looking for the person in the driving video' });
  const frameSize = replacement ? size : { width: video.video.width, height: video.video.height };
  await requirePerson(input, video, plan, source.fps, frameSize, replacement);

  const files = {
    poseRgb: join(dir, 'pose.rgb'),
    faceRgb: join(dir, `face-${input.faceSize}.rgb`),
    backgroundRgb: replacement ? join(dir, 'background.rgb') : null,
    maskGray: replacement ? join(dir, 'mask.gray') : null,
  };
  const preparer = new AnimateFramePreparer({
    size,
    frameSize,
    faceSize: input.faceSize,
    replacement,
    pick: input.person,
    retargetTo: !replacement && params.retarget_flag ? refPerson : null,
    mask: maskParamsOf(params),
  });
  await streamSequences(input, video, plan, frameSize, preparer, files);
  return { ...size, fps: plan.fps, refRgb, ...files, faceSize: input.faceSize, realLen: plan.realLen, plan, hasAudio: video.audio !== null };
}

/** The character image letterboxed to the processing size (official padding_resize: black bars, centred). */
async function letterboxImage(input: AnimatePrepInput, size: Size, out: string): Promise<void> {
  await runFfmpeg({
    label: 'Preparing the character image',
    outputs: [out],
    args: ([tmp]) => ['-i', fileUrl(input.image), '-vf', fitFilter({ ...size, mode: 'letterbox' }), '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', fileUrl(tmp as string)],
    tools: input.tools,
    signal: input.signal,
    hidePaths: [input.image],
  });
}

/** The character's person on the prepared reference; refuses an image with nobody or no body in it. */
async function characterPerson(input: AnimatePrepInput, size: Size, refRgb: string): Promise<DetectedPerson> {
  const rgb = new Uint8Array(await readFile(refRgb));
  const detection = await input.detector.detect({ ...size, rgb });
  const used = pickedPersonIndex(detection, null);
  const problem = personIssues(detection, used, 'the character image').find((i) => i.kind === 'no_person' || i.kind === 'no_body');
  if (problem?.kind === 'no_person') throw refuse(`${CHARACTER}: no person found in the character image. Animate needs a character with a body: use an image that shows the whole character, or at least down to the hips.`);
  if (problem) throw refuse(`${CHARACTER}: ${problem.message}`);
  return detection.people[used]!;
}

/** Frames of the video as the preparation reads them: at the processing size (letterboxed) in replacement, as they are otherwise. */
function videoFrames(input: AnimatePrepInput, info: MediaInfo, frameSize: Size, startSec?: number): AsyncGenerator<Buffer> {
  return readFrames(input.video, info, { ...frameSize, mode: 'letterbox', startSec, tools: input.tools, signal: input.signal, displayName: 'the driving video' });
}

/**
 * Refuses, before the long preparation, a driving video with nobody in it: a few frames spread over
 * the processing frames are looked at, and when none has a person the render cannot follow one.
 */
async function requirePerson(input: AnimatePrepInput, info: MediaInfo, plan: AnimateClipPlan, sourceFps: number, frameSize: Size, replacement: boolean): Promise<void> {
  const count = Math.min(SAMPLED_FRAMES, plan.realLen);
  const times = Array.from({ length: count }, (_, i) => plan.sourceIndex[Math.floor((i * (plan.realLen - 1)) / Math.max(1, count - 1))]! / sourceFps);
  for (const at of times) {
    for await (const rgb of videoFrames(input, info, frameSize, at > 0 ? at : undefined)) {
      const detection = await input.detector.detect({ ...frameSize, rgb });
      if (detection.people.length > 0) return;
      break;
    }
  }
  const end = plan.sourceIndex[plan.realLen - 1]! / sourceFps;
  const why = replacement ? 'Replacement puts your character in place of a person' : 'Animation moves your character as a person in the video moves';
  throw refuse(`${VIDEO}: no person found in the trimmed driving video (looked at ${count} frames between 0.00 s and ${end.toFixed(2)} s). ${why}: pick a video or a part of it with a person in view.`);
}

type SequenceFiles = { poseRgb: string; faceRgb: string; backgroundRgb: string | null; maskGray: string | null };

/**
 * Reads the driving video once and writes every sequence as it goes: processing frame k is source
 * frame plan.sourceIndex[k] (a source frame used twice, when the processing rate is higher, is
 * prepared once and written twice). Files appear under their names only when complete.
 */
async function streamSequences(input: AnimatePrepInput, info: MediaInfo, plan: AnimateClipPlan, frameSize: Size, preparer: AnimateFramePreparer, files: SequenceFiles): Promise<void> {
  const { width, height } = preparer.size;
  const writers = {
    pose: new RawSequenceWriter(files.poseRgb, width * height * 3),
    face: new RawSequenceWriter(files.faceRgb, input.faceSize * input.faceSize * 3),
    background: files.backgroundRgb ? new RawSequenceWriter(files.backgroundRgb, width * height * 3) : null,
    mask: files.maskGray ? new RawSequenceWriter(files.maskGray, width * height) : null,
  };
  const all = [writers.pose, writers.face, writers.background, writers.mask].filter((w): w is RawSequenceWriter => w !== null);
  const write = async (f: PreparedFrame) => {
    await writers.pose.write(f.pose);
    await writers.face.write(f.face);
    if (writers.background && f.background) await writers.background.write(f.background);
    if (writers.mask && f.mask) await writers.mask.write(f.mask);
  };
  input.onEvent({ type: 'stage', stage: 'Preparing poses, faces and masks' });
  try {
    let k = 0;
    let last: PreparedFrame | null = null;
    const used = plannedFrames(videoFrames(input, info, frameSize), plan.sourceIndex);
    for await (const { src, rgb, detection } of detectAhead(used, (rgb) => input.detector.detect({ ...frameSize, rgb }))) {
      last = preparer.prepare(rgb, detection);
      for (; k < plan.realLen && plan.sourceIndex[k] === src; k++) await write(last);
      input.onEvent({ type: 'progress', fraction: 0.05 * (k / plan.realLen), etaMs: null });
    }
    // The decoder gave fewer frames than the container said: the last one stands in for the rest.
    for (; k < plan.realLen && last; k++) await write(last);
    if (!last || !preparer.sawPerson) throw refuse(`${VIDEO}: no person found in any frame of the trimmed driving video. Pick a video or a part of it with a person in view.`);
    for (const w of all) await w.finish();
  } catch (e) {
    await Promise.all(all.map((w) => w.abort()));
    if (input.signal.aborted) throw new StudioError('cancelled', 'Cancelled.');
    throw e;
  }
}
