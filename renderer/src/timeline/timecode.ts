/**
 * "mm:ss.ff": minutes, seconds and the frame within the second at the media's frame rate, the
 * way an editor counts. Frames are whole; the last frame of a second is fps - 1.
 */
export function formatTimecode(sec: number, fps: number): string {
  const rate = Math.max(1, Math.round(fps));
  // A media element reports times a hair off the frame (0.99999 for 1.0): round within 1 ms.
  const totalFrames = Math.max(0, Math.floor(sec * rate + 1e-3 * rate));
  const frames = totalFrames % rate;
  const wholeSec = Math.floor(totalFrames / rate);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(wholeSec / 60))}:${pad(wholeSec % 60)}.${pad(frames)}`;
}

/** The frame rate a timeline counts in: the media's own, else 25 (audio has none). */
export const timelineFps = (fps: number | null | undefined): number => (fps && fps > 0 && fps <= 240 ? fps : 25);
