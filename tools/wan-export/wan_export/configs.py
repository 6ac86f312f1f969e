"""Model configurations: the official Wan2.2-S2V-14B numbers, a tiny one for tests, and how a
checkpoint's config.json is read and checked."""
import json
import os

from .errors import ExportError

# WanModel_S2V's constructor defaults: what a key missing from config.json means.
DIT_DEFAULTS = dict(
    cond_dim=0, audio_dim=5120, num_audio_token=4, enable_adain=False, adain_mode="attn_norm",
    audio_inject_layers=[0, 4, 8, 12, 16, 20, 24, 27], zero_timestep=False, enable_motioner=True,
    add_last_motion=True, enable_tsm=False, trainable_token_pos_emb=False, enable_framepack=False,
    framepack_drop_mode="drop", model_type="s2v", patch_size=[1, 2, 2], text_len=512, in_dim=16,
    dim=2048, ffn_dim=8192, freq_dim=256, text_dim=4096, out_dim=16, num_heads=16, num_layers=32,
    window_size=[-1, -1], qk_norm=True, cross_attn_norm=True, eps=1e-6,
)

# wan/configs/wan_s2v_14B.py: the released model.
DIT_14B = dict(
    DIT_DEFAULTS, cond_dim=16, audio_dim=1024, enable_adain=True, adain_mode="attn_norm",
    audio_inject_layers=[0, 4, 8, 12, 16, 20, 24, 27, 30, 33, 36, 39], zero_timestep=True,
    enable_motioner=False, enable_framepack=True, framepack_drop_mode="padd", dim=5120, ffn_dim=13824,
    num_heads=40, num_layers=40, zero_init=True,
)
T5_XXL = dict(vocab=256384, dim=4096, dim_attn=4096, dim_ffn=10240, num_heads=64, num_layers=24, num_buckets=32)

# Tiny: every structural feature of the 14B model at a size that exports in seconds.
DIT_TINY = dict(
    DIT_14B, dim=32, ffn_dim=64, num_heads=2, num_layers=3, audio_inject_layers=[0, 2], text_dim=32,
    audio_dim=16,
)
T5_TINY = dict(vocab=256384, dim=32, dim_attn=32, dim_ffn=64, num_heads=4, num_layers=2, num_buckets=32)

# What the S2V pipeline around the DiT fixes (wan/configs/wan_s2v_14B.py, FramePackMotioner).
MOTION_FRAMES = 73
MOTION_LATENTS = 19
FRAMEPACK_BUCKETS = (1, 2, 16)
REF_TIME_INDEX = 30
TEXT_LEN = 512

# Features the exporter implements, as the release sets them.
_REQUIRED = dict(
    model_type="s2v", enable_framepack=True, enable_motioner=False, enable_adain=True, adain_mode="attn_norm",
    zero_timestep=True, enable_tsm=False, trainable_token_pos_emb=False, patch_size=[1, 2, 2],
    window_size=[-1, -1], qk_norm=True, cross_attn_norm=True, in_dim=16, out_dim=16,
)


def read_dit_config(path):
    """config.json of the DiT, with WanModel_S2V's defaults for missing keys, checked against what the exporter implements."""
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        raise ExportError(f"{path} could not be read as JSON ({e}). It is the DiT's config.json from the official Wan2.2-S2V-14B folder.") from e
    cfg = dict(DIT_DEFAULTS)
    cfg.update({k: v for k, v in raw.items() if not k.startswith("_")})
    check_dit_config(cfg, path)
    return cfg


def check_dit_config(cfg, where):
    for key, want in _REQUIRED.items():
        have = list(cfg[key]) if isinstance(cfg.get(key), (list, tuple)) else cfg.get(key)
        if (bool(have) if isinstance(want, bool) else have) != want:
            raise ExportError(f"{where}: {key} is {json.dumps(have)}; the exporter supports {json.dumps(want)} (the Wan2.2-S2V-14B release). Use the official folder unchanged.")
    d = cfg["dim"] // cfg["num_heads"]
    if cfg["dim"] % cfg["num_heads"] or d % 2 or d // 2 < 3:
        raise ExportError(f"{where}: dim {cfg['dim']} / num_heads {cfg['num_heads']} is not an even head size of at least 6.")
    if cfg["dim"] % 4:
        raise ExportError(f"{where}: dim {cfg['dim']} must be a multiple of 4 (the audio encoder splits it in 4 tokens).")
    bad = [i for i in cfg["audio_inject_layers"] if not 0 <= i < cfg["num_layers"]]
    if bad:
        raise ExportError(f"{where}: audio_inject_layers {bad} are not blocks of a {cfg['num_layers']}-layer model.")


def rope_pairs(head_dim):
    c = head_dim // 2
    return [c - 2 * (c // 3), c // 3, c // 3]


def write_json(path, data):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
    os.replace(tmp, path)
