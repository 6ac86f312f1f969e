/**
 * Frames with their detections, one detection started ahead: while the caller prepares frame k (JS
 * on the main thread), the detector's worker process already looks at frame k + 1. Preparing a frame
 * is about a quarter of the time detection takes, so the two overlap instead of adding up.
 */
export async function* detectAhead<F extends { rgb: Buffer }, D>(frames: AsyncIterable<F>, detect: (rgb: Buffer) => Promise<D>): AsyncGenerator<F & { detection: D }> {
  let ahead: { frame: F; detection: Promise<D> } | null = null;
  for await (const frame of frames) {
    const next = { frame, detection: detect(frame.rgb) };
    // Awaited in its turn; a failure that arrives while the previous frame is prepared is not unhandled.
    next.detection.catch(() => undefined);
    if (ahead) yield { ...ahead.frame, detection: await ahead.detection };
    ahead = next;
  }
  if (ahead) yield { ...ahead.frame, detection: await ahead.detection };
}

/** The source frames a plan uses (its source indices never decrease), with their index; stops reading after the last. */
export async function* plannedFrames(frames: AsyncIterable<Buffer>, sourceIndex: readonly number[]): AsyncGenerator<{ src: number; rgb: Buffer }> {
  let src = -1;
  let k = 0;
  for await (const rgb of frames) {
    src++;
    while (k < sourceIndex.length && sourceIndex[k]! < src) k++;
    if (k >= sourceIndex.length) return;
    if (sourceIndex[k] === src) yield { src, rgb };
  }
}
