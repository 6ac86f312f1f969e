import type { AnimateClip } from '../../common/animate/clipPlan';
import { pingPongIndex } from '../../common/animate/clipPlan';

/**
 * The real frames that condition a clip: positions [start, end) of the sequence padded ping-pong to
 * whole clips (wan/animate.py inputs_padding), as indices into the realLen-frame files.
 */
export function clipFrameIndices(clip: Pick<AnimateClip, 'start' | 'end'>, realLen: number): number[] {
  return Array.from({ length: clip.end - clip.start }, (_, i) => pingPongIndex(clip.start + i, realLen));
}
