"""export --app animate: a whole format 2 Animate pack (docs/model-pack.md, "Format 2: Animate"). umT5,
the VAE and the tokenizer go through the S2V export's functions (same code, same weight files, same
hashes as an S2V pack's); the four Animate graphs through animate_export; manifest.json is written last."""
import os

from . import VERSION
from .animate_dit import FACE_EVERY
from .animate_dit_export import check_dit_weights
from .animate_export import ANIMATE_COMPONENTS, Modules, export_animate_graphs
from .animate_layout import ANIMATE_14B, AnimateCheckpoint
from .configs import TEXT_LEN, rope_pairs, write_json
from .export import _check_label, copy_tokenizer, export_text_encoder, export_vae, remove_stale_manifests
from .layout import TOKENIZER_FILE, check_free_space
from .manifest import ATTENTION, PACK_FORMAT, latent_manifest

DEFAULT_NAME = "wan2.2-animate-14b"
RELEASE = "2025.09"  # the Wan2.2-Animate-14B release the exporter follows
CLIP_TOKENS = 257
# The order of animateComponentNames in common/pack/animateManifest2.ts.
COMPONENTS = ["text_encoder", "vae_encoder", "vae_decoder"] + ANIMATE_COMPONENTS


def default_version(dtype):
    return f"{RELEASE}-{'fp16' if dtype == 'float16' else 'fp32'}"


def model_label(cfg):
    if all(cfg[k] == ANIMATE_14B[k] for k in ("dim", "num_layers", "num_heads", "ffn_dim")):
        return "Wan2.2-Animate-14B"
    return f"Wan2.2-Animate layout, DiT dim {cfg['dim']} x {cfg['num_layers']} layers (not the release)"


def estimate_bytes(ckpt, dtype):
    """The pack's size from the checkpoint's files (bf16/fp16 weights: as large at fp16, twice at fp32),
    plus zero relighting adapters (about 5% of the DiT) when relighting_lora.ckpt is absent, with margin."""
    total = 0
    for root, _, files in os.walk(ckpt.root):
        total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
    total = total * (1 if dtype == "float16" else 2)
    return total * 11 // 10 + 64 * 1024 * 1024


def animate_manifest(name, version, m, entries, tokenizer, lora_rank):
    cfg = m.cfg
    face_tokens = entries["face_encoder"]["outputs"][0]["shape"][2]
    return {
        "format": PACK_FORMAT, "name": name, "version": version, "pipeline": "animate",
        "source": {"model": model_label(cfg), "exporter": f"wan-export {VERSION}"},
        "tokenizer": tokenizer,
        "components": {c: entries[c] for c in COMPONENTS},
        "dit": {
            "dim": cfg["dim"], "heads": cfg["num_heads"], "layers": cfg["num_layers"], "textDim": cfg["text_dim"], "textLength": TEXT_LEN,
            "clipTokens": CLIP_TOKENS, "clipDim": m.clip_dim, "faceAdapterEvery": FACE_EVERY, "ropeTheta": 10000,
            "ropePairs": rope_pairs(cfg["dim"] // cfg["num_heads"]), "loraRank": lora_rank,
            "attention": ATTENTION,
        },
        "face": {"size": m.face_size, "motionDim": m.style_dim, "tokens": face_tokens},
        "latent": latent_manifest(),
        "video": {"sizeMultiple": 16, "framesMultiple": 4},
    }


def export_animate_pack(checkpoint, out, dtype="float16", name=None, version=None):
    """Writes the pack folder; returns the manifest's component names."""
    name = name or DEFAULT_NAME
    version = version or default_version(dtype)
    _check_label(name, "name", 120)
    _check_label(version, "version", 40)
    ckpt = AnimateCheckpoint(checkpoint)
    m = Modules(ckpt, with_dit=False)
    check_dit_weights(ckpt, m.cfg)  # a checkpoint that does not fit is refused before anything is written
    check_free_space(out, estimate_bytes(ckpt, dtype))
    os.makedirs(out, exist_ok=True)
    remove_stale_manifests(out)
    entries = {"text_encoder": export_text_encoder(ckpt, out, dtype)}
    entries.update(export_vae(ckpt, out))
    tokenizer = copy_tokenizer(ckpt.path(TOKENIZER_FILE), out)
    entries.update(export_animate_graphs(m, ckpt, out, dtype))
    # A pack made without relighting_lora.ckpt has zero adapters: rank 0 says so.
    lora_rank = m.cfg["lora_rank"] if ckpt.lora_state() else 0
    write_json(os.path.join(out, "manifest.json"), animate_manifest(name, version, m, entries, tokenizer, lora_rank))
    return COMPONENTS
