"""tiny --app animate: a random-weight checkpoint folder in the official Wan2.2-Animate-14B layout and
key names (DiT shards holding the DiT, motion_encoder.* and face_encoder.*; the CLIP .pth with the
vision tower under visual.* and a text tower the exporter ignores; relighting_lora.ckpt with PEFT's
lora_A/lora_B keys; umT5, its tokenizer) at a tiny config. The 257 CLIP tokens are kept."""
import os

import torch

from .animate_clip import VISION_TINY, ClipWeights
from .animate_dit import AnimateDiT, animate_state_split
from .animate_face import LIA_TINY_CHANNELS, EqualConv2d, EqualLinear, FaceEncoderWeights, MotionEncoder
from .animate_layout import ANIMATE_14B, CLIP_FILE, FACE_HEADS, LORA_FILE
from .configs import write_json
from .tiny import _randomize, write_shared_tiny, write_sharded_dit

ANIMATE_TINY = dict(ANIMATE_14B, dim=32, ffn_dim=64, num_heads=2, num_layers=10, text_dim=32, clip_dim=VISION_TINY["dim"], lora_rank=4, lora_alpha=4)
LIA_TINY = dict(size=32, style_dim=32)  # at least the 20 motion directions (QR keeps 20 columns)
FACE_TINY_HIDDEN = 32


def _unit_equalised(module, seed):
    """LIA's equalised layers scale their weights by 1 / sqrt(fan_in) when they run and are initialised
    with randn (std 1). _randomize's own fan-in scaling on top shrank the signal at every layer until the
    tiny face motion encoder gave the same motion for any face, and nothing could prove the face path."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (EqualConv2d, EqualLinear)):
                m.weight.copy_(torch.randn(m.weight.shape, generator=g))


# For measuring the exporter's memory: a DiT 1024 wide (about 36 MB of bf16 weights per block) and
# the wide umT5 of `tiny --wide`.
ANIMATE_WIDE = dict(ANIMATE_TINY, dim=1024, ffn_dim=4096, num_heads=8, text_dim=1024, lora_rank=16, lora_alpha=16)


def build_tiny_animate(out, seed=0, wide=False, layers=None):
    os.makedirs(out, exist_ok=True)
    cfg = ANIMATE_WIDE if wide else ANIMATE_TINY
    if layers is not None:
        cfg = dict(cfg, num_layers=layers)
    dit = AnimateDiT(cfg)
    _randomize(dit, seed)
    motion = MotionEncoder(LIA_TINY["size"], LIA_TINY["style_dim"], LIA_TINY_CHANNELS)
    _randomize(motion, seed + 1)
    _unit_equalised(motion, seed + 1)
    face = FaceEncoderWeights(LIA_TINY["style_dim"], FACE_TINY_HIDDEN, cfg["dim"], FACE_HEADS)
    _randomize(face, seed + 2)
    base, lora = animate_state_split(dit)
    state = {k: v.to(torch.bfloat16) for k, v in base.items()}
    state.update({f"motion_encoder.{k}": v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in motion.state_dict().items()})
    state.update({f"face_encoder.{k}": v.to(torch.bfloat16) for k, v in face.state_dict().items()})
    write_sharded_dit(out, state)
    config = {"_class_name": "WanAnimateModel", "_diffusers_version": "0.35.0", "patch_size": [1, 2, 2], "text_len": 512, "out_dim": 16, "motion_encoder_dim": 512}
    config.update({k: v for k, v in cfg.items() if k not in ("clip_dim", "lora_rank", "lora_alpha")})
    write_json(os.path.join(out, "config.json"), config)
    torch.save({"state_dict": {k: v.to(torch.bfloat16) for k, v in lora.items()}}, os.path.join(out, LORA_FILE))

    clip = ClipWeights(dict(VISION_TINY, out_dim=16))
    _randomize(clip, seed + 3)
    clip_state = {k: v.to(torch.float16) for k, v in clip.state_dict().items()}
    g = torch.Generator().manual_seed(seed + 4)
    clip_state["textual.token_embedding.weight"] = torch.randn(64, 16, generator=g).half()  # ignored by the exporter
    clip_state["log_scale"] = torch.tensor(2.6592).half()
    torch.save(clip_state, os.path.join(out, CLIP_FILE))

    # umT5, the VAE and the tokenizer are the S2V release's files: the tiny S2V checkpoint's, drawn
    # from the same seeds, so tiny S2V and Animate packs of one seed share them as the releases do.
    del dit, state, base, lora
    write_shared_tiny(out, seed, wide)
    return out
