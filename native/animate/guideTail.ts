/**
 * The last `count` (refert_num) frames of the video so far, as RGB24: what guides the next clip.
 * Fed from each clip's new frames as they are checkpointed, or replayed from the checkpoints on
 * resume, so a resumed job guides its next clip with exactly the frames an uninterrupted run had.
 */
export class GuideTail {
  private frames: Uint8Array[] = [];

  constructor(
    private readonly count: number,
    private readonly frameBytes: number,
  ) {}

  /** Appends `rgb`'s frames (copied: the tail does not keep a whole clip alive). */
  push(rgb: Uint8Array): void {
    const n = rgb.length / this.frameBytes;
    for (let i = Math.max(0, n - this.count); i < n; i++) this.frames.push(rgb.slice(i * this.frameBytes, (i + 1) * this.frameBytes));
    this.frames = this.frames.slice(-this.count);
  }

  get(): Uint8Array[] {
    if (this.frames.length !== this.count) throw new Error(`the next clip needs ${this.count} guidance frames; ${this.frames.length} were rendered before it`);
    return this.frames;
  }
}
