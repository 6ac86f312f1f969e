import type { S2vProgress } from '../../common/s2v/s2vJob';

/**
 * Progress over a whole S2V run: counts sampler steps across clips and estimates the time left
 * from a moving average of the step time.
 */
export class StepProgress {
  private stepsDone = 0;
  private stepMsAvg: number | null = null;

  constructor(
    private readonly stepsPerClip: number,
    private readonly clips: number,
    private readonly onProgress: (p: S2vProgress) => void,
  ) {}

  report(stage: string, chunk: number, step: number): void {
    const totalSteps = this.clips * this.stepsPerClip;
    const etaMs = this.stepMsAvg === null ? null : Math.round(this.stepMsAvg * (totalSteps - this.stepsDone));
    this.onProgress({ stage, step, steps: this.stepsPerClip, chunk, chunks: this.clips, etaMs });
  }

  /** A clip replayed from its checkpoint: its steps count as done without a time. */
  skipClip(): void {
    this.stepsDone += this.stepsPerClip;
  }

  stepTook(ms: number): void {
    this.stepsDone++;
    this.stepMsAvg = this.stepMsAvg === null ? ms : this.stepMsAvg * 0.8 + ms * 0.2;
  }
}
