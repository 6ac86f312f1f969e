import { useEffect, useState } from 'react';
import type { FramePreviewDto } from '../../../../main/core/contract/animateTypes';
import type { Asset } from '../../../../main/core/contract/types';
import { errorMessage } from '../../errorMessage';
import { studio } from '../../studio';

/** What is wrong with a character image for Animate, from the preview's issue kinds (data, not message text). */
function characterProblem(frame: FramePreviewDto, name: string): string | null {
  const kinds = new Set(frame.issues.map((i) => i.kind));
  if (kinds.has('no_person')) return `No person found in ${name}: Animate moves a character with a body like the person in the video. Use an image of the character in full view.`;
  if (kinds.has('no_body')) return `Only a head and shoulders are visible in ${name}: Animate moves the character's body like the person in the video. Use an image that shows the character down to at least the hips.`;
  return null;
}

/** Looks at the chosen character image with the preview models and says when it cannot be animated well. */
export function CharacterCheck({ character }: { character: Asset }) {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    setProblem(null);
    studio()
      .animate.previewFrame({ assetId: character.id, atSec: 0 })
      .then(
        (f) => alive && setProblem(characterProblem(f, character.name)),
        (e: unknown) => alive && setProblem(errorMessage(e)),
      );
    return () => {
      alive = false;
    };
  }, [character.id, character.name]);
  if (!problem) return null;
  return (
    <p className="preview-issues character-check" role="status" data-testid="character-check">
      {problem}
    </p>
  );
}
