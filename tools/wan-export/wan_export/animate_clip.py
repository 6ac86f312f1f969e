"""Wan2.2-Animate's CLIP image encoder (the `visual.*` keys of
models_clip_open-clip-xlm-roberta-large-vit-huge-14.pth: ViT-H/14, 32 blocks of width 1280) as the
clip_encoder graph: the letterboxed reference in [-1, 1] -> bicubic 224 x 224 (align_corners False, no
crop) -> CLIP mean/std -> patch + class tokens -> pre-norm -> blocks 0..30 (the output of block 31 of 32,
the penultimate; the last block, post-norm and head are never run) -> [1, 257, 1280]."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import attention

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
IMAGE_SIZE = 224
PATCH = 14
TOKENS = (IMAGE_SIZE // PATCH) ** 2 + 1  # 257

# open-clip-xlm-roberta-large-vit-huge-14's vision tower, and a tiny one with the same token count.
VISION_H14 = dict(dim=1280, heads=16, layers=32, mlp_ratio=4)
VISION_TINY = dict(dim=32, heads=2, layers=4, mlp_ratio=4)


class ClipSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.to_qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, s, c = x.shape
        q, k, v = self.to_qkv(x).view(b, s, 3, self.heads, c // self.heads).unbind(2)
        return self.proj(attention(q, k, v))


class ClipBlock(nn.Module):
    """Pre-norm transformer block, exact GELU (open-clip ViT-H uses 'gelu'), LayerNorm eps 1e-5."""

    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-5)
        self.attn = ClipSelfAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-5)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    """The official key layout: patch_embedding (no bias: pre-norm), cls_embedding, pos_embedding,
    pre_norm, transformer.N, post_norm, head (the last two kept for the key check, never run)."""

    def __init__(self, dim, heads, layers, mlp_ratio, out_dim=1024):
        super().__init__()
        self.patch_embedding = nn.Conv2d(3, dim, kernel_size=PATCH, stride=PATCH, bias=False)
        self.cls_embedding = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embedding = nn.Parameter(torch.zeros(1, TOKENS, dim))
        self.pre_norm = nn.LayerNorm(dim, eps=1e-5)
        self.transformer = nn.Sequential(*[ClipBlock(dim, heads, mlp_ratio) for _ in range(layers)])
        self.post_norm = nn.LayerNorm(dim, eps=1e-5)
        self.head = nn.Parameter(torch.zeros(dim, out_dim))

    def penultimate(self, pixels):
        """pixels [B, 3, 224, 224], CLIP-normalised -> the output of the second-to-last block [B, 257, dim]."""
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_embedding.expand(x.size(0), -1, -1), x], dim=1)
        x = self.pre_norm(x + self.pos_embedding)
        for block in list(self.transformer)[:-1]:
            x = block(x)
        return x


class ClipWeights(nn.Module):
    """What the exporter reads from the CLIP .pth: the vision tower under `visual.`."""

    def __init__(self, cfg):
        super().__init__()
        self.visual = VisionTransformer(**cfg)


class ClipEncoder(nn.Module):
    """clip_encoder graph: reference [1, 3, H, W] in [-1, 1] -> clip_features [1, 257, dim]."""

    def __init__(self, weights):
        super().__init__()
        self.visual = weights.visual
        self.register_buffer("mean", torch.tensor(CLIP_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(CLIP_STD).view(1, 3, 1, 1), persistent=False)

    def forward(self, reference):
        x = F.interpolate(reference, size=(IMAGE_SIZE, IMAGE_SIZE), mode="bicubic", align_corners=False)
        x = (x * 0.5 + 0.5 - self.mean) / self.std
        return self.visual.penultimate(x)
