import { useEffect, useRef, useState } from 'react';
import { primaryPersonIndex } from '../../../../common/animate/detection';
import { blankCanvas, drawPose, type RgbCanvas } from '../../../../common/animate/poseDraw';
import { retargetPoses } from '../../../../common/animate/retarget';
import type { FramePreviewDto, PersonPreviewDto } from '../../../../main/core/contract/animateTypes';
import { errorMessage } from '../../errorMessage';
import { studio } from '../../studio';

function paint(canvas: HTMLCanvasElement | null, picture: RgbCanvas): void {
  const g = canvas?.getContext('2d');
  if (!canvas || !g) return;
  [canvas.width, canvas.height] = [picture.width, picture.height];
  const img = g.createImageData(picture.width, picture.height);
  for (let i = 0; i < picture.width * picture.height; i++) img.data.set([picture.data[i * 3]!, picture.data[i * 3 + 1]!, picture.data[i * 3 + 2]!, 255], i * 4);
  g.putImageData(img, 0, 0);
}

/**
 * With retarget_flag on: the character's own pose beside the driving pose at the playhead
 * retargeted onto it (driving angles, the character's bone lengths), both on the character
 * image's canvas as Wan draws them.
 */
export function RetargetPanel({ referenceAssetId, driving, threshold }: { referenceAssetId: string; driving: PersonPreviewDto | null; threshold: number }) {
  const [ref, setRef] = useState<FramePreviewDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const left = useRef<HTMLCanvasElement>(null);
  const right = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let alive = true;
    studio()
      .animate.previewFrame({ assetId: referenceAssetId, atSec: 0 })
      .then((f) => alive && setRef(f), (e: unknown) => alive && setError(errorMessage(e)));
    return () => {
      alive = false;
    };
  }, [referenceAssetId]);
  const refPerson = ref ? ref.people[primaryPersonIndex(ref.people)] ?? null : null;
  useEffect(() => {
    if (!ref || !refPerson) return;
    paint(left.current, drawPose(blankCanvas(ref.width, ref.height), refPerson, threshold));
    const moved = driving ? retargetPoses([driving], refPerson, threshold)[0]! : null;
    paint(right.current, moved ? drawPose(blankCanvas(ref.width, ref.height), moved, threshold) : blankCanvas(ref.width, ref.height));
  }, [ref, refPerson, driving, threshold]);
  if (error) return <p className="error">{error}</p>;
  if (ref && !refPerson) return <p className="preview-issues" data-testid="retarget-panel">No body found in the character image: retargeting needs the character's pose. Use a full-body image.</p>;
  return (
    <figure className="retarget-panel" data-testid="retarget-panel">
      <canvas ref={left} aria-label="Character pose" />
      <canvas ref={right} aria-label="Driving pose retargeted to the character" />
      <figcaption className="muted">Character pose · driving pose retargeted to it (retarget_flag)</figcaption>
    </figure>
  );
}
