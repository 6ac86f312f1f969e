"""The Wan2.2-Animate DiT (state-dict keys of WanAnimateModel) with an export-friendly forward.

The blocks are the S2V DiT's block template (dit.Block: self-attention with RoPE, cross-attention,
FFN, 6-way modulation) with the Animate cross-attention, which also attends to the 257 CLIP tokens
(k_img, v_img, norm_k_img) and adds both results. Differences from the official forward, all exact
rewrites: RoPE as real cos/sin tables given as inputs; the face encoder runs in its own graphs
(animate_face.py) and the DiT takes its tokens; the relighting LoRA is in the graph (see LoraLinear).

Relighting LoRA: in-graph low-rank adapters with a `lora_scale` input, not merged weights. Merging
would need a second DiT graph (32 GB at fp16) for replacement mode only; the adapters (rank 128 on
every block Linear) add about 1.5 GB and ~5% of the DiT's multiply-adds, and one graph serves both
modes: lora_scale 0 = animation (no LoRA), 1 = replacement with relighting. Adapters whose weights
are absent are exported with zero weights (the graph and its inputs stay the same).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import attention
from .dit import Block, CrossAttention, Head, RMSNorm, layer_norm, sinusoid

CLIP_TOKENS = 257
FACE_EVERY = 5  # a face adapter after blocks 0, 5, 10, ...


class LoraLinear(nn.Linear):
    """nn.Linear (keys weight, bias) + PEFT-style adapter (keys lora_A.weight, lora_B.weight):
    y = W x + b + scale * (alpha / r) * B (A x). `scale` is set per forward from the graph input."""

    def __init__(self, cin, cout, rank, alpha):
        super().__init__(cin, cout)
        self.lora_A = nn.Linear(cin, rank, bias=False)
        self.lora_B = nn.Linear(rank, cout, bias=False)
        self.factor = alpha / rank
        self.scale = None

    def forward(self, x):
        y = F.linear(x, self.weight, self.bias)
        if self.scale is None:
            return y
        return y + self.lora_B(self.lora_A(x)) * (self.scale * self.factor)


class ImageCrossAttention(CrossAttention):
    """Cross-attention to [257 CLIP tokens | text tokens]: two attentions with the same query, summed."""

    def __init__(self, dim, num_heads, eps):
        super().__init__(dim, num_heads, eps)
        self.k_img, self.v_img = nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.norm_k_img = RMSNorm(dim, eps)

    def forward(self, x, context):
        img, text = context[:, :CLIP_TOKENS], context[:, CLIP_TOKENS:]
        b, n = x.size(0), self.num_heads
        q = self.norm_q(self.q(x)).view(b, x.size(1), n, -1)
        k = self.norm_k(self.k(text)).view(b, text.size(1), n, -1)
        v = self.v(text).view(b, text.size(1), n, -1)
        ki = self.norm_k_img(self.k_img(img)).view(b, img.size(1), n, -1)
        vi = self.v_img(img).view(b, img.size(1), n, -1)
        return self.o(attention(q, k, v) + attention(q, ki, vi))


class AnimateBlock(Block):
    def __init__(self, dim, ffn_dim, num_heads, eps):
        super().__init__(dim, ffn_dim, num_heads, eps)
        self.cross_attn = ImageCrossAttention(dim, num_heads, eps)


class HeadRMSNorm(nn.Module):
    """The face block's q/k norm: RMS over the head dimension, with a weight."""

    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + 1e-6) * self.weight


class FaceBlock(nn.Module):
    """Each latent frame's tokens attend to that frame's face tokens; keys face_adapter.fuser_blocks.N.*."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.linear1_kv = nn.Linear(dim, dim * 2)
        self.linear1_q = nn.Linear(dim, dim)
        self.linear2 = nn.Linear(dim, dim)
        self.q_norm = HeadRMSNorm(dim // heads)
        self.k_norm = HeadRMSNorm(dim // heads)

    def forward(self, x, face):
        """x [1, F * hw, dim], face [1, F, N, dim] -> the residual [1, F * hw, dim]."""
        frames, n, dim = face.shape[1], face.shape[2], face.shape[3]
        h = self.heads
        kv = self.linear1_kv(layer_norm(face, 1e-6)).view(frames, n, 2, h, dim // h)
        k, v = self.k_norm(kv[:, :, 0]), kv[:, :, 1]
        q = self.q_norm(self.linear1_q(layer_norm(x, 1e-6)).view(frames, -1, h, dim // h))
        return self.linear2(attention(q, k, v).reshape(1, -1, dim))


class FaceAdapter(nn.Module):
    def __init__(self, dim, heads, count):
        super().__init__()
        self.fuser_blocks = nn.ModuleList([FaceBlock(dim, heads) for _ in range(count)])


class MLPProj(nn.Module):
    def __init__(self, clip_dim, dim):
        super().__init__()
        self.proj = nn.Sequential(nn.LayerNorm(clip_dim), nn.Linear(clip_dim, clip_dim), nn.GELU(), nn.Linear(clip_dim, dim), nn.LayerNorm(dim))

    def forward(self, x):
        return self.proj(x)


def sinusoid64(t, dim):
    """Wan's timestep sinusoid with the angles in float64, as sinusoidal_embedding_1d computes them."""
    half = dim // 2
    freqs = torch.pow(torch.tensor(10000.0, dtype=torch.float64), -torch.arange(half, dtype=torch.float64) / half)
    arg = t.double().view(-1, 1) * freqs.view(1, -1)
    return torch.cat([torch.cos(arg), torch.sin(arg)], dim=1).float()


class AnimateDiT(nn.Module):
    """cfg: dim, ffn_dim, num_heads, num_layers, eps, freq_dim, text_dim, in_dim (36), clip_dim, lora_rank, lora_alpha."""

    def __init__(self, cfg):
        super().__init__()
        dim, heads, eps = cfg["dim"], cfg["num_heads"], cfg["eps"]
        self.cfg, self.dim, self.freq_dim = cfg, dim, cfg["freq_dim"]
        self.patch_embedding = nn.Conv3d(cfg["in_dim"], dim, kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.pose_patch_embedding = nn.Conv3d(16, dim, kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.text_embedding = nn.Sequential(nn.Linear(cfg["text_dim"], dim), nn.GELU(approximate="tanh"), nn.Linear(dim, dim))
        self.time_embedding = nn.Sequential(nn.Linear(self.freq_dim, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.time_projection = nn.Sequential(nn.SiLU(), nn.Linear(dim, dim * 6))
        self.blocks = nn.ModuleList([AnimateBlock(dim, cfg["ffn_dim"], heads, eps) for _ in range(cfg["num_layers"])])
        self.head = Head(dim, 16, eps)
        self.img_emb = MLPProj(cfg["clip_dim"], dim)
        self.face_adapter = FaceAdapter(dim, heads, cfg["num_layers"] // FACE_EVERY)
        self.lora_layers = []
        if cfg.get("lora_rank"):
            self._add_lora(cfg["lora_rank"], cfg["lora_alpha"])

    def _add_lora(self, rank, alpha):
        """Every nn.Linear inside `blocks` (not face or modulation modules) gets an adapter, as get_loraconfig picks them."""
        for name, module in list(self.blocks.named_modules()):
            for child_name, child in list(module.named_children()):
                if type(child) is nn.Linear:
                    lora = LoraLinear(child.in_features, child.out_features, rank, alpha)
                    setattr(module, child_name, lora)
                    self.lora_layers.append(lora)

    def forward(self, latents, y, pose_latents, timestep, context, clip_features, face_tokens, rope_cos, rope_sin, lora_scale):
        """latents [1, 16, F+1, lh, lw] (reference latent first), y [1, 20, F+1, lh, lw], pose_latents [1, 16, F, lh, lw],
        context [1, 512, text_dim], clip_features [1, 257, clip_dim], face_tokens [1, F+1, N, dim] -> velocity like latents."""
        for layer in self.lora_layers:
            layer.scale = lora_scale
        x = self.patch_embedding(torch.cat([latents, y], dim=1))
        pose = self.pose_patch_embedding(pose_latents)
        x = torch.cat([x[:, :, :1], x[:, :, 1:] + pose], dim=2)
        f, h2, w2 = x.shape[2], x.shape[3], x.shape[4]
        x = x.flatten(2).transpose(1, 2)
        e = self.time_embedding(sinusoid64(timestep, self.freq_dim))
        mod = self.time_projection(e).view(1, 1, 6, self.dim)
        ctx = torch.cat([self.img_emb(clip_features), self.text_embedding(context)], dim=1)
        for i, block in enumerate(self.blocks):
            x = block(x, mod, rope_cos, rope_sin, ctx)
            if i % FACE_EVERY == 0:
                x = x + self.face_adapter.fuser_blocks[i // FACE_EVERY](x, face_tokens)
        for layer in self.lora_layers:
            layer.scale = None
        out = self.head(x, e).reshape(f, h2, w2, 1, 2, 2, 16)
        return torch.einsum("fhwpqrc->cfphqwr", out).reshape(1, 16, f, h2 * 2, w2 * 2)


def animate_state_split(dit):
    """(DiT keys, LoRA keys) of a module: the release keeps the adapters in relighting_lora.ckpt."""
    state = dit.state_dict()
    lora = {k: v for k, v in state.items() if ".lora_A." in k or ".lora_B." in k}
    return {k: v for k, v in state.items() if k not in lora}, lora


__all__ = ["AnimateDiT", "animate_state_split", "sinusoid", "sinusoid64"]
