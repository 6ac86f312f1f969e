import type { AnimateJob } from '../../common/animate/animateJob';
import type { AnimateClip } from '../../common/animate/clipPlan';
import { clipFrameIndices } from './clipFrames';
import { FrameFile } from './frameFile';

/** One clip's conditioning frames, read from the job's sequence files (RGB24, the mask gray8). */
export interface ClipFrames {
  pose: Buffer;
  face: Buffer;
  background: Buffer | null;
  mask: Buffer | null;
}

/** The job's preprocessed sequences, opened and size-checked once, read clip by clip. */
export class AnimateInputs {
  private constructor(
    private readonly job: AnimateJob,
    private readonly files: { pose: FrameFile; face: FrameFile; background: FrameFile | null; mask: FrameFile | null },
  ) {}

  static async open(job: AnimateJob): Promise<AnimateInputs> {
    const size = { width: job.width, height: job.height, channels: 3 };
    const opened: FrameFile[] = [];
    const track = async (f: Promise<FrameFile>) => {
      const file = await f;
      opened.push(file);
      return file;
    };
    try {
      const pose = await track(FrameFile.open(job.poseRgb, 'The pose frames', size, job.realLen));
      const face = await track(FrameFile.open(job.faceRgb, 'The face crops', { width: job.faceSize, height: job.faceSize, channels: 3 }, job.realLen));
      const background = job.backgroundRgb ? await track(FrameFile.open(job.backgroundRgb, 'The background frames', size, job.realLen)) : null;
      const mask = job.maskGray ? await track(FrameFile.open(job.maskGray, 'The person mask frames', { ...size, channels: 1 }, job.realLen)) : null;
      return new AnimateInputs(job, { pose, face, background, mask });
    } catch (e) {
      await Promise.all(opened.map((f) => f.close()));
      throw e;
    }
  }

  async read(clip: AnimateClip): Promise<ClipFrames> {
    const indices = clipFrameIndices(clip, this.job.realLen);
    const { pose, face, background, mask } = this.files;
    return {
      pose: await pose.read(indices),
      face: await face.read(indices),
      background: background ? await background.read(indices) : null,
      mask: mask ? await mask.read(indices) : null,
    };
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.files).map((f) => f?.close()));
  }
}
