"""The official Wan2.2-Animate-14B folder: file names, configurations, and the torch modules built from it."""
import json
import os

import torch

from .animate_clip import VISION_H14, VISION_TINY, ClipWeights
from .animate_dit import AnimateDiT
from .animate_face import LIA_CHANNELS, FaceEncoderWeights, MotionEncoder
from .errors import ExportError
from .layout import DIT_INDEX, DIT_SINGLE, T5_FILE, TOKENIZER_FILE, VAE_FILE, ShardedWeights, _compare, load_state
from .pth_io import PthFile

CLIP_FILE = "models_clip_open-clip-xlm-roberta-large-vit-huge-14.pth"
LORA_FILE = "relighting_lora.ckpt"
ANIMATE_FILES = ["config.json", CLIP_FILE, T5_FILE, VAE_FILE, TOKENIZER_FILE]

# WanAnimateModel as released (wan/configs/wan_animate_14B.py; rank/alpha from animate_utils.get_loraconfig).
ANIMATE_14B = dict(dim=5120, ffn_dim=13824, num_heads=40, num_layers=40, eps=1e-6, freq_dim=256, text_dim=4096, in_dim=36, clip_dim=1280, lora_rank=128, lora_alpha=128)
FACE_HIDDEN = 1024
FACE_HEADS = 4

LAYOUT_HELP = (
    "Point --checkpoint at the Wan2.2-Animate-14B folder exactly as published (Hugging Face Wan-AI/Wan2.2-Animate-14B): "
    f"config.json, {DIT_INDEX} with its shards, {CLIP_FILE}, {T5_FILE}, {VAE_FILE}, google/umt5-xxl/ and (for replacement with relighting) {LORA_FILE}."
)


class Prefixed:
    """A view of lazy weights: the keys under `prefix` (prefix removed), or all keys but `exclude` prefixes."""

    def __init__(self, weights, prefix="", exclude=()):
        self.w, self.prefix = weights, prefix
        self._keys = [k[len(prefix) :] for k in weights.keys() if k.startswith(prefix) and not any(k.startswith(e) for e in exclude)]

    def keys(self):
        return list(self._keys)

    def shape(self, key):
        return self.w.shape(self.prefix + key)

    def load(self, key):
        return self.w.load(self.prefix + key)


class AnimateCheckpoint:
    def __init__(self, root):
        if not os.path.isdir(root):
            raise ExportError(f"{root} is not a folder. {LAYOUT_HELP}")
        self.root = root
        missing = [f for f in ANIMATE_FILES if not os.path.exists(os.path.join(root, f))]
        if not (os.path.exists(os.path.join(root, DIT_INDEX)) or os.path.exists(os.path.join(root, DIT_SINGLE))):
            missing.append(DIT_INDEX)
        if missing:
            raise ExportError(f"{root} is not the official Wan2.2-Animate-14B layout: {', '.join(sorted(missing))} missing. {LAYOUT_HELP}")
        self.weights = ShardedWeights(root)

    def path(self, name):
        return os.path.join(self.root, name)

    def t5_weights(self):
        return PthFile(self.path(T5_FILE))

    def dit_config(self):
        with open(self.path("config.json"), encoding="utf-8") as f:
            raw = json.load(f)
        if raw.get("in_dim", 36) != 36:
            raise ExportError(f"{self.path('config.json')}: in_dim is {raw.get('in_dim')}; Wan2.2-Animate's DiT takes 36 channels. Use the official folder unchanged.")
        cfg = {k: raw.get(k, v) for k, v in ANIMATE_14B.items()}
        cfg["clip_dim"] = self.weights.shape("img_emb.proj.0.weight")[0]
        cfg["lora_rank"], cfg["lora_alpha"] = self.lora_shape()
        return cfg

    def lora_shape(self):
        """(rank, alpha) of relighting_lora.ckpt; the release's alpha equals its rank (128)."""
        state = self.lora_state()
        if not state:
            return ANIMATE_14B["lora_rank"], ANIMATE_14B["lora_alpha"]
        rank = next(v.shape[0] for k, v in state.items() if k.endswith("lora_A.weight"))
        return rank, rank

    def lora_state(self):
        """relighting_lora.ckpt's adapters (read once: about 1.5 GB in the release), or {} without the file."""
        if getattr(self, "_lora", None) is None:
            path = self.path(LORA_FILE)
            state = _read_lora(path) if os.path.exists(path) else {}
            # PEFT may prefix keys by the wrapper; the module path inside the DiT is what counts.
            self._lora = {k.split("base_model.model.", 1)[-1]: v for k, v in state.items()}
        return self._lora

    def build_dit(self):
        cfg = self.dit_config()
        m = AnimateDiT(cfg)
        lora = self.lora_state()
        dit_keys = self.dit_view()
        base = {k: v for k, v in m.state_dict().items() if ".lora_" not in k}
        _compare({k: v.shape for k, v in base.items()}, dit_keys, f"The DiT weights in {self.root}")
        params = dict(m.named_parameters())
        for key in base:
            params[key].data = dit_keys.load(key).float()
        adapters = {k for k in params if ".lora_" in k}
        self.check_lora(lora, adapters)
        for key in adapters:
            params[key].data = lora[key].float() if lora else torch.zeros_like(params[key])
        return m.eval(), cfg

    def check_lora(self, lora, adapters):
        """Refuses a relighting_lora.ckpt whose keys are not exactly the DiT's adapters, naming them."""
        if lora and set(lora) != set(adapters):
            unknown, absent = sorted(set(lora) - set(adapters)), sorted(set(adapters) - set(lora))
            raise ExportError(
                f"{self.path(LORA_FILE)} does not fit the DiT's block Linears (keys the DiT lacks: {', '.join(unknown[:3]) or 'none'}; "
                f"adapters it lacks: {', '.join(absent[:3]) or 'none'}). Use the relighting_lora.ckpt of the same release."
            )

    def dit_view(self):
        """The DiT's own keys in the shards (the motion and face encoders live there too)."""
        return Prefixed(self.weights, exclude=("motion_encoder.", "face_encoder."))

    def build_motion_encoder(self):
        w = Prefixed(self.weights, "motion_encoder.")
        style_dim = w.shape("enc.fc.0.weight")[0]
        size = 2 ** (sum(1 for k in w.keys() if k.startswith("enc.net_app.convs.") and k.endswith(".conv1.0.weight")) + 2)
        width = w.shape("enc.net_app.convs.0.0.weight")[0]
        channels = LIA_CHANNELS if width == LIA_CHANNELS[size] else {k: width for k in LIA_CHANNELS}
        m = MotionEncoder(size, style_dim, channels)
        where = f"The motion encoder weights (motion_encoder.*) in {self.root}"
        _compare({k: t.shape for k, t in m.state_dict().items()}, w, where)
        for key, p in m.named_parameters():  # the blur kernels are fixed buffers, not loaded
            p.data = w.load(key).float()
        return m.eval()

    def build_face_encoder(self):
        w = Prefixed(self.weights, "face_encoder.")
        dim, hidden = w.shape("out_proj.weight")
        in_dim = w.shape("conv1_local.conv.weight")[1]
        m = FaceEncoderWeights(in_dim, hidden, dim, FACE_HEADS)
        load_state(m, w, f"The face encoder weights (face_encoder.*) in {self.root}")
        return m.eval()

    def build_clip(self):
        pth = PthFile(self.path(CLIP_FILE))
        w = Prefixed(pth, "visual.")
        dim = w.shape("patch_embedding.weight")[0]
        layers = len({k.split(".")[1] for k in w.keys() if k.startswith("transformer.")})
        # Heads are not in the weights: ViT-H/14's 16, or the tiny test tower's.
        heads = VISION_H14["heads"] if dim == VISION_H14["dim"] else VISION_TINY["heads"]
        m = ClipWeights(dict(dim=dim, heads=heads, layers=layers, mlp_ratio=4, out_dim=w.shape("head")[1]))
        load_state(m, Prefixed(pth, "", exclude=("textual.", "log_scale")), f"The CLIP image encoder in {self.path(CLIP_FILE)}")
        return m.eval()


def _read_lora(path):
    """relighting_lora.ckpt's {"state_dict": {...}} through the restricted unpickler (pth_io): a checkpoint
    is data, and torch.load would run whatever code its pickle names."""
    pth = PthFile(path)
    inner = pth.tensors.get("state_dict", pth.tensors)
    if not isinstance(inner, dict):
        raise ExportError(f"{path} does not hold the relighting LoRA's state_dict. Download it again.")
    return {k: pth.materialize(v) for k, v in inner.items()}
