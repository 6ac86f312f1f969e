import type { HandlersFor, StudioServices } from './types';

export function animateHandlers({ animatePreviews }: StudioServices): HandlersFor<'animate'> {
  return {
    'animate.previewFrame': ({ assetId, atSec }) => animatePreviews.previewFrame(assetId, atSec),
    'animate.startPrecompute': ({ assetId }) => animatePreviews.start(assetId),
    'animate.cancelPrecompute': ({ assetId }) => animatePreviews.cancel(assetId),
    'animate.precomputeStatus': ({ assetId }) => animatePreviews.status(assetId),
  };
}
