"""The pack's manifest.json (docs/model-pack.md, "Format 2: manifest.json") from what was exported."""
import os

import onnx

from . import VERSION
from .configs import DIT_14B, FRAMEPACK_BUCKETS, MOTION_FRAMES, MOTION_LATENTS, REF_TIME_INDEX, TEXT_LEN, rope_pairs
from .vae import LATENT_MEAN, LATENT_STD
from .weights import sha256_file

PACK_FORMAT = "wan-studio-pack/2"
# The order of docs/model-pack.md's component table.
GRAPHS = ["text_encoder", "audio_encoder", "vae_encoder", "vae_decoder", "dit_first_block", "dit_rest", "dit_head"]
DEFAULT_NAME = "wan2.2-s2v-14b"
RELEASE = "2025.08"  # the Wan2.2-S2V-14B release the exporter follows

_ELEM = {onnx.TensorProto.FLOAT: "float32", onnx.TensorProto.FLOAT16: "float16", onnx.TensorProto.INT64: "int64", onnx.TensorProto.INT32: "int32"}


def _specs(values):
    out = []
    for v in values:
        t = v.type.tensor_type
        out.append({"name": v.name, "dtype": _ELEM[t.elem_type], "shape": [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]})
    return out


def graph_entry(onnx_path, weights_sha, dtype):
    """Checks a written graph (with its external data) and returns its manifest entry."""
    onnx.checker.check_model(onnx_path)
    model = onnx.load(onnx_path, load_external_data=False)
    name = os.path.basename(onnx_path)[: -len(".onnx")]
    return {
        "file": f"{name}.onnx", "sha256": sha256_file(onnx_path), "externalData": [{"file": f"{name}.weights", "sha256": weights_sha}], "dtype": dtype,
        "inputs": _specs(model.graph.input), "outputs": _specs(model.graph.output),
    }


# The DiT's attention is one MultiHeadAttention node (attention.py); packs without the field compute
# it as MatMul + Softmax, which the studio sizes against memory.
ATTENTION = "multihead"


def dit_manifest(cfg):
    return {
        "dim": cfg["dim"], "heads": cfg["num_heads"], "layers": cfg["num_layers"], "ffnDim": cfg["ffn_dim"], "textDim": cfg["text_dim"],
        "textLength": TEXT_LEN, "patch": [1, 2, 2], "ropeTheta": 10000, "ropePairs": rope_pairs(cfg["dim"] // cfg["num_heads"]),
        "audioInjectLayers": sorted(cfg["audio_inject_layers"]), "motionFrames": MOTION_FRAMES, "motionLatents": MOTION_LATENTS,
        "framePackBuckets": list(FRAMEPACK_BUCKETS), "refTimeIndex": REF_TIME_INDEX, "attention": ATTENTION,
    }


def latent_manifest():
    return {"channels": 16, "stride": [4, 8, 8], "mean": LATENT_MEAN, "std": LATENT_STD}


def model_label(cfg):
    """What the pack was made from: the release, or (a --tiny or other checkpoint) its size."""
    if all(cfg[k] == DIT_14B[k] for k in ("dim", "num_layers", "num_heads", "ffn_dim")):
        return "Wan2.2-S2V-14B"
    return f"Wan2.2-S2V layout, DiT dim {cfg['dim']} x {cfg['num_layers']} layers (not the release)"


def default_version(dtype):
    return f"{RELEASE}-{'fp16' if dtype == 'float16' else 'fp32'}"


def pack_manifest(name, version, dit_cfg, entries, tokenizer):
    """The manifest of a pack whose every graph and the tokenizer were exported."""
    return {
        "format": PACK_FORMAT, "name": name, "version": version, "pipeline": "s2v",
        "source": {"model": model_label(dit_cfg), "exporter": f"wan-export {VERSION}"},
        "tokenizer": tokenizer,
        "components": {g: entries[g] for g in GRAPHS},
        "dit": dit_manifest(dit_cfg),
        "latent": latent_manifest(),
        "audio": {"sampleRate": 16000, "featureRate": 50, "videoRate": 30, "fps": 16, "dim": dit_cfg["audio_dim"]},
        "video": {"sizeMultiple": 64, "framesMultiple": 4},
    }
