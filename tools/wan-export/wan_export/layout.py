"""The official Wan2.2-S2V-14B folder: what must be there, read lazily, with errors that say what to do."""
import json
import os
import shutil

from .configs import read_dit_config
from .errors import ExportError
from .pth_io import PthFile
from .safetensors_io import SafetensorsFile

DIT_INDEX = "diffusion_pytorch_model.safetensors.index.json"
DIT_SINGLE = "diffusion_pytorch_model.safetensors"
T5_FILE = "models_t5_umt5-xxl-enc-bf16.pth"
VAE_FILE = "Wan2.1_VAE.pth"
WAV2VEC_DIR = "wav2vec2-large-xlsr-53-english"
TOKENIZER_FILE = os.path.join("google", "umt5-xxl", "tokenizer.json")

# Which files each exported component reads.
NEEDS = {
    "text_encoder": [T5_FILE],
    "dit": ["config.json"],
    "tokenizer": [TOKENIZER_FILE],
    "audio_encoder": [WAV2VEC_DIR, "config.json"],
    "vae": [VAE_FILE],
}

LAYOUT_HELP = (
    "Point --checkpoint at the Wan2.2-S2V-14B folder exactly as published (Hugging Face Wan-AI/Wan2.2-S2V-14B): "
    f"config.json, {DIT_INDEX} with its diffusion_pytorch_model-*.safetensors shards, {T5_FILE}, {VAE_FILE}, "
    f"{WAV2VEC_DIR}/ and google/umt5-xxl/."
)


class Checkpoint:
    def __init__(self, root, components):
        if not os.path.isdir(root):
            raise ExportError(f"{root} is not a folder. {LAYOUT_HELP}")
        self.root = root
        missing = {f for c in components for f in NEEDS[c] if not os.path.exists(os.path.join(root, f))}
        if ("dit" in components or "audio_encoder" in components) and not (os.path.exists(os.path.join(root, DIT_INDEX)) or os.path.exists(os.path.join(root, DIT_SINGLE))):
            missing.add(DIT_INDEX)
        missing = sorted(missing)
        if missing:
            raise ExportError(f"{root} is not the official Wan2.2-S2V-14B layout: {', '.join(missing)} missing. {LAYOUT_HELP}")

    def path(self, name):
        return os.path.join(self.root, name)

    def dit_config(self):
        return read_dit_config(self.path("config.json"))

    def dit_weights(self):
        return ShardedWeights(self.root)

    def t5_weights(self):
        return PthFile(self.path(T5_FILE))


class ShardedWeights:
    """The DiT's safetensors shards behind one lazy `load(key)`; a missing shard is named."""

    def __init__(self, root):
        index = os.path.join(root, DIT_INDEX)
        if os.path.exists(index):
            try:
                with open(index, encoding="utf-8") as f:
                    weight_map = json.load(f)["weight_map"]
            except (OSError, ValueError, KeyError) as e:
                raise ExportError(f"{index} could not be read ({e}). Download it again.") from e
        else:
            weight_map = {k: DIT_SINGLE for k in SafetensorsFile(os.path.join(root, DIT_SINGLE)).keys()}
        shards = sorted(set(weight_map.values()))
        absent = [s for s in shards if not os.path.exists(os.path.join(root, s))]
        if absent:
            raise ExportError(f"{root}: the DiT shard{'s' if len(absent) > 1 else ''} {', '.join(absent)} listed in {DIT_INDEX} {'are' if len(absent) > 1 else 'is'} missing. Download {'them' if len(absent) > 1 else 'it'} into the folder and run the export again.")
        self.files = {s: SafetensorsFile(os.path.join(root, s)) for s in shards}
        self.weight_map = weight_map
        for key, shard in weight_map.items():
            if key not in self.files[shard].header:
                raise ExportError(f"{os.path.join(root, shard)} lacks {key}, which {DIT_INDEX} puts there. Download the shard again.")

    def keys(self):
        return list(self.weight_map.keys())

    def shape(self, key):
        return self.files[self.weight_map[key]].shape(key)

    def load(self, key):
        return self.files[self.weight_map[key]].load(key)


def check_keys(skeleton, cfg, weights, where):
    """Checks the DiT shards hold exactly the keys and shapes of the configured model, from a one-block
    skeleton (block and injector keys repeated per index): nothing is loaded."""
    inject = sorted(cfg["audio_inject_layers"])
    want = {}
    for key, t in skeleton.state_dict().items():
        if key.startswith("blocks.0."):
            want.update({f"blocks.{i}.{key[9:]}": t.shape for i in range(cfg["num_layers"])})
        elif key.startswith("audio_injector.") and ".0." in key:
            head, rest = key.split(".0.", 1)
            want.update({f"{head}.{j}.{rest}": t.shape for j in range(len(inject))})
        else:
            want[key] = t.shape
    _compare(want, weights, where)


def _compare(want, weights, where):
    have = set(weights.keys())
    missing = [k for k in want if k not in have]
    extra = [k for k in have if k not in want]
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"lacks {len(missing)} weights the model needs (e.g. {', '.join(missing[:3])})")
        if extra:
            parts.append(f"has {len(extra)} weights this model does not have (e.g. {', '.join(sorted(extra)[:3])})")
        raise ExportError(f"{where} {' and '.join(parts)}: it is not the Wan2.2-S2V-14B checkpoint, or its config.json does not match its weights.")
    for key, shape in want.items():
        if tuple(weights.shape(key)) != tuple(shape):
            raise ExportError(f"{where}: {key} has shape {list(weights.shape(key))}, the config.json says {list(shape)}. The weights and config.json do not belong together.")


def load_state(module, weights, where):
    """Copies every parameter of `module` from lazy `weights`, one tensor at a time; names what does not fit."""
    want = module.state_dict()
    _compare({k: t.shape for k, t in want.items()}, weights, where)
    params = dict(module.named_parameters())
    for key in want:
        params[key].data = weights.load(key).to(params[key].dtype)


def check_free_space(out_dir, needed_bytes):
    probe = out_dir
    while not os.path.exists(probe):
        probe = os.path.dirname(os.path.abspath(probe))
    free = shutil.disk_usage(probe).free
    if free < needed_bytes:
        raise ExportError(f"Not enough disk space for the pack in {out_dir}: it needs about {needed_bytes / 1e9:.1f} GB, {free / 1e9:.1f} GB are free. Free some space or choose another --out.")
