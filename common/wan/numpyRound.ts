/**
 * numpy's round: halves go to the even neighbour. The official Wan pipelines index frames and audio
 * rows with it (S2V's audio rows per video frame, Animate's frame sampling), so ours do too.
 */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
