"""Exports the official checkpoint into a format 2 pack folder: every component gives a pack with its
manifest.json; a subset (--components) gives those graphs and export-report.json, not a pack."""
import os

import torch

from . import VERSION
from .audio_export import audio_weights, stitch_audio
from .configs import TEXT_LEN, write_json
from .dit import S2VDiT
from .dit_export import OPSETS, export_dit
from .errors import ExportError
from .layout import T5_FILE, TOKENIZER_FILE, Checkpoint, check_free_space, check_keys
from .manifest import DEFAULT_NAME, default_version, dit_manifest, graph_entry, latent_manifest, pack_manifest
from .t5_export import stitch_t5
from .vae_export import stitch_vae_graphs, vae_weights
from .weights import HashingWriter

ALL_COMPONENTS = ["text_encoder", "dit", "tokenizer", "audio_encoder", "vae"]


def _numel(weights):
    return sum(int(torch.Size(weights.shape(k)).numel()) for k in weights.keys())


def estimate_bytes(ckpt, components, dtype):
    """The pack's size from the checkpoint's tensor shapes (nothing is loaded), with some margin."""
    per = 2 if dtype == "float16" else 4
    total = 0
    if "text_encoder" in components:
        total += _numel(ckpt.t5_weights()) * per
    if "audio_encoder" in components:
        total += _numel(audio_weights(ckpt)[1]) * 4
    if "vae" in components:
        total += _numel(vae_weights(ckpt)) * 4
    if "dit" in components:
        # The conditioning weights appear in each of the three DiT graphs.
        total += _numel(ckpt.dit_weights()) * per * 12 // 10
    return total + 64 * 1024 * 1024


def _check_label(value, what, limit):
    if not value or len(value) > limit:
        raise ExportError(f"--{what} must be 1 to {limit} characters; it is {len(value)}.")


def export(checkpoint, out, components, dtype="float16", name=DEFAULT_NAME, version=None):
    unknown = [c for c in components if c not in ALL_COMPONENTS]
    if unknown:
        raise ExportError(f"Unknown component {', '.join(unknown)}; choose from {', '.join(ALL_COMPONENTS)}.")
    version = version or default_version(dtype)
    _check_label(name, "name", 120)
    _check_label(version, "version", 40)
    ckpt = Checkpoint(checkpoint, components)
    check_free_space(out, estimate_bytes(ckpt, components, dtype))  # before anything is written
    os.makedirs(out, exist_ok=True)
    remove_stale_manifests(out)
    entries, extra = {}, {}
    if "text_encoder" in components:
        entries["text_encoder"] = export_text_encoder(ckpt, out, dtype)
    if "dit" in components:
        entries.update(_export_dit(ckpt, out, dtype))
    if "audio_encoder" in components:
        # wav2vec2 ships in fp32 and runs once per file: it keeps its precision (fp16 would round it).
        stitcher, weights = stitch_audio(ckpt)
        path, weights_sha = stitcher.write(out, weights, "float32", OPSETS)
        entries["audio_encoder"] = graph_entry(path, weights_sha, "float32")
    if "vae" in components:
        entries.update(export_vae(ckpt, out))
    if "tokenizer" in components:
        extra["tokenizer"] = copy_tokenizer(ckpt.path(TOKENIZER_FILE), out)
    if set(components) == set(ALL_COMPONENTS):
        manifest = pack_manifest(name, version, ckpt.dit_config(), entries, extra["tokenizer"])
        write_json(os.path.join(out, "manifest.json"), manifest)
        return {"pack": True, "components": list(manifest["components"])}
    report = {"format": "wan-export-report/1", "exporter": f"wan-export {VERSION}", "weights": dtype, "components": entries, **extra, "latent": latent_manifest()}
    if "dit" in components:
        report["dit"] = dit_manifest(ckpt.dit_config())
    write_json(os.path.join(out, "export-report.json"), report)
    return {"pack": False, "components": list(entries) + (["tokenizer"] if "tokenizer" in extra else [])}


def remove_stale_manifests(out):
    """A folder being (re)written is not a pack until its new manifest is written last."""
    for stale in ("manifest.json", "export-report.json", "animate-report.json"):
        if os.path.exists(os.path.join(out, stale)):
            os.remove(os.path.join(out, stale))


def export_text_encoder(ckpt, out, dtype):
    """text_encoder.onnx from the umT5 .pth, streamed; shared by the S2V and Animate packs. `ckpt` has path() and t5_weights()."""
    t5 = ckpt.t5_weights()
    path, weights_sha = stitch_t5(t5, ckpt.path(T5_FILE)).write(out, t5, dtype, OPSETS)
    return graph_entry(path, weights_sha, dtype)


def export_vae(ckpt, out):
    """vae_encoder.onnx and vae_decoder.onnx from Wan2.1_VAE.pth; shared by the S2V and Animate packs.
    The release's VAE is fp32 and the official pipeline runs it in fp32: it keeps its precision (0.5 GB)."""
    encoder, decoder, weights = stitch_vae_graphs(ckpt)
    entries = {}
    for graph, stitcher in (("vae_encoder", encoder), ("vae_decoder", decoder)):
        path, weights_sha = stitcher.write(out, weights, "float32", OPSETS)
        entries[graph] = graph_entry(path, weights_sha, "float32")
    return entries


def _export_dit(ckpt, out, dtype):
    cfg = ckpt.dit_config()
    weights = ckpt.dit_weights()
    check_keys(S2VDiT(dict(cfg, num_layers=1, audio_inject_layers=[0])), cfg, weights, f"The DiT weights in {ckpt.root}")

    def write_graph(name, stitcher):
        path, weights_sha = stitcher.write(out, weights, dtype, OPSETS)
        return graph_entry(path, weights_sha, dtype)

    return export_dit(cfg, write_graph)


def copy_tokenizer(src, out):
    """Copies tokenizer.json unchanged, hashing it while copying."""
    writer = HashingWriter(os.path.join(out, "tokenizer.json"))
    with open(src, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            writer._put(chunk)
    return {"kind": "umt5", "file": "tokenizer.json", "sha256": writer.close(), "length": TEXT_LEN, "padId": 0, "eosId": 1, "cleanup": "wan-whitespace"}
