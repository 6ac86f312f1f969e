/** The frames each S2V clip generates for the Frames per chunk asked: a multiple of 4, at least 8 (one latent per 4 frames). */
export function framesPerClip(requested: number): number {
  return Math.max(8, Math.floor(requested / 4) * 4);
}
