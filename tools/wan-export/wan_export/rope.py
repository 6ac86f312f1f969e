"""The S2V DiT's RoPE tables (docs/model-pack.md, "RoPE tables"), the geometry of the official
rope_precompute: angles in float64, returned as float32 cos/sin [seq, head_dim / 2]."""
import numpy as np

from .configs import FRAMEPACK_BUCKETS, REF_TIME_INDEX, rope_pairs


def _freqs(pairs, theta=10000.0):
    dims = 2 * pairs
    return theta ** (-np.arange(0, dims, 2, dtype=np.float64) / dims)


def _grid(t_pos, ys, xs):
    t, y, x = np.meshgrid(np.asarray(t_pos, np.float64), np.asarray(ys, np.float64), np.asarray(xs, np.float64), indexing="ij")
    return np.stack([t.ravel(), y.ravel(), x.ravel()], axis=1)


def token_positions(latent_frames, lh, lw, with_motion):
    """(t, y, x) per token: noisy, reference, then (unless dropped) FramePack motion tokens."""
    h2, w2 = lh // 2, lw // 2
    groups = [_grid(range(latent_frames), range(h2), range(w2)), _grid([REF_TIME_INDEX], range(h2), range(w2))]
    if with_motion:
        b1, b2, b4 = FRAMEPACK_BUCKETS

        def spaced(k, n):  # floor(linspace(0, n - 1, k)), as np.linspace(...).astype(int)
            return np.linspace(0, n - 1, k).astype(int)

        groups.append(_grid([-1], range(h2), range(w2)))
        groups.append(_grid([-(b1 + b2)], spaced(lh // 4, h2), spaced(lw // 4, w2)))
        t4 = -np.linspace(b1 + b2 + b4, (b1 + b2 + b4) - b4 + 1, b4 // 4).astype(int)  # -19, -14, -9, -4
        groups.append(_grid(t4, spaced(lh // 8, h2), spaced(lw // 8, w2)))
    return np.concatenate(groups, axis=0)


def rope_tables(latent_frames, lh, lw, head_dim, with_motion=True):
    pt, ph, pw = rope_pairs(head_dim)
    pos = token_positions(latent_frames, lh, lw, with_motion)
    angles = np.concatenate([np.outer(pos[:, 0], _freqs(pt)), np.outer(pos[:, 1], _freqs(ph)), np.outer(pos[:, 2], _freqs(pw))], axis=1)
    return np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)
