"""Exports components of the official checkpoint into a format 2 pack folder."""
import os

import onnx
import torch

from . import VERSION
from .audio_export import audio_weights, stitch_audio
from .configs import FRAMEPACK_BUCKETS, MOTION_FRAMES, MOTION_LATENTS, REF_TIME_INDEX, TEXT_LEN, rope_pairs, write_json
from .dit import S2VDiT
from .dit_export import OPSETS, export_dit
from .errors import ExportError
from .layout import T5_FILE, TOKENIZER_FILE, Checkpoint, check_free_space, check_keys
from .t5_export import stitch_t5
from .weights import HashingWriter, sha256_file

ALL_COMPONENTS = ["text_encoder", "dit", "tokenizer", "audio_encoder", "vae"]
NOT_YET = {"vae": "the Wan 2.1 VAE encoder and decoder"}
LATENT_MEAN = [-0.7571, -0.7089, -0.9113, 0.1075, -0.1745, 0.9653, -0.1517, 1.5508, 0.4134, -0.0715, 0.5517, -0.3632, -0.1922, -0.9497, 0.2503, -0.2921]
LATENT_STD = [2.8184, 1.4541, 2.3275, 2.6558, 1.2196, 1.7708, 2.6052, 2.0743, 3.2687, 2.1526, 2.8652, 1.5579, 1.6382, 1.1253, 2.8251, 1.9160]

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


def estimate_bytes(ckpt, components, dtype):
    per = 2 if dtype == "float16" else 4
    total = 0
    if "text_encoder" in components:
        w = ckpt.t5_weights()
        total += sum(int(torch.Size(w.shape(k)).numel()) for k in w.keys()) * per
    if "audio_encoder" in components:
        _, w = audio_weights(ckpt)
        total += sum(int(torch.Size(w.shape(k)).numel()) for k in w.keys()) * 4
    if "dit" in components:
        w = ckpt.dit_weights()
        # The conditioning weights appear in each of the three DiT graphs.
        total += sum(int(torch.Size(w.shape(k)).numel()) for k in w.keys()) * per * 12 // 10
    return total + 64 * 1024 * 1024


def export(checkpoint, out, components, dtype="float16"):
    unknown = [c for c in components if c not in ALL_COMPONENTS]
    if unknown:
        raise ExportError(f"Unknown component {', '.join(unknown)}; choose from {', '.join(ALL_COMPONENTS)}.")
    pending = [c for c in components if c in NOT_YET]
    if pending:
        raise ExportError(f"Exporting {', '.join(NOT_YET[c] for c in pending)} is not written yet. Export the other parts with --components text_encoder,dit,tokenizer,audio_encoder.")
    ckpt = Checkpoint(checkpoint, components)
    check_free_space(out, estimate_bytes(ckpt, components, dtype))  # before anything is written
    os.makedirs(out, exist_ok=True)
    entries = {}
    report = {"format": "wan-export-report/1", "exporter": f"wan-export {VERSION}", "weights": dtype, "components": entries}
    if "text_encoder" in components:
        t5 = ckpt.t5_weights()
        path, weights_sha = stitch_t5(t5, ckpt.path(T5_FILE)).write(out, t5, dtype, OPSETS)
        entries["text_encoder"] = graph_entry(path, weights_sha, dtype)
    if "dit" in components:
        cfg = ckpt.dit_config()
        weights = ckpt.dit_weights()
        check_keys(S2VDiT(dict(cfg, num_layers=1, audio_inject_layers=[0])), cfg, weights, f"The DiT weights in {ckpt.root}")

        def write_graph(name, stitcher):
            path, weights_sha = stitcher.write(out, weights, dtype, OPSETS)
            return graph_entry(path, weights_sha, dtype)

        entries.update(export_dit(cfg, write_graph))
        report["dit"] = dit_manifest(cfg)
    if "audio_encoder" in components:
        # wav2vec2 ships in fp32 and runs once per file: it keeps its precision (fp16 would round it).
        stitcher, weights = stitch_audio(ckpt)
        path, weights_sha = stitcher.write(out, weights, "float32", OPSETS)
        entries["audio_encoder"] = graph_entry(path, weights_sha, "float32")
    if "tokenizer" in components:
        report["tokenizer"] = copy_tokenizer(ckpt.path(TOKENIZER_FILE), out)
    report["latent"] = {"channels": 16, "stride": [4, 8, 8], "mean": LATENT_MEAN, "std": LATENT_STD}
    write_json(os.path.join(out, "export-report.json"), report)
    return report


def dit_manifest(cfg):
    return {
        "dim": cfg["dim"], "heads": cfg["num_heads"], "layers": cfg["num_layers"], "ffnDim": cfg["ffn_dim"], "textDim": cfg["text_dim"],
        "textLength": TEXT_LEN, "patch": [1, 2, 2], "ropeTheta": 10000, "ropePairs": rope_pairs(cfg["dim"] // cfg["num_heads"]),
        "audioInjectLayers": sorted(cfg["audio_inject_layers"]), "motionFrames": MOTION_FRAMES, "motionLatents": MOTION_LATENTS,
        "framePackBuckets": list(FRAMEPACK_BUCKETS), "refTimeIndex": REF_TIME_INDEX,
    }


def copy_tokenizer(src, out):
    """Copies tokenizer.json unchanged, hashing it while copying."""
    writer = HashingWriter(os.path.join(out, "tokenizer.json"))
    with open(src, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            writer._put(chunk)
    return {"kind": "umt5", "file": "tokenizer.json", "sha256": writer.close(), "length": TEXT_LEN, "padId": 0, "eosId": 1, "cleanup": "wan-whitespace"}
