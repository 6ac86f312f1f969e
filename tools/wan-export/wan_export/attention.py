"""Full attention as one com.microsoft MultiHeadAttention node in the exported graphs.

Written as MatMul + Softmax, attention holds the float32 [heads, Lq, Lk] scores and their softmax at
once: for the 14B DiTs at 720p that is terabytes, and for the VAE's per-frame attention about 0.8 GB per
frame at 1104x832. ONNX Runtime runs MultiHeadAttention with flash attention (MLAS on CPU; flash or
memory-efficient kernels on CUDA), whose memory grows with Lq + Lk, not their product
(docs/model-pack.md, "Format 2: attention"). In torch (the references) it is the plain computation.
"""
import math

import torch


class _MultiHeadAttention(torch.autograd.Function):
    """q, k, v [B, L, heads * D] -> [B, Lq, heads * D], softmax scale 1/sqrt(D)."""

    @staticmethod
    def forward(ctx, q, k, v, heads):
        b, lq, _ = q.shape
        q, k, v = (t.reshape(b, t.shape[1], heads, -1).transpose(1, 2) for t in (q, k, v))
        w = torch.softmax((q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1])), dim=-1)
        return (w @ v).transpose(1, 2).reshape(b, lq, -1)

    @staticmethod
    def symbolic(g, q, k, v, heads):
        return g.op("com.microsoft::MultiHeadAttention", q, k, v, num_heads_i=heads)


def multihead_attention(q, k, v, heads):
    """q [B, Lq, heads * D], k/v [B, Lk, heads * D] -> [B, Lq, heads * D]."""
    return _MultiHeadAttention.apply(q, k, v, int(heads))


def attention(q, k, v):
    """q [B, Lq, H, D], k/v [B, Lk, H, D] -> [B, Lq, H*D]; full attention, softmax scale 1/sqrt(D)."""
    # The head count is a node attribute: a plain int, never a traced size.
    heads = int(q.shape[2])
    flat = [t.flatten(2) for t in (q, k, v)]
    return multihead_attention(*flat, heads)
