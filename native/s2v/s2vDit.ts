import type { S2vJob } from '../../common/s2v/s2vJob';
import type { Branch } from '../wan/sampleLatents';
import { HiddenBlockCache } from './hiddenBlockCache';
import type { S2vPack } from './s2vPack';
import { data, f32, type Tensor } from '../wan/tensors';

/** What a clip's DiT calls are conditioned on besides the latents and the timestep. */
export interface ClipConditions {
  context: Tensor;
  /** The negative prompt's context; null when guidance is off (no unconditional branch). */
  negContext: Tensor | null;
  /** The clip's audio rows [1, F, dim]; the unconditional branch gets zeros of the same shape. */
  audio: { cond: Tensor; uncond: Tensor };
  pose: Tensor;
  ref: Tensor;
  motion: Tensor;
  ropeCos: Tensor;
  ropeSin: Tensor;
}

/**
 * The format 2 S2V DiT as a velocity function per CFG branch (docs/model-pack.md, "first block
 * cache"): `dit_first_block` every step; on a cache hit `dit_head(h0 + R)` with R the rest's
 * residual of this branch's last full step, else `dit_rest`, whose residual is stored.
 */
export class S2vDit {
  private readonly caches: Record<Branch, HiddenBlockCache>;

  constructor(
    private readonly pack: S2vPack,
    private readonly cache: S2vJob['firstBlockCache'],
  ) {
    this.caches = { cond: new HiddenBlockCache(cache.threshold), uncond: new HiddenBlockCache(cache.threshold) };
  }

  /** A new clip starts with empty caches: its token sequence and conditions differ. */
  newClip(): void {
    for (const c of Object.values(this.caches)) c.clear();
  }

  async velocity(branch: Branch, latents: Tensor, timestep: Tensor, c: ClipConditions): Promise<Float32Array> {
    const context = branch === 'cond' ? c.context : (c.negContext as Tensor);
    const audio = c.audio[branch];
    const s = this.pack.sessions;
    const conditioning = { timestep, context, audio, rope_cos: c.ropeCos, rope_sin: c.ropeSin };
    const fb = await s.run('dit_first_block', { latents, pose_latents: c.pose, ref_latents: c.ref, motion_latents: c.motion, ...conditioning });
    const hidden = fb.hidden as Tensor;
    const residual = data(fb.first_residual, 'first block residual');
    const cache = this.caches[branch];
    if (this.cache.enabled && cache.shouldReuse(residual)) {
      const reused = f32(cache.reuse(hidden.data as Float32Array), [...hidden.dims]);
      return data((await s.run('dit_head', { hidden: reused, latents, timestep })).velocity, 'velocity');
    }
    const rest = await s.run('dit_rest', { hidden, latents, ...conditioning });
    if (this.cache.enabled) cache.store(residual, data(rest.rest_residual, 'rest residual'));
    return data(rest.velocity, 'velocity');
  }

  /** Lets the sessions release the DiT graphs between clips (when they do not keep them loaded). */
  async release(): Promise<void> {
    for (const g of ['dit_first_block', 'dit_rest', 'dit_head'] as const) await this.pack.sessions.done(g);
  }

  /** Share of steps whose rest the cache skipped; null when the cache was off. */
  cacheHitRate(): number | null {
    const { cond, uncond } = this.caches;
    const hits = cond.hits + uncond.hits;
    const total = hits + cond.misses + uncond.misses;
    return this.cache.enabled && total > 0 ? hits / total : null;
  }
}
