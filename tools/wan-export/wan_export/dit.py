"""The Wan 2.2 S2V DiT (state-dict keys of the official diffusion_pytorch_model*.safetensors) with an
export-friendly forward, split for the first block cache in hidden space (docs/model-pack.md):

- first block: conditioning + token embedding + block 0 (+ its audio injector) -> hidden, first_residual
- rest: blocks 1..N-1 with their injectors + head -> velocity, rest_residual
- head: the head alone, for cache hits (velocity = head(h0 + R))

Differences from the official forward, all exact rewrites: RoPE as real cos/sin tables given as inputs,
per-token modulation (noisy tokens: timestep; reference and motion: 0) instead of `.item()` slicing,
motion tokens kept or dropped by the RoPE table's length, the audio layer mix folded into the audio
encoder graph (the DiT takes the mixed features).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import attention
from .configs import MOTION_FRAMES, MOTION_LATENTS


def layer_norm(x, eps):
    """LayerNorm without affine parameters (torch 1.13 exports those with an empty Scale)."""
    mean = x.mean(dim=-1, keepdim=True)
    var = (x - mean).pow(2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps)


def rope(x, cos, sin):
    """Rotates pairs (2p, 2p+1) of each head by the angle whose cos/sin are [seq, D/2]."""
    b, s, h, d = x.shape
    x = x.reshape(b, s, h, d // 2, 2)
    xe, xo = x[..., 0], x[..., 1]
    c, sn = cos.view(1, s, 1, d // 2), sin.view(1, s, 1, d // 2)
    return torch.stack([xe * c - xo * sn, xe * sn + xo * c], dim=-1).reshape(b, s, h, d)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + self.eps) * self.weight


class SelfAttention(nn.Module):
    def __init__(self, dim, num_heads, eps):
        super().__init__()
        self.num_heads = num_heads
        self.q, self.k, self.v, self.o = (nn.Linear(dim, dim) for _ in range(4))
        self.norm_q, self.norm_k = RMSNorm(dim, eps), RMSNorm(dim, eps)

    def forward(self, x, cos, sin):
        b, s, _ = x.shape
        n = self.num_heads
        q = self.norm_q(self.q(x)).view(b, s, n, -1)
        k = self.norm_k(self.k(x)).view(b, s, n, -1)
        v = self.v(x).view(b, s, n, -1)
        return self.o(attention(rope(q, cos, sin), rope(k, cos, sin), v))


class CrossAttention(SelfAttention):
    def forward(self, x, context):
        b, n = x.size(0), self.num_heads
        q = self.norm_q(self.q(x)).view(b, x.size(1), n, -1)
        k = self.norm_k(self.k(context)).view(b, context.size(1), n, -1)
        v = self.v(context).view(b, context.size(1), n, -1)
        return self.o(attention(q, k, v))


class AffineLayerNorm(nn.LayerNorm):
    pass


class Block(nn.Module):
    def __init__(self, dim, ffn_dim, num_heads, eps):
        super().__init__()
        self.eps = eps
        self.self_attn = SelfAttention(dim, num_heads, eps)
        self.norm3 = AffineLayerNorm(dim, eps=eps, elementwise_affine=True)
        self.cross_attn = CrossAttention(dim, num_heads, eps)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn_dim), nn.GELU(approximate="tanh"), nn.Linear(ffn_dim, dim))
        self.modulation = nn.Parameter(torch.zeros(1, 6, dim))

    def forward(self, x, mod, cos, sin, context):
        """mod: [1, seq, 6, dim] per-token modulation (without this block's own table)."""
        m = [mod[:, :, i] + self.modulation[:, i].unsqueeze(1) for i in range(6)]
        y = self.self_attn(layer_norm(x, self.eps) * (1 + m[1]) + m[0], cos, sin)
        x = x + y * m[2]
        x = x + self.cross_attn(self.norm3(x), context)
        y = self.ffn(layer_norm(x, self.eps) * (1 + m[4]) + m[3])
        return x + y * m[5]


class CausalConv1d(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, 3, stride=stride)

    def forward(self, x):
        first = x[..., :1]
        return self.conv(torch.cat([first, first, x], dim=-1))  # replicate-pad 2 on the left


class AudioEncoderTC(nn.Module):
    """MotionEncoder_tc: causal convolutions 2x stride 2 over time; 4 local tokens + padding, 1 global."""

    def __init__(self, in_dim, hidden_dim, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.conv1_local = CausalConv1d(in_dim, hidden_dim // 4 * num_heads)
        self.conv1_global = CausalConv1d(in_dim, hidden_dim // 4)
        self.conv2 = CausalConv1d(hidden_dim // 4, hidden_dim // 2, stride=2)
        self.conv3 = CausalConv1d(hidden_dim // 2, hidden_dim, stride=2)
        self.final_linear = nn.Linear(hidden_dim, hidden_dim)
        self.padding_tokens = nn.Parameter(torch.zeros(1, 1, 1, hidden_dim))

    def _tail(self, x):
        """x [B', C, t] after conv1 -> [B', t', hidden]."""
        x = F.silu(layer_norm(x.transpose(1, 2), 1e-6)).transpose(1, 2)
        x = F.silu(layer_norm(self.conv2(x).transpose(1, 2), 1e-6)).transpose(1, 2)
        return F.silu(layer_norm(self.conv3(x).transpose(1, 2), 1e-6))

    def forward(self, x):
        """x [1, t, in_dim] -> (global [t', hidden], local [t', heads + 1, hidden])."""
        x = x.transpose(1, 2)
        local = self.conv1_local(x)
        local = local.reshape(self.num_heads, -1, local.size(-1))  # '(n c) t -> n c t'
        local = self._tail(local).permute(1, 0, 2)  # [t', heads, hidden]
        local = torch.cat([local, self.padding_tokens[0].expand(local.size(0), 1, -1)], dim=1)
        glob = self.final_linear(self._tail(self.conv1_global(x)))[0]  # [t', hidden]
        return glob, local


class CausalAudioEncoder(nn.Module):
    def __init__(self, dim, out_dim, num_token, num_layers=25):
        super().__init__()
        self.encoder = AudioEncoderTC(dim, out_dim, num_token)
        self.weights = nn.Parameter(torch.ones(1, num_layers, 1, 1) * 0.01)

    def layer_mix(self):
        """The normalised layer weights the audio encoder graph folds in: [layers]."""
        w = F.silu(self.weights.detach().float()).flatten()
        return w / w.sum()


class AdaLayerNorm(nn.Module):
    """diffusers AdaLayerNorm(chunk_dim=1): shift, scale from SiLU(temb); LayerNorm eps 1e-5 without affine."""

    def __init__(self, dim):
        super().__init__()
        self.linear = nn.Linear(dim, dim * 2)

    def forward(self, x, temb):
        shift, scale = self.linear(F.silu(temb)).chunk(2, dim=1)
        return layer_norm(x, 1e-5) * (1 + scale[:, None]) + shift[:, None]


class AudioInjector(nn.Module):
    def __init__(self, dim, num_heads, count, eps):
        super().__init__()
        self.injector = nn.ModuleList([CrossAttention(dim, num_heads, eps) for _ in range(count)])
        self.injector_adain_layers = nn.ModuleList([AdaLayerNorm(dim) for _ in range(count)])


class Head(nn.Module):
    def __init__(self, dim, out_dim, eps):
        super().__init__()
        self.eps = eps
        self.head = nn.Linear(dim, out_dim * 4)
        self.modulation = nn.Parameter(torch.zeros(1, 2, dim))

    def forward(self, x, e):
        shift, scale = self.modulation[:, 0] + e, self.modulation[:, 1] + e
        return self.head(layer_norm(x, self.eps) * (1 + scale.unsqueeze(1)) + shift.unsqueeze(1))


class FramePacker(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Conv3d(16, dim, kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.proj_2x = nn.Conv3d(16, dim, kernel_size=(2, 4, 4), stride=(2, 4, 4))
        self.proj_4x = nn.Conv3d(16, dim, kernel_size=(4, 8, 8), stride=(4, 8, 8))

    def forward(self, motion):
        """motion [1, 16, 19, lh, lw] (oldest first) -> tokens [1, m, dim]: newest 1x2x2, then 2x4x4, then 4x8x8."""
        oldest, middle, newest = motion[:, :, :16], motion[:, :, 16:18], motion[:, :, 18:19]
        parts = [self.proj(newest), self.proj_2x(middle), self.proj_4x(oldest)]
        return torch.cat([p.flatten(2).transpose(1, 2) for p in parts], dim=1)


def sinusoid(t, dim):
    """Wan's timestep sinusoid: cos half first, frequencies 10000^(-k/half)."""
    half = dim // 2
    freqs = torch.pow(10000.0, -torch.arange(half, dtype=torch.float32) / half)
    arg = t.float().view(-1, 1) * freqs.view(1, -1)
    return torch.cat([torch.cos(arg), torch.sin(arg)], dim=1)


class S2VDiT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim, heads, eps = cfg["dim"], cfg["num_heads"], cfg["eps"]
        self.cfg = cfg
        self.dim, self.freq_dim = dim, cfg["freq_dim"]
        self.inject = {layer: j for j, layer in enumerate(sorted(cfg["audio_inject_layers"]))}
        self.patch_embedding = nn.Conv3d(16, dim, kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.cond_encoder = nn.Conv3d(cfg["cond_dim"], dim, kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.text_embedding = nn.Sequential(nn.Linear(cfg["text_dim"], dim), nn.GELU(approximate="tanh"), nn.Linear(dim, dim))
        self.time_embedding = nn.Sequential(nn.Linear(self.freq_dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.time_projection = nn.Sequential(nn.SiLU(), nn.Linear(dim, dim * 6))
        self.blocks = nn.ModuleList([Block(dim, cfg["ffn_dim"], heads, eps) for _ in range(cfg["num_layers"])])
        self.head = Head(dim, 16, eps)
        self.casual_audio_encoder = CausalAudioEncoder(cfg["audio_dim"], dim, cfg["num_audio_token"])
        self.audio_injector = AudioInjector(dim, heads, len(self.inject), eps)
        self.trainable_cond_mask = nn.Embedding(3, dim)
        self.frame_packer = FramePacker(dim)

    # -- conditioning shared by the graphs (recomputed in each: it is small next to the blocks) --
    def time(self, timestep):
        """-> e_t [1, dim] (head), mods [2, 6, dim] (row 0: timestep, row 1: timestep 0)."""
        t = torch.cat([timestep.float().view(1), torch.zeros(1)])
        e = self.time_embedding(sinusoid(t, self.freq_dim))
        return e[:1], self.time_projection(e).view(2, 6, self.dim)

    def token_mod(self, mods, seq, n):
        """[1, seq, 6, dim]: noisy tokens (index < n) get the timestep's table, the others timestep 0's."""
        noisy = (torch.arange(seq) < n).to(torch.float32).view(1, seq, 1, 1)
        return mods[1].unsqueeze(0).unsqueeze(0) + noisy * (mods[0] - mods[1]).unsqueeze(0).unsqueeze(0)

    def audio_tokens(self, audio):
        """audio [1, F, audio_dim] (mixed layers) -> global [T, dim], local [T, tokens, dim], T = F / 4."""
        padded = torch.cat([audio[:, :1].expand(1, MOTION_FRAMES, audio.size(2)), audio], dim=1)
        glob, local = self.casual_audio_encoder.encoder(padded)
        return glob[MOTION_LATENTS:], local[MOTION_LATENTS:]

    def conditioning(self, latents, timestep, context, audio, seq):
        e_t, mods = self.time(timestep)
        n = latents.shape[2] * (latents.shape[3] // 2) * (latents.shape[4] // 2)
        glob, local = self.audio_tokens(audio)
        return dict(e_t=e_t, mod=self.token_mod(mods, seq, n), context=self.text_embedding(context), audio_global=glob, audio_local=local, n=n, frames=latents.shape[2])

    def embed(self, latents, pose, ref, motion, seq):
        w = self.trainable_cond_mask.weight
        x = (self.patch_embedding(latents) + self.cond_encoder(pose)).flatten(2).transpose(1, 2) + w[0]
        r = self.patch_embedding(ref).flatten(2).transpose(1, 2) + w[1]
        m = self.frame_packer(motion) + w[2]
        keep = seq - x.shape[1] - r.shape[1]  # all motion tokens, or none on a clip that drops them
        return torch.cat([x, r, m[:, :keep]], dim=1)

    def run_block(self, i, x, c, cos, sin):
        j = self.inject.get(i)
        injector = None if j is None else (self.audio_injector.injector_adain_layers[j], self.audio_injector.injector[j])
        return block_step(self.blocks[i], injector, x, c, cos, sin)

    def unpatchify(self, x, latents):
        f, h, w = latents.shape[2], latents.shape[3] // 2, latents.shape[4] // 2
        u = x.reshape(f, h, w, 1, 2, 2, 16)
        return torch.einsum("fhwpqrc->cfphqwr", u).reshape(1, 16, f, h * 2, w * 2)

    def run_head(self, x, latents, e_t):
        n = latents.shape[2] * (latents.shape[3] // 2) * (latents.shape[4] // 2)
        return self.unpatchify(self.head(x[:, :n], e_t), latents)


def block_step(block, injector, x, c, cos, sin):
    """One block, then (if it has one) its audio injector: cross-attention of each latent frame's
    noisy tokens to that frame's audio tokens, after an AdaLayerNorm driven by the global audio token."""
    x = block(x, c["mod"], cos, sin, c["context"])
    if injector is None:
        return x
    adain, attn = injector
    n, frames, dim = c["n"], c["frames"], x.shape[2]
    noisy = x[:, :n].reshape(frames, -1, dim)
    out = attn(adain(noisy, c["audio_global"]), c["audio_local"]).reshape(1, -1, dim)
    return torch.cat([x[:, :n] + out, x[:, n:]], dim=1)


class RestPrologue(nn.Module):
    """Stitched export of dit_rest, part 1: the conditioning every block reads."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, latents, timestep, context, audio, rope_cos):
        c = self.dit.conditioning(latents, timestep, context, audio, rope_cos.shape[0])
        return c["mod"], c["context"], c["audio_global"], c["audio_local"]


class BlockPiece(nn.Module):
    """Stitched export, the template: one block (+ audio injector), instantiated per block index."""

    def __init__(self, block, adain=None, injector=None):
        super().__init__()
        self.block, self.adain, self.injector = block, adain, injector

    def forward(self, x, mod, rope_cos, rope_sin, context, audio_global, audio_local, latents):
        n = latents.shape[2] * (latents.shape[3] // 2) * (latents.shape[4] // 2)
        c = dict(mod=mod, context=context, audio_global=audio_global, audio_local=audio_local, n=n, frames=latents.shape[2])
        return block_step(self.block, None if self.injector is None else (self.adain, self.injector), x, c, rope_cos, rope_sin)


class RestEpilogue(nn.Module):
    """Stitched export of dit_rest, last part: the head and the rest's residual."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, x, hidden, latents, timestep):
        e_t, _ = self.dit.time(timestep)
        return self.dit.run_head(x, latents, e_t), x - hidden


class FirstBlock(nn.Module):
    """dit_first_block: the cached unit is block 0 plus audio injector 0."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, latents, pose_latents, ref_latents, motion_latents, timestep, context, audio, rope_cos, rope_sin):
        seq = rope_cos.shape[0]
        c = self.dit.conditioning(latents, timestep, context, audio, seq)
        x_in = self.dit.embed(latents, pose_latents, ref_latents, motion_latents, seq)
        hidden = self.dit.run_block(0, x_in, c, rope_cos, rope_sin)
        return hidden, hidden - x_in


class Rest(nn.Module):
    """dit_rest: blocks 1..N-1 with their injectors, then the head."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, hidden, latents, timestep, context, audio, rope_cos, rope_sin):
        c = self.dit.conditioning(latents, timestep, context, audio, rope_cos.shape[0])
        x = hidden
        for i in range(1, len(self.dit.blocks)):
            x = self.dit.run_block(i, x, c, rope_cos, rope_sin)
        return self.dit.run_head(x, latents, c["e_t"]), x - hidden


class HeadOnly(nn.Module):
    """dit_head: on a cache hit, velocity = head(h0 + R)."""

    def __init__(self, dit):
        super().__init__()
        self.dit = dit

    def forward(self, hidden, latents, timestep):
        e_t, _ = self.dit.time(timestep)
        return self.dit.run_head(hidden, latents, e_t)
