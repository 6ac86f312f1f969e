import { join } from 'node:path';
import { animateJobSchema, type AnimateJob } from '../../../../common/animate/animateJob';
import { WAN_ANIMATE_DEFAULT_PROMPT, WAN_SHARED_NEGATIVE_PROMPT } from '../../../../common/wan/defaultPrompts';
import type { S2vResult } from '../../../../common/s2v/s2vJob';
import { PreviewDetector } from '../../animate/previewDetector';
import { previewModelsDir } from '../../animate/previewModels';
import { StudioError } from '../../contract/errors';
import type { AnimateParams } from '../../contract/params/index';
import type { EngineResult, EngineRunRequest } from '../engine';
import { animatePackShape, prepareAnimate, type PreparedAnimate } from './animatePrep';
import { prepKey, readPrepared, writePrepared } from './animatePrepCache';
import { checkPackFitsMemory, installedWeightsNeed } from './packMemory';
import type { LocalEngineOptions, RenderWork } from './localEngine';
import type { InstalledPack } from './packStore';

/** What the Animate run needs from the local engine it belongs to. */
export interface AnimateRunDeps extends LocalEngineOptions {
  pickPack: () => Promise<InstalledPack | null>;
  render: (pack: InstalledPack, work: RenderWork) => Promise<S2vResult>;
  resetLastRun: () => void;
}

const OUT_OF_MEMORY = 'The local Animate render ran out of memory. Try a smaller Width and Height, turn on Offload models, or render in the cloud.';

/**
 * A local Animate render: the pack is checked first, then the inputs are prepared on this side
 * (animatePrep.ts, with the previews' detector in a worker of its own that is closed before the
 * render's worker starts), and the render worker is driven with 'runAnimate' through the same path
 * as S2V: clips into the encoder, the driving video's sound carried over.
 */
export async function runAnimate(req: EngineRunRequest, deps: AnimateRunDeps): Promise<EngineResult> {
  const pack = await deps.pickPack();
  if (!pack) throw new StudioError('unavailable', 'No Animate model pack is installed: import one in Settings → Local engine, or render in the cloud.');
  const params = req.params as AnimateParams;
  const { video, image } = req.inputs;
  if (!video || !image) throw new StudioError('invalid_input', 'The local Animate render needs the trimmed driving video and the character image.');
  const { faceSize, ditAttention } = animatePackShape(pack.manifest);
  checkPackFitsMemory(await installedWeightsNeed(pack), !params.offload_model);
  if (params.use_flux) req.onEvent({ type: 'log', line: 'use_flux: the FLUX.1 Kontext edit is not available on this computer; the pose is retargeted without it.' });
  const person = req.inputs.person ?? null;
  const key = await prepKey({ video, image, params, person, faceSize });
  let prepared = await readPrepared(req.workDir, key);
  if (prepared) req.onEvent({ type: 'log', line: 'Reusing the poses, faces and masks prepared for this job before.' });
  else {
    const detector = new PreviewDetector(deps.workerFactory, previewModelsDir, () => deps.preprocessPackDir?.() ?? null);
    try {
      prepared = await prepareAnimate({ workDir: req.workDir, video, image, params, person, faceSize, ditAttention, detector, tools: deps.tools(), signal: req.signal, onEvent: req.onEvent });
    } finally {
      await detector.dispose();
    }
    await writePrepared(req.workDir, key, prepared);
  }
  const job = animateJob(req, params, prepared);
  const metadata = { wan_studio: { engine: 'local', pack: `${pack.manifest.name}@${pack.manifest.version}`, seed: params.seed, settings: params, person: req.inputs.person ?? null } };
  deps.resetLastRun();
  const result = await deps.render(pack, {
    message: { type: 'runAnimate', job },
    width: job.width,
    height: job.height,
    fps: job.fps,
    muxAudio: req.inputs.audio ?? null,
    metadata,
    keepLoaded: !params.offload_model,
    outOfMemory: OUT_OF_MEMORY,
  });
  req.onEvent({ type: 'log', line: `${result.frames} frames (${prepared.width} x ${prepared.height} at ${prepared.fps} fps) in ${result.clips} clip(s)${result.resumedClips ? `, ${result.resumedClips} resumed from checkpoints` : ''}.` });
  return { outputFile: req.outputFile, seed: params.seed, settings: { ...params, processing: { width: job.width, height: job.height, fps: job.fps, frames: job.realLen, clips: prepared.plan.clips.length } } };
}

/** The worker's job from the parameters and the prepared files, checked against the contract before it is sent. */
function animateJob(req: EngineRunRequest, params: AnimateParams, p: PreparedAnimate): AnimateJob {
  return animateJobSchema.parse({
    workDir: join(req.workDir, 'checkpoints'),
    mode: params.mode,
    width: p.width,
    height: p.height,
    fps: p.fps,
    refRgb: p.refRgb,
    poseRgb: p.poseRgb,
    faceRgb: p.faceRgb,
    faceSize: p.faceSize,
    backgroundRgb: p.backgroundRgb,
    maskGray: p.maskGray,
    realLen: p.realLen,
    clipLen: params.clip_len,
    refertNum: params.refert_num,
    // Empty fields get Wan's own prompts, as every official render (generate.py passes none).
    prompt: params.input_prompt.trim() || WAN_ANIMATE_DEFAULT_PROMPT,
    negativePrompt: params.n_prompt.trim() || WAN_SHARED_NEGATIVE_PROMPT,
    seed: Math.max(0, params.seed),
    steps: params.sampling_steps,
    shift: params.shift,
    guideScale: params.guide_scale,
    solver: params.sample_solver,
    // The official README pairs the relighting adapters with replacement only.
    loraScale: params.mode === 'replacement' ? 1 : 0,
    colourMatch: params.colour_match,
    offloadModel: params.offload_model,
  });
}
