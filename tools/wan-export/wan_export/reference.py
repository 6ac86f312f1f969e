"""Reference outputs for the tests: our torch modules run on seeded inputs; inputs and outputs are
written as raw little-endian files with an index, for onnxruntime to be compared against."""
import os

import numpy as np
import torch

from .audio_export import build_audio
from .components import DIT_GRAPHS, build_dit, build_text_encoder, dit_example, dit_graph_inputs, text_example
from .configs import write_json
from .dit import FirstBlock, HeadOnly, Rest
from .layout import Checkpoint
from .vae_export import build_vae

WRAPPERS = {"dit_first_block": FirstBlock, "dit_rest": Rest, "dit_head": HeadOnly}


def _save(out, case, names, tensors):
    entries = {}
    for name, t in zip(names, tensors):
        arr = t.detach().cpu().numpy()
        arr = arr.astype(arr.dtype.newbyteorder("<"))
        file = f"{case}.{name}.bin"
        arr.tofile(os.path.join(out, file))
        entries[name] = {"file": file, "dtype": {np.dtype("float32"): "float32", np.dtype("int64"): "int64"}[arr.dtype.newbyteorder("=")], "shape": list(arr.shape)}
    return entries


def write_reference(checkpoint, out, components):
    os.makedirs(out, exist_ok=True)
    ckpt = Checkpoint(checkpoint, components)
    cases = {}
    if "text_encoder" in components:
        t5, cfg = build_text_encoder(ckpt)
        for length in (7, 512):
            feeds = text_example(seed=length, length=length, vocab=cfg["vocab"])
            with torch.no_grad():
                ctx = t5(feeds["input_ids"])
            case = f"text_encoder@len{length}"
            cases[case] = {"component": "text_encoder", "inputs": _save(out, case, ["input_ids"], [feeds["input_ids"]]), "outputs": _save(out, case, ["context"], [ctx])}
    if "audio_encoder" in components:
        audio, _ = build_audio(ckpt)
        for samples in (20800, 9000):  # other lengths than traced (16000)
            g = torch.Generator().manual_seed(samples)
            wave = torch.sin(torch.arange(samples) * 0.05).unsqueeze(0) * 0.3 + 0.05 * torch.randn(1, samples, generator=g)
            with torch.no_grad():
                feats = audio(wave)
            case = f"audio_encoder@{samples}"
            cases[case] = {"component": "audio_encoder", "inputs": _save(out, case, ["waveform"], [wave]), "outputs": _save(out, case, ["audio_features"], [feats])}
    if "dit" in components:
        dit, cfg = build_dit(ckpt)
        # Another size than the graphs were traced at, with and without the motion tokens.
        for label, geom in (("motion", dict(latent_frames=3, lh=16, lw=8, with_motion=True)), ("drop", dict(latent_frames=2, lh=8, lw=16, with_motion=False))):
            example = dit_example(cfg, seed=5, **geom)
            for name, (_, in_names, out_names) in DIT_GRAPHS.items():
                args = dit_graph_inputs(dit, name, example)
                with torch.no_grad():
                    outs = WRAPPERS[name](dit)(*args)
                outs = outs if isinstance(outs, tuple) else (outs,)
                case = f"{name}@{label}"
                cases[case] = {"component": name, "inputs": _save(out, case, in_names, args), "outputs": _save(out, case, out_names, outs)}
    if "vae" in components:
        vae, _ = build_vae(ckpt)
        # Other sizes than traced (32 x 32), with no chunk after the first and with two.
        g = torch.Generator().manual_seed(11)
        for frames in (1, 9):
            pixels = torch.rand(1, 3, frames, 40, 24, generator=g) * 2 - 1
            with torch.no_grad():
                latents = vae.encode(pixels)
            case = f"vae_encoder@{frames}"
            cases[case] = {"component": "vae_encoder", "inputs": _save(out, case, ["pixels"], [pixels]), "outputs": _save(out, case, ["latents"], [latents])}
        for frames in (1, 3):
            latents = torch.randn(1, 16, frames, 5, 3, generator=g)
            with torch.no_grad():
                pixels = vae.decode(latents)
            case = f"vae_decoder@{frames}"
            cases[case] = {"component": "vae_decoder", "inputs": _save(out, case, ["latents"], [latents]), "outputs": _save(out, case, ["pixels"], [pixels])}
    write_json(os.path.join(out, "index.json"), {"cases": cases})
    return cases
