import type { PackSessions } from '../ort/packSessions';
import type { S2vJob } from '../../common/s2v/s2vJob';
import type { ClipAudio } from './clipAudio';
import { FirstBlockCache } from './firstBlockCache';
import { data, type Tensor } from './tensors';

/** What a clip's DiT calls are conditioned on besides the latents and the timestep. */
export interface ClipConditions {
  context: Tensor;
  /** The negative prompt's context; null when guidance is off (no unconditional branch). */
  negContext: Tensor | null;
  audio: ClipAudio;
  ref: Tensor;
  motion: Tensor;
}

export type Branch = 'cond' | 'uncond';

/**
 * The S2V DiT as a velocity function per CFG branch: the whole `dit` graph, or a pack split into
 * `dit_first_block` + `dit_rest`, where the first block cache may skip the rest.
 */
export class S2vDit {
  private readonly split: boolean;
  private readonly useCache: boolean;
  private readonly caches: Record<Branch, FirstBlockCache>;

  constructor(
    private readonly sessions: PackSessions,
    cache: S2vJob['firstBlockCache'],
  ) {
    this.split = sessions.has('dit_first_block') && sessions.has('dit_rest');
    this.useCache = this.split && cache.enabled;
    this.caches = { cond: new FirstBlockCache(cache.threshold), uncond: new FirstBlockCache(cache.threshold) };
  }

  async velocity(branch: Branch, latents: Tensor, timestep: Tensor, c: ClipConditions): Promise<Float32Array> {
    const context = branch === 'cond' ? c.context : (c.negContext as Tensor);
    const audio = branch === 'cond' ? c.audio.cond : c.audio.uncond;
    const s = this.sessions;
    if (!this.split) return data((await s.run('dit', { latents, timestep, context, audio, ref_latents: c.ref, motion_latents: c.motion })).velocity, 'velocity');
    const fb = await s.run('dit_first_block', { latents, timestep, context, audio, ref_latents: c.ref, motion_latents: c.motion });
    const hidden = fb.hidden as Tensor;
    const residual = data(fb.first_residual, 'first block residual');
    const cache = this.caches[branch];
    if (this.useCache && cache.shouldReuse(residual)) return cache.reuse(hidden.data as Float32Array);
    const v = data((await s.run('dit_rest', { hidden, timestep, context, audio })).velocity, 'velocity');
    if (this.useCache) cache.store(residual, hidden.data as Float32Array, v);
    return v;
  }

  /** Lets the sessions release the DiT graphs between clips (when they do not keep them loaded). */
  async release(): Promise<void> {
    if (!this.split) await this.sessions.done('dit');
    else {
      await this.sessions.done('dit_first_block');
      await this.sessions.done('dit_rest');
    }
  }

  /** Share of DiT-rest calls the cache skipped; null when the cache was not used. */
  cacheHitRate(): number | null {
    const { cond, uncond } = this.caches;
    const hits = cond.hits + uncond.hits;
    const total = hits + cond.misses + uncond.misses;
    return this.useCache && total > 0 ? hits / total : null;
  }
}
