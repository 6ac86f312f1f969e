import type { AnimateComponentName } from '../../common/pack/animateManifest2';
import type { StageRunner } from '../wan/encoders';
import type { Tensor } from '../wan/tensors';
import type { AnimatePack } from './animatePack';

/**
 * The pack's graphs as the Animate stages run them. With the job's offloadModel each stage releases
 * its graph when done (official offload_model: one component in memory at a time); without it the
 * graphs stay loaded for the whole job (`finish` releases them after, unless the pack was loaded
 * to stay).
 */
export interface AnimateStages extends StageRunner<AnimateComponentName> {
  finish(): Promise<void>;
}

export function animateStages(pack: AnimatePack, offloadModel: boolean): AnimateStages {
  const s = pack.sessions;
  return {
    run: async (name, feeds) => (await s.run(name, feeds)) as Record<string, Tensor>,
    done: async (name) => {
      if (offloadModel) await s.release(name);
    },
    finish: async () => {
      if (!s.keepLoaded) await s.releaseAll();
    },
  };
}
