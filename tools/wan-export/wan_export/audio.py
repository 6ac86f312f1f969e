"""wav2vec2 (the checkpoint's wav2vec2-large-xlsr-53-english folder, Hugging Face Wav2Vec2ForCTC keys)
as the audio_encoder graph: the whole waveform in, the DiT's layer mix of the 25 hidden states out
(docs/model-pack.md, "audio_encoder"). The processor's normalisation is inside the graph."""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from .attention import multihead_attention
from .errors import ExportError
from .pth_io import PthFile
from .safetensors_io import SafetensorsFile

# Keys of Wav2Vec2ForCTC the audio features do not use.
UNUSED = ("lm_head.", "wav2vec2.masked_spec_embed", "quantizer.", "project_")


class ConvLayer(nn.Module):
    def __init__(self, cin, cout, kernel, stride, bias):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, kernel, stride=stride, bias=bias)
        self.layer_norm = nn.LayerNorm(cout, elementwise_affine=True)

    def forward(self, x):
        return F.gelu(self.layer_norm(self.conv(x).transpose(1, 2)).transpose(1, 2))


class FeatureExtractor(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dims = [1] + list(cfg["conv_dim"])
        self.conv_layers = nn.ModuleList([ConvLayer(dims[i], dims[i + 1], k, s, cfg["conv_bias"]) for i, (k, s) in enumerate(zip(cfg["conv_kernel"], cfg["conv_stride"]))])


class FeatureProjection(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer_norm = nn.LayerNorm(cfg["conv_dim"][-1], eps=cfg["layer_norm_eps"])
        self.projection = nn.Linear(cfg["conv_dim"][-1], cfg["hidden_size"])


class PosConv(nn.Module):
    """Conv1d with weight norm over dim 2 (weight = g * v / |v|, |v| over dims 0 and 1)."""

    def __init__(self, cfg):
        super().__init__()
        h, k, g = cfg["hidden_size"], cfg["num_conv_pos_embeddings"], cfg["num_conv_pos_embedding_groups"]
        self.groups, self.kernel = g, k
        self.weight_g = nn.Parameter(torch.ones(1, 1, k))
        self.weight_v = nn.Parameter(torch.randn(h, h // g, k) * 0.02)
        self.bias = nn.Parameter(torch.zeros(h))

    def forward(self, x):
        w = self.weight_g * self.weight_v / self.weight_v.pow(2).sum(dim=(0, 1), keepdim=True).sqrt()
        y = F.conv1d(x, w, self.bias, padding=self.kernel // 2, groups=self.groups)
        if self.kernel % 2 == 0:
            y = y[:, :, :-1]
        return F.gelu(y)


class PosConvEmbed(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.conv = PosConv(cfg)


class Attention(nn.Module):
    def __init__(self, h, heads):
        super().__init__()
        self.heads = heads
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(h, h) for _ in range(4))

    def forward(self, x):
        # Over the whole file's 50 Hz frames: MatMul + Softmax would hold [heads, T, T] twice (10 GB for a
        # 3-minute song with the release's 16 heads).
        return self.out_proj(multihead_attention(self.q_proj(x), self.k_proj(x), self.v_proj(x), self.heads))


class FeedForward(nn.Module):
    def __init__(self, h, inner):
        super().__init__()
        self.intermediate_dense = nn.Linear(h, inner)
        self.output_dense = nn.Linear(inner, h)

    def forward(self, x):
        return self.output_dense(F.gelu(self.intermediate_dense(x)))


class EncoderLayer(nn.Module):
    """The stable-layer-norm (pre-norm) layer of the large models."""

    def __init__(self, cfg):
        super().__init__()
        h = cfg["hidden_size"]
        self.attention = Attention(h, cfg["num_attention_heads"])
        self.layer_norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])
        self.feed_forward = FeedForward(h, cfg["intermediate_size"])
        self.final_layer_norm = nn.LayerNorm(h, eps=cfg["layer_norm_eps"])

    def forward(self, x):
        x = x + self.attention(self.layer_norm(x))
        return x + self.feed_forward(self.final_layer_norm(x))


class Encoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.pos_conv_embed = PosConvEmbed(cfg)
        self.layer_norm = nn.LayerNorm(cfg["hidden_size"], eps=cfg["layer_norm_eps"])
        self.layers = nn.ModuleList([EncoderLayer(cfg) for _ in range(cfg["num_hidden_layers"])])


class Wav2Vec2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.feature_extractor = FeatureExtractor(cfg)
        self.feature_projection = FeatureProjection(cfg)
        self.encoder = Encoder(cfg)


class AudioFeatures(nn.Module):
    """waveform [1, samples] -> sum over the 25 hidden states of layer_mix[l] * h_l: [1, steps, hidden]."""

    def __init__(self, cfg):
        super().__init__()
        self.wav2vec2 = Wav2Vec2(cfg)
        self.layer_mix = nn.Parameter(torch.full((cfg["num_hidden_layers"] + 1,), 1.0 / (cfg["num_hidden_layers"] + 1)))

    def forward(self, waveform):
        # Wav2Vec2FeatureExtractor's do_normalize: zero mean, unit variance over the whole file.
        mean = waveform.mean(dim=-1, keepdim=True)
        var = (waveform - mean).pow(2).mean(dim=-1, keepdim=True)
        x = ((waveform - mean) / torch.sqrt(var + 1e-7)).unsqueeze(1)
        for layer in self.wav2vec2.feature_extractor.conv_layers:
            x = layer(x)
        p = self.wav2vec2.feature_projection
        x = p.projection(p.layer_norm(x.transpose(1, 2)))
        enc = self.wav2vec2.encoder
        x = x + enc.pos_conv_embed.conv(x.transpose(1, 2)).transpose(1, 2)
        mixed = x * self.layer_mix[0]
        for i, layer in enumerate(enc.layers):
            x = layer(x)
            h = enc.layer_norm(x) if i == len(enc.layers) - 1 else x
            mixed = mixed + h * self.layer_mix[i + 1]
        return mixed


def read_wav2vec_config(folder):
    path = os.path.join(folder, "config.json")
    try:
        with open(path, encoding="utf-8") as f:
            cfg = json.load(f)
    except (OSError, ValueError) as e:
        raise ExportError(f"{path} could not be read ({e}). It is the config.json of the checkpoint's wav2vec2 folder.") from e
    if cfg.get("feat_extract_norm") != "layer" or not cfg.get("do_stable_layer_norm"):
        raise ExportError(f"{path}: the exporter reads the large wav2vec2 models (feat_extract_norm \"layer\", do_stable_layer_norm true), as the release ships.")
    return {k: cfg[k] for k in ("conv_dim", "conv_kernel", "conv_stride", "conv_bias", "hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size", "num_conv_pos_embeddings", "num_conv_pos_embedding_groups", "layer_norm_eps")}


class Wav2VecWeights:
    """The folder's weights (model.safetensors, else pytorch_model.bin) under our key names, plus the
    DiT's folded layer mix as `layer_mix`."""

    _ALIASES = {"parametrizations.weight.original0": "weight_g", "parametrizations.weight.original1": "weight_v"}

    def __init__(self, folder, layer_mix):
        st, pt = os.path.join(folder, "model.safetensors"), os.path.join(folder, "pytorch_model.bin")
        if os.path.exists(st):
            self.src = SafetensorsFile(st)
        elif os.path.exists(pt):
            self.src = PthFile(pt)
        else:
            raise ExportError(f"{folder} has neither model.safetensors nor pytorch_model.bin. Download the wav2vec2 folder of the release again.")
        self.names = {}
        for key in self.src.keys():
            if key.startswith(UNUSED):
                continue
            ours = key
            for old, new in self._ALIASES.items():
                ours = ours.replace(old, new)
            self.names[ours] = key
        self.layer_mix = layer_mix

    def keys(self):
        return list(self.names) + ["layer_mix"]

    def shape(self, key):
        return tuple(self.layer_mix.shape) if key == "layer_mix" else tuple(self.src.shape(self.names[key]))

    def load(self, key):
        return self.layer_mix if key == "layer_mix" else self.src.load(self.names[key])
