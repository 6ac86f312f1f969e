"""A torch reference of the studio's S2V pipeline up to clip 0's clean latents, for the end-to-end test
(test/integration/export/exportedPackRender.test.ts): our torch modules (not the exported graphs)
run the official orchestration: the whole file through the audio encoder, 50 -> 30 Hz with
align_corners, bucket rows round_half_even(k * 30 / 16) (zeros past the end), clip 0 without motion
tokens, zero pose latents, integer timesteps from float64 sigmas, classifier-free guidance with a
negative prompt and zeroed audio, DPM++ 2M, and the noise of the studio's documented generator
(common/random/gaussianNoise.ts) seeded with the job's seed.

    python3 -m wan_export.pipeline_reference JOB.json OUT.f32

JOB.json: checkpoint, wav (16 kHz mono 16-bit), ids / neg_ids (the studio's umT5 ids), ref_latents
(raw float32 [1, 16, 1, lh, lw], the studio's VAE encoding of the portrait), frames (F), lh, lw, seed,
steps, shift, guide_scale.
"""
import json
import math
import sys
import wave

import numpy as np
import torch
import torch.nn.functional as F

from .audio_export import build_audio
from .components import build_dit, build_text_encoder
from .configs import MOTION_LATENTS
from .dit import FirstBlock, Rest
from .layout import Checkpoint
from .rope import rope_tables

M32 = 0xFFFFFFFF


class GaussianNoise:
    """common/random/gaussianNoise.ts: splitmix32 seeding, xoshiro128**, Box-Muller (cos, then sin)."""

    def __init__(self, seed):
        x = seed & M32
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B9) & M32
            z = x
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M32
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M32
            state.append((z ^ (z >> 16)) & M32)
        if not any(state):
            state[0] = 1
        self.s = state
        self.spare = None

    def _next(self):
        s0, s1, s2, s3 = self.s
        rotl = lambda v, k: ((v << k) | (v >> (32 - k))) & M32  # noqa: E731
        result = (rotl((s1 * 5) & M32, 7) * 9) & M32
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def normal(self):
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        u1 = (self._next() + 0.5) / 4294967296
        u2 = (self._next() + 0.5) / 4294967296
        r = math.sqrt(-2 * math.log(u1))
        a = 2 * math.pi * u2
        self.spare = r * math.sin(a)
        return r * math.cos(a)

    def fill(self, n):
        return np.array([self.normal() for _ in range(n)], dtype=np.float32)


def dpm_sigmas(steps, shift):
    """Float64 sigmas as wan/utils/fm_solvers.py get_sampling_sigmas: shift(linspace(1, 0, steps + 1)[:steps])."""
    s = np.linspace(1, 0, steps + 1)[:steps]
    return shift * s / (1 + (shift - 1) * s)


def lam(sigma):
    if sigma >= 1:
        return -math.inf
    if sigma <= 0:
        return math.inf
    return math.log(1 - sigma) - math.log(sigma)


def dpm_step(i, sigmas, v, x, prev):
    """DPM-Solver++ 2M (midpoint), first order at the first and last step; returns (x_next, m0)."""
    s0, t = float(sigmas[i]), float(sigmas[i + 1])
    m0 = x - s0 * v
    if t == 0:
        return m0, m0
    h = lam(t) - lam(s0)
    emh = math.exp(-h) if math.isfinite(h) else 0.0
    alpha_t = 1 - t
    ratio = t / s0
    last = i == len(sigmas) - 2
    if prev is None or last:
        return ratio * x - alpha_t * (emh - 1) * m0, m0
    h0 = lam(s0) - lam(float(sigmas[i - 1]))
    d1 = (h / h0 if math.isfinite(h0) and h0 != 0 else 0.0) * (m0 - prev)
    return ratio * x - alpha_t * (emh - 1) * (m0 + 0.5 * d1), m0


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: 16-bit mono expected")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
    return torch.from_numpy(data).unsqueeze(0)


def clip0_audio(feats, frames):
    """[1, T50, dim] -> clip 0's rows [1, F, dim]: 50 -> 30 Hz (align_corners), bucket round-half-even, zeros past the end."""
    t50 = feats.shape[1]
    n30 = int(t50 / 50 * 30)
    at30 = F.interpolate(feats.transpose(1, 2), size=n30, mode="linear", align_corners=True).transpose(1, 2) if n30 > 0 else feats[:, :0]
    rows = np.round(np.arange(frames) * 30 / 16).astype(int)
    out = torch.zeros(1, frames, feats.shape[2])
    for k, r in enumerate(rows):
        if r < n30:
            out[0, k] = at30[0, r]
    return out


def clip0_latents(job):
    ckpt = Checkpoint(job["checkpoint"], ["text_encoder", "dit", "audio_encoder"])
    t5, _ = build_text_encoder(ckpt)
    audio_model, _ = build_audio(ckpt)
    dit, cfg = build_dit(ckpt)
    frames, lh, lw = job["frames"], job["lh"], job["lw"]
    lt = frames // 4
    with torch.no_grad():
        ctx = t5(torch.tensor([job["ids"]], dtype=torch.int64))
        neg = t5(torch.tensor([job["neg_ids"]], dtype=torch.int64))
        audio = clip0_audio(audio_model(read_wav(job["wav"])), frames)
    silent = torch.zeros_like(audio)
    cos, sin = (torch.from_numpy(a) for a in rope_tables(lt, lh, lw, cfg["dim"] // cfg["num_heads"], with_motion=False))
    ref = torch.from_numpy(np.fromfile(job["ref_latents"], dtype="<f4").reshape(1, 16, 1, lh, lw))
    pose = torch.zeros(1, 16, lt, lh, lw)
    motion = torch.zeros(1, 16, MOTION_LATENTS, lh, lw)  # dropped on clip 0: the RoPE table has no motion rows
    first, rest = FirstBlock(dit), Rest(dit)

    def velocity(x, t, context, a):
        with torch.no_grad():
            h, _ = first(x, pose, ref, motion, t, context, a, cos, sin)
            v, _ = rest(h, x, t, context, a, cos, sin)
        return v.numpy().astype(np.float64)

    sig64 = dpm_sigmas(job["steps"], job["shift"])
    timesteps = (sig64 * 1000).astype(np.int64)  # float64 truncated, before any float32 cast
    sigmas = np.concatenate([sig64, [0.0]]).astype(np.float32).astype(np.float64)
    x = GaussianNoise(job["seed"]).fill(16 * lt * lh * lw).astype(np.float64).reshape(1, 16, lt, lh, lw)
    prev = None
    for i in range(job["steps"]):
        xt = torch.from_numpy(x.astype(np.float32))
        t = torch.tensor([float(timesteps[i])])
        vc = velocity(xt, t, ctx, audio)
        vu = velocity(xt, t, neg, silent)
        v = vu + job["guide_scale"] * (vc - vu)
        x, prev = dpm_step(i, sigmas, v, x, prev)
        x = x.astype(np.float32).astype(np.float64)  # the studio keeps latents in float32 between steps
    return x.astype(np.float32)


def main(argv):
    with open(argv[0], encoding="utf-8") as f:
        job = json.load(f)
    clip0_latents(job).astype("<f4").tofile(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
