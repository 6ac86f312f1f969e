import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { OFFICIAL_MODEL, type DetectedPerson, type FrameDetection } from '../../../common/animate/detection';
import { poseFromWholebody } from '../../../common/animate/pose';
import type { BundledDetector, RgbFrame } from '../bundledDetector';
import { YOLO_SIZE, yoloInput, yoloPeople } from './yolo';
import { decodePose, POSE_H, POSE_W, poseCrop, poseInput } from './vitpose';

/** The official process_checkpoint layout (Wan-AI/Wan2.2-Animate-14B/process_checkpoint). */
export const PREPROCESS_FILES = { detector: join('det', 'yolov10m.onnx'), pose: join('pose2d', 'vitpose_h_wholebody.onnx') } as const;
/** At most this many people get a pose (the render uses one; the preview shows a few to pick from). */
const MAX_PEOPLE = 6;

export function preprocessPackProblem(dir: string): string | null {
  const missing = Object.values(PREPROCESS_FILES).filter((f) => !existsSync(join(dir, f)));
  return missing.length ? `The preprocess pack at ${dir} lacks ${missing.join(' and ')}.` : null;
}

/**
 * Previews with the official Animate preprocessing models: YOLOv10m finds the people, ViTPose-H
 * wholebody gives 133 keypoints each, both through ONNX Runtime on the CPU with the official pre-
 * and post-processing. SAM2 (the official mask) is PyTorch-only, so the mask still comes from the
 * bundled segmentation model; the model label says both.
 */
export class OfficialDetector {
  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly pose: ort.InferenceSession,
    private readonly masks: BundledDetector,
  ) {}

  static async open(dir: string, masks: BundledDetector): Promise<OfficialDetector> {
    const problem = preprocessPackProblem(dir);
    if (problem) throw new Error(problem);
    const opts: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all' };
    const [det, pose] = await Promise.all([ort.InferenceSession.create(join(dir, PREPROCESS_FILES.detector), opts), ort.InferenceSession.create(join(dir, PREPROCESS_FILES.pose), opts)]);
    return new OfficialDetector(det, pose, masks);
  }

  async detect(frame: RgbFrame): Promise<FrameDetection> {
    const { width, height, rgb } = frame;
    const detOut = await this.det.run({ [this.det.inputNames[0]!]: new ort.Tensor('float32', yoloInput(rgb, width, height), [1, 3, YOLO_SIZE, YOLO_SIZE]) });
    const raw = detOut[this.det.outputNames[0]!]!;
    const boxes = yoloPeople(raw.data as Float32Array, raw.dims, width, height)
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_PEOPLE);
    const people: DetectedPerson[] = [];
    for (const box of boxes) {
      const crop = poseCrop(box, width, height);
      const out = await this.pose.run({ [this.pose.inputNames[0]!]: new ort.Tensor('float32', poseInput(rgb, width, height, crop), [1, 3, POSE_H, POSE_W]) });
      const hm = out[this.pose.outputNames[0]!]!;
      const [, joints, hh, hw] = hm.dims as [number, number, number, number];
      if (joints !== 133) throw new Error(`The pose model gives ${joints} keypoints; ViTPose wholebody gives 133.`);
      const person = { ...poseFromWholebody(decodePose(hm.data as Float32Array, joints, hh, hw, crop), box), mask: null } as DetectedPerson;
      people.push({ ...person, mask: await this.masks.maskFor(frame, person) });
    }
    return { width, height, model: OFFICIAL_MODEL, people };
  }
}
