"""The Wan 2.1 VAE (state-dict keys of the official Wan2.1_VAE.pth) with its causal caches explicit.

The official model runs the encoder on chunks of 1, 4, 4, ... frames and the decoder on one latent
at a time, each causal convolution remembering the last frames it saw in a cache list that starts
empty. Here a chunk step takes the caches as tensors and returns the new ones, so a whole call is
one ONNX graph: the first chunk (no caches yet) and a Loop over the remaining chunks carrying them.

Cache rules, equal to the official ones:
- a causal convolution with a temporal kernel of 3 sees the last 2 frames of everything before the
  chunk; before the first chunk those are zeros (the official zero padding);
- the encoder's temporal downsampling passes the first chunk through and then convolves (stride 2)
  the last frame of the previous chunk with the new ones;
- the decoder's temporal upsampling does not run on the first latent; from the second on it sees
  the last 2 frames before the chunk, zeros at its start.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import multihead_attention

# The release's configuration (wan/modules/vae2_1.py, _video_vae).
VAE_OFFICIAL = dict(dim=96, z_dim=16, dim_mult=[1, 2, 4, 4], num_res_blocks=2, temporal_downsample=[False, True, True])
VAE_TINY = dict(VAE_OFFICIAL, dim=8)

# Wan2_1_VAE's latent channel statistics: the encoder returns (mu - mean) / std, the decoder undoes it.
LATENT_MEAN = [-0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508, 0.4134, -0.0715, 0.5517, -0.3632, -0.1922, -0.9497, 0.2503, -0.2921]
LATENT_STD = [2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743, 3.2687, 2.1526, 2.8652, 1.5579, 1.6382, 1.1253, 2.8251, 1.9160]

CACHE_T = 2


class Caches:
    """The causal caches of one chunk: `old` in a fixed order (None before the first chunk), `new` in the same order."""

    def __init__(self, old=None):
        self.old = None if old is None else list(old)
        self.new = []
        self._next = 0

    def take(self):
        if self.old is None:
            return None
        c = self.old[self._next]
        self._next += 1
        return c

    def put(self, t):
        self.new.append(t)


def frames_to_images(x):
    """[b, c, t, h, w] -> [b*t, c, h, w]"""
    return x.transpose(1, 2).flatten(0, 1)


def images_to_frames(y, b):
    """[b*t, c, h, w] -> [b, c, t, h, w]"""
    return y.reshape(b, -1, y.shape[1], y.shape[2], y.shape[3]).transpose(1, 2)


class CausalConv3d(nn.Conv3d):
    """A Conv3d causal in time: a temporal kernel of 3 looks at the 2 frames before the chunk (its cache)."""

    def __init__(self, cin, cout, kernel):
        pad = kernel // 2
        super().__init__(cin, cout, kernel, padding=(0, pad, pad))
        self.cache_t = 2 * pad

    def forward(self, x, caches=None):
        if self.cache_t:
            old = caches.take()
            x = F.pad(x, (0, 0, 0, 0, self.cache_t, 0)) if old is None else torch.cat([old, x], 2)
            caches.put(x[:, :, -self.cache_t :])
        return super().forward(x)


class RMSNorm(nn.Module):
    """Normalises over channels (an L2 norm scaled by sqrt(dim)), times gamma."""

    def __init__(self, dim, images=False):
        super().__init__()
        self.scale = dim**0.5
        self.gamma = nn.Parameter(torch.ones((dim, 1, 1) if images else (dim, 1, 1, 1)))

    def forward(self, x):
        return F.normalize(x, dim=1) * self.scale * self.gamma


class ResidualBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        # Index 5 is the release's (inactive) dropout: the keys are residual.0, .2, .3 and .6.
        self.residual = nn.Sequential(RMSNorm(cin), nn.SiLU(), CausalConv3d(cin, cout, 3), RMSNorm(cout), nn.SiLU(), nn.Identity(), CausalConv3d(cout, cout, 3))
        self.shortcut = CausalConv3d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, caches):
        h = self.shortcut(x)
        for layer in self.residual:
            x = layer(x, caches) if isinstance(layer, CausalConv3d) else layer(x)
        return x + h


class AttentionBlock(nn.Module):
    """Single-head self-attention over the pixels of each frame."""

    def __init__(self, dim):
        super().__init__()
        self.norm = RMSNorm(dim, images=True)
        self.to_qkv = nn.Conv2d(dim, dim * 3, 1)
        self.proj = nn.Conv2d(dim, dim, 1)

    def forward(self, x, caches=None):
        b, c = x.shape[0], x.shape[1]
        y = frames_to_images(x)
        h, w = y.shape[2], y.shape[3]
        qkv = self.to_qkv(self.norm(y)).flatten(2).transpose(1, 2)  # [bt, hw, 3c]
        q, k, v = qkv.chunk(3, dim=-1)
        y = multihead_attention(q, k, v, 1).transpose(1, 2).reshape(-1, c, h, w)
        return images_to_frames(self.proj(y), b) + x


class Resample(nn.Module):
    """Spatial 2x up/down sampling per frame, with the temporal 2x of the '3d' modes."""

    def __init__(self, dim, mode):
        super().__init__()
        self.mode = mode
        if mode.startswith("upsample"):
            self.resample = nn.Sequential(nn.Upsample(scale_factor=2.0, mode="nearest"), nn.Conv2d(dim, dim // 2, 3, padding=1))
            if mode == "upsample3d":
                self.time_conv = nn.Conv3d(dim, dim * 2, (3, 1, 1))
        else:
            self.resample = nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(dim, dim, 3, stride=2))
            if mode == "downsample3d":
                self.time_conv = nn.Conv3d(dim, dim, (3, 1, 1), stride=(2, 1, 1))

    def forward(self, x, caches):
        if self.mode == "upsample3d":
            x = self._double_time(x, caches)
        x = images_to_frames(self.resample(frames_to_images(x)), x.shape[0])
        if self.mode == "downsample3d":
            x = self._halve_time(x, caches)
        return x

    def _double_time(self, x, caches):
        old = caches.take()
        if old is None:  # the first latent is not upsampled in time; the time conv starts from zeros next chunk
            zero = torch.zeros_like(x[:, :, :1])
            caches.put(torch.cat([zero, zero], 2))
            return x
        x = torch.cat([old, x], 2)
        caches.put(x[:, :, -CACHE_T:])
        y = self.time_conv(x)  # [b, 2c, t, h, w]: channel halves are the two output frames of each input frame
        b, c2, t, h, w = y.shape
        return y.reshape(b, 2, c2 // 2, t, h, w).permute(0, 2, 3, 1, 4, 5).reshape(b, c2 // 2, t * 2, h, w)

    def _halve_time(self, x, caches):
        old = caches.take()
        caches.put(x[:, :, -1:])
        if old is None:  # the first chunk (one frame) passes through
            return x
        return self.time_conv(torch.cat([old, x], 2))


def _run(layers, x, caches):
    for layer in layers:
        x = layer(x, caches) if isinstance(layer, (ResidualBlock, Resample, AttentionBlock, CausalConv3d)) else layer(x)
    return x


class Encoder3d(nn.Module):
    def __init__(self, dim, z_dim, dim_mult, num_res_blocks, temporal_downsample):
        super().__init__()
        dims = [dim * u for u in [1] + dim_mult]
        self.conv1 = CausalConv3d(3, dims[0], 3)
        down = []
        for i, (cin, cout) in enumerate(zip(dims[:-1], dims[1:])):
            for _ in range(num_res_blocks):
                down.append(ResidualBlock(cin, cout))
                cin = cout
            if i != len(dim_mult) - 1:
                down.append(Resample(cout, "downsample3d" if temporal_downsample[i] else "downsample2d"))
        self.downsamples = nn.Sequential(*down)
        self.middle = nn.Sequential(ResidualBlock(cout, cout), AttentionBlock(cout), ResidualBlock(cout, cout))
        self.head = nn.Sequential(RMSNorm(cout), nn.SiLU(), CausalConv3d(cout, z_dim, 3))

    def forward(self, x, caches):
        x = self.conv1(x, caches)
        return _run(self.head, _run(self.middle, _run(self.downsamples, x, caches), caches), caches)


class Decoder3d(nn.Module):
    def __init__(self, dim, z_dim, dim_mult, num_res_blocks, temporal_upsample):
        super().__init__()
        dims = [dim * u for u in [dim_mult[-1]] + dim_mult[::-1]]
        self.conv1 = CausalConv3d(z_dim, dims[0], 3)
        self.middle = nn.Sequential(ResidualBlock(dims[0], dims[0]), AttentionBlock(dims[0]), ResidualBlock(dims[0], dims[0]))
        up = []
        for i, (cin, cout) in enumerate(zip(dims[:-1], dims[1:])):
            if i > 0:
                cin //= 2  # the previous upsampling halved the channels
            for _ in range(num_res_blocks + 1):
                up.append(ResidualBlock(cin, cout))
                cin = cout
            if i != len(dim_mult) - 1:
                up.append(Resample(cout, "upsample3d" if temporal_upsample[i] else "upsample2d"))
        self.upsamples = nn.Sequential(*up)
        self.head = nn.Sequential(RMSNorm(cout), nn.SiLU(), CausalConv3d(cout, 3, 3))

    def forward(self, x, caches):
        x = self.conv1(x, caches)
        return _run(self.head, _run(self.upsamples, _run(self.middle, x, caches), caches), caches)


class WanVAE(nn.Module):
    """Keys: encoder.*, conv1.*, conv2.*, decoder.* as in Wan2.1_VAE.pth."""

    def __init__(self, cfg):
        super().__init__()
        z = cfg["z_dim"]
        self.z_dim = z
        self.encoder = Encoder3d(cfg["dim"], z * 2, cfg["dim_mult"], cfg["num_res_blocks"], cfg["temporal_downsample"])
        self.conv1 = CausalConv3d(z * 2, z * 2, 1)
        self.conv2 = CausalConv3d(z, z, 1)
        self.decoder = Decoder3d(cfg["dim"], z, cfg["dim_mult"], cfg["num_res_blocks"], cfg["temporal_downsample"][::-1])
        mean = torch.tensor(LATENT_MEAN)
        std = torch.tensor(LATENT_STD)
        # As the release computes them: scale = [mean, 1 / std] in float32.
        self.register_buffer("latent_mean", mean.view(1, z, 1, 1, 1), persistent=False)
        self.register_buffer("latent_inv_std", (1.0 / std).view(1, z, 1, 1, 1), persistent=False)

    def encode_chunk(self, pixels, caches):
        """A chunk of pixels (1 frame first, then 4) -> its normalised latent frame."""
        mu = self.conv1(self.encoder(pixels, caches))[:, : self.z_dim]
        return (mu - self.latent_mean) * self.latent_inv_std

    def decode_chunk(self, latent, caches):
        """One normalised latent frame -> its pixels (1 frame first, then 4), not clamped."""
        z = latent / self.latent_inv_std + self.latent_mean
        return self.decoder(self.conv2(z), caches)

    def encode(self, pixels):
        """[1, 3, 1 + 4k, H, W] in [-1, 1] -> normalised latents [1, 16, 1 + k, H/8, W/8], chunk by chunk as the release."""
        caches = Caches()
        out = [self.encode_chunk(pixels[:, :, :1], caches)]
        for i in range((pixels.shape[2] - 1) // 4):
            caches = Caches(caches.new)
            out.append(self.encode_chunk(pixels[:, :, 1 + 4 * i : 5 + 4 * i], caches))
        return torch.cat(out, 2)

    def decode(self, latents):
        """Normalised latents [1, 16, T, h, w] -> pixels [1, 3, 1 + 4(T - 1), 8h, 8w] clamped to [-1, 1]."""
        caches = Caches()
        out = [self.decode_chunk(latents[:, :, :1], caches)]
        for i in range(1, latents.shape[2]):
            caches = Caches(caches.new)
            out.append(self.decode_chunk(latents[:, :, i : i + 1], caches))
        return torch.cat(out, 2).clamp(-1, 1)
