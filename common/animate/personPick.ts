import { primaryPersonIndex } from './detection';
import type { PersonBox } from './pose';

/** A point the user clicked on a person, in fractions of the frame (the project's saved pick). */
export interface PickPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * The person a render uses in one frame: with a pick, the box whose centre is nearest to the picked
 * point (so the pick follows that person from frame to frame); without one, Wan's own rule (the
 * largest). The previews and the local render both call this, so what the user sees is what renders.
 * Returns -1 when the frame has nobody.
 */
export function pickedPersonIndex(frame: { width: number; height: number; people: readonly { box: PersonBox }[] }, pick: PickPoint | null): number {
  const primary = primaryPersonIndex(frame.people);
  if (!pick || frame.people.length === 0) return primary;
  let best = primary;
  let bestD = Infinity;
  frame.people.forEach((p, i) => {
    const d = Math.hypot((p.box.x1 + p.box.x2) / 2 - pick.x * frame.width, (p.box.y1 + p.box.y2) / 2 - pick.y * frame.height);
    if (d < bestD) [best, bestD] = [i, d];
  });
  return best;
}
