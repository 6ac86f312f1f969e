"""The umT5-XXL encoder as Wan uses it (state-dict keys of models_t5_umt5-xxl-enc-bf16.pth), with an
export-friendly forward: attention masked to ids != 0, the relative-position buckets a constant table,
rows of padding zeroed (the DiT sees zeros past the prompt, as the official trim + re-pad gives)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class T5LayerNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True) + self.eps))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class T5Attention(nn.Module):
    def __init__(self, dim, dim_attn, num_heads):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, dim_attn // num_heads
        self.q = nn.Linear(dim, dim_attn, bias=False)
        self.k = nn.Linear(dim, dim_attn, bias=False)
        self.v = nn.Linear(dim, dim_attn, bias=False)
        self.o = nn.Linear(dim_attn, dim, bias=False)

    def forward(self, x, bias):
        b, n, c = x.size(0), self.num_heads, self.head_dim
        q = self.q(x).view(b, -1, n, c).transpose(1, 2)
        k = self.k(x).view(b, -1, n, c).transpose(1, 2)
        v = self.v(x).view(b, -1, n, c).transpose(1, 2)
        # T5 attention has no 1/sqrt(d) scale.
        attn = F.softmax(q @ k.transpose(-1, -2) + bias, dim=-1)
        return self.o((attn @ v).transpose(1, 2).reshape(b, -1, n * c))


class T5FeedForward(nn.Module):
    def __init__(self, dim, dim_ffn):
        super().__init__()
        self.gate = nn.Sequential(nn.Linear(dim, dim_ffn, bias=False))
        self.fc1 = nn.Linear(dim, dim_ffn, bias=False)
        self.fc2 = nn.Linear(dim_ffn, dim, bias=False)

    def forward(self, x):
        return self.fc2(self.fc1(x) * gelu_tanh(self.gate[0](x)))


class T5RelativeEmbedding(nn.Module):
    def __init__(self, num_buckets, num_heads):
        super().__init__()
        self.embedding = nn.Embedding(num_buckets, num_heads)

    def forward(self, buckets):
        return self.embedding(buckets).permute(2, 0, 1).unsqueeze(0)  # [1, heads, L, L]


def relative_buckets(length, num_buckets, max_dist=128):
    """Bidirectional T5 buckets for an L x L grid (key minus query), as T5RelativeEmbedding computes them."""
    rel = torch.arange(length).unsqueeze(0) - torch.arange(length).unsqueeze(1)
    half = num_buckets // 2
    out = (rel > 0).long() * half
    rel = rel.abs()
    exact = half // 2
    large = exact + (torch.log(rel.float().clamp(min=1) / exact) / math.log(max_dist / exact) * (half - exact)).long()
    large = torch.minimum(large, torch.full_like(large, half - 1))
    return out + torch.where(rel < exact, rel, large)


class T5Block(nn.Module):
    def __init__(self, dim, dim_attn, dim_ffn, num_heads, num_buckets):
        super().__init__()
        self.norm1 = T5LayerNorm(dim)
        self.attn = T5Attention(dim, dim_attn, num_heads)
        self.norm2 = T5LayerNorm(dim)
        self.ffn = T5FeedForward(dim, dim_ffn)
        self.pos_embedding = T5RelativeEmbedding(num_buckets, num_heads)

    def forward(self, x, mask_bias, buckets):
        x = x + self.attn(self.norm1(x), self.pos_embedding(buckets) + mask_bias)
        return x + self.ffn(self.norm2(x))


class T5Encoder(nn.Module):
    def __init__(self, vocab, dim, dim_attn, dim_ffn, num_heads, num_layers, num_buckets, text_len=512):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, dim)
        self.blocks = nn.ModuleList([T5Block(dim, dim_attn, dim_ffn, num_heads, num_buckets) for _ in range(num_layers)])
        self.norm = T5LayerNorm(dim)
        self.register_buffer("buckets", relative_buckets(text_len, num_buckets), persistent=False)

    def forward(self, input_ids):
        keep = (input_ids != 0).to(torch.float32)  # [1, L]
        mask_bias = (1.0 - keep).view(keep.size(0), 1, 1, -1) * torch.finfo(torch.float32).min
        x = self.token_embedding(input_ids)
        for block in self.blocks:
            x = block(x, mask_bias, self.buckets)
        return self.norm(x) * keep.unsqueeze(-1)


class T5Prologue(nn.Module):
    """Stitched export, part 1: embeddings, the padding mask and the relative-position bucket table."""

    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, input_ids):
        keep = (input_ids != 0).to(torch.float32)
        mask_bias = (1.0 - keep).view(keep.size(0), 1, 1, -1) * torch.finfo(torch.float32).min
        # Computed from the ids' length rather than stored: the table is then made once, in the graph.
        buckets = relative_buckets(input_ids.shape[1], self.enc.blocks[0].pos_embedding.embedding.num_embeddings)
        return self.enc.token_embedding(input_ids), mask_bias, keep, buckets


class T5BlockPiece(nn.Module):
    def __init__(self, block):
        super().__init__()
        self.block = block

    def forward(self, x, mask_bias, buckets):
        return self.block(x, mask_bias, buckets)


class T5Epilogue(nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.norm = enc.norm

    def forward(self, x, keep):
        return self.norm(x) * keep.unsqueeze(-1)
