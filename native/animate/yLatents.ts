/**
 * The DiT's `y` input [1, 20, latT + 1, h, w] (wan/animate.py): latent frame 0 is y_ref (4 mask
 * channels of ones, then the reference latent), frames 1..latT are y_reft (the folded temporal
 * guidance mask, then the guidance video's latents). Channels first: [mask 4 | latent 16].
 */
export function buildY(refLatent: Float32Array, reftLatents: Float32Array, reftMask: Float32Array, latT: number, hw: number): Float32Array {
  const F = latT + 1;
  if (refLatent.length !== 16 * hw || reftLatents.length !== 16 * latT * hw || reftMask.length !== 4 * latT * hw)
    throw new RangeError(`y: the reference latent, guidance latents and mask have ${refLatent.length}, ${reftLatents.length} and ${reftMask.length} values for ${latT} latent frames of ${hw}`);
  const y = new Float32Array(20 * F * hw);
  for (let c = 0; c < 4; c++) {
    y.fill(1, c * F * hw, c * F * hw + hw);
    y.set(reftMask.subarray(c * latT * hw, (c + 1) * latT * hw), c * F * hw + hw);
  }
  for (let c = 0; c < 16; c++) {
    const base = (4 + c) * F * hw;
    y.set(refLatent.subarray(c * hw, (c + 1) * hw), base);
    y.set(reftLatents.subarray(c * latT * hw, (c + 1) * latT * hw), base + hw);
  }
  return y;
}

/** [1, 16, F, h, w] without latent frame 0: what the VAE decodes (the reference latent dropped). */
export function dropFirstLatent(x: Float32Array, F: number, hw: number): Float32Array {
  const out = new Float32Array(16 * (F - 1) * hw);
  for (let c = 0; c < 16; c++) out.set(x.subarray((c * F + 1) * hw, (c + 1) * F * hw), c * (F - 1) * hw);
  return out;
}
