"""Wan2.2-Animate's face path, as two graphs (keys `motion_encoder.*` and `face_encoder.*` of the DiT shards):

- face_motion: face crops [N, 3, S, S] in [-1, 1] (S = 512) -> motion vectors [N, style_dim]: the LIA
  appearance encoder (StyleGAN2-style equalised convs, blur-downsampling residual blocks), its motion MLP,
  and the motion directions. The official Direction takes a QR decomposition of its weight on every call
  (torch.linalg.qr, not in ONNX); Q depends on the weight only, so it is computed once at export and stored.
  Frames are independent: the worker runs it on batches of frames (the official code uses 8).
- face_encoder: motion vectors [1, T, style_dim] of one clip -> face tokens [1, T' + 1, heads + 1, dim]: causal
  temporal convs (stride 2 twice, T = 77 -> T' = 20), one zero step in front for the reference latent. Once per clip.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .dit import CausalConv1d, layer_norm

# LIA channel widths by resolution (the official table), and a tiny table for tests.
LIA_CHANNELS = {4: 512, 8: 512, 16: 512, 32: 512, 64: 256, 128: 128, 256: 64, 512: 32, 1024: 16}
LIA_TINY_CHANNELS = {k: 16 for k in LIA_CHANNELS}
FACE_SIZE = 512
MOTION_DIM = 20


class EqualConv2d(nn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=0, bias=True):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout)) if bias else None
        self.scale, self.stride, self.padding = 1 / math.sqrt(cin * k * k), stride, padding

    def forward(self, x):
        return F.conv2d(x, self.weight * self.scale, self.bias, stride=self.stride, padding=self.padding)


class EqualLinear(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(cout, cin))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.scale = 1 / math.sqrt(cin)

    def forward(self, x):
        return F.linear(x, self.weight * self.scale, self.bias)


class FusedLeakyReLU(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1, channels, 1, 1))

    def forward(self, x):
        return F.leaky_relu(x + self.bias, 0.2) * math.sqrt(2)


class Blur(nn.Module):
    """upfirdn2d without up/down-sampling: pad, then the normalised [1,3,3,1] x [1,3,3,1] filter per channel.
    The pads are equal on both sides for the kernel sizes LIA uses (3 -> 2, 1 -> 1), so the conv pads."""

    def __init__(self, pad, channels):
        super().__init__()
        k = torch.tensor([1.0, 3.0, 3.0, 1.0])
        k = k[None, :] * k[:, None]
        self.register_buffer("kernel", k / k.sum())  # an official key
        self.register_buffer("depthwise", (k / k.sum()).flip([0, 1]).expand(channels, 1, 4, 4).clone(), persistent=False)
        assert pad[0] == pad[1]
        self.pad = pad[0]

    def forward(self, x):
        return F.conv2d(x, self.depthwise, padding=self.pad, groups=x.shape[1])


def conv_layer(cin, cout, k, downsample=False, bias=True, activate=True):
    """The official ConvLayer as an nn.Sequential, so the state-dict indices match."""
    layers = []
    if downsample:
        p = 2 + (k - 1)
        layers.append(Blur(((p + 1) // 2, p // 2), cin))
    layers.append(EqualConv2d(cin, cout, k, stride=2 if downsample else 1, padding=0 if downsample else k // 2, bias=bias and not activate))
    if activate:
        layers.append(FusedLeakyReLU(cout) if bias else nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


class ResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = conv_layer(cin, cin, 3)
        self.conv2 = conv_layer(cin, cout, 3, downsample=True)
        self.skip = conv_layer(cin, cout, 1, downsample=True, activate=False, bias=False)

    def forward(self, x):
        return (self.conv2(self.conv1(x)) + self.skip(x)) / math.sqrt(2)


class EncoderApp(nn.Module):
    def __init__(self, size, style_dim, channels):
        super().__init__()
        self.convs = nn.ModuleList([conv_layer(3, channels[size], 1)])
        cin = channels[size]
        for i in range(int(math.log2(size)), 2, -1):
            self.convs.append(ResBlock(cin, channels[2 ** (i - 1)]))
            cin = channels[2 ** (i - 1)]
        self.convs.append(EqualConv2d(cin, style_dim, 4, bias=False))

    def forward(self, x):
        for conv in self.convs:
            x = conv(x)
        return x.flatten(1)


class Encoder(nn.Module):
    def __init__(self, size, style_dim, channels):
        super().__init__()
        self.net_app = EncoderApp(size, style_dim, channels)
        self.fc = nn.Sequential(*[EqualLinear(style_dim, style_dim) for _ in range(4)], EqualLinear(style_dim, MOTION_DIM))


class Direction(nn.Module):
    def __init__(self, style_dim):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(style_dim, MOTION_DIM))

    def q(self):
        """Q of the weight's QR decomposition (the official adds 1e-8 first), in float32."""
        return torch.linalg.qr(self.weight.detach().float() + 1e-8)[0]


class Synthesis(nn.Module):
    def __init__(self, style_dim):
        super().__init__()
        self.direction = Direction(style_dim)


class MotionEncoder(nn.Module):
    """Keys motion_encoder.enc.* and motion_encoder.dec.direction.weight."""

    def __init__(self, size=FACE_SIZE, style_dim=512, channels=LIA_CHANNELS):
        super().__init__()
        self.size = size
        self.enc = Encoder(size, style_dim, channels)
        self.dec = Synthesis(style_dim)


class FaceMotion(nn.Module):
    """face_motion graph: face_pixels [N, 3, S, S] in [-1, 1] -> motion [N, style_dim]."""

    def __init__(self, motion_encoder):
        super().__init__()
        self.enc = motion_encoder.enc
        self.register_buffer("q", motion_encoder.dec.direction.q(), persistent=False)

    def forward(self, face_pixels):
        alpha = self.enc.fc(self.enc.net_app(face_pixels))
        return alpha @ self.q.t()  # sum_k alpha_k * Q[:, k], as the official diag_embed + matmul + sum


class FaceEncoderWeights(nn.Module):
    """Keys face_encoder.*: conv1_local, conv2, conv3 (causal), out_proj, padding_tokens; affine-free LayerNorms."""

    def __init__(self, in_dim, hidden, dim, heads=4):
        super().__init__()
        self.heads = heads
        self.conv1_local = CausalConv1d(in_dim, hidden * heads)
        self.conv2 = CausalConv1d(hidden, hidden, stride=2)
        self.conv3 = CausalConv1d(hidden, hidden, stride=2)
        self.out_proj = nn.Linear(hidden, dim)
        self.padding_tokens = nn.Parameter(torch.zeros(1, 1, 1, dim))


class FaceEncoder(nn.Module):
    """face_encoder graph: motion [1, T, style_dim] -> face_tokens [1, T' + 1, heads + 1, dim]."""

    def __init__(self, w):
        super().__init__()
        self.w = w

    def forward(self, motion):
        w = self.w
        x = w.conv1_local(motion.transpose(1, 2))  # [1, heads * hidden, T]
        x = x.reshape(w.heads, -1, x.shape[-1]).transpose(1, 2)  # '(b n) t c' with b = 1
        x = F.silu(layer_norm(x, 1e-6))
        x = F.silu(layer_norm(w.conv2(x.transpose(1, 2)).transpose(1, 2), 1e-6))
        x = F.silu(layer_norm(w.conv3(x.transpose(1, 2)).transpose(1, 2), 1e-6))
        x = w.out_proj(x).transpose(0, 1).unsqueeze(0)  # [1, T', heads, dim]
        x = torch.cat([x, w.padding_tokens.expand(1, x.shape[1], 1, -1)], dim=2)
        return torch.cat([torch.zeros_like(x[:, :1]), x], dim=1)
